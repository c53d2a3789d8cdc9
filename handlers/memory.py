"""What the bot is waiting for in a conversation (a reason after 延後, the next page after 更多).

Kept as `chat.*` entries of the audit log, the newest one per person being what is pending, so it needs no
table of its own and a restart forgets nothing. Each entry is short-lived: older than `WAIT` it is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from handlers.incoming import Context
from handlers.request import Asker
from storage import queries
from storage.models import AuditLog

WAIT = timedelta(minutes=30)
PREFIX = "chat."


@dataclass(frozen=True)
class Pending:
    """What the bot last said it was waiting for, and its details."""

    topic: str
    detail: dict


def remember(ctx: Context, who: Asker, topic: str, **detail: object) -> None:
    """Note what the bot now waits for from this person (a later note replaces it)."""
    queries.audit(ctx.session, ctx.now, who.actor, PREFIX + topic, **detail)


def pending(ctx: Context, who: Asker, topic: str | None = None) -> Pending | None:
    """Return what the bot waits for from this person, if anything recent (and of `topic`, when given)."""
    row = ctx.session.scalar(
        select(AuditLog)
        .where(AuditLog.actor == who.actor, AuditLog.action.startswith(PREFIX), AuditLog.at >= ctx.now - WAIT)
        .order_by(AuditLog.id.desc())
        .limit(1)
    )
    if row is None or row.action == PREFIX + "done":
        return None
    found = Pending(row.action[len(PREFIX) :], dict(row.detail or {}))
    return found if topic is None or found.topic == topic else None


def forget(ctx: Context, who: Asker) -> None:
    """Stop waiting for anything from this person."""
    remember(ctx, who, "done")
