"""Read the parts of a period written without a month number: 每月月底, 每月上旬, 月底前, 年中, 年底前, 每月第2週."""

from __future__ import annotations

import re

from schedules.dates import year_from_digits
from schedules.phrases.reading import Reading
from schedules.phrases.rules import ALL_MONTHS, Day, DayKind, MonthlyDeadline, OneDay, Window
from schedules.phrases.text import SEP, WD, WEEK

# The day each part of a month is due by: 月中 the 15th, 上旬 the 10th, 月底 and 下旬 the last day.
_MONTH_PART_DAY = {"底": 31, "下旬": 31, "中旬": 20, "上旬": 10, "中": 15}
_EVERY_MONTH_PART = re.compile(r"每個?月(?:份)?的?月?(底|下旬|中旬|上旬|中(?![秋心央華國文])|初)(?:(?:以|之)?前)?")
_MONTH_END = re.compile(r"(?<![\d+每個份])月(底|下旬|中旬|上旬)(?:(?:以|之)?前)?")
_YEAR_PART = re.compile(r"(?<![\d.去前上明翌次隔])(?:(?:民國)?(?P<y>\d{2,4})|每|今|本)?年度?(?P<part>底|中(?![秋心央華國文])|初)(?:(?:以|之)?前)?(?!了|結)")
# 5月中旬至6月上旬: one window from the first part's start to the second's end (read apart, 5/20 was due too).
_PART_RANGE = re.compile(r"(?<![\d.])(\d{1,2})月(上旬|中旬|下旬|初|中|底)[~至到](\d{1,2})月(上旬|中旬|下旬|中|底)(?:(?:以|之)?前|止)?")
_PART_START = {"上旬": 1, "初": 1, "中旬": 11, "中": 15, "下旬": 21, "底": 31}
_WEEK_OF_MONTH = re.compile(rf"月(?:份)?的?第\d(?:{SEP}第?\d)*個?{WEEK}(?!{WD})")


def read_parts(r: Reading) -> None:
    """Read the parts of months and years that carry no month number."""

    def every_month(m: re.Match[str]) -> None:
        word = m.group(1)
        if word == "初":  # 每月月初: the first working day, the first day an office can act on it
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), 1, True, 0))
        else:
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), _MONTH_PART_DAY[word], False, 0))

    def month_end(m: re.Match[str]) -> None:
        if r.months:  # 月底前 on a row with month marks: the end of each marked month
            r.specific.append(MonthlyDeadline(r.months, _MONTH_PART_DAY[m.group(1)], False, 0))
        else:
            r.block("vague", m.group(0))  # which month's end is not written

    def year_part(m: re.Match[str]) -> None:
        part = m.group("part")
        if part == "初":
            r.block("vague", m.group(0))  # early in the year is not a day
            return
        year = None
        if m.group("y"):
            year = year_from_digits(m.group("y"))
        month, day = (6, 30) if part == "中" else (12, 31)
        r.specific.append(OneDay(Day(month, day, year), DayKind.deadline))

    def part_range(m: re.Match[str]) -> None:
        first, last = int(m.group(1)), int(m.group(3))
        if not (1 <= first <= last <= 12) or (first == last and _PART_START[m.group(2)] > _MONTH_PART_DAY[m.group(4)]):
            r.block("year_unclear" if first > last else "not_understood", m.group(0))
            return
        r.specific.append(Window(Day(first, _PART_START[m.group(2)]), Day(last, _MONTH_PART_DAY[m.group(4)])))

    r.consume(_PART_RANGE, part_range)
    r.consume(_EVERY_MONTH_PART, every_month)
    r.consume(_WEEK_OF_MONTH, lambda m: r.block("week_of_month", m.group(0)))
    r.consume(_MONTH_END, month_end)
    r.consume(_YEAR_PART, year_part)
