"""The console's 年度管制表: the year as the office lays it out, each scheduled month coloured by its state.

Plain functions of (session, who, calendar, today): the web pages render what these return, and tests
call them directly. Who sees what is decided here (handlers.access), never by the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from handlers import access, reminder_log
from handlers.agenda import Due, agenda, item_occurrences, number_key
from handlers.leave import leave_notes, with_note
from handlers.request import Asker
from handlers.texts import readings as R
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.occurrences import Occurrence, expand
from schedules.phrases import Schedule
from storage import queries
from storage.models import Item, Plan, ProgressReport, Section, Staff, Status

# The legend's order; a month holding several occurrences shows the first of these that any of them has.
STATES = ("overdue", "late", "in_progress", "not_due", "before_tracking", "done")
RANK = {state: rank for rank, state in enumerate(STATES)}
LEGEND = ("done", "in_progress", "late", "overdue", "not_due", "before_tracking")
MONTHS = tuple(range(1, 13))


def occurrence_state(due: Due, today: date, tracking_from: date | None) -> str:
    """Return done, in_progress, late (the owner said 延後), overdue, not_due or before_tracking."""
    return state_of(due.occ, due.report.status if due.report else None, today, tracking_from)


def state_of(occ: Occurrence, status: Status | None, today: date, tracking_from: date | None) -> str:
    """Return the state of an occurrence whose latest report has the status (None: never reported)."""
    if status is Status.done:
        return "done"
    if status is Status.delayed:
        return "late"
    if status is None and tracking_from is not None and occ.due < tracking_from:
        # Due before the plan was imported: nobody was asked, so it is not called overdue.
        return "before_tracking"
    if occ.due < today:
        return "overdue"
    if status is Status.in_progress:
        return "in_progress"
    return "not_due"


def months_of(occ: Occurrence, year: int) -> list[int]:
    """Return the months of the year an occurrence spans (a window from March to May fills three cells)."""
    first, last = occ.starts or occ.due, occ.due
    if last.year < year or first.year > year:
        return []
    start = first.month if first.year == year else 1
    end = last.month if last.year == year else 12
    return list(range(start, end + 1))


@dataclass
class Cell:
    """One month of one item: its state (None when nothing is scheduled) and the occurrences in it."""

    month: int
    state: str | None = None
    keys: list[str] = field(default_factory=list)
    marked: bool = False  # the plan marks the month but the schedule was not understood


@dataclass
class Row:
    """One item of the table."""

    item_id: int
    number: str
    title: str
    owners: list[str]
    schedule_text: str
    reading: str  # the schedule read back in plain words ("" when it was not understood)
    schedule_problem: str | None
    status_text: str
    cells: list[Cell]
    inactive_owners: list[str] = field(default_factory=list)  # deactivated colleagues still named on the item

    @property
    def no_active_owner(self) -> bool:
        """Say whether nobody active owns the item any more (nobody is reminded of it)."""
        return not self.owners or len(self.inactive_owners) == len(self.owners)

    @property
    def states(self) -> set[str]:
        return {c.state for c in self.cells if c.state}


@dataclass
class SectionTable:
    section_id: int
    name: str
    rows: list[Row]


@dataclass
class ControlTable:
    """The year's table as one person may see it, with what the filters may offer."""

    year: int
    sections: list[SectionTable]
    section_choices: list[Section]
    owner_choices: list[Staff]
    counts: dict[str, int]


@dataclass(frozen=True)
class Filters:
    section_id: int | None = None
    owner_id: int | None = None
    state: str | None = None


def visible_items(session: Session, who: Asker, plan: Plan) -> list[Item]:
    """Return the plan's items the person may see with their progress: all, their section's, or their own."""
    items = queries.items_of_plan(session, plan.id)
    return [i for i in items if access.sees_progress(who, i)]


def tracking_start(plan: Plan) -> date | None:
    """Return the day the plan started being tracked (its import), in Taipei."""
    if plan.imported_at is None:
        return None
    return plan.imported_at.astimezone(TAIPEI).date()


