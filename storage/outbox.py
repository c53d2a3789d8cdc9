"""The outbox of pushes (the deliveries table): its kinds, its one key scheme, and the one way to queue a push.

Every push is written here before it is sent, so a restart resends only what LINE has not accepted. A row's
key reads ``<kind>:<parts…>`` (``digest:2024-04-08:U1:due``, ``notice:onboard:3:7``, ``nudge:2024-04-08:5``);
the kind says who sends it and when: `bot/deliveries.py` sends digests with the morning, notices after the event
or run that queued them, nudges with the clock's 5-minute pass. The caps on the pushes one person's messages may
cause live here too.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from storage.models import Delivery, Staff

# The office whose LINE account an event came in on, set by the event worker on the event's session: a push a
# conversation queues for someone who is not staff (an onboarding refusal) goes out through that account.
EVENT_OFFICE = "planbot.event_office"


class Kind(StrEnum):
    """What a queued push is, the first part of its key (stored keys keep these words)."""

    DIGEST = "digest"  # a morning's reminder digest, one per recipient and morning
    NOTICE = "notice"  # a one-off push a conversation, the calendar or the clock decided
    NUDGE = "nudge"  # a reminder a team lead asked for from 未回報, one per person and day


class Topic(StrEnum):
    """What a notice is about, the second part of its key where callers count or look them up."""

    PRIVATE = "private"  # an answer to a group question, sent one-to-one
    QUOTA_WARNING = "quota80"  # the month's pushes passed 80% of LINE's quota


SEP = ":"
KEY_LENGTH = 200  # the key column's size
# Pushes one person's own messages may cause in a day (answers sent one-to-one from a group): each is a push
# of the month's quota, while the same question asked one-to-one is answered for free.
CAUSED_PER_DAY = 5
# Retry keys derive from the row's key, so even a row written twice carries the same one and LINE delivers once.
RETRY_NAMESPACE = uuid.UUID("6f0b8a52-3f0e-4d55-9a51-6c1d2a9e7b10")


def key_of(kind: Kind, *parts: object) -> str:
    """Return the stored key of a push: its kind, then the parts that make it unique (dates in ISO form)."""
    return SEP.join([kind.value, *(p.isoformat() if isinstance(p, date) else str(p) for p in parts)])


def kind_of(key: str) -> Kind | None:
    """Return the kind of a stored key (None for a key this outbox did not write)."""
    head = key.split(SEP, 1)[0]
    return Kind(head) if head in Kind._value2member_map_ else None


def retry_key_for(key: str) -> str:
    """Return the retry key (a UUID, as LINE wants) of a stored key."""
    return str(uuid.uuid5(RETRY_NAMESPACE, key))


def of_kind(kind: Kind, *parts: object) -> ColumnElement[bool]:
    """Return the condition selecting the rows of that kind (and, with parts, of keys starting with them)."""
    return Delivery.key.startswith(key_of(kind, *parts) + SEP)


def is_written(session: Session, key: str) -> bool:
    """Whether a push with that key is queued already (sent or not)."""
    return session.scalar(select(Delivery.id).where(Delivery.key == key)) is not None


def enqueue(
    session: Session, key: str, *, recipient: str, staff_id: int | None, reasons: str, payload: dict, now: datetime,
    morning: date | None = None, cost: int = 1, checked: bool = False, office_id: int | None = None,
) -> bool:
    """Queue one push under a key made by `key_of`; False (nothing written) when that key is queued already.

    `payload` is what the digests store ({"replies": [...]} at least); `morning` defaults to today; `cost` is
    the pushes of the monthly quota it takes (a group: its members). `checked`: the caller already knows the
    key is new (a batch that looked them up at once). `office_id`: whose LINE account sends it and whose quota it
    takes; by default the recipient's office (staff), else the office of the event being answered, else None (the
    environment's one channel).
    """
    if kind_of(key) is None:
        raise ValueError(f"not an outbox key: {key!r}")
    # The column holds 200 characters (a closure over many days says them all); look up what is stored.
    key = key[:KEY_LENGTH]
    if not checked and is_written(session, key):
        return False
    if office_id is None and staff_id is not None:
        office_id = session.scalar(select(Staff.office_id).where(Staff.id == staff_id))
    if office_id is None:
        office_id = session.info.get(EVENT_OFFICE)
    session.add(
        Delivery(
            key=key, morning=morning or now.date(), recipient=recipient, staff_id=staff_id, reasons=reasons[:200],
            payload=payload, retry_key=retry_key_for(key), created_at=now, attempts=0, cost=cost, office_id=office_id,
        )
    )
    session.flush()
    return True


def queue_notice(session: Session, key: str, recipient: str, staff_id: int | None, reasons: str, payload: dict,
                 now: datetime, morning: date | None = None, office_id: int | None = None) -> bool:
    """Queue a notice; `key` is what makes it unique after ``notice:``. False if that notice was queued before."""
    return enqueue(session, key_of(Kind.NOTICE, key), recipient=recipient, staff_id=staff_id, reasons=reasons,
                   payload=payload, now=now, morning=morning, office_id=office_id)


def caused_since(session: Session, staff_id: int, topic: Topic, since: datetime) -> int:
    """Count the notices of that topic queued for the person since the moment (failed ones included)."""
    return session.scalar(
        select(func.count()).select_from(Delivery).where(
            of_kind(Kind.NOTICE, topic), Delivery.staff_id == staff_id, Delivery.created_at >= since)
    ) or 0


def unsent_notices(session: Session) -> int:
    """Return how many queued notices are not sent (nor given up) yet."""
    return session.scalar(
        select(func.count()).select_from(Delivery).where(
            of_kind(Kind.NOTICE), Delivery.sent_at.is_(None), Delivery.failed_at.is_(None))
    ) or 0
