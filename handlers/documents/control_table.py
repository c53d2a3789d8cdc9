"""The console's 年度管制表: the year as the office lays it out, each scheduled month coloured by its state.

Plain functions of (session, who, calendar, today): the web pages render what these return, and tests
call them directly. Who sees what is decided here (handlers.core.access), never by the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from handlers.core import access
from handlers.core.agenda import Due, agenda, item_occurrences, number_key
from handlers.core.leave import leave_notes, with_note
from handlers.core.request import Asker
from handlers.documents import reminder_log
from handlers.documents.status_words import LEGEND as LEGEND_ORDER
from handlers.documents.status_words import WORST_FIRST, Shown, mark, month_state, months_of, status_lines
from handlers.texts import readings as R
from schedules.calendar import WorkCalendar
from schedules.phrases import Schedule
from schedules.status import State, count
from storage import queries
from storage.models import Item, Plan, ProgressReport, Role, Section, Staff

STATES = tuple(s.value for s in WORST_FIRST)
LEGEND = tuple(s.value for s in LEGEND_ORDER)
MONTHS = tuple(range(1, 13))


@dataclass
class Cell:
    """One month of one item: its state (None when nothing is scheduled) and the occurrences in it."""

    month: int
    state: str | None = None
    keys: list[str] = field(default_factory=list)
    marked: bool = False  # the plan marks the month but the schedule was not understood

    mark: str = ""  # the state's symbol (✓, ✓!, ×, ○, －), so the cell reads without its colour


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


@dataclass(frozen=True)
class NoItems:
    """Why a person's table has no item at all (before any filter): whose items are missing, and whom to ask."""

    whose: str  # "section" (a chief's), "own" (a staff member's) or "office"
    section: str = ""
    coordinators: tuple[str, ...] = ()


@dataclass
class ControlTable:
    """The year's table as one person may see it, with what the filters may offer."""

    year: int
    sections: list[SectionTable]
    section_choices: list[Section]
    owner_choices: list[Staff]
    counts: dict[str, int]
    no_items: NoItems | None = None  # set when the plan has nothing this person may see, whatever the filters


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
    """Return the plan's own tracking start (set at its first import or by --tracking-from; a re-import keeps it)."""
    return plan.tracking_from


def control_table(session: Session, who: Asker, calendar: WorkCalendar, today: date, filters: Filters = Filters()) -> ControlTable | None:
    """Return the person's year table for this year's plan (None when no plan is imported), filtered."""
    plan = queries.latest_plan(session, who.staff.office_id, today.year) if who.staff else None
    if plan is None:
        return None
    items = visible_items(session, who, plan)
    no_items = _no_items(session, who, plan) if not items else None
    section_choices = sorted({i.section.id: i.section for i in items}.values(), key=lambda s: s.id)
    owner_choices = sorted({o.id: o for i in items for o in i.owners}.values(), key=lambda s: (s.section_id or 0, s.id))
    if filters.section_id is not None:
        items = [i for i in items if i.section_id == filters.section_id]
    if filters.owner_id is not None:
        items = [i for i in items if any(o.id == filters.owner_id for o in i.owners)]
    shown: dict[int, list[Shown]] = {}
    for d in agenda(session, items, plan.year, calendar, light=True):
        shown.setdefault(d.item.id, []).append(Shown(d, d.state(today, calendar)))
    names = {s.id: s.name for s in queries.staff_of_office(session, plan.office_id)}
    tally = count(s.status for own in shown.values() for s in own)
    counts = {state: getattr(tally, state) for state in LEGEND}
    rows_by_section: dict[int, list[Row]] = {}
    notes = leave_notes(session, plan.office_id, today)
    for item in sorted(items, key=lambda i: (i.section_id, i.position, number_key(i.number))):
        row = _row(item, shown.get(item.id, []), plan.year, names)
        if notes:  # 請假中，由 X 代理 beside an owner on leave
            row.owners = [with_note(o, notes) for o in item.owners]
        if filters.state and filters.state not in row.states:
            continue
        rows_by_section.setdefault(item.section_id, []).append(row)
    names = {s.id: s.name for s in section_choices}
    sections = [SectionTable(sid, names[sid], rows) for sid, rows in sorted(rows_by_section.items())]
    return ControlTable(plan.year, sections, section_choices, owner_choices, counts, no_items)


def _no_items(session: Session, who: Asker, plan: Plan) -> NoItems:
    """Whose items a person with an empty table is missing (a chief: the section's), and the coordinators to ask."""
    ask = tuple(s.name for s in queries.coordinators(session, plan.office_id))
    if access.sees_every_section(who):
        return NoItems("office")
    section = who.staff.section if who.staff is not None else None
    if who.role is Role.chief and section is not None:
        return NoItems("section", section.name, ask)
    return NoItems("own", "", ask)


def _row(item: Item, shown: list[Shown], year: int, names: dict[int, str]) -> Row:
    cells = [Cell(m) for m in MONTHS]
    by_month: dict[int, list[State]] = {}
    for s in shown:
        for month in months_of(s.due.occ, year):
            cells[month - 1].keys.append(s.due.occ.key)
            by_month.setdefault(month, []).append(s.status.state)
    for month, states in by_month.items():
        worst = month_state(states)
        cells[month - 1].state, cells[month - 1].mark = worst.value, mark(worst)
    if not shown:
        for month in item.months or []:
            if 1 <= int(month) <= 12:
                cells[int(month) - 1].marked = True
    owners = [o.name for o in item.owners]
    inactive = [o.name for o in item.owners if not o.active]
    schedule = Schedule.from_json(item.schedule) if item.schedule else None
    reading = R.reading(schedule) if schedule else ""
    return Row(
        item.id, item.number, item.title, owners, item.schedule_text, reading, item.schedule_problem,
        "\n".join(status_lines(shown, names)), cells, inactive,
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
    dues = [d for d in agenda(session, [item], item.plan.year, calendar) if month in months_of(d.occ, item.plan.year)]
    history = _reports(session, item.id, [d.occ.key for d in dues])
    views = [
        OccurrenceView(
            d, d.state(today, calendar).state.value, history.get(d.occ.key, []),
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
