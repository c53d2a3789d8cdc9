"""Dates as Taiwanese offices write them: ROC years (民國 = AD - 1911) and 4/8（一） labels."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

ROC_OFFSET = 1911
WEEKDAYS_ZH = "一二三四五六日"

_YEAR = re.compile(r"(?:民國|中華民國)?\s*(\d{1,4})\s*年?(?:度)?")
_DATE = re.compile(
    r"(?:民國|中華民國)?\s*(\d{1,4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日號]?)"
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# A month as people write it before 月: 3, 03, 三, 十, 十二. Every reader of a month builds on this one pattern.
MONTH_NUMBER = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_CHINESE_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}
_MONTH_ALONE = re.compile(rf"(?P<n>{MONTH_NUMBER})\s*(?:月份?)?")


def year_from_digits(digits: str) -> int:
    """Return the AD year for a written year: up to three digits is ROC, four is AD."""
    if not digits.isdigit() or not 1 <= len(digits) <= 4:
        raise ValueError(f"not a year: {digits!r}")
    number = int(digits)
    if number == 0:
        raise ValueError(f"not a year: {digits!r}")
    return number + ROC_OFFSET if len(digits) <= 3 else number


def parse_year(text: str) -> int:
    """Return the AD year of "113", "民國113年" or "2024"."""
    match = _YEAR.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not match:
        raise ValueError(f"not a year: {text!r}")
    return year_from_digits(match.group(1))


def month_number(text: str) -> int:
    """Return the month of a `MONTH_NUMBER` match: 3, 03 or 三."""
    return int(text) if text.isdigit() else _CHINESE_MONTHS[text]


def read_month(text: str) -> int | None:
    """Return the month a text names on its own (3, 03, ３月, 三月, 十二月份), or None for anything else (13, 3月5日)."""
    found = _MONTH_ALONE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    return month_number(found.group("n")) if found else None


def parse_date(text: str) -> date:
    """Return the date of "2024-07-25", "2024/7/25", "113/7/25", "113.7.25", "113年7月25日" or "20240725"."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    compact = _COMPACT.fullmatch(cleaned)
    if compact:
        return date(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
    match = _DATE.fullmatch(cleaned)
    if not match:
        raise ValueError(f"not a date: {text!r}")
    month = match.group(2) or match.group(4)
    day = match.group(3) or match.group(5)
    return date(year_from_digits(match.group(1)), int(month), int(day))


def roc_year(year: int) -> int:
    """Return the ROC year of an AD year (2024 -> 113)."""
    return year - ROC_OFFSET


def weekday_zh(d: date) -> str:
    """Return the weekday as one character, 一 for Monday to 日 for Sunday."""
    return WEEKDAYS_ZH[d.weekday()]


def format_date(d: date) -> str:
    """Format a date the way offices write it, e.g. 4/8（一）."""
    return f"{d.month}/{d.day}（{weekday_zh(d)}）"


def format_month_day(d: date, year: int | None = None) -> str:
    """Format as 4/8, or 97/4/8 (ROC) when the date is not in the given year."""
    if year is not None and d.year != year:
        return f"{roc_year(d.year)}/{d.month}/{d.day}"
    return f"{d.month}/{d.day}"


def format_roc_date(d: date) -> str:
    """Format as an ROC date, e.g. 113/4/8."""
    return f"{roc_year(d.year)}/{d.month}/{d.day}"
