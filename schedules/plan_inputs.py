"""Read what the planner needs from the database into its plain input data (the planner never sees a session)."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.occurrences import expand
from schedules.phrases import Schedule
from schedules.planner import OfficeData, Person, PlanItem, Report, SectionInfo, policy_for
from storage import queries
from storage.models import Item, Office, Staff

log = logging.getLogger(__name__)


def calendar_of(session: Session) -> WorkCalendar:
    """Return the working-day calendar with the administrators' closures and extra workdays (the one place it is built)."""
    closures, workdays = queries.calendar_overrides(session)
    return WorkCalendar(closures=closures, workdays=workdays)


def office_inputs(session: Session, calendar: WorkCalendar, today: date, office_id: int | None = None) -> list[OfficeData]:
    """Return the planner's view of every office (or one), with the plans of last, this and next year."""
    stmt = select(Office).order_by(Office.id)
    if office_id is not None:
        stmt = stmt.where(Office.id == office_id)
    return [_office(session, office, calendar, today) for office in session.scalars(stmt)]


def _office(session: Session, office: Office, calendar: WorkCalendar, today: date) -> OfficeData:
    sections = tuple(SectionInfo(s.id, s.name, s.line_group_id) for s in queries.sections_of(session, office.id))
    people = tuple(_person(s) for s in queries.staff_of_office(session, office.id) if s.active)
    items: list[PlanItem] = []
    # Last year's plan still has overdue items and December's round; next year's has early notices.
    for year in (today.year - 1, today.year, today.year + 1):
        plan = queries.plan_for(session, office.id, year)
        if plan is not None:
            items.extend(_item(i, year, calendar) for i in queries.items_of_plan(session, plan.id))
    latest = queries.latest_reports(session, [i.id for i in items])
    reports = {key: Report(r.status.value, r.reported_at.astimezone(TAIPEI).date()) for key, r in latest.items()}
    return OfficeData(office.id, office.name, sections, people, tuple(items), reports, policy_for(office.settings))


def _person(staff: Staff) -> Person:
    # A person who blocked the bot cannot be pushed to; the group (if any) tells them instead.
    reachable = staff.line_user_id if staff.following else None
    return Person(staff.id, staff.name, staff.section_id, staff.role.value, reachable)


def _item(item: Item, year: int, calendar: WorkCalendar) -> PlanItem:
    occurrences = ()
    if item.schedule:
        try:
            occurrences = tuple(expand(Schedule.from_json(item.schedule), year, calendar))
        except (ValueError, KeyError, TypeError) as exc:
            # One unreadable stored schedule must not stop everyone's reminders.
            log.warning("item %s (%s): stored schedule cannot be expanded: %s", item.id, item.number, exc)
    owners = tuple(o.id for o in item.owners)
    return PlanItem(
        item.id, item.number, item.title, item.section_id, owners, occurrences, item.lead_days, item.plan.tracking_from
    )
