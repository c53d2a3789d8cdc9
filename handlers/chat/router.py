"""Route every event: text to the command the table in `handlers/chat/catalog.py` names, postbacks by action.

Every event goes through `handle`: text, postback taps, follow and join. Unknown LINE accounts reach
only 綁定 and the explanation of how to link; every other route needs a linked staff record. In a group
the bot answers only messages that start with a command keyword or @mention it, so chat stays quiet, and
an answer not every member may see goes to the asker one-to-one (`handlers/chat/group_answers.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from handlers.chat import (
    group_answers,
    help,
    lag_reasons,
    linking,
    memory,
    nudges,
    onboarding,
    reports,
    review_chat,
    search,
    sentence_reports,
    team,
)
from handlers.chat.catalog import COMMANDS
from handlers.chat.sentences import OWN_SECTION_WORDS, QUESTION, Meant, MeantKind, read_sentence, strip_polite
from handlers.core import postbacks, scopes
from handlers.core.commands import Command, is_filler, strip_mention, verbatim
from handlers.core.incoming import Context, Incoming, IncomingKind
from handlers.core.postbacks import Route
from handlers.core.replies import MAX_MESSAGES, Reply, Text, seen_by
from handlers.core.request import Asker, Request
from handlers.documents.digests import digest_more
from handlers.office import closures
from handlers.texts import chat as M
from storage import queries, scope
from storage.models import Role, Staff

log = logging.getLogger(__name__)

PostbackHandler = Callable[[Request, Context, dict[str, str]], "list[Reply]"]


def run(req: Request, ctx: Context) -> list[Reply] | None:
    """Run the request's command after the role check its definition asks for (None: not a command)."""
    definition = COMMANDS.get(req.command.name)
    if definition is None:
        return None
    if not definition.allows(req.who.role):
        return [Text(definition.refusal)]
    replies = definition.handler(req, ctx)
    return None if replies is None else seen_by(definition.audience, replies)