def control_table(session: Session, who: Asker, calendar: WorkCalendar, today: date, filters: Filters = Filters()) -> ControlTable | None:
    """Return the person's year table for this year's plan (None when no plan is imported), filtered."""
    plan = queries.latest_plan(session, who.staff.office_id, today.year) if who.staff else None
    if plan is None:
        return None
    items = visible_items(session, who, plan)
    section_choices = sorted({i.section.id: i.section for i in items}.values(), key=lambda s: s.id)
    owner_choices = sorted({o.id: o for i in items for o in i.owners}.values(), key=lambda s: (s.section_id or 0, s.id))
    if filters.section_id is not None:
        items = [i for i in items if i.section_id == filters.section_id]
    if filters.owner_id is not None:
        items = [i for i in items if any(o.id == filters.owner_id for o in i.owners)]
    tracking = tracking_start(plan)
    statuses = queries.latest_statuses(session, [i.id for i in items])
    rows_by_section: dict[int, list[Row]] = {}
    counts = dict.fromkeys(LEGEND, 0)
    notes = leave_notes(session, plan.office_id, today)
    for item in sorted(items, key=lambda i: (i.section_id, i.position, number_key(i.number))):
        row = _row(item, statuses, plan.year, calendar, today, tracking, counts)
        if notes:  # 請假中，由 X 代理 beside an owner on leave
            row.owners = [with_note(o, notes) for o in item.owners]
        if filters.state and filters.state not in row.states:
            continue
        rows_by_section.setdefault(item.section_id, []).append(row)
    names = {s.id: s.name for s in section_choices}
    sections = [SectionTable(sid, names[sid], rows) for sid, rows in sorted(rows_by_section.items())]
    return ControlTable(plan.year, sections, section_choices, owner_choices, counts)


def _row(
    item: Item, statuses: dict[tuple[int, str], Status], year: int, calendar: WorkCalendar, today: date,
    tracking: date | None, counts: dict[str, int],
) -> Row:
    cells = [Cell(m) for m in MONTHS]
    schedule = Schedule.from_json(item.schedule) if item.schedule else None
    occurrences = expand(schedule, year, calendar) if schedule else []
    for occ in occurrences:
        state = state_of(occ, statuses.get((item.id, occ.key)), today, tracking)
        counts[state] += 1
        for month in months_of(occ, year):
            cell = cells[month - 1]
            cell.keys.append(occ.key)
            if cell.state is None or RANK[state] < RANK[cell.state]:
                cell.state = state
    if not occurrences:
        for month in item.months or []:
            if 1 <= int(month) <= 12:
                cells[int(month) - 1].marked = True
    owners = [o.name for o in item.owners]
    inactive = [o.name for o in item.owners if not o.active]
    reading = R.reading(schedule) if schedule else ""
    return Row(
        item.id, item.number, item.title, owners, item.schedule_text, reading, item.schedule_problem, item.status_text, cells,
        inactive,
    )


@dataclass
class OccurrenceView:
    """One occurrence of an item as the console shows it: dates, state and every report on it."""

    due: Due
    state: str
    reports: list[ProgressReport]
    reminders: list[reminder_log.SentReminder] = field(default_factory=list)


@dataclass
class MonthView:
    """What clicking a cell shows: the item, its occurrences in that month, and whether the person may report."""

    item: Item
    month: int
    occurrences: list[OccurrenceView]
    may_report: bool


def month_view(session: Session, who: Asker, item_id: int, month: int, calendar: WorkCalendar, today: date) -> MonthView | None:
    """Return the item's occurrences in the month with their reports; None when the person may not see the item."""
    item = session.get(Item, item_id)
    if item is None or not access.sees_progress(who, item) or month not in MONTHS:
        return None
    tracking = tracking_start(item.plan)
    dues = [d for d in agenda(session, [item], item.plan.year, calendar) if month in months_of(d.occ, item.plan.year)]
    history = _reports(session, item.id, [d.occ.key for d in dues])
    views = [
        OccurrenceView(
            d, occurrence_state(d, today, tracking), history.get(d.occ.key, []),
            reminder_log.sent_for(session, item.id, d.occ.key, d.occ.starts or d.occ.due, d.occ.due),
        )
        for d in dues
    ]
    return MonthView(item, month, views, access.may_report(who, item))


def _reports(session: Session, item_id: int, keys: list[str]) -> dict[str, list[ProgressReport]]:
    rows = session.scalars(
        select(ProgressReport)
        .where(ProgressReport.item_id == item_id, ProgressReport.occurrence_key.in_(keys))
        .options(selectinload(ProgressReport.staff))
        .order_by(ProgressReport.reported_at.desc(), ProgressReport.id.desc())
    )
    out: dict[str, list[ProgressReport]] = {}
    for r in rows:
        out.setdefault(r.occurrence_key, []).append(r)
    return out


def occurrence_keys(item: Item, calendar: WorkCalendar) -> set[str]:
    """Return the keys a report on the item may name."""
    return {o.key for o in item_occurrences(item, item.plan.year, calendar)}
