"""One-time codes that link a LINE account to a staff record, with a limit on wrong guesses."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage import queries
from storage.models import InviteCode, LinkAttempt, Staff

CODE_LIFETIME = timedelta(hours=72)
MAX_WRONG_PER_HOUR = 5
# No 0/O or 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def create_invite(session: Session, staff: Staff, now: datetime, actor: str = "cli") -> tuple[str, datetime]:
    """Issue a new single-use code for the staff member; earlier unused codes stop working.

    `actor` is who asked, for the audit log: the server's command line, or 研考 in the chat (line:U…).
    """
    session.execute(delete(InviteCode).where(InviteCode.staff_id == staff.id, InviteCode.used_at.is_(None)))
    code = "".join(secrets.choice(ALPHABET) for _ in range(8))
    expires = now + CODE_LIFETIME
    session.add(InviteCode(staff_id=staff.id, code_hash=_hash(code), created_at=now, expires_at=expires))
    queries.audit(session, now, actor, "staff.invite", staff=staff.name)
    session.flush()
    return code, expires


class Redeemed(enum.StrEnum):
    """What a 綁定 try with a code did."""

    linked = "linked"
    wrong = "wrong"  # no such code
    used = "used"
    expired = "expired"
    limited = "limited"  # too many wrong tries this hour
    taken = "taken"  # this LINE account is already linked to someone else
    other_office = "other_office"  # typed to another office's LINE account (the code stays usable at its own)


@dataclass
class LinkResult:
    """What happened to a 綁定 try."""

    outcome: Redeemed
    staff: Staff | None = None
    previous: str | None = None  # the LINE account the record was linked to before (a re-binding), if another


def wrong_tries_last_hour(session: Session, line_user_id: str, now: datetime) -> int:
    """Count the account's wrong codes in the last hour."""
    return session.scalar(
        select(func.count()).where(LinkAttempt.line_user_id == line_user_id, LinkAttempt.at > now - timedelta(hours=1))
    ) or 0


def redeem(session: Session, code: str, line_user_id: str, now: datetime, office_id: int | None = None) -> LinkResult:
    """Link the LINE account to the staff record the code was issued for.

    `office_id`: the office whose LINE account the code was typed to; another office's code is refused there
    ("other_office", not used up), since that account would never answer its holder.
    """
    if wrong_tries_last_hour(session, line_user_id, now) >= MAX_WRONG_PER_HOUR:
        return LinkResult(Redeemed.limited)
    invite = session.scalar(select(InviteCode).where(InviteCode.code_hash == _hash(code)))
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        session.add(LinkAttempt(line_user_id=line_user_id, at=now))
        session.flush()
        if invite is None:
            return LinkResult(Redeemed.wrong)
        return LinkResult(Redeemed.used if invite.used_at is not None else Redeemed.expired)
    if office_id is not None and invite.staff.office_id != office_id:
        return LinkResult(Redeemed.other_office, invite.staff)
    holder = queries.staff_by_line_id(session, line_user_id)
    if holder is not None and holder.id != invite.staff_id:
        return LinkResult(Redeemed.taken, holder)
    invite.used_at = now
    staff = invite.staff
    previous = staff.line_user_id if staff.line_user_id and staff.line_user_id != line_user_id else None
    staff.line_user_id = line_user_id
    staff.following = True
    queries.audit(session, now, f"line:{line_user_id}", "staff.link", staff=staff.name, replaced=bool(previous))
    session.flush()
    return LinkResult(Redeemed.linked, staff, previous)
