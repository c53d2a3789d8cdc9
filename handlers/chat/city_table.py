"""The city's table of offices: each office's month as its own 摘要 counts it, its light, and nothing else of it.

It lives beside the 摘要 (handlers.chat.summaries) because its figures are that card's, counted by the one status
model (`summarize` → `schedules.status.count`), and the lights are the 管考's (`month_review`, `schedules.lights.worst`).
Nothing here names an item, a person or a reason: the city sees figures, and each office's report to file upward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.chat.summaries import period_of, summarize
from handlers.documents.review import MonthReview, month_review
from schedules.lights import Light, Thresholds, worst
from schedules.plan_inputs import calendar_of
from schedules.status import Counts
from storage import queries
from storage.models import Office, Plan


@dataclass(frozen=True)
class OfficeRow:
    """One office's month: None counts when it has no plan for the year."""

    office: Office
    plan: Plan | None
    counts: Counts | None = None
    light: Light | None = None
    limits: Thresholds = Thresholds()


@dataclass(frozen=True)
class CityTable:
    year: int
    month: int
    today: date
    rows: list[OfficeRow]


def months_open(today: date) -> list[int]:
    """Return the months the city may pick: this year's, up to this one."""
    return list(range(1, today.month + 1))


def offices(session: Session) -> list[Office]:
    """Return every office, in the order they were added (as `planbot` lists them)."""
    return list(session.scalars(select(Office).order_by(Office.id)))


def office_plan(session: Session, office_id: int, year: int) -> Plan | None:
    """Return the office's plan of the year (an older one would count another year's months as this one's)."""
    return queries.plan_for(session, office_id, year)


def office_review(session: Session, plan: Plan, month: int, today: date) -> MonthReview:
    """Return the office's review of the month as seen today, the one its console's 管考 page shows."""
    calendar = calendar_of(session, plan.office_id)  # the city's session sees every office: name whose calendar
    return month_review(session, plan, month, today, calendar)


def office_row(session: Session, office: Office, month: int, today: date) -> OfficeRow:
    """Count one office's month as `planbot summary --office … --month … --json` does, and take its worst section's light."""
    plan = office_plan(session, office.id, today.year)
    if plan is None:
        return OfficeRow(office, None)
    calendar = calendar_of(session, office.id)
    start, end = period_of(plan.year, month, today)
    counts = summarize(session, plan, None, start, end, today, calendar).counts
    found = month_review(session, plan, month, today, calendar)
    return OfficeRow(office, plan, counts, worst(s.light for s in found.sections), found.limits)


def city_table(session: Session, month: int, today: date) -> CityTable:
    """Return every office's row for `month` of this year, counted to `today`."""
    return CityTable(today.year, month, today, [office_row(session, o, month, today) for o in offices(session)])
