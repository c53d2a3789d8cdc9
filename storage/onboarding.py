"""Self-introductions (我是 NAME) waiting for a confirmation, and the pushes that tell people about them."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage import outbox
from storage.models import AuditLog, OnboardingRequest, RequestStatus, Role, Staff

LIFETIME = timedelta(hours=72)
MAX_PER_DAY = 3  # requests one LINE account may send in 24 hours
# Strangers with several accounts are held back by the name and by the office: each request pushes a card to
# every confirmer, against the month's quota.
MAX_PER_STAFF_PER_DAY = 2  # requests naming one colleague in 24 hours, whoever sends them
MAX_PER_OFFICE_PER_DAY = 6  # requests naming anyone of one office in 24 hours
# Who may vouch for whom: nobody approves a record whose role ranks above their own.
RANK = {Role.staff: 0, Role.chief: 1, Role.coordinator: 2, Role.director: 3}


def asked_last_day(session: Session, line_user_id: str, now: datetime) -> int:
    """Count the requests the account sent in the last 24 hours."""
    return session.scalar(
        select(func.count()).where(
            OnboardingRequest.line_user_id == line_user_id, OnboardingRequest.created_at > now - timedelta(hours=24)
        )
    ) or 0


def asked_for_last_day(session: Session, staff: Staff, now: datetime) -> tuple[int, int]:
    """Count the requests of the last 24 hours naming this colleague, and naming anyone of their office."""
    since = now - timedelta(hours=24)
    named = session.scalar(
        select(func.count()).where(OnboardingRequest.staff_id == staff.id, OnboardingRequest.created_at > since)
    ) or 0
    office = session.scalar(
        select(func.count()).select_from(OnboardingRequest).join(Staff, Staff.id == OnboardingRequest.staff_id)
        .where(Staff.office_id == staff.office_id, OnboardingRequest.created_at > since)
    ) or 0
    return named, office


def last_linked(session: Session, staff: Staff) -> datetime | None:
    """Return when the colleague's record was last linked to a LINE account (binding code or approval), if ever."""
    rows = session.scalars(
        select(AuditLog).where(AuditLog.action == "staff.link").order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
    # The audit entry names the person (its detail is JSON, read the same way on SQLite and PostgreSQL).
    return next((row.at for row in rows if (row.detail or {}).get("staff") == staff.name), None)


def outranks(staff: Staff, decider: Staff) -> bool:
    """Say whether the staff record ranks above the decider (the coordinator above a chief, the director above all)."""
    return RANK[staff.role] > RANK[decider.role]


def pending_of(session: Session, line_user_id: str, now: datetime) -> OnboardingRequest | None:
    """Return the account's request still waiting (not expired), if any."""
    return session.scalar(
        select(OnboardingRequest).where(
            OnboardingRequest.line_user_id == line_user_id, OnboardingRequest.status == RequestStatus.pending,
            OnboardingRequest.expires_at > now,
        ).order_by(OnboardingRequest.id.desc()).limit(1)
    )


def create(session: Session, line_user_id: str, staff: Staff, now: datetime) -> OnboardingRequest:
    """Store a new request; the account's earlier waiting ones are replaced."""
    session.execute(
        update(OnboardingRequest)
        .where(OnboardingRequest.line_user_id == line_user_id, OnboardingRequest.status == RequestStatus.pending)
        .values(status=RequestStatus.replaced.value)
    )
    request = OnboardingRequest(line_user_id=line_user_id, staff_id=staff.id, status=RequestStatus.pending.value, created_at=now,
                                expires_at=now + LIFETIME)
    session.add(request)
    session.flush()
    return request


def get(session: Session, request_id: int) -> OnboardingRequest | None:
    return session.get(OnboardingRequest, request_id)


def decide(session: Session, request: OnboardingRequest, status: RequestStatus, by: Staff | None, now: datetime) -> None:
    """Close a request (approved, refused, expired or replaced); on approval the others for that person close too."""
    request.status = status.value
    request.decided_at = now
    request.decided_by = by.id if by else None
    if status is RequestStatus.approved:
        session.execute(
            update(OnboardingRequest)
            .where(OnboardingRequest.staff_id == request.staff_id, OnboardingRequest.status == RequestStatus.pending,
                   OnboardingRequest.id != request.id)
            .values(status=RequestStatus.replaced.value, decided_at=now)
        )
    session.flush()


def staff_named(session: Session, name: str) -> list[Staff]:
    """Return the staff of that exact name (any office)."""
    return list(session.scalars(select(Staff).where(Staff.name == name).order_by(Staff.id)))


def confirmers(session: Session, staff: Staff) -> list[Staff]:
    """Return who may confirm a request for staff and hears of it: the office's coordinators, and the section chief
    (the director instead of a chief for a coordinator's record)."""
    rows = session.scalars(
        select(Staff).where(Staff.office_id == staff.office_id, Staff.active, Staff.line_user_id.is_not(None),
                            Staff.following, Staff.id != staff.id).order_by(Staff.id)
    )
    # The coordinator's own record is vouched for by another coordinator or the director, never by a chief.
    high = RANK[staff.role] >= RANK[Role.coordinator]
    return [s for s in rows if not outranks(staff, s) and (
        s.role is Role.coordinator or (high and s.role is Role.director)
        or (s.role is Role.chief and staff.section_id is not None and s.section_id == staff.section_id))]


def queue_notice(session: Session, key: str, staff: Staff | None, recipient: str, payload: dict, now: datetime) -> None:
    """Write a push to the outbox (the deliveries table, sent by bot/deliveries.py), once per key."""
    outbox.queue_notice(session, key, recipient, staff.id if staff else None, "onboarding", payload, now)
