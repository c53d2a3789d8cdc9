"""Pushes decided by a conversation (not the morning run), queued in the deliveries table for the outbox to send.

The clock's outbox (`bot/deliveries.py`) sends them, counted against LINE's quota like the digests.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Delivery

NOTICE_PREFIX = "notice:"


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


def unsent_notices(session: Session) -> int:
    """Return how many queued notices are not sent (nor given up) yet."""
    rows = session.scalars(
        select(Delivery.id).where(Delivery.key.startswith(NOTICE_PREFIX), Delivery.sent_at.is_(None), Delivery.failed_at.is_(None))
    )
    return len(list(rows))
