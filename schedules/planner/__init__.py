"""Decide one morning's reminder digests from the plan: a pure function, no database and no clock.

Input is plain data (`OfficeData`: people, sections, items with their expanded occurrences, the
latest report per occurrence, the office's policy), the working-day calendar and the moment; output
is one `PlannedDelivery` per recipient: a person's own digest, or one digest per section group for
members who have not linked LINE.

The public names live here. The package reads in this order: `inputs` (the plain input) and `policy`
(who hears what, when), `lines` (one line of a digest and the urgency order), `notices` (what each person
hears on a day, the monthly round, missed mornings), `routing` (the output: one delivery per recipient), `day`
(`plan_morning`: one morning's normal plan) and `budget` (when the month's LINE quota is short: weekly
digests, the most urgent pushes, the rest held).
"""

from __future__ import annotations

from schedules.planner.budget import (
    BUDGET,
    MonthForecast,
    MonthState,
    Morning,
    Planner,
    PushMode,
    Sharer,
    budget_morning,
    forecast,
    push_cost,
)
from schedules.planner.day import plan_morning
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
from schedules.planner.lines import RANK, URGENCY, Line, Reason
from schedules.planner.notices import COMPILED_KEYS, notices, round_lines
from schedules.planner.policy import DEFAULT_POLICY, ReminderPolicy, policy_for
from schedules.planner.routing import PlannedDelivery, Reach

__all__ = [
    "BUDGET",
    "COMPILED_KEYS",
    "DEFAULT_POLICY",
    "Absence",
    "CoverReport",
    "DONE",
    "RANK",
    "Reason",
    "URGENCY",
    "Line",
    "MonthForecast",
    "MonthState",
    "Morning",
    "OfficeData",
    "Person",
    "PlanItem",
    "Planner",
    "PushMode",
    "PlannedDelivery",
    "Reach",
    "ReminderPolicy",
    "Report",
    "SectionInfo",
    "Sharer",
    "budget_morning",
    "forecast",
    "notices",
    "plan_morning",
    "policy_for",
    "push_cost",
    "round_lines",
]
