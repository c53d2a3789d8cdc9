"""Read the schedule phrases of annual work plans (每月5日前, 1/1-2/28, 每季, 97.02~10 …) into rules.

A phrase is found inside a longer cell but never guessed: a cell with no recognised phrase, or with a
date we cannot read (3月前, 1日至15日 without a month), is a ScheduleError.

The public names live here; the work is in `phrase_text` (normalising), one reader per family of
phrases (`phrase_numbered_cadences`, `phrase_dates`, `phrase_bare_cadences`) sharing
`phrase_reading`, and `schedule_rules` (the rule types and their JSON).
"""

from __future__ import annotations

from schedules.phrase_bare_cadences import _read_generic, _read_weekly
from schedules.phrase_dates import _read_dates
from schedules.phrase_numbered_cadences import _read_cadences
from schedules.phrase_reading import _Reading
from schedules.phrase_text import _normalise
from schedules.schedule_rules import (
    ALL_MONTHS,
    HALF_ENDS,
    QUARTER_ENDS,
    SCHEMA_VERSION,
    Day,
    Month,
    MonthlyDeadline,
    NthWeekday,
    OneDay,
    Periods,
    Rule,
    Schedule,
    Span,
    Weekly,
    Window,
    rule_from_json,
    rule_to_json,
)

__all__ = [
    "ALL_MONTHS",
    "HALF_ENDS",
    "QUARTER_ENDS",
    "SCHEMA_VERSION",
    "Day",
    "Month",
    "MonthlyDeadline",
    "NthWeekday",
    "OneDay",
    "Periods",
    "Rule",
    "Schedule",
    "ScheduleError",
    "Span",
    "Weekly",
    "Window",
    "parse_schedule",
    "rule_from_json",
    "rule_to_json",
]


class ScheduleError(ValueError):
    """A schedule cell that could not be read; `message` is for people, in Traditional Chinese."""

    def __init__(self, phrase: str, message: str | None = None) -> None:
        self.phrase = phrase
        self.message = message or f"看不懂的時程：「{_shorten(phrase)}」"
        super().__init__(self.message)


def _shorten(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def parse_schedule(text: str, months: frozenset[int] | None, year: int) -> Schedule:
    """Read a schedule cell (and the row's month marks) for the plan year into a Schedule."""
    marked = tuple(sorted(months)) if months else None
    if marked and not all(1 <= m <= 12 for m in marked):
        raise ValueError(f"month marks must be 1..12: {marked}")
    text = text or ""
    if not text.strip():
        if marked:
            return Schedule((Periods(marked, 1),), text, year)
        raise ScheduleError("", "沒有時程")
    normal = _normalise(text)
    r = _Reading(normal, marked, year, "以工作日計" in normal or "按工作日計" in normal, [], [], [])
    _read_cadences(r)
    _read_dates(r)
    _read_weekly(r)
    _read_generic(r)
    if r.blocked:
        raise ScheduleError(text)
    # A bare 每月 next to 每月第1個工作日 only repeats the cadence; the precise phrase wins.
    rules = r.specific or r.generic
    if not rules:
        raise ScheduleError(text)
    return Schedule(tuple(dict.fromkeys(rules)), text, year)
