"""Load the staff roster from a CSV file (姓名,課室,角色[,LINE使用者ID]) into an office."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.texts import imports as T
from handlers.texts import leave as LT
from storage import leave, queries
from storage.models import Office, Role, Section, Staff
from storage.sheets import SheetError, decode_text

ROLE_NAMES = {
    "staff": Role.staff, "承辦人": Role.staff, "同仁": Role.staff,
    "chief": Role.chief, "課長": Role.chief, "主管": Role.chief, "室主任": Role.chief,
    "coordinator": Role.coordinator, "研考": Role.coordinator,
    "director": Role.director, "主任": Role.director, "秘書": Role.director, "主任秘書": Role.director, "區長": Role.director,
}

ROLE_LABELS = {role: T.ROLE_LABELS[role.value] for role in Role}
# The roster's limited columns: a longer value is refused with its row, never a database error.
LIMITS = {
    "姓名": Staff.__table__.c.name.type.length,
    "課室": Section.__table__.c.name.type.length,
    "LINE使用者ID": Staff.__table__.c.line_user_id.type.length,
}


class StaffImportError(ValueError):
    """The roster cannot be loaded; the message is Traditional Chinese for the administrator."""


def role_named(text: str) -> Role:
    """Return the role named in Chinese or English."""
    role = ROLE_NAMES.get(text.strip())
    if role is None:
        raise StaffImportError(T.UNKNOWN_ROLE.format(text=text))
    return role


def read_roster(path: Path) -> list[dict[str, str]]:
    """Return the CSV's rows as dicts, checking the encoding and the 姓名 header."""
    # Read as the plan import reads a CSV: UTF-8, UTF-16 with BOM or Big5 (what Excel saves on Taiwanese Windows).
    try:
        rows = list(csv.DictReader(decode_text(path.read_bytes()).splitlines()))
    except SheetError as exc:
        raise StaffImportError(T.ROSTER_UNREADABLE.format(name=path.name, reason=T.sheet_error(exc))) from exc
    if not rows or "姓名" not in rows[0]:
        raise StaffImportError(T.ROSTER_NO_HEADER.format(name=path.name))
    return rows


def import_staff(session: Session, office: Office, rows: list[dict[str, str]], now: datetime, source: str, actor: str = "cli") -> int:
    """Add or update each person of the roster (section, role, LINE id); return how many rows were read."""
    for n, row in enumerate(rows, start=2):
        name = (row.get("姓名") or "").strip()
        if not name:
            raise StaffImportError(T.ROSTER_NO_NAME.format(source=source, row=n))
        for column, limit in LIMITS.items():
            if len((row.get(column) or "").strip()) > limit:
                raise StaffImportError(T.ROSTER_TOO_LONG.format(source=source, row=n, column=column, limit=limit))
        section_name = (row.get("課室") or "").strip()
        section = queries.get_or_create_section(session, office, section_name) if section_name else None
        person = queries.staff_by_name(session, office.id, name) or Staff(office_id=office.id, name=name)
        session.add(person)
        person.role = role_named(row.get("角色") or "承辦人")
        person.section_id = section.id if section else person.section_id
        line_id = (row.get("LINE使用者ID") or "").strip()
        if line_id:
            person.line_user_id = line_id
    session.flush()
    _deputies(session, office, rows, source)
    queries.audit(session, now, actor, "staff.import", file=source, count=len(rows))
    session.flush()
    return len(rows)


DEPUTY_COLUMNS = ("第一代理人", "第二代理人")


def _deputies(session: Session, office: Office, rows: list[dict[str, str]], source: str) -> None:
    """Set the deputies the optional 第一代理人 and 第二代理人 columns name (after every row is in, so any row may be named)."""
    if not any(c in rows[0] for c in DEPUTY_COLUMNS):
        return
    for n, row in enumerate(rows, start=2):
        chosen = []
        for column in DEPUTY_COLUMNS:
            name = (row.get(column) or "").strip()
            found = queries.staff_by_name(session, office.id, name) if name else None
            if name and found is None:
                raise StaffImportError(LT.ROSTER_UNKNOWN_DEPUTY.format(source=source, row=n, column=column, name=name))
            chosen.append(found)
        person = queries.staff_by_name(session, office.id, (row.get("姓名") or "").strip())
        if any(p is not None and p.id == person.id for p in chosen):
            raise StaffImportError(LT.ROSTER_SELF_DEPUTY.format(source=source, row=n, name=person.name))
        leave.set_deputies(session, person, chosen[0], chosen[1])
