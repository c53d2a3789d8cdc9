"""落後原因 and 因應對策 from the owner, in the chat: two short answers after an overdue reminder or a 延後.

The question is asked once per occurrence (`LagReason.asked_at`); the owner may tap 稍後再填 and answer later
from the overdue reminder's 說明落後原因 button. A command typed instead of an answer is a command (the router
drops the question). Owners, a deputy covering them, their chief and the coordinator may write them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from handlers.chat import memory
from handlers.core import access, postbacks
from handlers.core.agenda import item_occurrences
from handlers.core.due_text import clip
from handlers.core.incoming import Context
from handlers.core.replies import Button, Reply, Text, seen_by
from handlers.core.request import Request
from handlers.documents.item_cards import occurrence_label
from handlers.documents.review import behind_now
from handlers.texts import chat as M
from handlers.texts import review as V
from storage import queries
from storage.models import Item, LagReason, Via

LIMIT = 100  # characters of each answer: a line of the report, not an essay
CAUSE, REMEDY = memory.Topic.cause, memory.Topic.remedy
TOPICS = (CAUSE, REMEDY)


def reason_of(session: Session, item_id: int, key: str) -> LagReason | None:
    return session.scalar(select(LagReason).where(LagReason.item_id == item_id, LagReason.occurrence_key == key))


def _row(ctx: Context, item: Item, key: str) -> LagReason:
    row = reason_of(ctx.session, item.id, key)
    if row is None:
        try:
            with ctx.session.begin_nested():  # a tap and a typed answer at the same moment may insert first
                row = LagReason(item_id=item.id, occurrence_key=key, cause="", remedy="")
                ctx.session.add(row)
        except IntegrityError:
            row = reason_of(ctx.session, item.id, key)
    return row


def problem(text: str) -> str | None:
    """Return what is wrong with an answer (empty, too long), else None."""
    text = text.strip()
    if not text:
        return V.EMPTY
    if len(text) > LIMIT:
        return V.TOO_LONG.format(count=len(text), limit=LIMIT)
    return None


def save(ctx: Context, actor: str, staff_id: int | None, item: Item, key: str, cause: str | None = None,
         remedy: str | None = None, now: datetime | None = None) -> LagReason:
    """Write the cause and/or the remedy of one occurrence (checked by the caller), with who and when."""
    row = _row(ctx, item, key)
    if cause is not None:
        row.cause = cause.strip()
    if remedy is not None:
        row.remedy = remedy.strip()
    row.written_by, row.written_at = staff_id, now or ctx.now
    row.asked_at = row.asked_at or row.written_at
    queries.audit(ctx.session, row.written_at, actor, "review.reason", item_id=item.id, occurrence=key,
                  cause=row.cause, remedy=row.remedy)
    ctx.session.flush()
    return row


def ask(ctx: Context, req: Request, item: Item, key: str) -> list[Reply]:
    """Ask the 落後原因 of the occurrence (the next message is the answer), with 稍後再填."""
    row = _row(ctx, item, key)
    row.asked_at = ctx.now
    memory.remember(ctx, req.who, CAUSE, i=item.id, o=key)
    # Correcting (the chief, or the owner again) goes through the same two questions, showing what is kept now.
    now = V.ASK_CAUSE_NOW.format(cause=row.cause or V.NOT_WRITTEN, remedy=row.remedy or V.NOT_WRITTEN) if written(row) else ""
    question = V.ASK_CAUSE.format(number=item.number, title=clip(item.title, 30), occ=_occ(ctx, item, key), limit=LIMIT)
    return [Text(now + question, (postbacks.button(V.BUTTON_LATER, postbacks.Route.why_later),))]


def written(row: LagReason | None) -> bool:
    return row is not None and bool(row.cause or row.remedy)


def _occ(ctx: Context, item: Item, key: str) -> str:
    occ = next((o for o in item_occurrences(item, item.plan.year, ctx.calendar) if o.key == key), None)
    return f"（{occurrence_label(occ)}）" if occ else ""


def on_explain(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Answer the 說明落後原因 button: check the person and that the occurrence is behind, then ask."""
    item_id = postbacks.int_field(fields, "i")
    item = ctx.session.get(Item, item_id) if item_id is not None else None
    if item is None or not access.in_office(req.who, item):
        return [Text(M.STALE_BUTTON)]
    return seen_by(access.item_audience(req.who, item), _explain(req, ctx, item, fields.get("o", "")))


def _explain(req: Request, ctx: Context, item: Item, key: str) -> list[Reply]:
    if not access.may_report(req.who, item, ctx.today):
        return [Text(V.NOT_YOURS.format(item=clip(f"{item.number} {item.title}", 40)))]
    if key not in {d.occ.key for d in behind_now(ctx.session, item, ctx.today, ctx.calendar)}:
        return [Text(V.NOTHING_BEHIND.format(number=item.number, title=clip(item.title, 30)))]
    return ask(ctx, req, item, key)


