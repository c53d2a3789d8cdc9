"""Carry into today what a missed morning said, restated as of today, when it is still worth saying."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from schedules.digest_lines import Line
from schedules.office_data import OfficeData

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar


def _carried(
    old: dict[int, dict[tuple, Line]], office: OfficeData, calendar: WorkCalendar, then: date, today: date
) -> dict[int, dict[tuple, Line]]:
    """Return what a missed morning said that is still worth saying today, restated as of today."""
    out: dict[int, dict[tuple, Line]] = {}
    for person_id, lines in old.items():
        for key, line in lines.items():
            moved = _restate(line, office, calendar, then, today)
            if moved is not None:
                out.setdefault(person_id, {})[key] = moved
    return out


def _restate(line: Line, office: OfficeData, calendar: WorkCalendar, then: date, today: date) -> Line | None:
    if line.reason == "compiled":
        return line
    if line.reason in ("collect", "collect_followup"):
        report = office.reports.get((line.item_id, line.occurrence_key))
        return None if report is not None and report.on >= then else line
    if line.reason == "event":
        return line if (line.starts or line.due) >= today else None
    anchor = calendar.next_working_day(line.due)
    if anchor < today:
        late = calendar.working_days_between(anchor, today) - 1
        return replace(line, reason="escalation" if line.reason == "escalation" else "overdue", days=late)
    if anchor == today:
        return replace(line, reason="due", days=0)
    return replace(line, days=calendar.working_days_between(today, anchor) - 1)
