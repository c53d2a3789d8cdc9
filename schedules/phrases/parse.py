"""Read one schedule cell: normalise it, let each family's reader take its phrases, keep the precise ones."""

from __future__ import annotations

from schedules.phrases.bare_cadences import read_generic, read_weekly
from schedules.phrases.dates import read_dates
from schedules.phrases.numbered_cadences import read_cadences
from schedules.phrases.reading import Reading
from schedules.phrases.rules import Periods, Schedule
from schedules.phrases.text import normalise


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
    normal = normalise(text)
    r = Reading(normal, marked, year, "以工作日計" in normal or "按工作日計" in normal, [], [], [])
    read_cadences(r)
    read_dates(r)
    read_weekly(r)
    read_generic(r)
    if r.blocked:
        raise ScheduleError(text)
    # A bare 每月 next to 每月第1個工作日 only repeats the cadence; the precise phrase wins.
    rules = r.specific or r.generic
    if not rules:
        raise ScheduleError(text)
    return Schedule(tuple(dict.fromkeys(rules)), text, year)
