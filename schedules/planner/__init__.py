"""Decide one morning's reminder digests from the plan: a pure function, no database and no clock.

Input is plain data (`OfficeData`: people, sections, items with their expanded occurrences, the
latest report per occurrence, the office's policy), the working-day calendar and the moment; output
is one `PlannedDelivery` per recipient: a person's own digest, or one digest per section group for
members who have not linked LINE.

The public names live here; the work is in `office_data` (the input), `notice_rules`,
`monthly_round`, `missed_mornings`, `digest_lines` and `delivery_routing` (the output).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from schedules.delivery_routing import PlannedDelivery, _route
from schedules.digest_lines import RANK, URGENCY, Line, _fold
from schedules.missed_mornings import _carried
from schedules.monthly_round import round_lines
from schedules.notice_rules import notices
from schedules.office_data import DONE, OfficeData, Person, PlanItem, Report, SectionInfo

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar

__all__ = [
    "DONE",
    "RANK",
    "URGENCY",
    "Line",
    "OfficeData",
    "Person",
    "PlanItem",
    "PlannedDelivery",
    "Report",
    "SectionInfo",
    "notices",
    "plan_morning",
    "round_lines",
]


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
                _fold(notes, _carried(notices(office, calendar, day), office, calendar, day, today))
        out.extend(_route(office, notes, today))
    out.sort(key=lambda p: (p.office_id, p.via, p.to))
    return out
