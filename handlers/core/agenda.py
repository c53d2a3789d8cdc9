"""Every dated occurrence of a plan's items, with the latest report on each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from schedules import status
from schedules.calendar import WorkCalendar
from schedules.occurrences import Occurrence, expand
from schedules.phrases import Schedule
from schedules.status import OccurrenceStatus, Said, Standing, status_of
from storage import queries
from storage.models import Item, ProgressReport, Status


@dataclass(frozen=True)
class Due:
    """One occurrence of one item, and what was last reported on it."""

    item: Item
    occ: Occurrence
    report: ProgressReport | None
    before_tracking: bool = False
    standing: Standing | None = None

    def state(self, today: date, calendar: WorkCalendar) -> OccurrenceStatus:
        """Return the occurrence's one state on `today` (schedules.status)."""
        return status_of(self.occ, self.standing, today, self.item.plan.tracking_from, calendar)

    @property
    def status(self) -> Status:
        return self.report.status if self.report else Status.not_started

    @property
    def done(self) -> bool:
        """Say whether the reports amount to 完成 (schedules.status: an undone 完成 is not done)."""
        return self.standing is not None and self.standing.said is Said.done

    def is_overdue(self, today: date) -> bool:
        return not self.before_tracking and not self.done and self.occ.due < today

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
    light: bool = False,
) -> list[Due]:
    """Return the items' occurrences due in [start, end] (all when open), sorted by due, section, number.

    An occurrence due before its plan's tracking start that nobody reported is marked `before_tracking`.
    `light` leaves `Due.report` empty (the year table and the exports read the state and its last words).
    """
    ids = [i.id for i in items]
    if light:
        # States and the last report's words only (status.OccurrenceStatus.note, .by): no report objects.
        reports: dict = {}
        stood = status.standings(queries.report_history(session, ids))
    else:
        history = queries.reports_of_items(session, ids)
        reports = {(r.item_id, r.occurrence_key): r for r in history}  # oldest first: the newest stays
        stood = status.standings((r.item_id, r.occurrence_key, r.status, r.percent, r.reported_at, r.via, r.note,
                                  r.staff_id) for r in history)
    out: list[Due] = []
    for item in items:
        tracking = item.plan.tracking_from
        for occ in item_occurrences(item, year, calendar):
            if (start and occ.due < start) or (end and occ.due > end):
                continue
            report = effective(reports.get((item.id, occ.key)))
            said = stood.get((item.id, occ.key))
            untracked = tracking is not None and occ.due < tracking and said is None
            out.append(Due(item, occ, report, untracked, said))
    out.sort(key=lambda d: (d.occ.due, d.item.section_id, number_key(d.item.number), d.occ.key))
    return out


def before_tracking(dues: list[Due]) -> int:
    """Return how many of the occurrences are before tracking (said in one line under lists and summaries)."""
    return sum(1 for d in dues if d.before_tracking)


def tracking_start(dues: list[Due]) -> date | None:
    """Return the tracking start of the plan the occurrences belong to (None when it tracks the whole year)."""
    return next((d.item.plan.tracking_from for d in dues), None)
# A report written by 撤銷 when nothing had been reported before: the occurrence reads as never reported.
UNDONE_TO_NOTHING = status.TAKEN_BACK
UNDO = status.UNDO


def effective(report: ProgressReport | None) -> ProgressReport | None:
    """Return the report as it counts: an undo back to nothing counts as no report at all."""
    return None if report is not None and report.via == UNDONE_TO_NOTHING else report


def latest_report(session: Session, item_id: int, key: str) -> ProgressReport | None:
    """Return the newest report on one occurrence as it counts (see `effective`)."""
    return effective(queries.latest_reports(session, [item_id]).get((item_id, key)))


def seen_report(session: Session, item_id: int, key: str) -> int:
    """Return the id of the newest report on the occurrence (0 for none), carried by report buttons as `v`.

    A button whose `v` is no longer the newest report was made before someone reported: it asks first.
    """
    latest = latest_report(session, item_id, key)
    return latest.id if latest is not None else 0


def number_key(number: str) -> tuple:
    """Sort 編號 like people do: 2 before 10, 6-1 before 6-2."""
    parts = []
    for piece in number.replace("－", "-").split("-"):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)


def current_occurrence(item: Item, year: int, calendar: WorkCalendar, today: date) -> Occurrence | None:
    """Return the occurrence whose window contains today, else the next one due, else the last one.

    This is the rule staff are told (回報 without a month); a missed deadline is named explicitly
    (回報 11 4月 完成), and the reply points at the latest one still open.
    """
    occs = item_occurrences(item, year, calendar)
    if not occs:
        return None
    containing = [o for o in occs if (o.starts or o.due) <= today <= o.due]
    if containing:
        return min(containing, key=lambda o: o.due)
    upcoming = [o for o in occs if o.due >= today]
    return upcoming[0] if upcoming else occs[-1]


def open_occurrence(dues: list[Due], today: date) -> Due | None:
    """Return the occurrence a report without a month is for: never one already done.

    The one whose window holds today, else the next one due, else the latest overdue one; None when every
    occurrence is done (a report then asks before recording again). `dues` are one item's, sorted by due date.
    """
    undone = [d for d in dues if not d.done]
    containing = [d for d in undone if d.is_active(today)]
    if containing:
        return min(containing, key=lambda d: d.occ.due)
    upcoming = [d for d in undone if d.occ.due >= today]
    if upcoming:
        return upcoming[0]
    return undone[-1] if undone else None
