"""The console's one-time sign-in links and its sessions, stored hashed, bound to a staff record."""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage import queries
from storage.models import ConsoleToken, Staff

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=8)
LINK, SESSION = "link", "session"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """Return the session's form token: derived from the cookie's secret, so a page on another site cannot know it."""
    return hmac.new(session_token.encode(), b"planbot-console-csrf", hashlib.sha256).hexdigest()


def csrf_ok(session_token: str, given: str) -> bool:
    """Say whether a form's token belongs to this session (compared in constant time)."""
    return bool(given) and hmac.compare_digest(csrf_token(session_token), given)


def create_link(session: Session, staff: Staff, now: datetime, actor: str) -> str:
    """Issue a sign-in link token for the staff member (valid 10 minutes, once); expired rows are cleared."""
    session.execute(delete(ConsoleToken).where(ConsoleToken.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(ConsoleToken(kind=LINK, token_hash=_hash(token), staff_id=staff.id, created_at=now, expires_at=now + LINK_LIFETIME))
    queries.audit(session, now, actor, "console.link", staff=staff.name)
    session.flush()
    return token


class LinkOutcome(enum.StrEnum):
    """What opening or using a sign-in link gives."""

    valid = "valid"  # not yet used: its page may show the 登入 button
    signed_in = "signed_in"
    used = "used"
    expired = "expired"
    unknown = "unknown"


@dataclass(frozen=True)
class SignIn:
    """What a link gives, and the session token when signed in."""

    outcome: LinkOutcome
    session_token: str = ""
    staff: Staff | None = None


def link_state(session: Session, token: str, now: datetime) -> SignIn:
    """Say what opening the link would do (valid, used, expired or unknown) without using it up."""
    row = session.scalar(select(ConsoleToken).where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == LINK))
    if row is None:
        return SignIn(LinkOutcome.unknown)
    if row.used_at is not None:
        return SignIn(LinkOutcome.used, staff=row.staff)
    if row.expires_at <= now or not row.staff.active:
        return SignIn(LinkOutcome.expired, staff=row.staff)
    return SignIn(LinkOutcome.valid, staff=row.staff)


def redeem_link(session: Session, token: str, now: datetime) -> SignIn:
    """Use a sign-in link once and open an 8-hour session for its staff member.

    The link is taken by one conditional UPDATE: of several requests racing with one link, exactly one
    finds it unused (the others wait for its row lock and then find it used), so one session is opened.
    """
    state = link_state(session, token, now)
    if state.outcome is not LinkOutcome.valid:
        return state
    taken = session.execute(
        update(ConsoleToken)
        .where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == LINK, ConsoleToken.used_at.is_(None),
               ConsoleToken.expires_at > now)
        .values(used_at=now)
        .returning(ConsoleToken.staff_id)
        .execution_options(synchronize_session=False)
    ).scalar()
    if taken is None:
        return SignIn(LinkOutcome.used, staff=state.staff)
    staff = state.staff
    opened = secrets.token_urlsafe(32)
    session.add(
        ConsoleToken(kind=SESSION, token_hash=_hash(opened), staff_id=taken, created_at=now, expires_at=now + SESSION_LIFETIME)
    )
    queries.audit(session, now, f"console:staff:{taken}", "console.sign_in", staff=staff.name)
    session.flush()
    return SignIn(LinkOutcome.signed_in, opened, staff)


def session_staff(session: Session, token: str, now: datetime) -> Staff | None:
    """Return the active staff member whose unexpired session this is."""
    if not token:
        return None
    row = session.scalar(select(ConsoleToken).where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == SESSION))
    if row is None or row.used_at is not None or row.expires_at <= now or not row.staff.active:
        return None
    return row.staff


def end_session(session: Session, token: str, now: datetime) -> None:
    """Sign out: the session stops working at once."""
    row = session.scalar(select(ConsoleToken).where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == SESSION))
    if row is not None and row.used_at is None:
        row.used_at = now
        session.flush()


def end_all(session: Session, staff_id: int, now: datetime) -> int:
    """End every open session and unused link of a colleague (deactivation); return how many ended."""
    return session.execute(
        update(ConsoleToken)
        .where(ConsoleToken.staff_id == staff_id, ConsoleToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
