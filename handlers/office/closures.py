"""Closures announced from the chat: 停班 明天 / 7/25 / 7/24-7/25 and 取消停班 7/25, by the coordinator.

The first message lists the due dates the change moves and asks to confirm (a button); the confirmation
records it as the console's 行事曆 and `planbot calendar` do, then queues one short push per owner whose
date moved (the outbox sends it, counted against the quota). A closure already set changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from handlers.core import postbacks
from handlers.core.agenda import item_occurrences, number_key
from handlers.core.incoming import Context
from handlers.core.leave import DayError, read_span
from handlers.core.replies import Button, Reply, Text, to_dict
from handlers.core.request import Request
from handlers.office import calendar_changes
from handlers.office.calendar_changes import leaving_year, moved_day
from handlers.texts import leave as L
from schedules.calendar import WorkCalendar
from schedules.dates import format_date
from storage import outbox, queries
from storage.models import Item, OverrideKind, Role, Staff

MAX_DAYS = 7  # a closure from the chat is a few typhoon days, not a season
SHOWN = 15  # moved dates listed in the confirmation
Told = dict[int, set[tuple[int, date]]]


@dataclass(frozen=True)
class Move:
    """One occurrence whose due date the change moves, with the item (for its owners)."""

    item: Item
    label: str
    before: date
    after: date


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def days_text(days: list[date]) -> str:
    """Return 7/25（四） or 7/24（三）～7/25（四）."""
    return format_date(days[0]) if len(days) == 1 else f"{format_date(days[0])}～{format_date(days[-1])}"


def changed_calendar(calendar: WorkCalendar, days: list[date], closing: bool) -> WorkCalendar:
    """Return the calendar with the days closed (reusing the console's rule), or with their closures lifted."""
    if closing:
        for day in days:
            calendar = calendar_changes.with_change(calendar, day, OverrideKind.closure)
        return calendar
    return WorkCalendar(closures=set(calendar.closures) - set(days), workdays=set(calendar.workdays))


def moves(session: Session, office_id: int, before: WorkCalendar, after: WorkCalendar, years: set[int]) -> list[Move]:
    """Return every due date of the office's plans for those years that moves from one calendar to the other."""
    out: list[Move] = []
    for year in sorted(years):
        plan = queries.plan_for(session, office_id, year)
        if plan is None:
            continue
        for item in queries.items_of_plan(session, plan.id):
            old = {o.key: o for o in item_occurrences(item, year, before)}
            for occ in item_occurrences(item, year, after):
                was = old.get(occ.key)
                if was is not None and was.due != occ.due:
                    out.append(Move(item, occ.label or occ.key, was.due, occ.due))
    return sorted(out, key=lambda m: (m.before, m.item.section.name, number_key(m.item.number)))


def _to_change(calendar: WorkCalendar, days: list[date], closing: bool) -> list[date]:
    return [d for d in days if (d in calendar.closures) != closing]


def _read(req: Request, ctx: Context, text: str) -> list[date] | str:
    try:
        start, end = read_span(text, ctx.today, req)
    except DayError:
        return L.CLOSURE_HOW
    if (end - start).days + 1 > MAX_DAYS:
        return L.CLOSURE_HOW
    return _days(start, end)


def close(req: Request, ctx: Context) -> list[Reply]:
    """Answer 停班 DAYS: list what it moves and ask to confirm."""
    return _ask(req, ctx, closing=True)


def reopen(req: Request, ctx: Context) -> list[Reply]:
    """Answer 取消停班 DAYS: list what it moves back and ask to confirm."""
    return _ask(req, ctx, closing=False)


def split_reason(req: Request, ctx: Context, args: str) -> tuple[str, str]:
    """Split 「7/24-7/25 凱米颱風」 into the days as written and the reason after them (the longest readable start)."""
    words = args.split()
    for n in range(len(words), 0, -1):
        try:
            read_span(" ".join(words[:n]), ctx.today, req)
        except DayError:
            continue
        return " ".join(words[:n]), " ".join(words[n:])
    return args, ""


def _ask(req: Request, ctx: Context, closing: bool) -> list[Reply]:
    if not req.args.strip():
        return [Text(L.CLOSURE_HOW)]
    written, reason = split_reason(req, ctx, req.args.strip()) if closing else (req.args, "")
    days = _read(req, ctx, written)
    if isinstance(days, str):
        return [Text(days)]
    past = calendar_changes.first_past(days, ctx.today)
    if past is not None:
        return [Text(L.CLOSURE_PAST.format(day=format_date(past)))]
    calendar = ctx.calendar
    todo = _to_change(calendar, days, closing)
    if not todo:
        return [Text((L.CLOSURE_ALREADY if closing else L.CLOSURE_NOT_SET).format(days=days_text(days)))]
    if closing and not reason:  # a closure is recorded with its reason, as the console and the CLI require
        typed = f"{req.label('closure')} {written}"
        options = tuple(Button(r, text=f"{typed} {r}") for r in L.CLOSURE_REASONS)
        return [Text(L.CLOSURE_ASK_REASON.format(days=days_text(days), example=f"{typed} {L.CLOSURE_REASONS[0]}"), options)]
    return [preview(ctx.session, req.who.staff.office_id, calendar, todo, closing, reason)]


def preview(session: Session, office_id: int, calendar: WorkCalendar, days: list[date], closing: bool,
            reason: str = "") -> Text:
    """Return the question 停班 asks: the due dates closing the days (or lifting their closure) moves, with 確定 / 不用了."""
    after = changed_calendar(calendar, days, closing)
    moved = moves(session, office_id, calendar, after, {d.year for d in days})
    head = (L.CLOSURE_ASK.format(days=days_text(days), reason=reason or L.CLOSURE_REASON) if closing
            else L.CLOSURE_CANCEL_ASK.format(days=days_text(days)))
    text = "\n".join([head, "", *moved_lines(moved)])
    op = "close" if closing else "open"
    fields = {"op": op, "f": days[0].isoformat(), "t": days[-1].isoformat()}
    while reason and not postbacks.fits(postbacks.Route.closure, **fields, r=reason):
        reason = reason[:-1]
    confirm = postbacks.button(L.CLOSURE_CONFIRM, postbacks.Route.closure, **fields, r=reason or None)
    drop = postbacks.button(L.CLOSURE_CANCEL_BUTTON, postbacks.Route.closure, op="drop")
    return Text(text, (confirm, drop))


def moved_lines(moved: list[Move]) -> list[str]:
    """Return the lines that list what a change moves (the first ones, a count of the rest, leaving the year)."""
    if not moved:
        return [L.CLOSURE_MOVES_NONE]
    lines = [L.CLOSURE_MOVES.format(count=len(moved))]
    for m in moved[:SHOWN]:
        lines.append(L.CLOSURE_MOVE_LINE.format(number=m.item.number, title=m.item.title[:30], label=m.label,
                                                before=format_date(m.before), after=moved_day(m.before, m.after)))
    if len(moved) > SHOWN:
        lines.append(L.CLOSURE_MORE.format(count=len(moved) - SHOWN))
    out_of_year = leaving_year([(m.before, m.after) for m in moved])
    return [*lines, out_of_year] if out_of_year else lines


def on_closure(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Apply the confirmed closure (or its cancellation) and queue one push per owner whose date moved."""
    if req.who.role is not Role.coordinator:
        return [Text(L.CLOSURE_REFUSED)]
    op = fields.get("op", "")
    if op == "drop":
        return [Text(L.CLOSURE_DROPPED)]
    try:
        start, end = date.fromisoformat(fields.get("f", "")), date.fromisoformat(fields.get("t", ""))
    except ValueError:
        return [Text(L.CLOSURE_HOW)]
    if op not in ("close", "open") or end < start or (end - start).days + 1 > MAX_DAYS:
        return [Text(L.CLOSURE_HOW)]
    closing = op == "close"
    days = _days(start, end)
    past = calendar_changes.first_past(days, ctx.today)
    if past is not None:  # a confirmation kept past its day, or a forged one
        return [Text(L.CLOSURE_PAST.format(day=format_date(past)))]
    reason = fields.get("r", "").strip()[:200] or L.CLOSURE_REASON
    change = apply_change(ctx.session, req.who.staff.office_id, req.who.actor, ctx.calendar, days, closing, reason, ctx.now)
    if not change.days:  # confirmed twice, or set meanwhile: nothing changes, nobody is told again
        return [Text((L.CLOSURE_ALREADY if closing else L.CLOSURE_NOT_SET).format(days=days_text(days)))]
    told_text = L.CLOSURE_TOLD.format(count=change.told) if change.told else L.CLOSURE_TOLD_NONE
    done = L.CLOSURE_DONE if closing else L.CLOSURE_CANCELLED
    return [Text("\n".join([done.format(days=days_text(change.days), told=told_text), "", *moved_lines(change.moved)]))]


@dataclass(frozen=True)
class Change:
    """What applying a closure (or lifting it) did: the days that changed, the dates moved, the owners told."""

    days: list[date]
    moved: list[Move]
    told: int


def apply_change(session: Session, office_id: int, actor: str, calendar: WorkCalendar, days: list[date], closing: bool,
                 reason: str, now: datetime, told_before: Told | None = None, source: str = "") -> Change:
    """Close the days (or lift their closure) and queue one push per owner whose date moved; a day already so changes nothing.

    The chat's 確定 and the closure announcements both come here, so a closure moves dates one way wherever it comes from.
    `told_before` (staff id -> the (item id, due date) pairs pushed to them this morning) marks a push as a correction;
    `source` (where the closure was announced) ends each push.
    """
    todo = _to_change(calendar, days, closing)
    if not todo:
        return Change([], [], 0)
    after = changed_calendar(calendar, todo, closing)
    moved = moves(session, office_id, calendar, after, {d.year for d in todo})
    for day in todo:
        if closing:
            queries.set_override(session, office_id, day, OverrideKind.closure, reason[:200])
            queries.audit(session, now, actor, f"calendar.{OverrideKind.closure.value}", day=day.isoformat(), reason=reason)
        else:
            queries.remove_override(session, office_id, day, OverrideKind.closure)
            queries.audit(session, now, actor, "calendar.closure_removed", day=day.isoformat())
    return Change(todo, moved, _tell_owners(session, now, moved, todo, closing, told_before or {}, source))


def _tell_owners(session: Session, now: datetime, moved: list[Move], days: list[date], closing: bool, told_before: Told,
                 source: str) -> int:
    """Queue one short push per owner whose date moved; return how many people will be told."""
    per_owner: dict[int, list[Move]] = defaultdict(list)
    owners: dict[int, Staff] = {}
    for m in moved:
        for owner in m.item.owners:
            per_owner[owner.id].append(m)
            owners[owner.id] = owner
    key_days = f"{days[0].isoformat()}~{days[-1].isoformat()}"
    told = 0
    for owner_id, mine in per_owner.items():
        owner = owners[owner_id]
        if not owner.active or not owner.line_user_id or not owner.following:
            continue
        lines = "\n".join(
            L.CLOSURE_PUSH_LINE.format(title=m.item.title[:30], label=m.label, before=format_date(m.before),
                                       after=moved_day(m.before, m.after))
            for m in mine[:SHOWN]
        )
        earlier = told_before.get(owner_id, set())
        corrects = any((m.item.id, m.before) in earlier for m in mine)
        head = (L.CLOSURE_PUSH_CORRECTION if corrects else L.CLOSURE_PUSH) if closing else L.CLOSURE_PUSH_CANCEL
        text = head.format(days=days_text(days), lines=lines)[:4800] + (f"\n{source}" if source else "")
        key = f"calendar:{'close' if closing else 'open'}:{key_days}:{owner_id}:{now.isoformat()}"
        if outbox.queue_notice(session, key, owner.line_user_id, owner_id, "calendar", {"replies": [to_dict(Text(text))]}, now):
            told += 1
    return told
