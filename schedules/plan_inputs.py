"""Read what the planner needs from the database into its plain input data (the planner never sees a session)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.occurrences import expand
from schedules.phrases import Schedule
from schedules.planner import (
    Absence,
    CoverReport,
    OfficeData,
    Person,
    PlanItem,
    Report,
    SectionInfo,
    policy_for,
)
from schedules.status import standings
from storage import leave, queries, scope
from storage.models import Delivery, Item, Office, Staff
from storage.outbox import Kind, of_kind

log = logging.getLogger(__name__)


def calendar_of(session: Session, office_id: int | None = None) -> WorkCalendar:
    """Return an office's working-day calendar with its closures and extra workdays (the one place it is built).

    Without an office: the office the session is scoped to, else the database's only office. A session that sees
    several offices must say which (a typhoon closes one county, not the others).
    """
    if office_id is None:
        office_id = scope.office_of(session)
    if office_id is None:
        ids = session.scalars(select(Office.id).order_by(Office.id).limit(2)).all()
        if len(ids) > 1:
            raise ValueError("several offices: say whose calendar")
        office_id = ids[0] if ids else None
    closures, workdays = queries.calendar_overrides(session, office_id)
    return WorkCalendar(closures=closures, workdays=workdays)


def office_inputs(session: Session, calendar: WorkCalendar, today: date, office_id: int | None = None) -> list[OfficeData]:
    """Return the planner's view of every office (or one), with the plans of last, this and next year."""
    stmt = select(Office).order_by(Office.id)
    if office_id is not None:
        stmt = stmt.where(Office.id == office_id)
    return [_office(session, office, calendar, today) for office in session.scalars(stmt)]


def _office(session: Session, office: Office, calendar: WorkCalendar, today: date) -> OfficeData:
    sections = tuple(SectionInfo(s.id, s.name, s.line_group_id) for s in queries.sections_of(session, office.id))
    staff = [s for s in queries.staff_of_office(session, office.id) if s.active]
    deputies = leave.deputy_ids(session, [s.id for s in staff])
    people = tuple(_person(s, deputies.get(s.id, ())) for s in staff)
    items: list[PlanItem] = []
    # Last year's plan still has overdue items and December's round; next year's has early notices.
    for year in (today.year - 1, today.year, today.year + 1):
        plan = queries.plan_for(session, office.id, year)
        if plan is not None:
            items.extend(_item(i, year, calendar) for i in queries.items_of_plan(session, plan.id))
    # What the reports amount to (schedules.status): a report taken back with 撤銷 counts as none.
    stood = standings(queries.report_history(session, [i.id for i in items]))
    reports = {key: Report(st.said.value, st.last_day, st.percent, st.done_on) for key, st in stood.items()}
    absences, covered = _leaves(session, office.id, people, today)
    return OfficeData(
        office.id, office.name, sections, people, tuple(items), reports, policy_for(office.settings),
        absences, covered, _served(session, today) if absences else frozenset(),
    )


# Leaves ending this long ago still matter: the return digest can come after a long holiday.
LEAVE_LOOKBACK = timedelta(days=31)


def _leaves(session: Session, office_id: int, people, today: date) -> tuple[tuple[Absence, ...], tuple[CoverReport, ...]]:
    rows = leave.leaves_of_office(session, office_id, today - LEAVE_LOOKBACK, today)
    absences = tuple(Absence(r.staff_id, r.starts, r.ends) for r in rows)
    if not absences:
        return (), ()
    since = min(a.starts for a in absences)
    names = {p.id: p.name for p in people}
    start = datetime(since.year, since.month, since.day, tzinfo=TAIPEI)
    covered = tuple(
        CoverReport(c.owner_id, names.get(r.staff_id, ""), r.item_id, r.occurrence_key, r.status.value,
                    r.reported_at.astimezone(TAIPEI).date())
        for c, r in leave.covered_reports(session, [a.staff_id for a in absences], start)
    )
    return absences, covered


def _served(session: Session, today: date) -> frozenset[int]:
    """Return who already has a digest written for the morning (a leave recorded since changes nothing for it)."""
    rows = session.scalars(
        select(Delivery.staff_id).where(Delivery.morning == today, Delivery.staff_id.is_not(None), of_kind(Kind.DIGEST))
    )
    return frozenset(rows)


def _person(staff: Staff, deputies: tuple[int, ...] = ()) -> Person:
    # A person who blocked the bot cannot be pushed to; the group (if any) tells them instead.
    reachable = staff.line_user_id if staff.following else None
    return Person(staff.id, staff.name, staff.section_id, staff.role.value, reachable, deputies)


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


def cover_inputs(session: Session, office_id: int, day: date) -> OfficeData:
    """Return the office's people, deputies and leaves around the day, without items (to ask who covers whom)."""
    office = session.get(Office, office_id)
    staff = [s for s in queries.staff_of_office(session, office_id) if s.active]
    deputies = leave.deputy_ids(session, [s.id for s in staff])
    people = tuple(_person(s, deputies.get(s.id, ())) for s in staff)
    rows = leave.leaves_of_office(session, office_id, day, day)
    absences = tuple(Absence(r.staff_id, r.starts, r.ends) for r in rows)
    return OfficeData(office_id, office.name if office else "", (), people, (), absences=absences)
