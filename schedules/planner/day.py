"""One morning's normal plan: what each person hears that day, with the lines of missed mornings folded in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from schedules.planner.coverage import cover
from schedules.planner.inputs import OfficeData
from schedules.planner.lines import fold
from schedules.planner.notices import carried, notices
from schedules.planner.routing import PlannedDelivery, route

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar


def plan_morning(
    offices: Iterable[OfficeData],
    calendar: WorkCalendar,
    moment: datetime,
    missed: Sequence[date] = (),
) -> list[PlannedDelivery]:
    """Return the digests of the morning of `moment`; lines of `missed` mornings still relevant are folded in."""
    today = moment.date()
    if not calendar.is_working_day(today):
        return []
    out: list[PlannedDelivery] = []
    for office in offices:
        notes = notices(office, calendar, today)
        for day in sorted(set(missed)):
            if day < today and calendar.is_working_day(day):
                fold(notes, carried(notices(office, calendar, day), office, calendar, day, today))
        out.extend(route(office, cover(office, notes, calendar, today), today))
    out.sort(key=lambda p: (p.office_id, p.via, p.to))
    return out