def on_later(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """稍後再填: stop waiting; the reminder's button asks again."""
    waiting = memory.pending(ctx, req.who)
    if waiting is None or waiting.topic not in TOPICS:
        return [Text(M.STALE_BUTTON)]
    memory.forget(ctx, req.who)
    item = ctx.session.get(Item, waiting.detail.get("i", 0))
    return [Text(V.LATER.format(number=item.number if item else ""))]


def take(req: Request, ctx: Context, waiting: memory.Pending) -> list[Reply]:
    """Keep the message as the answer the bot waits for (cause, then remedy); a bad answer is asked again."""
    item = ctx.session.get(Item, waiting.detail.get("i", 0))
    key = waiting.detail.get("o", "")
    if item is None or not access.may_report(req.who, item, ctx.today):
        memory.forget(ctx, req.who)
        return [Text(M.STALE_BUTTON)]
    text = (req.incoming.text or "").strip()
    wrong = problem(text)
    if wrong:
        memory.remember(ctx, req.who, waiting.topic, **waiting.detail)  # still waiting, for as long again
        return [Text(wrong, (postbacks.button(V.BUTTON_LATER, postbacks.Route.why_later),))]
    staff_id = req.who.staff.id if req.who.staff else None
    if waiting.topic == CAUSE:
        save(ctx, req.who.actor, staff_id, item, key, cause=text)
        memory.remember(ctx, req.who, REMEDY, i=item.id, o=key)
        asked = V.ASK_REMEDY_AFTER_NOTE.format(cause=clip(text, 60), limit=LIMIT)  # says the cause was kept
        return [Text(asked, (postbacks.button(V.BUTTON_LATER, postbacks.Route.why_later),))]
    row = save(ctx, req.who.actor, staff_id, item, key, remedy=text)
    memory.forget(ctx, req.who)
    return [Text(V.KEPT.format(number=item.number, title=clip(item.title, 30), occ=_occ(ctx, item, key),
                               cause=row.cause or V.NOT_WRITTEN, remedy=row.remedy))]


def after_delay(req: Request, ctx: Context, item: Item, key: str, note: str) -> str | None:
    """After a 延後 with its reason: keep the reason as 落後原因 and ask the 因應對策, once per occurrence.

    Returns the question to add to the confirmation (None when it was asked before or is already answered).
    """
    if req.who.via != Via.line:
        return None  # the console's cell page has the form for both beside the report
    row = reason_of(ctx.session, item.id, key)
    if row is not None and (row.asked_at is not None or row.remedy):
        return None
    note = note.strip()
    if problem(note):
        ask(ctx, req, item, key)  # the note is no short reason: ask for one
        return V.ASK_CAUSE.format(number=item.number, title=clip(item.title, 30), occ=_occ(ctx, item, key), limit=LIMIT)
    save(ctx, req.who.actor, req.who.staff.id if req.who.staff else None, item, key, cause=note)
    memory.remember(ctx, req.who, REMEDY, i=item.id, o=key)
    return V.ASK_REMEDY_AFTER_NOTE.format(cause=note, limit=LIMIT)


def after_done_late(req: Request, ctx: Context, item: Item, key: str) -> str | None:
    """After a 完成 past the occurrence's day with no reason kept: ask its 落後原因 (then 因應對策), once.

    Returns the question to add to the confirmation (None: done on time, asked before, or already written).
    """
    if req.who.via != Via.line:
        return None  # the console's forms show the reasons beside the report
    row = reason_of(ctx.session, item.id, key)
    if row is not None and (row.asked_at is not None or written(row)):
        return None
    due = next((d for d in behind_now(ctx.session, item, ctx.today, ctx.calendar) if d.occ.key == key), None)
    if due is None or not due.done:
        return None
    ask(ctx, req, item, key)
    late = due.state(ctx.today, ctx.calendar).late
    return V.ASK_CAUSE_DONE_LATE.format(number=item.number, title=clip(item.title, 30), occ=_occ(ctx, item, key),
                                        days=late.working_days if late else 0, limit=LIMIT)


def reason_button(item: Item, key: str, row: LagReason | None, label: str | None = None) -> Button:
    """Return the button that asks the two questions: 修改落後原因 when they were written, else 說明落後原因."""
    return postbacks.button(label or (V.BUTTON_EDIT if written(row) else V.BUTTON_EXPLAIN), postbacks.Route.why, i=item.id, o=key)


def explain_button(item_id: int, key: str):
    """Return the 說明落後原因 button of an overdue reminder."""
    return postbacks.button(V.BUTTON_EXPLAIN, postbacks.Route.why, i=item_id, o=key)
