"""Small named queries; each takes the session first and never commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    AuditLog,
    CalendarOverride,
    Item,
    ItemOwner,
    Office,
    OverrideKind,
    Plan,
    ProgressReport,
    Resolution,
    Role,
    Section,
    Staff,
    Status,
)


def get_or_create_office(session: Session, name: str) -> Office:
    """Return the office of that name, creating it when new."""
    office = session.scalar(select(Office).where(Office.name == name))
    if office is None:
        office = Office(name=name, settings={})
        session.add(office)
        session.flush()
    return office


def find_office(session: Session, name: str) -> Office | None:
    """Return the office of that name."""
    return session.scalar(select(Office).where(Office.name == name))


def office_names(session: Session) -> list[str]:
    """Return the names of every office in the database."""
    return list(session.scalars(select(Office.name).order_by(Office.id)))


def only_office(session: Session) -> Office | None:
    """Return the office when the database holds exactly one."""
    offices = session.scalars(select(Office).limit(2)).all()
    return offices[0] if len(offices) == 1 else None


def get_or_create_section(session: Session, office: Office, name: str) -> Section:
    """Return the 課室 of that name in the office, creating it when new."""
    section = session.scalar(select(Section).where(Section.office_id == office.id, Section.name == name))
    if section is None:
        section = Section(office_id=office.id, name=name)
        session.add(section)
        session.flush()
    return section


def find_section(session: Session, office_id: int, name: str) -> Section | None:
    """Return the office's 課室 of that name."""
    return session.scalar(select(Section).where(Section.office_id == office_id, Section.name == name))


def sections_of(session: Session, office_id: int) -> list[Section]:
    """Return the office's sections in a stable order."""
    return list(session.scalars(select(Section).where(Section.office_id == office_id).order_by(Section.id)))


def get_or_create_plan(session: Session, office: Office, year: int) -> Plan:
    """Return the office's plan for the AD year, creating it when new."""
    plan = session.scalar(select(Plan).where(Plan.office_id == office.id, Plan.year == year))
    if plan is None:
        plan = Plan(office_id=office.id, year=year)
        session.add(plan)
        session.flush()
    return plan


def plan_for(session: Session, office_id: int, year: int) -> Plan | None:
    """Return the office's plan for the year, if imported."""
    return session.scalar(select(Plan).where(Plan.office_id == office_id, Plan.year == year))


def latest_plan(session: Session, office_id: int, year: int | None = None) -> Plan | None:
    """Return the plan for the year, else the newest plan of the office."""
    if year is not None:
        plan = plan_for(session, office_id, year)
        if plan is not None:
            return plan
    return session.scalar(select(Plan).where(Plan.office_id == office_id).order_by(Plan.year.desc()).limit(1))


def staff_by_name(session: Session, office_id: int, name: str) -> Staff | None:
    """Return the office's staff member of that name."""
    return session.scalar(select(Staff).where(Staff.office_id == office_id, Staff.name == name))


def staff_by_line_id(session: Session, line_user_id: str, office_id: int | None = None) -> Staff | None:
    """Return the active staff member linked to the LINE account (with `office_id`: only in that office)."""
    stmt = select(Staff).where(Staff.line_user_id == line_user_id, Staff.active.is_(True))
    if office_id is not None:
        stmt = stmt.where(Staff.office_id == office_id)  # office scope: the account the message came in on
    return session.scalar(stmt)


def find_staff(session: Session, name_or_line_id: str) -> Staff | None:
    """Return the staff member by LINE user id or by name (any office)."""
    by_id = staff_by_line_id(session, name_or_line_id)
    if by_id is not None:
        return by_id
    return session.scalars(select(Staff).where(Staff.name == name_or_line_id)).first()


def staff_of_office(session: Session, office_id: int) -> list[Staff]:
    """Return the office's staff ordered by section then name."""
    return list(
        session.scalars(
            select(Staff).where(Staff.office_id == office_id).options(selectinload(Staff.section)).order_by(Staff.section_id, Staff.id)
        )
    )


def coordinators(session: Session, office_id: int) -> list[Staff]:
    """Return the office's active coordinators (研考), who keep its plan and roster."""
    return list(session.scalars(
        select(Staff).where(Staff.office_id == office_id, Staff.role == Role.coordinator, Staff.active.is_(True))
        .order_by(Staff.id)
    ))


def items_of_plan(session: Session, plan_id: int, section_id: int | None = None) -> list[Item]:
    """Return the plan's items with their section and owners loaded, in table order."""
    stmt = (
        select(Item)
        .where(Item.plan_id == plan_id)
        .options(selectinload(Item.owners), selectinload(Item.section))
        .order_by(Item.section_id, Item.position, Item.id)
    )
    if section_id is not None:
        stmt = stmt.where(Item.section_id == section_id)
    return list(session.scalars(stmt))


def followups_of_plan(session: Session, plan_id: int) -> list[Item]:
    """Return the plan's items that are meetings' follow-ups (a 決議 tracked as an item), known by their 決議."""
    stmt = (
        select(Item)
        .join(Resolution, Resolution.followup_id == Item.id)
        .where(Item.plan_id == plan_id)
        .options(selectinload(Item.section))
        .order_by(Item.id)
    )
    return list(session.scalars(stmt))


def items_owned_by(session: Session, staff_id: int, plan_id: int) -> list[Item]:
    """Return the plan's items the staff member owns."""
    stmt = (
        select(Item)
        .join(ItemOwner, ItemOwner.item_id == Item.id)
        .where(ItemOwner.staff_id == staff_id, Item.plan_id == plan_id)
        .options(selectinload(Item.owners), selectinload(Item.section))
        .order_by(Item.section_id, Item.position)
    )
    return list(session.scalars(stmt))


