"""What the bot is waiting for in a conversation (a reason after 延後, the next page after 更多).

Kept in the `conversation_state` table, one row per person (a later note replaces it), so a restart forgets
nothing. Each note is short-lived: older than `WAIT` it is ignored.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from handlers.core.incoming import Context
from handlers.core.request import Asker
from storage.models import ConversationState

WAIT = timedelta(minutes=30)


class Topic(enum.StrEnum):
    """What the bot waits for from a person (stored as conversation_state.topic)."""

    more = "more"  # 更多 typed: the next page of the list just shown
    reason = "reason"  # the reason for a 延後 just recorded
    cause = "cause"  # 落後原因
    remedy = "remedy"  # 因應對策


@dataclass(frozen=True)
class Pending:
    """What the bot last said it was waiting for, and its details."""

    topic: Topic
    detail: dict


def remember(ctx: Context, who: Asker, topic: Topic, **detail: object) -> None:
    """Note what the bot now waits for from this person (a later note replaces it)."""
    row = ctx.session.get(ConversationState, who.actor)
    if row is None:
        try:
            with ctx.session.begin_nested():  # the same person in a group chat at the same moment may insert first
                ctx.session.add(ConversationState(actor=who.actor, topic=topic.value, detail=dict(detail), updated_at=ctx.now))
            return
        except IntegrityError:
            row = ctx.session.get(ConversationState, who.actor, populate_existing=True)
    row.topic, row.detail, row.updated_at = topic.value, dict(detail), ctx.now
    ctx.session.flush()


def pending(ctx: Context, who: Asker, topic: Topic | None = None) -> Pending | None:
    """Return what the bot waits for from this person, if anything recent (and of `topic`, when given)."""
    row = ctx.session.get(ConversationState, who.actor)
    if row is None or row.updated_at < ctx.now - WAIT or row.topic not in Topic.__members__.values():
        return None
    found = Pending(Topic(row.topic), dict(row.detail or {}))
    return found if topic is None or found.topic == topic else None


def forget(ctx: Context, who: Asker) -> None:
    """Stop waiting for anything from this person."""
    row = ctx.session.get(ConversationState, who.actor)
    if row is not None:
        ctx.session.delete(row)
        ctx.session.flush()
