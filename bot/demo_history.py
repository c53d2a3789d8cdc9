"""The demo office's past: reports by the owners up to the day `make demo` runs, the same for the same day.

Most occurrences were done on time, some late; of the last weeks' a few are still open (overdue or in
progress), as in a real office. Nothing is reported before the plan's tracking start.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.core.agenda import Due, agenda
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from storage import queries
from storage.models import Plan, ProgressReport, Staff, Status, Via

# Occurrences due longer ago than this were all finished by now (late ones too): only recent ones stay open.
SETTLED_DAYS = 30
ON_TIME, LATE, LEFT_IN_PROGRESS = 0.8, 0.1, 0.04  # of recent past occurrences; the rest is never reported
CURRENT_IN_PROGRESS = 0.45  # of occurrences open today


@dataclass
class History:
    """What was written: reports per kind (for the demo's start-up line and the tests)."""

    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    skipped: bool = False

    @property
    def reports(self) -> int:
        return self.on_time + self.late + self.in_progress


def make_history(session: Session, plan: Plan, calendar: WorkCalendar, now: datetime) -> History:
    """Write the plan's report history up to `now` (seeded by the day); nothing when it has reports already."""
    history = History()
    items = queries.items_of_plan(session, plan.id)
    ids = [i.id for i in items]
    if not ids or session.scalar(select(func.count(ProgressReport.id)).where(ProgressReport.item_id.in_(ids))):
        history.skipped = True  # a second `make demo` on the same database keeps what people did since
        return history
    today = now.astimezone(TAIPEI).date()
    start = plan.tracking_from or date(plan.year, 1, 1)
    rng = random.Random(f"planbot-demo-{today.isoformat()}")
    for due in agenda(session, items, plan.year, calendar, end=None):
        opened = due.occ.starts or due.occ.due
        if opened > today or due.occ.due < start or not due.item.owners:
            continue
        roll = rng.random()
        write = _Writer(session, calendar, rng, now, due, rng.choice(due.item.owners), max(start, opened))
        if due.occ.due >= today:
            if roll < CURRENT_IN_PROGRESS:
                write(Status.in_progress, today - timedelta(days=rng.randint(0, 6)), rng.choice((20, 30, 50, 60, 80)))
                history.in_progress += 1
            continue
        settled = (today - due.occ.due).days > SETTLED_DAYS
        if roll < ON_TIME:
            write(Status.done, due.occ.due - timedelta(days=rng.randint(0, 4)))
            history.on_time += 1
        elif roll < ON_TIME + LATE or settled:
            write(Status.done, min(today, due.occ.due + timedelta(days=rng.randint(1, SETTLED_DAYS))))
            history.late += 1
        elif roll < ON_TIME + LATE + LEFT_IN_PROGRESS:
            write(Status.in_progress, due.occ.due - timedelta(days=rng.randint(0, 5)), rng.choice((40, 60, 80)))
            history.in_progress += 1
    session.flush()
    return history


@dataclass
class _Writer:
    """Writes one owner's report on one occurrence, on a working day between its opening and now."""

    session: Session
    calendar: WorkCalendar
    rng: random.Random
    now: datetime
    due: Due
    owner: Staff
    floor: date

    def __call__(self, status: Status, day: date, percent: int | None = None) -> None:
        when = _moment(self.calendar, max(day, self.floor), self.floor, self.rng)
        if when > self.now:
            when = self.now - timedelta(minutes=self.rng.randint(5, 90))
        self.session.add(ProgressReport(
            item_id=self.due.item.id, occurrence_key=self.due.occ.key, status=status, percent=percent, note="",
            staff_id=self.owner.id, reported_at=when, via=Via.line.value,
        ))


def _moment(calendar: WorkCalendar, day: date, floor: date, rng: random.Random) -> datetime:
    """Return a working-hours moment on the day, moved back to a working day (people report at work), not before floor."""
    if not calendar.is_working_day(day) and calendar.is_known_year(day.year):
        day = max(calendar.previous_working_day(day), floor)
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), TAIPEI)