def set_owners(session: Session, item: Item, owners: list[Staff]) -> None:
    """Replace an item's owners, keeping their order."""
    session.query(ItemOwner).filter(ItemOwner.item_id == item.id).delete()
    for pos, staff in enumerate(owners):
        session.add(ItemOwner(item_id=item.id, staff_id=staff.id, position=pos))
    session.flush()
    session.expire(item, ["owners"])


def calendar_overrides(session: Session, office_id: int | None) -> tuple[frozenset[date], frozenset[date]]:
    """Return the office's (closure days, extra workdays) set by administrators (None: a database with no office yet)."""
    stmt = select(CalendarOverride.day, CalendarOverride.kind).where(CalendarOverride.office_id == office_id)
    rows = session.execute(stmt).all() if office_id is not None else []
    closures = frozenset(d for d, k in rows if k == OverrideKind.closure)
    workdays = frozenset(d for d, k in rows if k == OverrideKind.workday)
    return closures, workdays


def set_override(session: Session, office_id: int, day: date, kind: OverrideKind, reason: str) -> CalendarOverride:
    """Record a closure or an extra workday of the office, replacing any earlier override of that day."""
    row = session.scalar(select(CalendarOverride).where(CalendarOverride.office_id == office_id, CalendarOverride.day == day))
    if row is None:
        row = CalendarOverride(office_id=office_id, day=day, kind=kind, reason=reason)
        session.add(row)
    else:
        row.kind, row.reason = kind, reason
    session.flush()
    return row


def remove_override(session: Session, office_id: int, day: date, kind: OverrideKind) -> bool:
    """Delete the office's override of that kind on the day; return whether there was one."""
    row = session.scalar(select(CalendarOverride).where(
        CalendarOverride.office_id == office_id, CalendarOverride.day == day, CalendarOverride.kind == kind))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_overrides(session: Session, office_id: int, year: int | None = None) -> list[CalendarOverride]:
    """Return the office's overrides (of one year if given) by date."""
    stmt = select(CalendarOverride).where(CalendarOverride.office_id == office_id).order_by(CalendarOverride.day)
    if year is not None:
        stmt = stmt.where(CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31))
    return list(session.scalars(stmt))


def latest_reports(session: Session, item_ids: Iterable[int]) -> dict[tuple[int, str], ProgressReport]:
    """Return the newest report per (item, occurrence) for the items."""
    ids = list(item_ids)
    if not ids:
        return {}
    newest = (
        select(ProgressReport.item_id, ProgressReport.occurrence_key, func.max(ProgressReport.id).label("rid"))
        .where(ProgressReport.item_id.in_(ids))
        .group_by(ProgressReport.item_id, ProgressReport.occurrence_key)
        .subquery()
    )
    rows = session.scalars(
        select(ProgressReport).join(newest, ProgressReport.id == newest.c.rid).options(selectinload(ProgressReport.staff))
    )
    return {(r.item_id, r.occurrence_key): r for r in rows}


def reports_of_items(session: Session, item_ids: Iterable[int]) -> list[ProgressReport]:
    """Return every report on the items, oldest first, with who made it."""
    ids = list(item_ids)
    if not ids:
        return []
    return list(session.scalars(
        select(ProgressReport).where(ProgressReport.item_id.in_(ids))
        .options(selectinload(ProgressReport.staff)).order_by(ProgressReport.id)
    ))


def report_history(session: Session, item_ids: Iterable[int]) -> list[tuple]:
    """Return (item id, occurrence key, status, percent, reported_at, via, note, staff id) of every report, oldest first."""
    ids = list(item_ids)
    if not ids:
        return []
    rows = session.execute(
        select(
            ProgressReport.item_id, ProgressReport.occurrence_key, ProgressReport.status, ProgressReport.percent,
            ProgressReport.reported_at, ProgressReport.via, ProgressReport.note, ProgressReport.staff_id,
        )
        .where(ProgressReport.item_id.in_(ids))
        .order_by(ProgressReport.id)
    )
    return [tuple(r) for r in rows]


def reports_of_item(session: Session, item_id: int) -> list[ProgressReport]:
    """Return an item's report history, newest first."""
    return list(
        session.scalars(
            select(ProgressReport)
            .where(ProgressReport.item_id == item_id)
            .options(selectinload(ProgressReport.staff))
            .order_by(ProgressReport.id.desc())
        )
    )


def audit(session: Session, at: datetime, actor: str, action: str, **detail) -> None:
    """Append an audit log entry for a change made through the CLI or the bot."""
    session.add(AuditLog(at=at, actor=actor, action=action, detail=detail))


def count_rows(session: Session) -> dict[str, int]:
    """Return the number of rows in each table (used to prove a failed import changed nothing)."""
    from storage.models import Base

    return {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def latest_statuses(session: Session, item_ids: Iterable[int]) -> dict[tuple[int, str], Status]:
    """Return the newest reported status per (item, occurrence) for the items (columns only: the year table's need)."""
    ids = list(item_ids)
    if not ids:
        return {}
    newest = (
        select(func.max(ProgressReport.id).label("rid"))
        .where(ProgressReport.item_id.in_(ids))
        .group_by(ProgressReport.item_id, ProgressReport.occurrence_key)
        .subquery()
    )
    rows = session.execute(
        select(ProgressReport.item_id, ProgressReport.occurrence_key, ProgressReport.status).join(newest, ProgressReport.id == newest.c.rid)
    )
    return {(item_id, key): status for item_id, key, status in rows}
