"""Find items by 編號 (which repeats across sections) the way the asker most likely means it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from handlers.core import access, scopes
from handlers.core.request import Asker
from schedules.phrases.text import chinese_number
from storage import queries
from storage.models import Item, Plan, Section
from storage.text import compact

# [課室] 編號 [the rest]: 11, 6-2, 戶籍資料課 11, 資料課11. A number followed by 月, %, / or : is not a 編號.
NUMBERED = re.compile(r"^(?P<pre>[^\d]*?)\s*(?P<number>\d{1,4}(?:\s*-\s*\d{1,4})*)(?![\d/:%.])(?!\s*(?:月|%|日|號))(?P<rest>.*)$", re.S)

# 第3項, 第 6-2 項: the 編號 said in words.
PLACE_WORDS = re.compile(r"^第\s*(\d{1,4}(?:\s*-\s*\d{1,4})*)\s*[項號]")

# A number from 1 to 99 in Chinese numerals: 三, 十二, 二十, 廿一, 卅, 一〇, 〇五.
_CHINESE_1_99 = r"(?:[二三四五六七八九]?十|廿|卅)[一二三四五六七八九]?|[一二三四五六七八九][〇零]|[〇零]?[一二三四五六七八九]"
# 第十二項, 第廿一號, 第六之二項 (6-2): only between 第 and 項 or 號, since 十二 alone may be a month or words.
_PLACE_IN_NUMERALS = re.compile(
    rf"第\s*(?P<n>{_CHINESE_1_99}|\d{{1,3}})(?:\s*之\s*(?P<sub>{_CHINESE_1_99}|\d{{1,3}}))?\s*(?P<unit>[項號])"
)


@dataclass(frozen=True)
class Numbered:
    """A 編號 found at the start of the arguments, with the section written before it and the rest."""

    number: str
    section: Section | None
    section_text: str
    rest: str


def place_in_digits(text: str) -> str:
    """Return the text with every 第…項 or 第…號 in Chinese numerals in digits (第十二項 → 第12項, 第六之二項 → 第6-2項).

    The one reader of a 編號 said in Chinese numerals: 回報, 查, a search and a sentence all go through it.
    """

    def digits(m: re.Match[str]) -> str:
        if m.group("sub") is None and m.group("n").isdigit():
            return m.group(0)  # 第12項 is read as it is
        number = "-".join(str(_value(part)) for part in (m.group("n"), m.group("sub")) if part is not None)
        return f"第{number}{m.group('unit')}"

    return _PLACE_IN_NUMERALS.sub(digits, text)


def _value(part: str) -> int:
    return int(part) if part.isdigit() else chinese_number(part)


def read_number(session: Session, plan: Plan, args: str) -> Numbered | None:
    """Return the [課室] 編號 the arguments start with, or None when they do not start with one."""
    m = NUMBERED.match(PLACE_WORDS.sub(r"\1", place_in_digits(args.strip()), count=1))
    if not m:
        return None
    pre = compact(m.group("pre"))
    section = None
    if pre:
        found = scopes.match_section(queries.sections_of(session, plan.office_id), pre)
        if found is None or found[1] != len(pre):
            return Numbered(compact(m.group("number")), None, pre, m.group("rest").strip())
        section = found[0]
    return Numbered(compact(m.group("number")), section, "", m.group("rest").strip())


def items_numbered(session: Session, plan: Plan, number: str, section: Section | None = None) -> list[Item]:
    """Return the plan's items with that 編號 (in one section when given), in table order."""
    items = queries.items_of_plan(session, plan.id, section.id if section else None)
    return [i for i in items if compact(i.number) == number]


def preferred(who: Asker, items: list[Item]) -> list[Item]:
    """Narrow same-numbered items to the asker's own, else their section's, else leave them all."""
    owned = [i for i in items if access.owns(who, i)]
    if owned:
        return owned
    own_section = who.staff.section_id if who.staff else None
    in_section = [i for i in items if i.section_id == own_section]
    return in_section or items


def sub_items(session: Session, plan: Plan, number: str, section: Section | None = None) -> list[Item]:
    """Return the plan's sub-items of a 編號 (6 → 6-1, 6-2 …), in one section when given, in table order."""
    if "-" in number:
        return []
    items = queries.items_of_plan(session, plan.id, section.id if section else None)
    return [i for i in items if compact(i.number).replace("－", "-").split("-")[0] == number and "-" in i.number]


def reported_as(session: Session, item: Item) -> str:
    """Return the item's 編號 as 回報 finds it alone: the 編號, or 課室 編號 when another item of the plan has it too."""
    shared = [i for i in items_numbered(session, item.plan, compact(item.number)) if i.id != item.id]
    return f"{item.section.name} {item.number}" if shared else item.number
