"""The console's one-time sign-in links and its sessions, stored hashed, bound to a staff record or a city viewer.

Staff hold kinds `link` and `session`; city viewers `city_link` and `city_session`. Every lookup names its
kind, so a staff check never finds a viewer's row and a viewer check never finds a staff member's.
"""

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
from storage.models import CityViewer, ConsoleToken, Staff

LINK_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(hours=8)
LINK, SESSION = "link", "session"
CITY_LINK, CITY_SESSION = "city_link", "city_session"


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
    viewer: CityViewer | None = None


def link_state(session: Session, token: str, now: datetime) -> SignIn:
    """Say what opening the link would do (valid, used, expired or unknown) without using it up."""
    return _link_state(session, token, now, LINK)


def _link_state(session: Session, token: str, now: datetime, kind: str) -> SignIn:
    """What a link of this kind (a staff member's or a city viewer's) would do; it names its holder either way."""
    row = session.scalar(select(ConsoleToken).where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == kind))
    if row is None:
        return SignIn(LinkOutcome.unknown)
    field = _HOLDERS[kind].field
    whose = {field: getattr(row, field)}
    holder = whose[field]
    if row.used_at is not None:
        return SignIn(LinkOutcome.used, **whose)
    if row.expires_at <= now or not holder.active:
        return SignIn(LinkOutcome.expired, **whose)
    return SignIn(LinkOutcome.valid, **whose)


def redeem_link(session: Session, token: str, now: datetime) -> SignIn:
    """Use a sign-in link once and open an 8-hour session for its staff member (`_take`: one session per link)."""
    return _redeem(session, token, now, LINK)


@dataclass(frozen=True)
class _Holder:
    """Who a kind of link belongs to: the session it opens, the column naming its holder, how the sign-in is logged."""

    session_kind: str
    column: str
    field: str  # SignIn's and the audit detail's name for the holder
    actor: str
    action: str


_HOLDERS = {
    LINK: _Holder(SESSION, "staff_id", "staff", "console:staff:{}", "console.sign_in"),
    CITY_LINK: _Holder(CITY_SESSION, "viewer_id", "viewer", "city:viewer:{}", "city.sign_in"),
}


def _redeem(session: Session, token: str, now: datetime, kind: str) -> SignIn:
    """Use a link of this kind once and open an 8-hour session for its holder (a staff member or a city viewer)."""
    state = _link_state(session, token, now, kind)
    if state.outcome is not LinkOutcome.valid:
        return state
    how = _HOLDERS[kind]
    holder = getattr(state, how.field)
    taken = _take(session, token, kind, now, getattr(ConsoleToken, how.column))
    if taken is None:
        return SignIn(LinkOutcome.used, **{how.field: holder})
    opened = secrets.token_urlsafe(32)
    session.add(ConsoleToken(kind=how.session_kind, token_hash=_hash(opened), created_at=now,
                             expires_at=now + SESSION_LIFETIME, **{how.column: taken}))
    queries.audit(session, now, how.actor.format(taken), how.action, **{how.field: holder.name})
    session.flush()
    return SignIn(LinkOutcome.signed_in, opened, **{how.field: holder})


def _take(session: Session, token: str, kind: str, now: datetime, holder):
    """Mark the unused, unexpired link used and return its holder's id (None when another request took it first).

    One conditional UPDATE: of several requests racing with one link, exactly one finds it unused (the others
    wait for its row lock and then find it used), so one session is opened.
    """
    return session.execute(
        update(ConsoleToken)
        .where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == kind, ConsoleToken.used_at.is_(None),
               ConsoleToken.expires_at > now)
        .values(used_at=now)
        .returning(holder)
        .execution_options(synchronize_session=False)
    ).scalar()


def session_staff(session: Session, token: str, now: datetime) -> Staff | None:
    """Return the active staff member whose unexpired session this is."""
    if not token:
        return None
    row = session.scalar(select(ConsoleToken).where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == SESSION))
    if row is None or row.used_at is not None or row.expires_at <= now or not row.staff.active:
        return None
    return row.staff


def end_session(session: Session, token: str, now: datetime, kind: str = SESSION) -> None:
    """Sign out: the session (a staff member's, or with kind CITY_SESSION a viewer's) stops working at once."""
    row = session.scalar(select(ConsoleToken).where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == kind))
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


# -- city viewers: the same links and sessions, their own kinds


def create_city_link(session: Session, viewer: CityViewer, now: datetime, actor: str) -> str:
    """Issue a sign-in link token for a city viewer (valid 10 minutes, once); expired rows are cleared."""
    session.execute(delete(ConsoleToken).where(ConsoleToken.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(ConsoleToken(kind=CITY_LINK, token_hash=_hash(token), viewer_id=viewer.id, created_at=now,
                             expires_at=now + LINK_LIFETIME))
    queries.audit(session, now, actor, "city.link", viewer=viewer.name)
    session.flush()
    return token


def city_link_state(session: Session, token: str, now: datetime) -> SignIn:
    """Say what opening a city viewer's link would do, without using it up."""
    return _link_state(session, token, now, CITY_LINK)


def redeem_city_link(session: Session, token: str, now: datetime) -> SignIn:
    """Use a city viewer's link once and open an 8-hour session (one session per link, as for staff)."""
    return _redeem(session, token, now, CITY_LINK)


def session_viewer(session: Session, token: str, now: datetime) -> CityViewer | None:
    """Return the active city viewer whose unexpired session this is."""
    if not token:
        return None
    row = session.scalar(select(ConsoleToken).where(ConsoleToken.token_hash == _hash(token), ConsoleToken.kind == CITY_SESSION))
    if row is None or row.used_at is not None or row.expires_at <= now or not row.viewer.active:
        return None
    return row.viewer


def end_all_of_viewer(session: Session, viewer_id: int, now: datetime) -> int:
    """End every open session and unused link of a city viewer (deactivation); return how many ended."""
    return session.execute(
        update(ConsoleToken)
        .where(ConsoleToken.viewer_id == viewer_id, ConsoleToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
