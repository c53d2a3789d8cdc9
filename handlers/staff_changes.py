"""Changing the roster: add, edit (name, section, role), deactivate and reactivate a colleague.

Shared by `planbot staff …` and the console's 同仁 page. Deactivating keeps the person's record and every
report they made; it unlinks their LINE account, voids their unused binding codes, and ends their console
sessions and sign-in links (a reactivation does not revive them), and the planner stops addressing them. Only an explicit reactivation undoes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from handlers.texts import console_admin as T
from storage import console_tokens, queries
from storage.models import InviteCode, Office, Role, Staff

NAME_LIMIT = Staff.__table__.c.name.type.length
SECTION_LIMIT = 50


class StaffChangeError(ValueError):
    """The change cannot be made; the message says why (nothing was changed)."""


@dataclass(frozen=True)
class StaffForm:
    """What a form or a command asks for one colleague."""

    name: str
    section: str
    role: Role


def check(form: StaffForm) -> None:
    """Refuse an empty or over-long name or section."""
    if not form.name.strip():
        raise StaffChangeError(T.STAFF_NEED_NAME)
    if len(form.name.strip()) > NAME_LIMIT:
        raise StaffChangeError(T.STAFF_NAME_TOO_LONG.format(limit=NAME_LIMIT))
    if len(form.section.strip()) > SECTION_LIMIT:
        raise StaffChangeError(T.STAFF_SECTION_TOO_LONG.format(limit=SECTION_LIMIT))


def add(session: Session, office: Office, form: StaffForm, now: datetime, actor: str) -> Staff:
    """Add a colleague; a name already on the roster is refused."""
    check(form)
    name = form.name.strip()
    if queries.staff_by_name(session, office.id, name) is not None:
        raise StaffChangeError(T.STAFF_NAME_TAKEN.format(name=name))
    section = queries.get_or_create_section(session, office, form.section.strip()) if form.section.strip() else None
    person = Staff(office_id=office.id, name=name, role=form.role, section_id=section.id if section else None, active=True)
    session.add(person)
    session.flush()
    queries.audit(session, now, actor, "staff.add", staff=name, role=form.role.value, section=form.section.strip())
    return person


def edit(session: Session, person: Staff, form: StaffForm, now: datetime, actor: str) -> Staff:
    """Rename a colleague, move them to another section or change their role (reports stay theirs)."""
    check(form)
    name = form.name.strip()
    other = queries.staff_by_name(session, person.office_id, name)
    if other is not None and other.id != person.id:
        raise StaffChangeError(T.STAFF_NAME_TAKEN.format(name=name))
    office = session.get(Office, person.office_id)
    section = queries.get_or_create_section(session, office, form.section.strip()) if form.section.strip() else None
    before = {"name": person.name, "section": person.section.name if person.section else "", "role": person.role.value}
    person.name, person.role = name, form.role
    person.section_id = section.id if section else None
    session.flush()
    session.expire(person, ["section"])
    queries.audit(session, now, actor, "staff.edit", staff=name, before=before, section=form.section.strip(), role=form.role.value)
    return person


def deactivate(session: Session, person: Staff, now: datetime, actor: str) -> bool:
    """Deactivate a colleague (False when already inactive): unlink LINE, void codes, keep every report."""
    if not person.active:
        return False
    line_user_id = person.line_user_id
    person.active = False
    person.line_user_id = None
    session.execute(delete(InviteCode).where(InviteCode.staff_id == person.id, InviteCode.used_at.is_(None)))
    # Ended, not only hidden behind `active`: a later reactivation must not revive them.
    console_tokens.end_all(session, person.id, now)
    session.flush()
    queries.audit(session, now, actor, "staff.deactivate", staff=person.name, unlinked=bool(line_user_id))
    return True


def reactivate(session: Session, person: Staff, now: datetime, actor: str) -> bool:
    """Reactivate a colleague (False when already active); they link LINE again with a new binding code."""
    if person.active:
        return False
    person.active = True
    session.flush()
    queries.audit(session, now, actor, "staff.reactivate", staff=person.name)
    return True
