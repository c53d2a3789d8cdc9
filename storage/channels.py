"""The offices' LINE channels (the `office_channels` table): written by `planbot office channel`, read by the webhook,
the event workers and the clock. The secret and the token arrive here encrypted; this module never sees them in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Office, OfficeChannel, Plan, Staff


@dataclass(frozen=True)
class StoredChannel:
    """One row as stored: whose it is, the bot's user ID, and the encrypted secret and token."""

    office_id: int
    office_name: str
    bot_user_id: str
    secret_enc: str
    token_enc: str


def stored_channels(session: Session) -> list[StoredChannel]:
    """Return every office's channel (one query: the webhook's cache reloads them all at once)."""
    rows = session.execute(
        select(OfficeChannel.office_id, Office.name, OfficeChannel.bot_user_id, OfficeChannel.secret_enc,
               OfficeChannel.token_enc).join(Office, Office.id == OfficeChannel.office_id).order_by(Office.id)
    ).all()
    return [StoredChannel(*row) for row in rows]


def holder_of(session: Session, bot_user_id: str) -> OfficeChannel | None:
    """Return the channel row with that bot user ID (whichever office has it)."""
    return session.scalar(select(OfficeChannel).where(OfficeChannel.bot_user_id == bot_user_id))


def save_channel(session: Session, office_id: int, bot_user_id: str, secret_enc: str, token_enc: str,
                 now: datetime) -> bool:
    """Set the office's channel (replacing the one it had); True when the office had none before."""
    row = session.scalar(select(OfficeChannel).where(OfficeChannel.office_id == office_id))
    if row is None:
        session.add(OfficeChannel(office_id=office_id, bot_user_id=bot_user_id, secret_enc=secret_enc,
                                  token_enc=token_enc, created_at=now, updated_at=now))
        session.flush()
        return True
    row.bot_user_id, row.secret_enc, row.token_enc, row.updated_at = bot_user_id, secret_enc, token_enc, now
    session.flush()
    return False


@dataclass(frozen=True)
class OfficeRow:
    """What `planbot office list` shows of one office: never the secret or the token."""

    name: str
    county: str | None
    district: str | None
    bot_user_id: str | None
    staff: int
    plans: int


def office_rows(session: Session) -> list[OfficeRow]:
    """Return every office with its place, its channel's bot user ID (if any), and its staff and plan counts."""
    staff = select(Staff.office_id, func.count().label("n")).where(Staff.active.is_(True)).group_by(Staff.office_id).subquery()
    plans = select(Plan.office_id, func.count().label("n")).group_by(Plan.office_id).subquery()
    rows = session.execute(
        select(Office.name, Office.county, Office.district, OfficeChannel.bot_user_id,
               func.coalesce(staff.c.n, 0), func.coalesce(plans.c.n, 0))
        .outerjoin(OfficeChannel, OfficeChannel.office_id == Office.id)
        .outerjoin(staff, staff.c.office_id == Office.id)
        .outerjoin(plans, plans.c.office_id == Office.id)
        .order_by(Office.id)
    ).all()
    return [OfficeRow(*row) for row in rows]
