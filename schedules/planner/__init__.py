"""Decide one morning's reminder digests from the plan: a pure function, no database and no clock.

Input is plain data (`OfficeData`: people, sections, items with their expanded occurrences, the
latest report per occurrence, the office's policy), the working-day calendar and the moment; output
is one `PlannedDelivery` per recipient: a person's own digest, or one digest per section group for
members who have not linked LINE.

The public names live here. The package reads in this order: `inputs` (the plain input) and `policy`
(who hears what, when), `lines` (one line of a digest and the urgency order), `notices` (what each person
hears on a day, the monthly round, missed mornings), `routing` (the output: one delivery per recipient) and
`budget` (when the month's LINE quota is short: weekly digests, the most urgent pushes, the rest held).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from schedules.planner.budget import (
    BUDGET,
    MonthForecast,
    MonthState,
    Morning,
    Planner,
    budget_morning,
    forecast,
    push_cost,
)
from schedules.planner.coverage import cover
from schedules.planner.inputs import (
    DONE,
    Absence,
    CoverReport,
    OfficeData,
    Person,
    PlanItem,
    Report,
    SectionInfo,
)
from schedules.planner.lines import RANK, URGENCY, Line, fold
from schedules.planner.notices import COMPILED_KEYS, carried, notices, round_lines
from schedules.planner.policy import DEFAULT_POLICY, ReminderPolicy, policy_for
from schedules.planner.routing import PlannedDelivery, route

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar

__all__ = [
    "BUDGET",
    "COMPILED_KEYS",
    "DEFAULT_POLICY",
    "Absence",
    "CoverReport",
    "DONE",
    "RANK",
    "URGENCY",
    "Line",
    "MonthForecast",
    "MonthState",
    "Morning",
    "OfficeData",
    "Person",
    "PlanItem",
    "Planner",
    "PlannedDelivery",
    "ReminderPolicy",
    "Report",
    "SectionInfo",
    "budget_morning",
    "forecast",
    "notices",
    "plan_morning",
    "policy_for",
    "push_cost",
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
                fold(notes, carried(notices(office, calendar, day), office, calendar, day, today))
        out.extend(route(office, cover(office, notes, calendar, today), today))
    out.sort(key=lambda p: (p.office_id, p.via, p.to))
    return out
