"""The answer to one event, start to end: what LINE shows while it is made (`before`), what the event changes about
the account or group, the routed answer (privacy in groups and conversation memory inside the router), and the held
reminders that ride along with it.

`bot/events.py` turns LINE's event into an `Incoming`, performs what `before` returns through its `Sender`, calls
`answer` inside the event's fenced transaction and records what it returns; it decides nothing about the answer.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers.chat import held_reminders, pace, router
from handlers.core.incoming import Context, Incoming, IncomingKind
from handlers.core.replies import Reply, Text
from handlers.texts import chat as M
from storage import queries
from storage.models import Office, Section


def before(incoming: Incoming, chat_mode: bool) -> pace.Courtesy:
    """Return what LINE should show the asker before the answer (mark read, loading animation), as data."""
    return pace.courtesy(incoming, chat_mode)


def answer(incoming: Incoming, ctx: Context) -> tuple[str, list[Reply]]:
    """Return the event's outcome (as recorded with it) and the replies to send."""
    elsewhere = _of_another_office(incoming, ctx)
    if elsewhere is not None:
        return elsewhere
    if incoming.kind == IncomingKind.unfollow:
        staff = queries.staff_by_line_id(ctx.session, incoming.line_user_id, incoming.office_id)
        if staff is not None:
            staff.following = False  # the link is kept; pushes stop until they follow again
        return "unfollow", []
    if incoming.kind == IncomingKind.leave:
        if incoming.group_id:
            for section in ctx.session.scalars(select(Section).where(Section.line_group_id == incoming.group_id)):
                section.line_group_id = None
        return "leave", []
    if incoming.kind == IncomingKind.follow:
        staff = queries.staff_by_line_id(ctx.session, incoming.line_user_id, incoming.office_id)
        if staff is not None:
            staff.following = True
    replies = router.handle(incoming, ctx)
    # Reminders the push budget held back ride along with the answer, once (replies are free).
    return f"handled:{incoming.kind}", held_reminders.attach(ctx.session, incoming, replies, ctx.clock.now())


def _of_another_office(incoming: Incoming, ctx: Context) -> tuple[str, list[Reply]] | None:
    """A person of another office writing to this office's account: say whose account it is, show nothing else.

    One provider's channels give a person the same LINE user ID, so a colleague of office B may add office A's
    account too; nothing of office B (nor of A) is shown to them here.
    """
    if incoming.office_id is None or not incoming.line_user_id or incoming.kind in (IncomingKind.unfollow, IncomingKind.leave):
        return None
    if queries.staff_by_line_id(ctx.session, incoming.line_user_id, incoming.office_id) is not None:
        return None
    theirs = queries.staff_by_line_id(ctx.session, incoming.line_user_id)
    if theirs is None or theirs.office_id == incoming.office_id:
        return None
    here = ctx.session.get(Office, incoming.office_id)
    return "other office", [Text(M.OTHER_OFFICE_ACCOUNT.format(office=here.name if here else ""))]
