"""Import a plan (a control table or the tables of a plan document) into the database in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.office.imports import followups
from handlers.office.imports.layout import find_layout, office_from_title, section_from_title
from handlers.office.imports.rows import PlanRow, Problem, check_duplicates, check_lengths, read_plan_rows
from handlers.office.imports.sections import section_name, unmatched
from handlers.texts import imports as T
from handlers.texts.readings import problem_text
from schedules.clock import TAIPEI
from schedules.phrases import ScheduleError, parse_schedule
from storage import queries
from storage.models import Item, Office, Role, Section, Staff
from storage.sheets import SheetError, Table, read_tables

OFFICE_LIMIT = Office.__table__.c.name.type.length



class ImportFailed(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, report: ImportReport):
        super().__init__(report.summary())
        self.report = report


@dataclass(frozen=True)
class Reading:
    """How one row's schedule was read: `schedule` (JSON) when understood, else `problem`."""

    sheet: str
    row: int
    section: str
    number: str
    title: str
    phrase: str
    schedule: dict | None
    problem: str | None


@dataclass
class ImportReport:
    """What an import read, changed and found wrong."""

    path: str
    year: int
    office: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    staff_created: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    tracking_from: date | None = None
    readings: list[Reading] = field(default_factory=list)

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.fatal]

    def summary(self) -> str:
        """Return the report as lines of Traditional Chinese for the terminal."""
        return "\n".join(T.report_lines(self))


