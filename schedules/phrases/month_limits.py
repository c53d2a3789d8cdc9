"""Read the months a monthly cadence is limited to: 1-6月每月5日前, 7至12月每月, 每月5日前(1-6月), 上半年每月,
and the months it leaves out or moves: 每月10日前(1月免報), 每月25日前(2月為20日前).

Without this, 7~12月每月10日前 read as a deadline every month of the year plus a July–December period, and
每月10日前(1月免報) as a January deadline plus a January period: dates nobody wrote down. The range or the
exception changes the cadence's months (as month marks do) and is consumed, so it is not read again as a
period of its own.
"""

from __future__ import annotations

import re

from schedules.dates import year_from_digits
from schedules.phrases.reading import Reading
from schedules.phrases.rules import Day, DayKind, OneDay

_MONTHLY = r"每個?月"
_RANGE = r"(?:(\d{2,4})年)?(\d{1,2})月?~(?:(\d{2,4})年)?(\d{1,2})月份?(?:間|期間)?"
_BEFORE = re.compile(rf"{_RANGE}[,、]?(?={_MONTHLY})")
_AFTER = re.compile(rf"({_MONTHLY}[^()|]{{0,16}}?)\({_RANGE}\)")
_HALF_BEFORE = re.compile(rf"([上下])半年度?[,、]?(?={_MONTHLY})")
_MONTH_LIST = r"(\d{1,2}(?:月份?[、,及和與]\d{1,2}|[、,及和與]\d{1,2})*)月份?"
_LEFT_OUT = re.compile(rf"{_MONTH_LIST}(?:免報|免填報?|免辦理?|除外|停報|停辦|暫停|不辦理|不需辦理)|除{_MONTH_LIST}外")
_MOVED = re.compile(r"(\d{1,2})月份?(?:改為|提前為|提前至|改於|為)(?:\1月)?(\d{1,2})[日號](?:前|止)?")
# 次月5日前(1月免報), 每月終了後10日內(12月為…): is 1月 the month reported on or the month it is due in?
_SHIFTED = re.compile(r"次月|隔月|終了|結束|屆滿")
_MONTHLY_DAY = re.compile(rf"{_MONTHLY}份?的?(?:第\d{{1,2}}個?工作日|\d{{1,2}}[日號]|底|月底)")


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
    _read_exceptions(r)


def _read_exceptions(r: Reading) -> None:
    """Take the months a monthly deadline leaves out (1月免報) or moves to another day (2月為20日前)."""
    if not (_LEFT_OUT.search(r.text) or _MOVED.search(r.text)):
        return
    if not _MONTHLY_DAY.search(r.text) or _SHIFTED.search(r.text):
        for m in (*_LEFT_OUT.finditer(r.text), *_MOVED.finditer(r.text)):
            r.block("not_understood", m.group(0))
        r.text = _MOVED.sub("|", _LEFT_OUT.sub("|", r.text))
        return
    months = list(r.months or range(1, 13))

    def left_out(m: re.Match[str]) -> str:
        named = [int(x) for x in re.findall(r"\d{1,2}", m.group(1) or m.group(2))]
        if not all(n in months for n in named):
            r.block("not_understood", m.group(0))
        for n in named:
            if n in months:
                months.remove(n)
        return "|"

    def moved(m: re.Match[str]) -> str:
        month, day = int(m.group(1)), int(m.group(2))
        if month not in months or not 1 <= day <= 31:
            r.block("not_understood", m.group(0))
            return "|"
        months.remove(month)
        r.specific.append(OneDay(Day(month, day), DayKind.deadline))
        return "|"

    r.text = _LEFT_OUT.sub(left_out, r.text)
    r.text = _MOVED.sub(moved, r.text)
    r.months = r.limited = tuple(months)

