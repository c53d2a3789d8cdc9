"""The console's 提醒 page: the reminders the clock will send in the next 30 days, and what it sent.

The outlook runs the clock's own planner (schedules.plan_inputs → schedules.planner.plan_morning) on each
coming working morning, with today's reports; the log reads the deliveries table (the reminder outbox).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.core import access
from handlers.core.request import Asker
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.plan_inputs import office_inputs
from schedules.planner import Line, plan_morning
from storage.models import Delivery, Role, Staff

OUTLOOK_DAYS = 30
MORNING = time(8, 30)
LOG_LIMIT = 200
EXPIRED_PREFIX = "expired"


@dataclass(frozen=True)
class PlannedLine:
    """One line of a planned digest: the item, the occurrence's due day, and why it is said."""

    section: str
    number: str
    title: str
    label: str
    reason: str
    due: date


@dataclass(frozen=True)
class PlannedDigest:
    """One person's (or one section group's) digest on one morning."""

    to: str
    via: str  # user, group, or none (not linked and no group: nobody can be told)
    lines: list[PlannedLine]


@dataclass(frozen=True)
class Morning:
    day: date
    digests: list[PlannedDigest]


@dataclass(frozen=True)
class LogRow:
    """One delivery of the outbox: its state (sent, retrying, waiting, failed, expired) and LINE's last answer."""

    morning: date
    to: str
    reasons: str
    state: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    answer: str


def may_see(who: Asker) -> bool:
    """Say whether the person may see the page: the coordinator and the director (everyone), a chief (their section)."""
    return access.sees_every_section(who) or (who.role is Role.chief and who.staff.section_id is not None)


def section_of(who: Asker) -> int | None:
    """Return the section the person's view is limited to (None: the whole office)."""
    return None if access.sees_every_section(who) else who.staff.section_id


def outlook(
    session: Session, office_id: int, calendar: WorkCalendar, now: datetime, days: int = OUTLOOK_DAYS,
    section_id: int | None = None,
) -> list[Morning]:
    """Return each working morning of the next `days` days (from tomorrow, or today before 08:30) with its digests,
    only those to the section's people (or its group) when `section_id` is given."""
    today = now.astimezone(TAIPEI).date()
    offices = office_inputs(session, calendar, today, office_id)
    start = today if now.astimezone(TAIPEI).time() < MORNING else today + timedelta(days=1)
    out: list[Morning] = []
    for n in range(days):
        day = start + timedelta(days=n)
        if not calendar.is_working_day(day):
            continue
        planned = plan_morning(offices, calendar, datetime.combine(day, MORNING, tzinfo=TAIPEI))
        if section_id is not None:
            planned = [p for p in planned if p.section_id == section_id]
        digests = [PlannedDigest(p.to, p.via, [_line(ln) for ln in p.lines]) for p in planned]
        if digests:
            out.append(Morning(day, sorted(digests, key=lambda d: d.to)))
    return out


def _line(line: Line) -> PlannedLine:
    return PlannedLine(line.section, line.number, line.title, line.label, line.reason, line.due)


def state_of(row: Delivery) -> str:
    """Return sent, expired (never sent in time), failed (LINE refused it), retrying or waiting."""
    if row.sent_at is not None:
        return "sent"
    if row.failed_at is not None:
        return "expired" if (row.last_error or "").startswith(EXPIRED_PREFIX) else "failed"
    return "retrying" if row.attempts else "waiting"


def _of_office(row: Delivery, office_id: int) -> bool:
    owner = (row.payload or {}).get("office_id")
    return owner is None or owner == office_id


def delivery_log(session: Session, office_id: int, limit: int = LOG_LIMIT, section_id: int | None = None) -> list[LogRow]:
    """Return the office's latest deliveries (to the section's people when `section_id` is given), newest first."""
    stmt = select(Delivery).order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit)
    if section_id is not None:
        stmt = stmt.join(Staff, Staff.id == Delivery.staff_id).where(Staff.section_id == section_id)
    rows = session.scalars(stmt)
    return [
        LogRow(r.morning, (r.payload or {}).get("to") or r.recipient, r.reasons, state_of(r), r.attempts, r.created_at,
               r.sent_at, r.last_error or "")
        for r in rows if _of_office(r, office_id)
    ]


def month_start(today: date) -> datetime:
    """Return the first moment of today's month in Taipei."""
    return datetime(today.year, today.month, 1, tzinfo=TAIPEI)


def pushes_this_month(session: Session, today: date, office_id: int | None = None, besides: Collection[int] = ()) -> int:
    """Count the pushes LINE took this month (Taipei), as the outbox recorded them.

    With `office_id`: that office's (its own LINE account's). With `besides`: every office's but those, the offices
    with an account of their own (the environment's account is shared by all the others).
    """
    stmt = select(func.count()).select_from(Delivery).where(Delivery.sent_at >= month_start(today))
    if office_id is not None:
        stmt = stmt.where(Delivery.office_id == office_id)
    if besides:
        stmt = stmt.where(Delivery.office_id.is_(None) | Delivery.office_id.not_in(sorted(besides)))
    return session.scalar(stmt) or 0


@dataclass(frozen=True)
class SentReminder:
    """A reminder that named one occurrence: the morning, to whom, why, and what became of it."""

    morning: date
    to: str
    reason: str
    state: str
    sent_at: datetime | None


def sent_for(session: Session, item_id: int, key: str, starts: date, due: date) -> list[SentReminder]:
    """Return the reminders that named the occurrence (mornings from 40 days before it to 60 days after)."""
    rows = session.scalars(
        select(Delivery)
        .where(Delivery.morning >= starts - timedelta(days=40), Delivery.morning <= due + timedelta(days=60))
        .order_by(Delivery.morning, Delivery.id)
    )
    out = []
    for row in rows:
        for line in (row.payload or {}).get("lines", []):
            if line.get("item_id") == item_id and line.get("occurrence") == key:
                out.append(SentReminder(row.morning, (row.payload or {}).get("to") or row.recipient, line.get("reason", ""),
                                        state_of(row), row.sent_at))
    return out
