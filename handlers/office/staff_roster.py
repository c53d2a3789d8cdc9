"""The console's 同仁 page: the office's staff with section, role and LINE link state, and binding codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.core import access
from handlers.core.request import Asker
from storage import leave, queries
from storage.invites import create_invite
from storage.models import Staff


@dataclass(frozen=True)
class Member:
    """One row of the roster."""

    staff_id: int
    name: str
    section: str
    role: str  # Role value
    linked: bool
    active: bool
    deputies: str = ""  # 第一代理人、第二代理人, as the page shows them


@dataclass(frozen=True)
class Invite:
    """A binding code just issued: shown once, never stored in the clear."""

    name: str
    code: str
    expires_at: datetime


def may_manage(who: Asker) -> bool:
    """Say whether the person may see the roster and issue codes (the coordinator and the director)."""
    return access.sees_every_section(who)


def roster(session: Session, who: Asker) -> list[Member]:
    """Return the person's office staff by section, or nothing for those who may not manage it."""
    if not may_manage(who):
        return []
    people = queries.staff_of_office(session, who.staff.office_id)
    names = {s.id: s.name for s in people}
    deputies = leave.deputy_ids(session, names)
    return [
        Member(s.id, s.name, s.section.name if s.section else "", s.role.value, bool(s.line_user_id), s.active,
               "、".join(names.get(d, "") for d in deputies.get(s.id, ())))
        for s in people
    ]


def invite(session: Session, who: Asker, staff_id: int, now: datetime) -> Invite | None:
    """Issue a binding code for an active member of the person's office (earlier unused codes stop working)."""
    staff = session.get(Staff, staff_id)
    if not may_manage(who) or staff is None or staff.office_id != who.staff.office_id or not staff.active:
        return None
    code, expires = create_invite(session, staff, now, who.actor)
    return Invite(staff.name, code, expires)
