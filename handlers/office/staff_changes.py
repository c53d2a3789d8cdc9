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

from handlers.office.imports.sections import nearest, section_name
from handlers.texts import console_admin as T
from storage import console_tokens, queries
from storage.models import InviteCode, Office, Role, Section, Staff

NAME_LIMIT = Staff.__table__.c.name.type.length
SECTION_LIMIT = 50


class StaffChangeError(ValueError):
    """The change cannot be made; the message says why (nothing was changed)."""


class NewSectionError(StaffChangeError):
    """The section is not one of the office's: asked before creating it (a typo would make a section of one)."""

    def __init__(self, section: str, nearest: str | None):
        near = T.STAFF_SECTION_NEAREST.format(name=nearest) if nearest else ""
        super().__init__(T.STAFF_NEW_SECTION_ASK.format(name=section, near=near))
        self.section, self.nearest = section, nearest


@dataclass(frozen=True)
class StaffForm:
    """What a form or a command asks for one colleague."""

    name: str
    section: str
    role: Role
    new_section: bool = False  # the person confirmed that a section not on the roster is meant


def check(form: StaffForm) -> None:
    """Refuse an empty or over-long name or section."""
    if not form.name.strip():
        raise StaffChangeError(T.STAFF_NEED_NAME)
    if len(form.name.strip()) > NAME_LIMIT:
        raise StaffChangeError(T.STAFF_NAME_TOO_LONG.format(limit=NAME_LIMIT))
    if len(form.section.strip()) > SECTION_LIMIT:
        raise StaffChangeError(T.STAFF_SECTION_TOO_LONG.format(limit=SECTION_LIMIT))


def section_for(session: Session, office: Office, text: str, new_section: bool) -> Section | None:
    """Return the office's section of that name (as a plan would name it); a new one only once confirmed.

    An office with no section yet has nothing to mistype, so its first sections need no confirmation.
    """
    name = section_name(text)
    if not name:
        return None
    found = queries.find_section(session, office.id, name)
    if found is not None:
        return found
    existing = [s.name for s in queries.sections_of(session, office.id)]
    if existing and not new_section:
        raise NewSectionError(name, nearest(name, existing))
    return queries.get_or_create_section(session, office, name)


def add(session: Session, office: Office, form: StaffForm, now: datetime, actor: str) -> Staff:
    """Add a colleague; a name already on the roster is refused."""
    check(form)
    name = form.name.strip()
    if queries.staff_by_name(session, office.id, name) is not None:
        raise StaffChangeError(T.STAFF_NAME_TAKEN.format(name=name))
    section = section_for(session, office, form.section, form.new_section)
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
    section = section_for(session, office, form.section, form.new_section)
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
