"""Read the schedule phrases of annual work plans (每月5日前, 1/1-2/28, 每季, 97.02~10 …) into rules.

A phrase is found inside a longer cell but never guessed: a cell with no recognised phrase, or with a
date we cannot read (3月前, 1日至15日 without a month), is a ScheduleError.

Inside the package: `text` normalises a cell, `lunar` turns 農曆 dates into the plan year's solar dates (and
checks lunar labels), one reader per family of phrases (`numbered_cadences`, `dates`, `bare_cadences`) shares
`reading`, `parse` runs them in order, and `rules` holds the rule types and their JSON. Only the names below are for use outside the package.
"""

from __future__ import annotations

from schedules.phrases.parse import ScheduleError, parse_schedule
from schedules.phrases.reading import Problem
from schedules.phrases.rules import (
    ALL_MONTHS,
    HALF_ENDS,
    QUARTER_ENDS,
    SCHEMA_VERSION,
    Day,
    DayKind,
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
    "DayKind",
    "Month",
    "MonthlyDeadline",
    "NthWeekday",
    "OneDay",
    "Periods",
    "Problem",
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
