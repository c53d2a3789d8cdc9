"""Read the months a monthly cadence is limited to: 1-6月每月5日前, 7至12月每月, 每月5日前(1-6月), 上半年每月.

Without this, 7~12月每月10日前 read as a deadline every month of the year plus a July–December period:
dates nobody wrote down. The range becomes the cadence's months (as month marks are) and is consumed, so
it is not read again as a period of its own.
"""

from __future__ import annotations

import re

from schedules.dates import year_from_digits
from schedules.phrases.reading import Reading

_MONTHLY = r"每個?月"
_RANGE = r"(?:(\d{2,4})年)?(\d{1,2})月?~(?:(\d{2,4})年)?(\d{1,2})月份?(?:間|期間)?"
_BEFORE = re.compile(rf"{_RANGE}[,、]?(?={_MONTHLY})")
_AFTER = re.compile(rf"({_MONTHLY}[^()|]{{0,16}}?)\({_RANGE}\)")
_HALF_BEFORE = re.compile(rf"([上下])半年度?[,、]?(?={_MONTHLY})")


def read_month_limits(r: Reading) -> None:
    """Limit the cell's monthly cadences to the months a range beside 每月 names."""

    marked = r.months
    limited: list[str] = []

    def limit(phrase: str, years: tuple[str | None, ...], first: int, last: int) -> None:
        other = [year_from_digits(y) for y in years if y is not None and year_from_digits(y) != r.plan_year]
        if other:
            r.block("out_of_year", phrase, year=other[0], plan_year=r.plan_year)
        elif not (1 <= first < last <= 12):
            # 11~2月每月 runs past New Year, 6~6月 names no range: which months is not for us to guess.
            r.block("year_unclear" if first > last else "not_understood", phrase)
        elif limited:
            # 1~6月每月5日前,7~12月每月10日前: two cadences, each with its months; read as one they would mix.
            r.block("not_understood", phrase)
        elif marked is not None and marked != tuple(range(first, last + 1)):
            r.block("months_conflict", phrase, marked="、".join(str(m) for m in marked))
        else:
            limited.append(phrase)
            r.months = r.limited = tuple(range(first, last + 1))

    def before(m: re.Match[str]) -> str:
        limit(m.group(0), (m.group(1), m.group(3)), int(m.group(2)), int(m.group(4)))
        return "|"

    def after(m: re.Match[str]) -> str:
        limit(m.group(0), (m.group(2), m.group(4)), int(m.group(3)), int(m.group(5)))
        return m.group(1) + "|"

    def half(m: re.Match[str]) -> str:
        first = 1 if m.group(1) == "上" else 7
        limit(m.group(0), (), first, first + 5)
        return "|"

    r.text = _BEFORE.sub(before, r.text)
    r.text = _AFTER.sub(after, r.text)
    r.text = _HALF_BEFORE.sub(half, r.text)

