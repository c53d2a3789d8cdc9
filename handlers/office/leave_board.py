"""The console's 請假與代理 page: who is away, who covers them, and the gaps (both deputies away too).

A gap is a working day on which a person is on leave and none of their deputies can cover (all away): their
reminders then go to the chief or the coordinator, which a coordinator wants to see coming.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from handlers.core.leave import span_text, who_covers
from schedules.calendar import WorkCalendar
from schedules.dates import format_date
from storage import leave
from storage.models import Staff

WINDOW = timedelta(days=30)  # the leave shown: running today or starting within a month
FIRST_CHIEF = 2  # Cover.how from which no deputy covers (2 the chief, 3 the coordinator)


@dataclass(frozen=True)
class Away:
    """One leave: whose, when, who covers its first day here, and the days no deputy can cover."""

    leave_id: int
    name: str
    section: str
    span: str
    deputy: str
    how: int
    gaps: tuple[date, ...]

    @property
    def gap_text(self) -> str:
        """Return the gap days as people write them (4/11（四）、4/12（五）)."""
        return "、".join(format_date(d) for d in self.gaps)


def board(session: Session, office_id: int, today: date, calendar: WorkCalendar) -> list[Away]:
    """Return the office's leave running today or starting within the window, by start."""
    out = []
    for row in leave.leaves_of_office(session, office_id, today, today + WINDOW):
        first = max(row.starts, today)
        cover = who_covers(session, row.staff, first)
        out.append(Away(row.id, row.staff.name, row.staff.section.name if row.staff.section else "",
                        span_text(row.starts, row.ends), cover.deputy.name if cover.deputy else "", cover.how,
                        _gaps(session, row.staff, first, min(row.ends, today + WINDOW), calendar)))
    return out


def _gaps(session: Session, staff: Staff, first: date, last: date, calendar: WorkCalendar) -> tuple[date, ...]:
    if not any(leave.deputies_of(session, staff.id)):
        return ()  # no deputies set: the chief covers by design, which the roster shows
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return tuple(d for d in days if calendar.is_working_day(d) and who_covers(session, staff, d).how >= FIRST_CHIEF)
