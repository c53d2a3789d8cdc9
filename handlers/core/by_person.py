"""Lists for a section or the office grouped by person (逾期, 未回報): who has how many, newest first.

A team lead reads these to know whom to call, so each owner gets a heading with a count, and an item with
two owners shows under both of them; the newest occurrence comes first, as that is what is still fixable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.core.agenda import Due, number_key
from handlers.texts import chat as M
from storage.models import Staff


@dataclass(frozen=True)
class Entry:
    """One line of a grouped list: the section and person it stands under, and the occurrence."""

    section: str
    person: str
    due: Due


def newest_first(dues: list[Due]) -> list[Due]:
    """Return the occurrences latest due first (編號 in table order on one day)."""
    by_number = sorted(dues, key=lambda d: number_key(d.item.number))
    return sorted(by_number, key=lambda d: d.occ.due, reverse=True)


def entries(
    dues: list[Due], order: Callable[[list[Due]], list[Due]] = newest_first
) -> tuple[list[Entry], dict[tuple[str, str], int]]:
    """Return the lines by section (table order), person (most first) and `order` (newest first), and each person's count."""
    groups: dict[tuple[int, str, str], list[Due]] = {}
    for due in dues:
        owners: list[Staff | None] = list(due.item.owners) or [None]
        for owner in owners:
            section = due.item.section
            key = (section.id, section.name, owner.name if owner is not None else M.NOBODY)
            groups.setdefault(key, []).append(due)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][2]))
    out = [Entry(name, person, d) for (_id, name, person), group in ordered for d in order(group)]
    counts = {(name, person): len(group) for (_id, name, person), group in ordered}
    return out, counts


def lines(page: list[Entry], counts: dict[tuple[str, str], int], line: Callable[[Due], str], sections: bool) -> list[str]:
    """Return a page's lines under person headings (and section headings when the list spans sections)."""
    out: list[str] = []
    section = person = None
    for entry in page:
        new_section = entry.section != section
        if sections and new_section:
            out += ["", M.SECTION_HEADER.format(section=entry.section)]
        if new_section or entry.person != person:
            count = counts[(entry.section, entry.person)]
            out += ([] if sections and new_section else [""]) + [M.PERSON_HEADER.format(person=entry.person, count=count)]
        section, person = entry.section, entry.person
        out.append(line(entry.due))
    return out