def _more(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Show the next page of a list: re-run its command (with every check) at the page asked for."""
    if "m" in fields:
        return digest_more(req, ctx, fields)
    name = fields.get("c", "")
    definition = COMMANDS.get(name)
    page = postbacks.int_field(fields, "p")
    if definition is None or not definition.offered or page is None:
        return [Text(M.STALE_BUTTON)]
    anchor = _day(fields.get("d", ""))
    args = fields.get("r", "")
    again = Request(req.incoming, req.who, Command(name, args, args), COMMANDS, page=page, anchor=anchor)
    return run(again, ctx) or help.not_understood(again, ctx)


# Postback action (a=…) → handler. Each re-checks the asker's rights: postback data is never trusted.
POSTBACKS: dict[Route, PostbackHandler] = {
    Route.report: reports.on_report,
    Route.ask: reports.on_ask,
    Route.undo: reports.on_undo,
    Route.card: search.show_card,
    Route.more: _more,
    Route.nudge: nudges.on_nudge,
    Route.onboard: onboarding.decide,
    Route.menu: lambda req, ctx, fields: [],  # a rich-menu tab: LINE switched it, nothing to say
    Route.closure: closures.on_closure,
    Route.rebind: team.on_rebind,
    Route.why: lag_reasons.on_explain,
    Route.why_later: lag_reasons.on_later,
    Route.listing: review_chat.on_listing,
    Route.suggest: review_chat.on_suggest,
}


def handle(incoming: Incoming, ctx: Context) -> list[Reply]:
    """Answer one event from LINE as the staff member linked to its LINE account (if any)."""
    staff = queries.staff_by_line_id(ctx.session, incoming.line_user_id, incoming.office_id) if incoming.line_user_id else None
    return handle_as(incoming, staff, ctx)


def handle_as(incoming: Incoming, staff: Staff | None, ctx: Context) -> list[Reply]:
    """Answer one event as the given staff member; a failure changes nothing and still gets an answer."""
    if staff is not None:
        scope.scope_to(ctx.session, staff.office_id)  # from here on the event sees only the asker's office
    savepoint = ctx.session.begin_nested()
    try:
        who = Asker(incoming.line_user_id, staff, incoming.group_id)
        replies = _dispatch(incoming, who, ctx)
        _remember_more(incoming, who, ctx, replies)
        if len(replies) > MAX_MESSAGES:
            raise ValueError(f"{len(replies)} messages in one reply")
        settled = group_answers.settle(who, ctx, replies)  # in a group: what not every member may see goes privately
        if not settled.reaches:  # the answer can reach nobody: what the message did is undone, the group is told
            savepoint.rollback()
            return settled.replies
        replies = settled.replies
    except Exception:
        # The last net: undo what this event wrote, log it for us, and tell the person plainly.
        log.exception("handling %s from %s failed", incoming.kind, incoming.line_user_id)
        savepoint.rollback()
        return [Text(M.SOMETHING_WRONG)]
    savepoint.commit()
    return replies


def _dispatch(incoming: Incoming, who: Asker, ctx: Context) -> list[Reply]:
    if incoming.kind is IncomingKind.text:
        return _text(incoming, who, ctx)
    if incoming.kind is IncomingKind.postback:
        return _postback(incoming, who, ctx)
    if incoming.kind in (IncomingKind.follow, IncomingKind.join):
        return linking.greet(Request(incoming, who, Command("", "", ""), COMMANDS), ctx)
    return []


def _text(incoming: Incoming, who: Asker, ctx: Context) -> list[Reply]:
    text = incoming.text or ""
    quiet = False  # in a group, unless mentioned: answer commands only, never guesses or "not understood"
    if incoming.group_id:
        text, mentioned = strip_mention(text, ctx.settings.bot_name)
        quiet = not mentioned
        if quiet and not COMMANDS.starts_with_command(text):
            return []
    command = COMMANDS.parse(text)
    req = Request(incoming, who, command, COMMANDS)
    waiting = memory.pending(ctx, who) if who.known and not incoming.group_id else None
    if waiting is not None and waiting.topic == memory.Topic.more and command.name == "more":
        return _postback(Incoming(IncomingKind.postback, incoming.line_user_id, data=waiting.detail.get("data", "")), who, ctx)
    answer = _answer(req, ctx, quiet)
    if waiting is not None and waiting.topic == memory.Topic.reason:
        if not answer.understood and not QUESTION.search(command.text):
            return reports.take_reason(req, ctx, waiting)
        return reports.reason_still_wanted(req, ctx, waiting, answer.replies)
    if waiting is not None and waiting.topic in lag_reasons.TOPICS:
        if not answer.understood and not QUESTION.search(command.text):
            return lag_reasons.take(req, ctx, waiting)
        memory.forget(ctx, who)  # a command (or a question) instead of 落後原因 / 因應對策: answered as one
    return answer.replies


@dataclass(frozen=True)
class _Answer:
    """The replies to a message, and whether it was read as a command (else it was searched or not understood)."""

    replies: list[Reply]
    understood: bool


def _answer(req: Request, ctx: Context, quiet: bool) -> _Answer:
    command, who = req.command, req.who
    definition = COMMANDS.get(command.name)
    if definition is not None and command.args and not strip_polite(command.args):
        # 誰還沒回報，謝謝。 is the command alone: manners after it are no arguments.
        command = Command(command.name, "", command.text)
        req = replace(req, command=command)
    if definition is not None and (who.known or not definition.linked_only):
        if quiet and command.name == "search":
            return _Answer((search.find(req, ctx, command.args) or []) if command.args else [], True)
        replies = run(req, ctx)
        if replies is not None:
            return _Answer(replies, True)
    if not who.known:
        # A stranger in a group who only happens to start a sentence with 我的… is not asking us.
        incidental = quiet and not is_filler(command.args) and command.name != "link_group"
        return _Answer([] if incidental else help.unlinked(req, ctx), False)
    if quiet:
        return _Answer([], False)
    # Not a command, or a command whose arguments were not its own (本月報表): read it as a sentence,
    # else search item names.
    plain = Request(req.incoming, who, Command("", command.text, command.text), COMMANDS)
    meant = understand(plain, ctx)
    if meant is not None and meant.kind in (MeantKind.command, MeantKind.other_year):
        return _Answer(answer_meant(plain, ctx, meant), True)
    if meant is not None:
        return _Answer(answer_meant(plain, ctx, meant), False)
    return _Answer(search.free_text(plain, ctx) or help.not_understood(plain, ctx), False)


def understand(req: Request, ctx: Context) -> Meant | None:
    """Read the message as a sentence (handlers/chat/sentences.py), knowing the office's sections and people."""
    staff = req.who.staff
    names: dict[str, str] = {}
    people: frozenset[str] = frozenset()
    if staff is not None:
        names = scopes.spoken_names(queries.sections_of(ctx.session, staff.office_id))
        people = frozenset(p.name for p in queries.staff_of_office(ctx.session, staff.office_id))
        names |= {name: name for name in people}
        if staff.role is Role.chief and staff.section is not None:  # 本課, 我們課: the chief's own section
            names |= {word: staff.section.name for word in OWN_SECTION_WORDS}
    return read_sentence(req.command.text, COMMANDS, ctx.today, names, people)


def answer_meant(req: Request, ctx: Context, meant: Meant) -> list[Reply]:
    """Answer a sentence as the command it means: exactly as if the command had been typed."""
    if meant.kind == MeantKind.command:
        return _as_typed(req, ctx, meant.text) or help.not_understood(req, ctx)
    if meant.kind == MeantKind.report:
        note = verbatim(req.incoming.text or "", meant.note)  # a note goes into the table as typed (，not ,)
        return sentence_reports.confirm(req, ctx, meant.name, meant.status, note, meant.percent)
    if meant.kind == MeantKind.search:
        found = search.find(req, ctx, meant.name)
        return found or (_as_typed(req, ctx, meant.text) if meant.text else None) or help.not_understood(req, ctx)
    if meant.kind == MeantKind.other_year:
        return [Text(M.SENTENCE_OTHER_YEAR.format(year=int(meant.text) - 1911))]
    return help.not_understood(req, ctx)  # manners only: never an item search


def _as_typed(req: Request, ctx: Context, text: str) -> list[Reply] | None:
    incoming = replace(req.incoming, text=text)
    return run(Request(incoming, req.who, COMMANDS.parse(text), COMMANDS), ctx)


def _remember_more(incoming: Incoming, who: Asker, ctx: Context, replies: list[Reply]) -> None:
    """Remember the 更多 button of a list just shown, so 更多 typed later shows the same next page."""
    if not who.known or incoming.group_id or memory.pending(ctx, who, memory.Topic.reason) is not None:
        return  # a reason still asked for outlasts a page: the page's own button still works
    for reply in replies:
        for button in getattr(reply, "quick_replies", ()):
            if button.data and postbacks.decode(button.data).get("a") == Route.more:
                memory.remember(ctx, who, memory.Topic.more, data=button.data)
                return


def _postback(incoming: Incoming, who: Asker, ctx: Context) -> list[Reply]:
    if not who.known:
        return help.unlinked(Request(incoming, who, Command("", "", ""), COMMANDS), ctx)
    fields = postbacks.decode(incoming.data)
    handler = POSTBACKS.get(fields.get("a", ""))
    if handler is None:
        return [Text(M.STALE_BUTTON)]
    return handler(Request(incoming, who, Command("", "", ""), COMMANDS), ctx, fields)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
