"""Who may read an answer, as a value the answer carries: anyone, one section's staff, the whole office, the asker alone.

In a LINE group every member reads what the bot posts, whatever their rights. So each reply says who may read it
(`handlers/core/replies.py`: the `audience` of a `Text`, `Card`, …): a handler that shows a section's data marks its
replies with that section, the whole office's with `OFFICE`, a link or a code that acts as the asker with `ASKER`
(a `FileLink` is that by default). What the asker shares of their own work, and any answer that shows nothing of
anyone's, is for `ANYONE`. `handlers/chat/group_answers.py` combines the replies' audiences and posts the answer to
the group only when every member may read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Audience:
    """Who may read an answer; `|` combines two (the readers both allow)."""

    sections: frozenset[int] = frozenset()  # the staff of each of these sections (and those who see every section)
    office: bool = False  # the whole office's data: those who see every section
    asker: bool = False  # the asker alone: a link or code that acts as them

    def __or__(self, other: Audience) -> Audience:
        return Audience(self.sections | other.sections, self.office or other.office, self.asker or other.asker)

    def readable_in(self, group_section: int | None) -> bool:
        """Say whether every member of a group may read it: the group bound to `group_section` (None: to none)."""
        if self.office or self.asker:
            return False
        return self.sections <= ({group_section} if group_section is not None else set())

    def reasons(self) -> list[str]:
        """Return what goes beyond anyone, for the log: "asker", "office", "section:3"."""
        return ["asker"] * self.asker + ["office"] * self.office + [f"section:{s}" for s in sorted(self.sections)]


ANYONE = Audience()
OFFICE = Audience(office=True)
ASKER = Audience(asker=True)


def section(section_id: int | None) -> Audience:
    """Return the audience of one section's data (data of no section is the office's)."""
    return OFFICE if section_id is None else Audience(frozenset({section_id}))

