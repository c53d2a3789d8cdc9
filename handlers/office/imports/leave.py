"""Load leave from a CSV of the leave system's export (姓名, 假別, 起, 迄): the whole file or nothing.

起 and 迄 may carry a time (a half day, 113/12/03 13:30): the day counts whole. Every problem is reported
with its row; any problem means nothing is written.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.core.leave import save_leave
from handlers.texts import leave as L
from handlers.texts.imports import sheet_error
from schedules.dates import parse_date
from storage import queries
from storage.models import Leave, Office, Staff
from storage.sheets import SheetError, decode_text

COLUMNS = ("姓名", "假別", "起", "迄")
KIND_LIMIT = Leave.__table__.c.kind.type.length


class LeaveImportError(ValueError):
    """The file cannot be loaded; the message (Traditional Chinese) names every problem by row."""


@dataclass(frozen=True)
class LeaveRow:
    """One leave read from the file."""

    staff: Staff
    kind: str
    starts: date
    ends: date


def read_rows(path: Path) -> list[dict[str, str]]:
    """Return the CSV's rows as dicts, checking the encoding and the columns."""
    # Read as every text sheet is: UTF-8 or Big5 (what the leave system's export, opened and saved in Excel on a
    # Taiwanese Windows PC, becomes), never a guess between the two.
    try:
        rows = list(csv.DictReader(decode_text(path.read_bytes()).splitlines()))
    except SheetError as exc:
        raise LeaveImportError(L.IMPORT_UNREADABLE.format(name=path.name, reason=sheet_error(exc))) from exc
    header = set(rows[0]) if rows else set()
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise LeaveImportError(L.IMPORT_NO_HEADER.format(name=path.name, columns="、".join(missing)))
    return rows


def _day(text: str) -> date:
    # 113/12/03 13:30 or 2024-12-03T08:30: the day is what counts.
    return parse_date(text.strip().replace("T", " ").split(" ")[0])


def check_rows(session: Session, office: Office, rows: list[dict[str, str]]) -> tuple[list[LeaveRow], list[str]]:
    """Return the leaves read and every problem found, by row (row 1 is the header)."""
    found: list[LeaveRow] = []
    problems: list[str] = []
    for n, row in enumerate(rows, start=2):
        values = {c: (row.get(c) or "").strip() for c in COLUMNS}
        empty = [c for c in ("姓名", "起", "迄") if not values[c]]
        if empty:
            problems.extend(L.IMPORT_ROW_EMPTY.format(row=n, column=c) for c in empty)
            continue
        staff = queries.staff_by_name(session, office.id, values["姓名"])
        if staff is None:
            problems.append(L.IMPORT_ROW_UNKNOWN.format(row=n, value=values["姓名"]))
        if len(values["假別"]) > KIND_LIMIT:
            problems.append(L.IMPORT_ROW_TOO_LONG.format(row=n, column="假別", limit=KIND_LIMIT))
        days = {}
        for column in ("起", "迄"):
            try:
                days[column] = _day(values[column])
            except ValueError:
                problems.append(L.IMPORT_ROW_BAD_DAY.format(row=n, column=column, value=values[column]))
        if len(days) == 2 and days["迄"] < days["起"]:
            problems.append(L.IMPORT_ROW_BACKWARDS.format(row=n, start=values["起"], end=values["迄"]))
            continue
        if staff is not None and len(days) == 2 and len(values["假別"]) <= KIND_LIMIT:
            found.append(LeaveRow(staff, values["假別"], days["起"], days["迄"]))
    return found, problems


def import_leave(session: Session, office: Office, path: Path, now: datetime, actor: str = "cli") -> int:
    """Record every leave of the file, or none (LeaveImportError naming each problem); return how many."""
    rows = read_rows(path)
    found, problems = check_rows(session, office, rows)
    if problems:
        raise LeaveImportError(L.IMPORT_FAILED.format(name=path.name, count=len(problems), problems="\n".join(problems)))
    for leave in found:
        save_leave(session, leave.staff, leave.starts, leave.ends, now, actor, kind=leave.kind)
    queries.audit(session, now, actor, "leave.import", file=path.name, count=len(found))
    return len(found)
