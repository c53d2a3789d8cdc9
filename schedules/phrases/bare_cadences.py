"""Read the bare cadences: 每週三, 每3個月, 每季, 每半年, 每月, 整年."""

from __future__ import annotations

import re

from schedules.phrases.reading import Reading
from schedules.phrases.rules import (
    ALL_MONTHS,
    HALF_ENDS,
    QUARTER_ENDS,
    DayKind,
    Month,
    Periods,
    Rule,
    Span,
    Weekly,
)
from schedules.phrases.text import SEP, WD, WEEK, WEEKDAYS

_STANDALONE_WEEKLY = re.compile(rf"每{WEEK}({WD}(?:{SEP}{WEEK}?{WD})*)(?![次回遍趟至到~])")
_EVERY_N_MONTHS = re.compile(r"每(\d{1,2})個月")
_QUARTERLY = re.compile(r"每一?季|按季|逐季")
_HALF_YEARLY = re.compile(r"每半年")
_MONTHLY = re.compile(r"每個?月份?|按月|逐月")
_EVEN_ODD_MONTHS = re.compile(r"每([雙單])數?月份?")
_WHOLE_YEAR = re.compile(r"每年(?![\d度])|每年度|整年度?|全年度?|[賡廣]續辦理")


def read_weekly(r: Reading) -> None:
    def weekly(m: re.Match[str]) -> None:
        days = tuple(sorted({WEEKDAYS[c] for c in m.group(1) if c in WEEKDAYS}))
        r.specific.append(Weekly(days, DayKind.event))

    r.consume(_STANDALONE_WEEKLY, weekly)


def read_generic(r: Reading) -> None:
    """Read the bare cadences (每月, 每季, 每半年, 整年); month marks choose the months of recurring ones."""

    def periods(ends: tuple[int, ...], span: int) -> Rule:
        if span == 12:
            return Span(Month(1), Month(12))
        return Periods(r.months, 1) if r.months else Periods(ends, span)

    def every_n(m: re.Match[str]) -> None:
        n = int(m.group(1))
        if n in (1, 2, 3, 4, 6, 12):
            r.generic.append(periods(tuple(range(n, 13, n)), n))

    r.consume(_EVERY_N_MONTHS, every_n)
    r.consume(
        _EVEN_ODD_MONTHS,
        lambda m: r.generic.append(Periods(tuple(range(2 if m.group(1) == "雙" else 1, 13, 2)), 1)),
    )
    r.consume(_QUARTERLY, lambda m: r.generic.append(periods(QUARTER_ENDS, 3)))
    r.consume(_HALF_YEARLY, lambda m: r.generic.append(periods(HALF_ENDS, 6)))
    r.consume(_MONTHLY, lambda m: r.generic.append(periods(ALL_MONTHS, 1)))
    r.consume(_WHOLE_YEAR, lambda m: r.generic.append(Span(Month(1), Month(12))))
