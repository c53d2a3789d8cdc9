"""The closure feed's rows: each reading of it per office (`feed_checks`) and what an announcement made happen (`feed_actions`).

Data functions take the session first and never commit.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import Delivery, FeedAction, FeedCheck, Office


def placed_offices(session: Session) -> list[Office]:
    """Return the offices whose place is known (only those read the feed)."""
    return list(session.scalars(select(Office).where(Office.county.is_not(None)).order_by(Office.id)))


def set_place(session: Session, office: Office, county: str, district: str | None) -> None:
    """Record where the office is."""
    office.county, office.district = county, district
    session.flush()


def record_check(session: Session, office_id: int, at: datetime, ok: bool, alert: bool, detail: dict) -> FeedCheck:
    """Write one reading of the feed for the office."""
    row = FeedCheck(office_id=office_id, at=at, ok=ok, alert=alert, detail=detail)
    session.add(row)
    session.flush()
    return row


def last_checks(session: Session, office_id: int, count: int = 10) -> list[FeedCheck]:
    """Return the office's latest readings, newest first."""
    stmt = select(FeedCheck).where(FeedCheck.office_id == office_id).order_by(FeedCheck.at.desc(), FeedCheck.id.desc())
    return list(session.scalars(stmt.limit(count)))


def prune_checks(session: Session, before: datetime) -> int:
    """Delete readings older than `before` (what they decided stays in `feed_actions`)."""
    return session.execute(delete(FeedCheck).where(FeedCheck.at < before)).rowcount or 0


def action_for(session: Session, office_id: int, day: date, action: str) -> FeedAction | None:
    """Return what was done for the office's day on an announcement, if it was."""
    return session.scalar(
        select(FeedAction).where(FeedAction.office_id == office_id, FeedAction.day == day, FeedAction.action == action)
    )


def record_action(session: Session, office_id: int, day: date, action: str, entry_id: str, text: str,
                  at: datetime) -> FeedAction:
    """Note that an announcement made this happen for the day (once: the caller checks `action_for` first)."""
    row = FeedAction(office_id=office_id, day=day, action=action, entry_id=entry_id[:120], text=text, at=at)
    session.add(row)
    session.flush()
    return row


def sent_lines(session: Session, morning: date) -> dict[int, set[tuple[int, date]]]:
    """Return, per staff id, the (item id, due date) pairs of the morning's digests already pushed to them."""
    rows = session.scalars(
        select(Delivery).where(Delivery.morning == morning, Delivery.sent_at.is_not(None), Delivery.staff_id.is_not(None))
    )
    out: dict[int, set[tuple[int, date]]] = {}
    for row in rows:
        for line in (row.payload or {}).get("lines", []):
            if line.get("item_id") is not None and line.get("due"):
                out.setdefault(row.staff_id, set()).add((int(line["item_id"]), date.fromisoformat(line["due"])))
    return out
