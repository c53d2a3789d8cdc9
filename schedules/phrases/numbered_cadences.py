"""Read the recurring phrases that carry numbers: 每月5日前, 次月2日前, 每月第2個週五, 第2季, 上半年."""

from __future__ import annotations

import re

from schedules.phrases.reading import Reading
from schedules.phrases.rules import ALL_MONTHS, MonthlyDeadline, NthWeekday, Periods
from schedules.phrases.text import SEP, WD, WEEK, WEEKDAYS


def _digits(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text))


_NEXT_MONTH = re.compile(r"次月(第)?(\d{1,2})個?(工作)?日(?:前|內|止)?")
_MONTHLY_WORKING = re.compile(r"每個?月(?:份)?的?第(\d{1,2})個?工作日(?:前|內|止)?")
_MONTHLY_DAY = re.compile(r"每個?月(?:份)?的?(\d{1,2})[日號](?:前|內|止)?")
_MONTHLY_NTH_WEEKDAY = re.compile(rf"每個?月(?:份)?的?第(\d(?:個?{SEP}第?\d)*)個?{WEEK}({WD})")
_LISTED_NTH_WEEKDAY = re.compile(
    rf"(?:每年)?((?:\d{{1,2}}月?{SEP})*\d{{1,2}})月(?:份)?的?第(\d(?:個?{SEP}第?\d)*)個?{WEEK}({WD})"
)
_QUARTER = re.compile(r"第([1-4])季")
_HALF = re.compile(r"([上下])半年")


def read_cadences(r: Reading) -> None:
    """Read the recurring phrases that carry numbers, before the numbers are read as dates."""

    def next_month(m: re.Match[str]) -> None:
        n, working = int(m.group(2)), bool(m.group(3)) or r.working_days
        if _valid_day_number(n, working):
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), n, working, 1))
        else:
            r.blocked.append(m.group(0))

    def monthly_working(m: re.Match[str]) -> None:
        n = int(m.group(1))
        if _valid_day_number(n, True):
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), n, True, 0))
        else:
            r.blocked.append(m.group(0))

    def monthly_day(m: re.Match[str]) -> None:
        n = int(m.group(1))
        if _valid_day_number(n, r.working_days):
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), n, r.working_days, 0))
        else:
            r.blocked.append(m.group(0))

    def nth_weekday(months: tuple[int, ...], m: re.Match[str], nths_group: int, wd_group: int) -> None:
        nths = tuple(sorted(set(_digits(m.group(nths_group)))))
        if all(1 <= n <= 5 for n in nths) and all(1 <= x <= 12 for x in months):
            r.specific.append(NthWeekday(months, WEEKDAYS[m.group(wd_group)], nths))
        else:
            r.blocked.append(m.group(0))

    r.consume(_NEXT_MONTH, next_month)
    r.consume(_MONTHLY_WORKING, monthly_working)
    r.consume(_MONTHLY_DAY, monthly_day)
    r.consume(_MONTHLY_NTH_WEEKDAY, lambda m: nth_weekday(r.marked_or(ALL_MONTHS), m, 1, 2))
    r.consume(_LISTED_NTH_WEEKDAY, lambda m: nth_weekday(tuple(sorted(set(_digits(m.group(1))))), m, 2, 3))
    r.consume(_QUARTER, lambda m: r.specific.append(Periods((3 * int(m.group(1)),), 3)))
    r.consume(_HALF, lambda m: r.specific.append(Periods((6 if m.group(1) == "上" else 12,), 6)))


def _valid_day_number(n: int, working: bool) -> bool:
    # No month has more than 23 working days, so a larger count is a misreading.
    return 1 <= n <= (23 if working else 31)
