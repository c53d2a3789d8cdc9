"""A plan's section names as the roster writes them, and the sections and people of the roster a plan misses.

Published plan documents number their headings (一、戶籍登記課, (一)戶籍登記課, 壹、戶籍登記課) and repeat the
office and the year (臺北市文山區戶政事務所戶籍登記課113年度工作計畫); the section is 戶籍登記課. Kept whole,
a chief's summary would find no items for their section, and say so as if there were nothing to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from storage import queries
from storage.models import Office, Role
from storage.text import compact

_NUMERAL = "一二三四五六七八九十"
_ORDINAL = re.compile(
    rf"^(?:[(（][{_NUMERAL}]{{1,3}}[)）]|[{_NUMERAL}]{{1,3}}[、.．]|[壹貳參叁肆伍陸柒捌玖拾]{{1,3}}[、.．]"
    r"|[(（]\d{1,2}[)）]|\d{1,2}[、.．)）](?!\d))"
)
_OFFICE = re.compile(r"^.{1,20}?(?:戶政事務所|區公所|鄉公所|鎮公所|市公所|公所|事務所|戶所)(?=.+[課室]$)")
_YEAR_TITLE = re.compile(rf"(?<=[課室])(?:\d{{2,4}}|[{_NUMERAL}]{{2,4}})年度?.*$")
_CLOSE_ENOUGH = 60  # rapidfuzz ratio from which a name is offered as the one probably meant


def section_name(text: str) -> str:
    """Return the section's name without a heading's ordinal, the office's name or the year's title."""
    name = compact(text)
    name = _YEAR_TITLE.sub("", name)
    name = _ORDINAL.sub("", name, count=1)
    return _OFFICE.sub("", name, count=1) or name


def nearest(name: str, choices: list[str] | set[str]) -> str | None:
    """Return the choice closest to the name, when one is close enough to be offered."""
    found = process.extractOne(name, sorted(choices), scorer=fuzz.ratio, score_cutoff=_CLOSE_ENOUGH)
    return found[0] if found else None


@dataclass(frozen=True)
class Unmatched:
    """A plan section nobody on the roster belongs to (with the roster's nearest section), or a roster
    chief or member whose section has no item in the plan (with the plan's nearest section)."""

    section: str
    nearest: str | None
    people: tuple[tuple[str, Role], ...] = ()  # (name, role), chiefs first


def unmatched(session: Session, office: Office, plan_sections: list[str]) -> list[Unmatched]:
    """Return the plan's sections nobody on the active roster is in, then the chiefs and staff left without items.

    Nothing is said while the roster is empty (a first plan imported before the staff), as every section
    would be reported.
    """
    people = [
        p for p in queries.staff_of_office(session, office.id)
        if p.active and p.section is not None and p.role in (Role.chief, Role.staff)
    ]
    roster = {p.section.name for p in people}
    if not roster:
        return []
    planned = list(dict.fromkeys(plan_sections))
    out = [Unmatched(s, nearest(s, roster)) for s in planned if s not in roster]
    idle: dict[str, list[tuple[str, Role]]] = {}
    for p in sorted(people, key=lambda p: p.role is not Role.chief):
        if p.section.name not in planned:
            idle.setdefault(p.section.name, []).append((p.name, p.role))
    out += [Unmatched(name, nearest(name, set(planned)), tuple(who)) for name, who in idle.items()]
    return out
