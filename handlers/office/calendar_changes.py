"""The console's 行事曆: the year's closures and extra workdays, and which due dates a new one would move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from handlers.core import access
from handlers.core.agenda import item_occurrences, number_key
from handlers.core.request import Asker
from handlers.texts import leave as L
from schedules.calendar import WorkCalendar
from schedules.dates import format_date, roc_year
from storage import queries
from storage.models import CalendarOverride, OverrideKind


@dataclass(frozen=True)
class Moved:
    """One occurrence whose due date the change would move."""

    section: str
    number: str
    title: str
    label: str
    before: date
    after: date

    @property
    def after_text(self) -> str:
        """Return the new date as people read it, saying so when it left the plan year."""
        return moved_day(self.before, self.after)


def moved_day(before: date, after: date) -> str:
    """Return 6/3（一）, or 114/1/2（四）（跨入114年） when the move leaves the year the date was in."""
    if after.year == before.year:
        return format_date(after)
    return L.MOVED_NEXT_YEAR.format(roc=roc_year(after.year), day=format_date(after))


def leaving_year(moves: list[tuple[date, date]]) -> str:
    """Return the line that says how many dates a closure moves out of their year ("" when none)."""
    out = [after for before, after in moves if after.year != before.year]
    return L.MOVED_OUT_OF_YEAR.format(count=len(out), roc=roc_year(out[0].year)) if out else ""


def may_change(who: Asker) -> bool:
    """Say whether the person may change the office calendar (the coordinator and the director)."""
    return access.sees_every_section(who)


def overrides(session: Session, office_id: int, year: int) -> list[CalendarOverride]:
    """Return the office's closures and extra workdays of the year by date."""
    return queries.list_overrides(session, office_id, year)


def with_change(calendar: WorkCalendar, day: date, kind: OverrideKind) -> WorkCalendar:
    """Return the calendar as it would be with the day closed (or made a workday), replacing any earlier override."""
    closures, workdays = set(calendar.closures) - {day}, set(calendar.workdays) - {day}
    (closures if kind is OverrideKind.closure else workdays).add(day)
    return WorkCalendar(closures=closures, workdays=workdays)


def moved_by(session: Session, who: Asker, calendar: WorkCalendar, day: date, kind: OverrideKind) -> list[Moved]:
    """Return every due date of the person's office plan for that year that the change would move."""
    plan = queries.plan_for(session, who.staff.office_id, day.year) if who.staff else None
    if plan is None:
        return []
    changed = with_change(calendar, day, kind)
    out = []
    for item in queries.items_of_plan(session, plan.id):
        before = {o.key: o for o in item_occurrences(item, plan.year, calendar)}
        for occ in item_occurrences(item, plan.year, changed):
            old = before.get(occ.key)
            if old is not None and old.due != occ.due:
                out.append(Moved(item.section.name, item.number, item.title, occ.label or occ.key, old.due, occ.due))
    return sorted(out, key=lambda m: (m.before, m.section, number_key(m.number)))


def first_past(days: list[date], today: date) -> date | None:
    """Return the first of the days before today, if any.

    A past day is never closed or opened: it would move due dates already passed (an overdue one would turn
    on time) and tell owners about them.
    """
    return next((d for d in sorted(days) if d < today), None)


def change(session: Session, who: Asker, day: date, kind: OverrideKind, reason: str, now: datetime) -> CalendarOverride:
    """Record the closure or extra workday (as `planbot calendar` does), with its audit entry."""
    row = queries.set_override(session, who.staff.office_id, day, kind, reason)
    queries.audit(session, now, who.actor, f"calendar.{kind.value}", day=day.isoformat(), reason=reason)
    return row
