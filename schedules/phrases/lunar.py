"""Lunar dates (農曆七月十五日, 農曆正月初九前) turned into the plan year's solar dates, and lunar labels checked.

Offices date temple festivals, 普渡 and the Lunar New Year days off by the lunar calendar; the solar date moves
every year (農曆7月15日 is 8/18 in 2024 and 9/6 in 2025), so reading 7月15日 as written would be silently wrong.
The conversion is lunar-python's (the same astronomical calendar Taiwan's 中央氣象署 publishes for UTC+8). A
label in brackets after a solar date (1月28日(除夕), 2月1日(初四)) only names the day: it is checked and dropped,
so that 1月28日(除夕)至2月1日(初四) stays one range.
"""

from __future__ import annotations

import re
from datetime import date

from lunar_python import Lunar, Solar

from schedules.phrases.reading import Reading
from schedules.phrases.text import join_ranges

_DIGIT = "一二三四五六七八九十"
_DAY = rf"(?:初(?:\d{{1,2}}|[{_DIGIT}])日?|\d{{1,2}}[日號])"
_LUNAR_DAY = re.compile(rf"(?P<leap>閏)?(?:(?P<month>\d{{1,2}})月)?(?P<day>{_DAY})")
_LUNAR_RUN = re.compile(rf"農曆(?P<run>閏?\d{{1,2}}月{_DAY}(?:(?:[~、,及和與至到])閏?(?:\d{{1,2}}月)?{_DAY})*)")
_LUNAR_WORD = re.compile(r"農曆[^,;。|]{0,8}")
_SOLAR_BEFORE = re.compile(r"(?:(?P<y>\d{2,4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})[日號](?:⟨\d⟩)?$|(?P<m2>\d{1,2})/(?P<d2>\d{1,2})(?:⟨\d⟩)?$")
_FESTIVALS = {"元宵": (1, 15), "端午": (5, 5), "七夕": (7, 7), "中元": (7, 15), "中秋": (8, 15), "重陽": (9, 9)}
_LABEL = re.compile(rf"\((?P<label>除夕|小年夜|初(?:\d{{1,2}}|[{_DIGIT}])|(?:{'|'.join(_FESTIVALS)})節?|農曆[^()]{{1,12}})\)")


def _day_number(text: str) -> int:
    digits = text.removeprefix("初").rstrip("日號")
    if digits.isdigit():
        return int(digits)
    return 10 if digits == "十" else _DIGIT.index(digits) + 1


def solar_of(lunar_year: int, month: int, day: int, leap: bool = False) -> date | None:
    """Return the solar date of a lunar one, or None when that day does not exist or is not known."""
    try:
        solar = Lunar.fromYmd(lunar_year, -month if leap else month, day).getSolar()
    except Exception:  # lunar-python raises bare Exceptions for days it does not have (12/30 of a short month)
        return None
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def in_plan_year(plan_year: int, month: int, day: int, leap: bool = False) -> date | None:
    """Return the solar date in the plan year of a lunar month and day (lunar 12/16 of the year before is January)."""
    found = {d for y in (plan_year - 1, plan_year) if (d := solar_of(y, month, day, leap)) and d.year == plan_year}
    return found.pop() if len(found) == 1 else None


def lunar_of(d: date) -> tuple[int, int, bool]:
    """Return the lunar month, day and whether the month is a leap one."""
    lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar()
    return abs(lunar.getMonth()), lunar.getDay(), lunar.getMonth() < 0


def read_lunar(r: Reading) -> None:
    """Write each lunar date as its solar date of the plan year; check lunar labels; block what stays lunar."""
    r.text = join_ranges(_LABEL.sub(lambda m: _checked_label(r, m), r.text))
    r.text = join_ranges(_LUNAR_RUN.sub(lambda m: _to_solar(r, m), r.text))
    r.consume(_LUNAR_WORD, lambda m: r.block("lunar", m.group(0), year=r.plan_year))


def _to_solar(r: Reading, m: re.Match[str]) -> str:
    out, last, month = [], 0, 0
    for part in _LUNAR_DAY.finditer(m.group("run")):
        out.append(m.group("run")[last : part.start()])
        last = part.end()
        month = int(part.group("month") or month)
        solar = in_plan_year(r.plan_year, month, _day_number(part.group("day")), bool(part.group("leap")))
        if solar is None:
            r.block("lunar", m.group(0), year=r.plan_year)
            return "|"
        out.append(f"{solar.year}年{solar.month}月{solar.day}日")
    return "".join(out) + m.group("run")[last:]


def _checked_label(r: Reading, m: re.Match[str]) -> str:
    """Drop a lunar label that names the solar date before it; block one that does not (or has no date)."""
    before = _SOLAR_BEFORE.search(r.text[: m.start()])
    if before is None:
        return m.group(0) if not m.group("label").startswith("農曆") else _blocked(r, m)
    if r.text[: before.start()].endswith("農曆") and before.group("m"):
        # 農曆7月15日(中元節): the label names the lunar date itself.
        lunar = (int(before.group("m")), int(before.group("d")), False)
        return "" if _names(m.group("label"), None, lunar) else _blocked(r, m)
    year = int(before.group("y")) if before.group("y") else r.plan_year
    year = year + 1911 if year < 1000 else year
    try:
        solar = date(year, int(before.group("m") or before.group("m2")), int(before.group("d") or before.group("d2")))
    except ValueError:
        return m.group(0)
    return "" if _names(m.group("label"), solar, lunar_of(solar)) else _blocked(r, m)


def _blocked(r: Reading, m: re.Match[str]) -> str:
    r.block("lunar_conflict", m.group(0))
    return "|"


def _names(label: str, solar: date | None, lunar: tuple[int, int, bool]) -> bool:
    month, day, leap = lunar
    if label in ("除夕", "小年夜"):
        last = 0 if label == "除夕" else 1
        if solar is None:
            return month == 12 and day >= 28 + last
        return solar_of_next_day_is_new_year(date.fromordinal(solar.toordinal() + last))
    if label.startswith("初"):
        return (month, day, leap) == (1, _day_number(label), False)
    if label.startswith("農曆"):
        m = re.fullmatch(rf"農曆(閏)?(\d{{1,2}})月({_DAY})", label)
        return bool(m) and (month, day, leap) == (int(m.group(2)), _day_number(m.group(3)), bool(m.group(1)))
    return (month, day, leap) == (*_FESTIVALS[label.removesuffix("節")], False)


def solar_of_next_day_is_new_year(d: date) -> bool:
    """Say whether the lunar new year begins the day after d (d is 除夕)."""
    return lunar_of(date.fromordinal(d.toordinal() + 1))[:2] == (1, 1)
