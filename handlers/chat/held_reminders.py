"""Reminder lines the push budget held back: stored per person, attached once to their next reply (replies are free)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.core.incoming import Incoming
from handlers.core.replies import MAX_MESSAGES, MAX_TEXT, Reply, Text
from handlers.texts import quota as Q
from handlers.texts import reminders as T
from schedules.dates import format_date
from schedules.planner import Line
from storage import queries
from storage.models import HeldLine, Status

SHOWN = 30  # lines listed in one reply; the rest are behind 逾期 / 本週


def hold(session: Session, held: Mapping[int, Sequence[Line]], morning: date, now: datetime) -> int:
    """Store the lines not pushed this morning; an untold line about the same occurrence is replaced. Return how many."""
    if not held:
        return 0
    waiting = {
        (h.staff_id, h.item_id, h.occurrence_key): h
        for h in session.scalars(select(HeldLine).where(HeldLine.staff_id.in_(list(held)), HeldLine.told_at.is_(None)))
    }
    count = 0
    for staff_id, lines in held.items():
        for line in lines:
            row = waiting.get((staff_id, line.item_id, line.occurrence_key))
            if row is None:
                row = HeldLine(staff_id=staff_id, item_id=line.item_id, occurrence_key=line.occurrence_key)
                session.add(row)
                waiting[(staff_id, line.item_id, line.occurrence_key)] = row
            row.morning, row.reason, row.line, row.held_at = morning, line.reason, line.to_json(), now
            count += 1
    session.flush()
    return count


def prune(session: Session, before: date) -> int:
    """Delete the held lines of mornings before the day (told or not: a year-old reminder is history). Return how many."""
    rows = list(session.scalars(select(HeldLine).where(HeldLine.morning < before)))
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def untold(session: Session, staff_id: int) -> list[HeldLine]:
    """Return the person's held lines not yet told, most urgent first."""
    rows = session.scalars(select(HeldLine).where(HeldLine.staff_id == staff_id, HeldLine.told_at.is_(None)))
    return sorted(rows, key=lambda h: Line.from_json(h.line).sort_key())


def attach(session: Session, incoming: Incoming, replies: list[Reply], now: datetime) -> list[Reply]:
    """Return the replies with the person's held reminders added once (one-to-one chats), marking them told."""
    if incoming.group_id or not incoming.line_user_id or not replies or len(replies) >= MAX_MESSAGES:
        return replies
    staff = queries.staff_by_line_id(session, incoming.line_user_id, incoming.office_id)
    if staff is None:
        return replies
    rows = untold(session, staff.id)
    if not rows:
        return replies
    for row in rows:
        row.told_at = now
    session.flush()
    # An occurrence reported done since it was held needs no reminder any more.
    done = queries.latest_statuses(session, {r.item_id for r in rows if r.item_id is not None})
    lines = [Line.from_json(r.line) for r in rows if done.get((r.item_id, r.occurrence_key)) != Status.done]
    return [*replies, Text(held_text(lines))] if lines else replies


def held_text(lines: Sequence[Line]) -> str:
    """Return the held lines as one message (the most urgent first; the rest counted)."""
    out = [Q.HELD_HEAD]
    for line in lines[:SHOWN]:
        label = f"（{line.label}）" if line.label else ""
        number = f"{line.number} " if line.number else ""
        out.append(Q.HELD_LINE.format(due=format_date(line.due), reason=T.REASON_LABELS[line.reason], number=number,
                                      title=line.title, label=label))
    if len(lines) > SHOWN:
        out.append(Q.HELD_MORE.format(count=len(lines) - SHOWN))
    text = "\n".join(out)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
