"""The route table: which words and which postback actions reach which handler, and who may ask at all.

Every event goes through `handle`: text, postback taps, follow and join. Unknown LINE accounts reach
only 綁定 and the explanation of how to link; every other route needs a linked staff record. In a group
the bot answers only messages that start with a command keyword or @mention it, so chat stays quiet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from handlers import due_lists, exports, help, linking, postbacks, reports, search, summaries
from handlers import messages as M
from handlers.commands import Command, is_filler, parse, starts_with_command, strip_mention
from handlers.digests import digest_more
from handlers.incoming import Context, Incoming
from handlers.replies import MAX_MESSAGES, Reply, Text
from handlers.request import Asker, Request
from storage import queries
from storage.models import Staff

log = logging.getLogger(__name__)

Handler = Callable[[Request, Context], "list[Reply] | None"]
PostbackHandler = Callable[[Request, Context, dict[str, str]], "list[Reply]"]


@dataclass(frozen=True)
class Route:
    """A command's handler; `linked_only` routes answer unknown accounts with how to link instead."""

    handler: Handler
    linked_only: bool = True


# Keyword → handler. The keywords and their synonyms are in handlers.commands.SYNONYMS.
ROUTES: dict[str, Route] = {
    "today": Route(due_lists.due_in_span),
    "tomorrow": Route(due_lists.due_in_span),
    "this_week": Route(due_lists.due_in_span),
    "next_week": Route(due_lists.due_in_span),
    "this_month": Route(due_lists.due_in_span),
    "next_month": Route(due_lists.due_in_span),
    "overdue": Route(due_lists.overdue),
    "mine": Route(due_lists.mine),
    "search": Route(search.search),
    "report": Route(reports.report),
    "summary": Route(summaries.summary),
    "export": Route(exports.export),
    "help": Route(help.show_help),
    "link": Route(linking.link, linked_only=False),
    "link_group": Route(linking.link_group),
    "thanks": Route(help.thanks),
    "hello": Route(help.show_help),
}


def _more(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Show the next page of a list: re-run its command (with every check) at the page asked for."""
    if "m" in fields:
        return digest_more(req, ctx, fields)
    name = fields.get("c", "")
    route = ROUTES.get(name)
    page = postbacks.int_field(fields, "p")
    if route is None or name in ("link", "link_group") or page is None:
        return [Text(M.STALE_BUTTON)]
    anchor = _day(fields.get("d", ""))
    args = fields.get("r", "")
    again = Request(req.incoming, req.who, Command(name, args, args), page=page, anchor=anchor)
    return route.handler(again, ctx) or help.not_understood(again, ctx)


# Postback action (a=…) → handler. Each re-checks the asker's rights: postback data is never trusted.
POSTBACKS: dict[str, PostbackHandler] = {
    "report": reports.on_report,
    "ask": reports.on_ask,
    "card": search.show_card,
    "more": _more,
}


def handle(incoming: Incoming, ctx: Context) -> list[Reply]:
    """Answer one event from LINE as the staff member linked to its LINE account (if any)."""
    staff = queries.staff_by_line_id(ctx.session, incoming.line_user_id) if incoming.line_user_id else None
    return handle_as(incoming, staff, ctx)


def handle_as(incoming: Incoming, staff: Staff | None, ctx: Context) -> list[Reply]:
    """Answer one event as the given staff member; a failure changes nothing and still gets an answer."""
    who = Asker(incoming.line_user_id, staff, incoming.group_id)
    savepoint = ctx.session.begin_nested()
    try:
        replies = _dispatch(incoming, who, ctx)
        if len(replies) > MAX_MESSAGES:
            raise ValueError(f"{len(replies)} messages in one reply")
    except Exception:
        # The last net: undo what this event wrote, log it for us, and tell the person plainly.
        log.exception("handling %s from %s failed", incoming.kind, incoming.line_user_id)
        savepoint.rollback()
        return [Text(M.SOMETHING_WRONG)]
    savepoint.commit()
    return replies


def _dispatch(incoming: Incoming, who: Asker, ctx: Context) -> list[Reply]:
    if incoming.kind == "text":
        return _text(incoming, who, ctx)
    if incoming.kind == "postback":
        return _postback(incoming, who, ctx)
    if incoming.kind in ("follow", "join"):
        return linking.greet(Request(incoming, who, Command("", "", "")), ctx)
    return []


def _text(incoming: Incoming, who: Asker, ctx: Context) -> list[Reply]:
    text = incoming.text or ""
    quiet = False  # in a group, unless mentioned: answer commands only, never guesses or "not understood"
    if incoming.group_id:
        text, mentioned = strip_mention(text, ctx.settings.bot_name)
        quiet = not mentioned
        if quiet and not starts_with_command(text):
            return []
    command = parse(text)
    req = Request(incoming, who, command)
    route = ROUTES.get(command.name)
    if route is not None and (who.known or not route.linked_only):
        if quiet and command.name == "search":
            return (search.find(req, ctx, command.args) or []) if command.args else []
        replies = route.handler(req, ctx)
        if replies is not None:
            return replies
    if not who.known:
        # A stranger in a group who only happens to start a sentence with 我的… is not asking us.
        incidental = quiet and not is_filler(command.args) and command.name != "link_group"
        return [] if incidental else help.unlinked(req, ctx)
    if quiet:
        return []
    # Not a command, or a command whose arguments were not its own (本月報表): search item names.
    plain = Request(incoming, who, Command("", command.text, command.text))
    return search.free_text(plain, ctx) or help.not_understood(plain, ctx)


def _postback(incoming: Incoming, who: Asker, ctx: Context) -> list[Reply]:
    if not who.known:
        return help.unlinked(Request(incoming, who, Command("", "", "")), ctx)
    fields = postbacks.decode(incoming.data)
    handler = POSTBACKS.get(fields.get("a", ""))
    if handler is None:
        return [Text(M.STALE_BUTTON)]
    return handler(Request(incoming, who, Command("", "", "")), ctx, fields)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
