"""Deputies and leave in the database: small named queries that take the session first and never commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import CoveredReport, Leave, ProgressReport, Staff, StaffDeputies


def deputies_of(session: Session, staff_id: int) -> tuple[Staff | None, Staff | None]:
    """Return the person's first and second deputy (None where none is set)."""
    row = session.get(StaffDeputies, staff_id)
    if row is None:
        return None, None
    first = session.get(Staff, row.first_id) if row.first_id else None
    second = session.get(Staff, row.second_id) if row.second_id else None
    return first, second


def deputy_ids(session: Session, staff_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Return, per person, the ids of their deputies in order (first, then second)."""
    ids = list(staff_ids)
    if not ids:
        return {}
    rows = session.scalars(select(StaffDeputies).where(StaffDeputies.staff_id.in_(ids)))
    return {r.staff_id: tuple(d for d in (r.first_id, r.second_id) if d) for r in rows}


def set_deputies(session: Session, staff: Staff, first: Staff | None, second: Staff | None) -> None:
    """Record the person's deputies, replacing what was set before."""
    row = session.get(StaffDeputies, staff.id)
    if row is None:
        row = StaffDeputies(staff_id=staff.id)
        session.add(row)
    row.first_id = first.id if first else None
    row.second_id = second.id if second else None
    session.flush()


def add_leave(
    session: Session, staff: Staff, starts: date, ends: date, now: datetime, actor: str, kind: str = "", reason: str = ""
) -> Leave:
    """Record a leave (a leave of the person starting the same day is replaced)."""
    row = session.scalar(select(Leave).where(Leave.staff_id == staff.id, Leave.starts == starts))
    if row is None:
        row = Leave(staff_id=staff.id, starts=starts)
        session.add(row)
    row.ends, row.kind, row.reason, row.created_at, row.created_by = ends, kind, reason, now, actor
    session.flush()
    return row


def leave_starting(session: Session, staff_id: int, starts: date) -> Leave | None:
    """Return the person's leave that starts on the day, if any."""
    return session.scalar(select(Leave).where(Leave.staff_id == staff_id, Leave.starts == starts))


def leave_on(session: Session, staff_id: int, day: date) -> Leave | None:
    """Return the person's leave running on the day, if any."""
    return session.scalar(
        select(Leave).where(Leave.staff_id == staff_id, Leave.starts <= day, Leave.ends >= day).order_by(Leave.starts).limit(1)
    )


def next_leave(session: Session, staff_id: int, day: date) -> Leave | None:
    """Return the person's leave running on the day, else their next one."""
    return session.scalar(
        select(Leave).where(Leave.staff_id == staff_id, Leave.ends >= day).order_by(Leave.starts).limit(1)
    )


def leaves_from(session: Session, staff_id: int, day: date) -> list[Leave]:
    """Return the person's leaves running on or after the day, by start."""
    return list(session.scalars(select(Leave).where(Leave.staff_id == staff_id, Leave.ends >= day).order_by(Leave.starts)))


def end_leave(session: Session, leave: Leave, day: date) -> None:
    """Take the leave back from `day` on: a leave not yet begun is removed, a running one ends the day before."""
    if leave.starts >= day:
        session.delete(leave)
    else:
        leave.ends = day - timedelta(days=1)
    session.flush()


def remove_leave(session: Session, leave: Leave) -> None:
    """Delete the leave."""
    session.execute(delete(Leave).where(Leave.id == leave.id))
    session.flush()


def leaves_of_office(session: Session, office_id: int, start: date, end: date) -> list[Leave]:
    """Return the office's leaves overlapping [start, end], by start and name."""
    stmt = (
        select(Leave)
        .join(Staff, Staff.id == Leave.staff_id)
        .where(Staff.office_id == office_id, Leave.starts <= end, Leave.ends >= start)
        .order_by(Leave.starts, Staff.name)
    )
    return list(session.scalars(stmt))


def mark_covered(session: Session, report: ProgressReport, owner: Staff) -> None:
    """Note that the report was made by a deputy on behalf of the owner."""
    session.add(CoveredReport(report_id=report.id, owner_id=owner.id))
    session.flush()


def covered_reports(session: Session, owner_ids: Iterable[int], since: datetime) -> list[tuple[CoveredReport, ProgressReport]]:
    """Return the reports made on behalf of these owners since the moment, oldest first."""
    ids = list(owner_ids)
    if not ids:
        return []
    stmt = (
        select(CoveredReport, ProgressReport)
        .join(ProgressReport, ProgressReport.id == CoveredReport.report_id)
        .where(CoveredReport.owner_id.in_(ids), ProgressReport.reported_at >= since)
        .order_by(ProgressReport.reported_at, ProgressReport.id)
    )
    return [(c, r) for c, r in session.execute(stmt)]


def covered_owner(session: Session, report_id: int) -> Staff | None:
    """Return the owner a report was made on behalf of, if it was."""
    row = session.get(CoveredReport, report_id)
    return session.get(Staff, row.owner_id) if row else None
