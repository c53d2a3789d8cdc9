"""Pushes decided by a conversation (not the morning run), queued in the deliveries table for the outbox to send.

The clock's outbox (`bot/deliveries.py`) sends them, counted against LINE's quota like the digests.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Delivery

NOTICE_PREFIX = "notice:"
# Pushes one person's own messages may cause in a day (answers sent one-to-one from a group): each is a push
# of the month's quota, while the same question asked one-to-one is answered for free.
CAUSED_PER_DAY = 5


def queue_notice(session: Session, key: str, recipient: str, staff_id: int | None, reasons: str, payload: dict,
                 now: datetime) -> bool:
    """Write one push to send (payload as the digests store it: {"replies": [...]}); False if the key was written."""
    full = NOTICE_PREFIX + key
    if session.scalar(select(Delivery.id).where(Delivery.key == full)) is not None:
        return False
    session.add(
        Delivery(
            key=full[:200], morning=now.date(), recipient=recipient, staff_id=staff_id, reasons=reasons[:200],
            payload=payload, retry_key=str(uuid.uuid5(uuid.NAMESPACE_URL, full)), created_at=now, attempts=0,
        )
    )
    session.flush()
    return True


def caused_since(session: Session, staff_id: int, key_prefix: str, since: datetime) -> int:
    """Count the notices of that kind (key prefix) queued for the person since the moment (failed ones included)."""
    return session.scalar(
        select(func.count()).select_from(Delivery).where(
            Delivery.key.startswith(NOTICE_PREFIX + key_prefix), Delivery.staff_id == staff_id, Delivery.created_at >= since)
    ) or 0


def unsent_notices(session: Session) -> int:
    """Return how many queued notices are not sent (nor given up) yet."""
    rows = session.scalars(
        select(Delivery.id).where(Delivery.key.startswith(NOTICE_PREFIX), Delivery.sent_at.is_(None), Delivery.failed_at.is_(None))
    )
    return len(list(rows))
