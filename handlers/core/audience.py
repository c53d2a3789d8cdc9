"""Who else reads an answer: in a LINE group, every member, whatever their rights.

A group bound to a section (綁定群組) may read that section's data; any other group none beyond what the
asker shares of their own. `handlers/core/access.py` notes here each time an answer uses a right the group's
members do not all have (another section, the whole office); `handlers/chat/group_answers.py` then sends that
answer to the asker one-to-one instead of to the group.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GroupAudience:
    """The members of a LINE group (or room), and whether an answer went beyond what they may all see."""

    group_id: str
    section_id: int | None = None  # the section the group is bound to, if any
    beyond: list[str] = field(default_factory=list)  # what went beyond (for the log): "office", "section:3", …

    def sees_section(self, section_id: int | None) -> bool:
        """Say whether every member may see a section's data (only the bound section's)."""
        return self.section_id is not None and section_id == self.section_id

    def note(self, why: str) -> None:
        """Note that the answer uses something not every member may see."""
        self.beyond.append(why)

    def withdraw(self) -> None:
        """Forget the notes: the answer turned out to show nothing beyond what every member may see."""
        self.beyond.clear()
