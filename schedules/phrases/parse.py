"""Read one schedule cell: normalise it, let each family's reader take its phrases, keep the precise ones."""

from __future__ import annotations

import re

from schedules.phrases.bare_cadences import read_generic, read_weekly
from schedules.phrases.dates import read_dates
from schedules.phrases.numbered_cadences import read_cadences
from schedules.phrases.parts import read_parts
from schedules.phrases.reading import Problem, Reading
from schedules.phrases.rules import Day, Month, Periods, Rule, Schedule
from schedules.phrases.text import normalise

# 5曰前, 5目前: a day number whose 日 was mistyped; read it as written would drop the day silently.
_MISTYPED_DAY = re.compile(r"\d{1,2}[曰目]")
_TYPOS = re.compile(r"(?<=\d)[曰目]")


class ScheduleError(ValueError):
    """A schedule cell that could not be read, with the problems found (the first is the main one).

    `message` is a short fallback line; handlers/texts/readings.py words each problem for people.
    """

    def __init__(self, phrase: str, message: str | None = None, problems: tuple[Problem, ...] = ()) -> None:
        self.phrase = phrase
        self.problems = problems or (Problem("empty" if not phrase.strip() else "not_understood", phrase),)
        self.code = self.problems[0].code
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
        raise ScheduleError("", "沒有時程", (Problem("empty"),))
    normal = normalise(text)
    r = Reading(normal, marked, year, "以工作日計" in normal or "按工作日計" in normal, [], [], [])
    read_cadences(r)
    read_parts(r)
    read_dates(r)
    read_weekly(r)
    read_generic(r)
    r.consume(_MISTYPED_DAY, lambda m: r.block("not_understood", m.group(0), suggestion=_TYPOS.sub("日", text)))
    # A bare 每月 next to 每月第1個工作日 only repeats the cadence; the precise phrase wins.
    rules = tuple(dict.fromkeys(r.specific or r.generic))
    problems = r.blocked + _outside_plan_year(rules, year, text)
    if problems:
        raise ScheduleError(text, problems=tuple(problems))
    if not rules:
        raise ScheduleError(text)
    return Schedule(rules, text, year)


def _outside_plan_year(rules: tuple[Rule, ...], plan_year: int, text: str) -> list[Problem]:
    """Return a problem for each written year a rule ends in that is not the plan's.

    A range may start before the plan year (112年11月至113年10月), and work may be due in the next
    January (114.1.15前 in a 113 plan); anything else in another year is not this plan's.
    """
    found: dict[int, Problem] = {}
    for rule in rules:
        end = getattr(rule, "last", None) or getattr(rule, "on", None)
        if isinstance(end, (Day, Month)) and end.year is not None and end.year != plan_year:
            if end.year == plan_year + 1 and end.month == 1:
                continue
            found.setdefault(end.year, Problem("out_of_year", text, {"year": end.year, "plan_year": plan_year}))
    return list(found.values())
