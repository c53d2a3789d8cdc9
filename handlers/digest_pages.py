"""The 更多 button of a morning reminder digest (a=more&m=DAY&p=N): the next page of what was pushed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers import postbacks
from handlers.incoming import Context
from handlers.replies import Reply, Text
from handlers.request import Request
from handlers.texts import chat as M
from schedules.digests import more_page
from storage.models import Delivery


def delivery_for(session: Session, recipient: str, morning: date) -> Delivery | None:
    """Return the newest digest pushed to the recipient (a user or a group) that morning."""
    return session.scalar(
        select(Delivery)
        .where(Delivery.recipient == recipient, Delivery.morning == morning)
        .order_by(Delivery.id.desc())
        .limit(1)
    )


def digest_more(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Return the page asked for of the digest this conversation received; the lookup is by who taps."""
    page = postbacks.int_field(fields, "p")
    try:
        morning = date.fromisoformat(fields.get("m", ""))
    except ValueError:
        return [Text(M.STALE_BUTTON)]
    recipient = req.incoming.group_id or req.incoming.line_user_id
    row = delivery_for(ctx.session, recipient, morning) if recipient else None
    if row is None or page is None or page < 2 or not isinstance(row.payload, dict) or "lines" not in row.payload:
        return [Text(M.STALE_BUTTON)]
    return more_page(row.payload, page)