def import_plan(
    session: Session,
    path: str | Path,
    year: int,
    now: datetime,
    office_name: str | None = None,
    actor: str = "cli",
    dry_run: bool = False,
    strict: bool = False,
    tracking_from: date | None = None,
    max_rows: int | None = None,
    time_left: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import the file as the office's plan for the AD year; raise ImportFailed (nothing written) on errors.

    `tracking_from` sets the plan's tracking start; without it a re-import keeps the one it has and a
    first import takes `default_tracking_start`. `max_rows` and `time_left` bound the work for a caller that
    must answer soon (the console's web worker): a file with more plan rows, or reading its schedules past
    the time, is refused with a problem that says so.
    """
    report = ImportReport(path=str(path), year=year, dry_run=dry_run)
    rows, office_in_file = _read_file(path, report, max_rows)
    if max_rows is not None and len(rows) > max_rows:
        _too_many(report, path, len(rows), max_rows)
    check_duplicates(rows, report.problems)
    check_lengths(rows, report.problems)
    report.rows = len(rows)
    if not rows and not report.fatal:
        report.problems.append(Problem("", 1, T.COLUMN_ALL, "", T.NO_ITEMS))
    if not _attach_schedules(rows, year, report, time_left):
        report.problems.append(Problem("", 0, T.COLUMN_FILE, Path(path).name, T.TOO_SLOW.format(rows=len(rows))))
        raise ImportFailed(report)
    # Everything below happens inside a savepoint so a failure or a dry run leaves the session as it was.
    savepoint = session.begin_nested()
    try:
        office = _resolve_office(session, office_name or None, office_in_file, report)
        if office is not None:
            _check_roster(session, office, rows, report)
            followups.check(session, office, year, rows, report.problems)
        if report.fatal or (strict and report.problems) or office is None:
            raise ImportFailed(report)
        _apply(session, office, year, rows, now, report, actor, path, tracking_from)
    except BaseException:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
        return report
    savepoint.commit()
    report.committed = True
    return report


HEADER_ALLOWANCE = 50  # rows of titles, headers and notes a table may have besides its plan rows


def _too_many(report: ImportReport, path: str | Path, rows: int, limit: int) -> None:
    report.rows = rows
    report.problems.append(Problem("", 0, T.COLUMN_FILE, Path(path).name, T.TOO_MANY_PLAN_ROWS.format(rows=rows, limit=limit)))
    raise ImportFailed(report)


def _read_file(path: str | Path, report: ImportReport, max_rows: int | None = None) -> tuple[list[PlanRow], str | None]:
    """Return the rows of every table with a recognisable header, and the office named in a title."""
    try:
        tables = read_tables(path)
    except SheetError as exc:
        report.problems.append(Problem("", 0, T.COLUMN_FILE, Path(path).name, T.sheet_error(exc)))
        return [], None
    except OSError as exc:
        reason = T.CANNOT_READ.format(reason=exc.strerror or exc)
        report.problems.append(Problem("", 0, T.COLUMN_FILE, Path(path).name, reason))
        return [], None
    raw = sum(len(t.rows) for t in tables)
    # Reading rows as plan rows costs far more than reading the file: a file far past the bound stops here.
    if max_rows is not None and raw > max_rows + HEADER_ALLOWANCE * len(tables):
        _too_many(report, path, raw, max_rows)
    usable = [(t, layout) for t in tables if (layout := find_layout(t.rows)) is not None]
    if not usable:
        report.problems.append(Problem("", 1, T.COLUMN_HEADER, "", T.NO_HEADER))
        return [], None
    rows: list[PlanRow] = []
    single = len(tables) == 1
    for table, _layout in usable:
        rows.extend(read_plan_rows("" if single else table.name, table.rows, report.problems, _caption_section(table)))
    titles = [text for table, layout in usable for text in (layout.title_text, table.caption)]
    return rows, next((office for text in titles if (office := office_from_title(text))), None)


def _caption_section(table: Table) -> str | None:
    """Return the section a document names just above its table (a heading such as 「…戶籍登記課113年度…」)."""
    if not table.caption:
        return None
    section = section_from_title(table.caption)
    if section is None and section_name(table.caption).endswith(("課", "室")) and len(section_name(table.caption)) <= 10:
        section = section_name(table.caption)
    return section


def _check_roster(session: Session, office: Office, rows: list[PlanRow], report: ImportReport) -> None:
    """Warn of plan sections nobody on the roster is in, and of chiefs and staff whose section has no items."""
    first_row = {}
    for row in rows:
        first_row.setdefault(row.section, row)
    for miss in unmatched(session, office, list(first_row)):
        if miss.people:
            people = "、".join(T.PERSON_IN_SECTION.format(role=T.ROLE_LABELS[role.value], name=name) for name, role in miss.people)
            message = T.PEOPLE_WITHOUT_ITEMS.format(people=people)
            near = T.NEAREST_IN_PLAN.format(name=miss.nearest) if miss.nearest else T.NO_SECTION_NEAR
            report.problems.append(Problem("", 0, T.COLUMN_SECTION, miss.section, message + near, fatal=False))
        else:
            row = first_row[miss.section]
            near = T.NEAREST_ON_ROSTER.format(name=miss.nearest) if miss.nearest else T.NO_SECTION_NEAR
            report.problems.append(Problem(row.sheet, row.row, T.COLUMN_SECTION, miss.section, T.SECTION_WITHOUT_PEOPLE + near, fatal=False))


def _resolve_office(session: Session, office_name: str | None, office_in_file: str | None, report: ImportReport) -> Office | None:
    name = office_name
    if not name:
        existing = queries.only_office(session)
        name = existing.name if existing else office_in_file
    if not name:
        report.problems.append(Problem("", 0, T.COLUMN_OFFICE, "", T.NO_OFFICE))
        return None
    if len(name) > OFFICE_LIMIT:
        message = T.TOO_LONG.format(column=T.COLUMN_OFFICE, limit=OFFICE_LIMIT, length=len(name))
        report.problems.append(Problem("", 0, T.COLUMN_OFFICE, name, message))
        return None
    report.office = name
    return queries.get_or_create_office(session, name)


def _attach_schedules(rows: list[PlanRow], year: int, report: ImportReport,
                      time_left: Callable[[], bool] | None = None) -> bool:
    """Parse each schedule now so problems are reported with their row (a phrase is never guessed); False when out of time."""
    for n, row in enumerate(rows):
        if time_left is not None and n % 50 == 0 and not time_left():
            return False
        text = row.schedule_text or ""
        if not text and not row.months:
            text = row.content  # the seeds often write the phrase inside 工作內容
        try:
            row.parsed = parse_schedule(text, frozenset(row.months) or None, year).to_json()
        except ScheduleError as exc:
            # The report says what was not understood and the nearest wording that is read, as plan show does.
            row.problem = problem_text(exc, year)
            report.problems.append(Problem(row.sheet, row.row, T.COLUMN_SCHEDULE, row.schedule_text, row.problem, fatal=False))
        report.readings.append(Reading(row.sheet, row.row, row.section, row.number, row.title, text, row.parsed, row.problem))
    return True


def default_tracking_start(year: int, now: datetime) -> date:
    """Return the day of the import when it falls in the plan year, else the year's first day.

    An office starting in October is not told that January is overdue; a past year imported to try the
    bot out behaves as if it had been tracked all along.
    """
    today = now.astimezone(TAIPEI).date()  # an import at 00:30 Taipei on 10/1 is on 10/1, not 9/30 (UTC)
    return today if today.year == year else date(year, 1, 1)


def _apply(
    session: Session, office: Office, year: int, rows: list[PlanRow], now: datetime, report: ImportReport, actor: str, path,
    tracking_from: date | None = None,
) -> None:
    plan = queries.get_or_create_plan(session, office, year)
    first_import = plan.imported_at is None
    plan.source, plan.imported_at = Path(path).name, now
    if tracking_from is not None:
        plan.tracking_from = tracking_from
    elif first_import:
        plan.tracking_from = default_tracking_start(year, now)
    # A plan imported before tracking starts existed keeps NULL: tracked from its first day, as it was.
    report.tracking_from = plan.tracking_from
    # The meetings' follow-ups are not the file's: never matched to a row, changed or listed as missing.
    tracked = followups.followup_ids(session, plan.id)
    existing = [i for i in queries.items_of_plan(session, plan.id) if i.id not in tracked]
    by_number = {(i.section.name, i.number): i for i in existing if i.number}
    by_title: dict[tuple[str, str], Item] = {}
    for i in existing:
        by_title.setdefault((i.section.name, i.title), i)
    sections: dict[str, Section] = {}
    seen: set[int] = set()
    for pos, row in enumerate(rows):
        section = sections.get(row.section) or queries.get_or_create_section(session, office, row.section)
        sections[row.section] = section
        item = by_number.get((row.section, row.number)) if row.number else None
        if item is None:
            item = by_title.get((row.section, row.title))
            if item is not None and item.id in seen:
                item = None
        owners = [_owner(session, office, section, name, report) for name in row.owners]
        if item is None:
            item = Item(plan_id=plan.id, section_id=section.id, number=row.number or str(pos + 1), title=row.title)
            session.add(item)
            report.created += 1
            changed = True
        else:
            changed = False
        changed |= _update(item, row, pos)
        session.flush()
        if [o.id for o in item.owners] != [o.id for o in owners]:
            queries.set_owners(session, item, owners)
            changed = True
        if item.id in seen:
            continue
        seen.add(item.id)
        if changed and item in existing:
            report.updated += 1
        elif item in existing:
            report.unchanged += 1
    report.missing = [f"{i.section.name} {i.number} {i.title}" for i in existing if i.id not in seen]
    queries.audit(session, now, actor, "plan.import", file=Path(path).name, year=year, created=report.created, updated=report.updated)


def _update(item: Item, row: PlanRow, pos: int) -> bool:
    values = {
        "number": row.number or item.number,
        "title": row.title,
        "content": row.content,
        "schedule_text": row.schedule_text,
        "months": row.months,
        "schedule": row.parsed,
        "schedule_problem": row.problem,
        "kpi": row.kpi,
        "points": row.points,
        "status_text": row.status_text,
        "source_row": row.row,
        "position": pos,
    }
    changed = False
    for key, value in values.items():
        if getattr(item, key) != value:
            setattr(item, key, value)
            changed = key not in ("source_row", "position") or changed
    return changed


def _owner(session: Session, office: Office, section: Section, name: str, report: ImportReport) -> Staff:
    staff = queries.staff_by_name(session, office.id, name)
    if staff is None:
        staff = Staff(office_id=office.id, name=name, section_id=section.id, role=Role.staff)
        session.add(staff)
        session.flush()
        report.staff_created.append(name)
    return staff
