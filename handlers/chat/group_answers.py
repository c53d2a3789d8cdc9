"""In a group, answer only with what every member may see; the rest goes to the asker one-to-one.

A LINE group holds people who are not all staff, and staff of other sections. Each reply says who may read it
(`handlers/core/audience.py`); an answer not every member may (the whole office's or another section's data, a
download link, a console sign-in link, a binding code) is sent to the asker alone: queued with
the event's effects in the outbox of pushes (the deliveries table, as a notice, sent once under its retry
key right after the event, where every push is kept), and the group hears that it
was sent privately (or, when the asker cannot be reached one-to-one, why not). Each such answer is a push
of the month's quota: a person's messages cause at most `CAUSED_PER_DAY` of them a day, and none when the
quota has no room left; past either, the group is asked to ask one-to-one, where replies are free. What the
asker shares of their own work, and the bound section's data, stay in the group.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from handlers.core.incoming import Context
from handlers.core.replies import Reply, Text, audience_of, to_dict
from handlers.core.request import Asker
from handlers.texts import group_answers as G
from storage.models import Section
from storage.outbox import CAUSED_PER_DAY, Topic, caused_since, queue_notice

log = logging.getLogger(__name__)


def group_section(ctx: Context, group_id: str) -> int | None:
    """Return the section a group is bound to (綁定群組), whose data every member may read; None: bound to none."""
    return ctx.session.scalar(select(Section.id).where(Section.line_group_id == group_id))


@dataclass(frozen=True)
class Settled:
    """What the group hears, and whether the answer reaches the asker (else what the message did is undone)."""

    replies: list[Reply]
    reaches: bool = True


def settle(who: Asker, ctx: Context, replies: list[Reply]) -> Settled:
    """Return the replies for the group, or a short note for it with the replies queued for the asker alone.

    An answer that can reach the asker neither in the group nor privately (not linked, not a friend, today's cap, the
    quota) is not given: the group is asked to send the message one-to-one, so what it did is undone (`reaches`
    False) and sending it again privately does it once.
    """
    if not who.group_id or not replies:
        return Settled(replies)
    seen = audience_of(replies)
    if seen.readable_in(group_section(ctx, who.group_id)):
        return Settled(replies)
    log.info("group %s: answer to %s sent privately (%s)", who.group_id, who.actor, ", ".join(seen.reasons()))
    staff = who.staff
    if staff is None or not who.line_user_id:
        return Settled([Text(G.UNKNOWN_ASKER)], reaches=False)
    if not staff.following:
        return Settled([Text(G.NOT_A_FRIEND.format(name=staff.name) + G.NOTHING_DONE)], reaches=False)
    day_start = ctx.now.replace(hour=0, minute=0, second=0, microsecond=0)
    if caused_since(ctx.session, staff.id, Topic.PRIVATE, day_start) >= CAUSED_PER_DAY:
        return Settled([Text(G.ASK_ONE_TO_ONE_LIMIT.format(name=staff.name, limit=CAUSED_PER_DAY) + G.NOTHING_DONE)], reaches=False)
    if not ctx.can_push(1):
        return Settled([Text(G.ASK_ONE_TO_ONE_QUOTA.format(name=staff.name) + G.NOTHING_DONE)], reaches=False)
    payload = {"version": 1, "replies": [to_dict(r) for r in replies]}
    queue_notice(ctx.session, f"{Topic.PRIVATE}:{uuid.uuid4().hex}", who.line_user_id, staff.id, "group answer", payload, ctx.now)
    return Settled([Text(G.SENT_PRIVATELY.format(name=staff.name))])
