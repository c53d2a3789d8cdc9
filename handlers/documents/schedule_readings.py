"""Each item's schedule read back: the reading a coordinator confirms, or what was not understood."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.texts import readings as R
from schedules.calendar import WorkCalendar
from schedules.phrases import Schedule, ScheduleError, parse_schedule
from storage.models import Item


@dataclass(frozen=True)
class CellReading:
    """One item's schedule cell as read now: `schedule` when read, else `error`."""

    phrase: str
    year: int
    schedule: Schedule | None
    error: ScheduleError | None

    def reading(self) -> str:
        """Return the plain-Chinese reading, or what was not understood."""
        if self.schedule is not None:
            return R.reading(self.schedule)
        assert self.error is not None
        return R.problem_text(self.error, self.year)

    def line(self, year: int, calendar: WorkCalendar, today: date) -> str:
        """Return `phrase → reading；下次 date` or `phrase → problem`."""
        if self.schedule is not None:
            return R.reading_line(self.schedule, year, calendar, today)
        assert self.error is not None
        return R.problem_line(self.error, year)


def cell_reading(item: Item, year: int) -> CellReading:
    """Read the item's schedule cell again as the import does (marked months, or the phrase in 工作內容)."""
    months = frozenset(item.months or ()) or None
    text = item.schedule_text or ("" if months else item.content or "")
    try:
        return CellReading(text, year, parse_schedule(text, months, year), None)
    except ScheduleError as exc:
        return CellReading(text, year, None, exc)
