"""Every dated occurrence of a plan's items, with the latest report on each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from schedules.calendar import WorkCalendar
from schedules.occurrences import Occurrence, expand
from schedules.phrases import Schedule
from storage import queries
from storage.models import Item, ProgressReport, Status

KIND_ORDER = {"deadline": 0, "window": 1, "period": 2, "event": 3}


@dataclass(frozen=True)
class Due:
    """One occurrence of one item, and what was last reported on it."""

    item: Item
    occ: Occurrence
    report: ProgressReport | None

    @property
    def status(self) -> Status:
        return self.report.status if self.report else Status.not_started

    @property
    def done(self) -> bool:
        return self.status is Status.done

    def is_overdue(self, today: date) -> bool:
        return not self.done and self.occ.due < today

    def is_active(self, day: date) -> bool:
        start = self.occ.starts or self.occ.due
        return start <= day <= self.occ.due


def item_occurrences(item: Item, year: int, calendar: WorkCalendar) -> list[Occurrence]:
    """Expand an item's stored schedule into its dated occurrences (none when it was not understood)."""
    if not item.schedule:
        return []
    return expand(Schedule.from_json(item.schedule), year, calendar)


def agenda(
    session: Session,
    items: list[Item],
    year: int,
    calendar: WorkCalendar,
    start: date | None = None,
    end: date | None = None,
) -> list[Due]:
    """Return the items' occurrences due in [start, end] (all when open), sorted by due, section, number."""
    reports = queries.latest_reports(session, [i.id for i in items])
    out: list[Due] = []
    for item in items:
        for occ in item_occurrences(item, year, calendar):
            if (start and occ.due < start) or (end and occ.due > end):
                continue
            out.append(Due(item, occ, reports.get((item.id, occ.key))))
    out.sort(key=lambda d: (d.occ.due, d.item.section_id, number_key(d.item.number), d.occ.key))
    return out


def number_key(number: str) -> tuple:
    """Sort 編號 like people do: 2 before 10, 6-1 before 6-2."""
    parts = []
    for piece in number.replace("－", "-").split("-"):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)


def current_occurrence(
    item: Item, year: int, calendar: WorkCalendar, today: date, done: frozenset[str] = frozenset()
) -> Occurrence | None:
    """Return the occurrence open today, else the nearer of the last one missed and the next one, else the last.

    `done` holds the keys already reported done: a deadline just missed (每月5日前 on the 10th) is what
    a late 回報 means, unless it was done or the next one is closer.
    """
    occs = item_occurrences(item, year, calendar)
    if not occs:
        return None
    containing = [o for o in occs if (o.starts or o.due) <= today <= o.due]
    if containing:
        return min(containing, key=lambda o: o.due)
    upcoming = [o for o in occs if o.due >= today]
    missed = [o for o in occs if o.due < today]
    if missed and missed[-1].key not in done:
        last = missed[-1]
        if not upcoming or (today - last.due) <= (upcoming[0].due - today):
            return last
    return upcoming[0] if upcoming else occs[-1]


def done_keys(session: Session, item: Item) -> frozenset[str]:
    """Return the keys of the item's occurrences whose latest report is 完成."""
    reports = queries.latest_reports(session, [item.id])
    return frozenset(key for (_item, key), r in reports.items() if r.status is Status.done)
