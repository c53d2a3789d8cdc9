"""Leave and deputies: 請假 and 銷假 in the chat, who covers whom, and what the CLI and the console share.

A person's reminders go, while they are on leave, to whoever covers them (the planner's rule in
`schedules.planner.coverage`: first deputy not on leave, else second, else the chief, else the coordinator).
Anyone may record their own leave; a chief that of their section's people; the coordinator anyone's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from handlers.core.audience import ANYONE, ASKER, Audience
from handlers.core.incoming import Context
from handlers.core.replies import Reply, Text, seen_by, to_dict
from handlers.core.request import Asker, Request
from handlers.texts import leave as L
from schedules.dates import format_date, parse_date
from schedules.plan_inputs import cover_inputs
from schedules.planner.coverage import away_on, covering
from storage import leave, outbox, queries
from storage.models import Leave, Role, Staff
from storage.text import compact, fold

NOBODY = 4  # Cover.how when nobody at all can cover
MAX_DAYS = 120  # one leave at most (a long one is recorded in parts)
_MONTH_DAY = re.compile(r"^(1[0-2]|0?[1-9])/([0-3]?[0-9])$")
_RANGE = re.compile(r"\s*(?:-|~|～|至|到)\s*")
# The chat's day words, as the command table spells them (今天, 明天, 後天 and their variants).
_DAY_OFFSETS = {"today": 0, "tomorrow": 1, "day_after_tomorrow": 2}


class DayError(ValueError):
    """A date that cannot be read; the message says so in Traditional Chinese."""


@dataclass(frozen=True)
class Cover:
    """Who covers a person on a day, and as what (0 first deputy, 1 second, 2 chief, 3 coordinator).

    `told` are the names of those a new leave was pushed to (who covers, the section chief).
    """

    deputy: Staff | None
    how: int = 0
    told: tuple[str, ...] = ()


def read_day(text: str, today: date, req: Request | None = None) -> date:
    """Return the day written as 今天/明天/後天, 12/3 (this year) or a full AD or ROC date."""
    word = compact(text)
    if req is not None:
        name = req.commands.parse(word).name
        if name in _DAY_OFFSETS and req.commands.parse(word).args == "":
            return today + timedelta(days=_DAY_OFFSETS[name])
    m = _MONTH_DAY.match(word)
    try:
        if m:
            return date(today.year, int(m.group(1)), int(m.group(2)))
        return parse_date(word)
    except ValueError as exc:
        raise DayError(L.LEAVE_BAD_DAY.format(text=text)) from exc


def read_span(text: str, today: date, req: Request | None = None) -> tuple[date, date]:
    """Return the first and last day of 12/3, 12/3-12/5, 明天 …; a yearless end before its start is next year's."""
    parts = _RANGE.split(fold(text).strip(), maxsplit=1)
    if not parts or not parts[0]:
        raise DayError(L.LEAVE_BAD_DAY.format(text=text))
    start = read_day(parts[0], today, req)
    end = read_day(parts[1], today, req) if len(parts) > 1 else start
    if end < start and _MONTH_DAY.match(compact(parts[-1])):
        try:
            end = end.replace(year=end.year + 1)
        except ValueError as exc:
            raise DayError(L.LEAVE_BAD_DAY.format(text=parts[-1])) from exc
    if end < start:
        raise DayError(L.LEAVE_BACKWARDS.format(start=format_date(start), end=format_date(end)))
    if (end - start).days + 1 > MAX_DAYS:
        raise DayError(L.LEAVE_TOO_LONG.format(days=MAX_DAYS))
    return start, end


def span_text(start: date, end: date) -> str:
    """Return 12/3（二） or 12/3（二）～12/5（四）（3 天）."""
    if start == end:
        return L.SPAN_ONE.format(day=format_date(start))
    return L.SPAN_MANY.format(start=format_date(start), end=format_date(end), days=(end - start).days + 1)


def deputy_choices(session: Session, staff: Staff) -> list[Staff]:
    """Return who may be the person's deputy: the office's active staff but the person, by name."""
    return [s for s in queries.staff_of_office(session, staff.office_id) if s.active and s.id != staff.id]


def set_deputies_by_id(session: Session, staff: Staff, first_id: int | None, second_id: int | None,
                       now: datetime, actor: str) -> str | None:
    """Set the person's deputies from the console's choices; return why not (nothing changed), else None."""
    if first_id is None and second_id is not None:
        return L.DEPUTY_SECOND_ONLY
    if first_id is not None and first_id == second_id:
        return L.DEPUTY_TWICE
    allowed = {s.id: s for s in deputy_choices(session, staff)}
    chosen = [allowed.get(i) if i is not None else None for i in (first_id, second_id)]
    if any(i is not None and c is None for i, c in zip((first_id, second_id), chosen, strict=True)):
        return L.DEPUTY_NOT_HERE
    leave.set_deputies(session, staff, chosen[0], chosen[1])
    queries.audit(session, now, actor, "staff.deputies", staff=staff.name,
                  first=chosen[0].name if chosen[0] else None, second=chosen[1].name if chosen[1] else None)
    return None


def who_covers(session: Session, staff: Staff, day: date) -> Cover:
    """Return who covers the person on the day (the planner's rule, on the day's leaves)."""
    office = cover_inputs(session, staff.office_id, day)
    away = away_on(office, day) | {staff.id}
    found = covering(office, staff.id, away)
    if found is None:
        return Cover(None, NOBODY)
    person = next(p for p in office.people if p.id == found)
    me = next((p for p in office.people if p.id == staff.id), None)
    if me is not None and found in me.deputies:
        how = me.deputies.index(found)
    else:
        how = 2 if person.role == Role.chief else 3
    return Cover(session.get(Staff, found), how)


def covered_owner_on_leave(session: Session, who: Staff, owners: list[Staff], day: date) -> Staff | None:
    """Return the owner on leave on the day whom the person covers, if any (a deputy may report for them)."""
    for owner in owners:
        if owner.id == who.id or leave.leave_on(session, owner.id, day) is None:
            continue
        cover = who_covers(session, owner, day)
        if cover.deputy is not None and cover.deputy.id == who.id:
            return owner
    return None


def on_leave_note(session: Session, staff: Staff, day: date) -> str | None:
    """Return 「請假中，由 X 代理」 while the person is on leave on the day, else None."""
    if leave.leave_on(session, staff.id, day) is None:
        return None
    cover = who_covers(session, staff, day)
    return L.ON_LEAVE.format(name=cover.deputy.name) if cover.deputy else L.ON_LEAVE_NOBODY


def save_leave(session: Session, staff: Staff, start: date, end: date, now: datetime, actor: str,
               kind: str = "", reason: str = "", recorder: Staff | None = None) -> tuple[Leave, Cover]:
    """Record the leave with its audit entry, tell who covers and the chief; return it and who covers its first day.

    Chat, CLI, console and the CSV import all record leave here, so everyone concerned hears of it the same way.
    `recorder` (who typed it, if a person) is not told what they just did.
    """
    row = leave.add_leave(session, staff, start, end, now, actor, kind, reason)
    queries.audit(session, now, actor, "leave.add", staff=staff.name, starts=start.isoformat(), ends=end.isoformat())
    cover = who_covers(session, staff, start)
    return row, replace(cover, told=tell_about_leave(session, row, cover, now, recorder))


def tell_about_leave(session: Session, row: Leave, cover: Cover, now: datetime, recorder: Staff | None) -> tuple[str, ...]:
    """Queue a push to whoever covers (what and until when) and to the section chief; return who will be told."""
    staff, span = row.staff, span_text(row.starts, row.ends)
    notices: dict[int, tuple[Staff, str]] = {}
    for chief in section_chiefs(session, staff):
        if cover.deputy is None:
            notices[chief.id] = (chief, L.LEAVE_PUSH_CHIEF_NOBODY.format(name=staff.name, span=span))
        else:
            notices[chief.id] = (chief, L.LEAVE_PUSH_CHIEF.format(name=staff.name, span=span, deputy=cover.deputy.name))
    if cover.deputy is not None:  # the deputy's notice says more; a chief who covers gets that one
        notices[cover.deputy.id] = (cover.deputy, L.LEAVE_PUSH_DEPUTY.format(
            name=staff.name, span=span, how=L.DEPUTY_HOW[cover.how], end=format_date(row.ends)))
    told = []
    for person, text in notices.values():
        if person.id in (staff.id, recorder.id if recorder else None):
            continue
        if not person.active or not person.line_user_id or not person.following:
            continue
        key = f"leave:{row.id}:{person.id}:{now.isoformat()}"
        if outbox.queue_notice(session, key, person.line_user_id, person.id, "leave", {"replies": [to_dict(Text(text))]}, now):
            told.append(person.name)
    return tuple(told)


def section_chiefs(session: Session, staff: Staff) -> list[Staff]:
    """Return the chiefs of the person's section (none for a person with no section, or a chief themselves)."""
    if staff.section_id is None or staff.role is Role.chief:
        return []
    return [p for p in queries.staff_of_office(session, staff.office_id)
            if p.role is Role.chief and p.section_id == staff.section_id and p.active]


def may_set_leave_of(who: Asker, target: Staff) -> str | None:
    """Return why the person may not record the target's leave (None: they may)."""
    me = who.staff
    if me is None or target.office_id != me.office_id:
        return L.LEAVE_NO_SUCH_PERSON.format(name=target.name)
    if target.id == me.id or who.role is Role.coordinator:
        return None
    if who.role is Role.chief:
        return None if target.section_id == me.section_id else L.LEAVE_REFUSED_SECTION.format(name=target.name)
    return L.LEAVE_REFUSED_OTHERS


def _target(req: Request, ctx: Context, args: str) -> tuple[Staff | None, str]:
    """Split 「陳怡君 12/3-12/5」 into the person named (if the first word is a name on the roster) and the rest."""
    me = req.who.staff
    words = fold(args).split(None, 1)
    if words and not any(ch.isdigit() for ch in words[0]):
        named = queries.staff_by_name(ctx.session, me.office_id, words[0])
        if named is not None and named.active:
            return named, words[1] if len(words) > 1 else ""
    return None, args


def ask_leave(req: Request, ctx: Context) -> list[Reply]:
    """Answer 請假 [姓名] 日期: record the leave and say who covers."""
    me = req.who.staff
    named, rest = _target(req, ctx, req.args)
    target = named or me
    if not fold(rest):
        return [Text(L.LEAVE_HOW)]
    refused = may_set_leave_of(req.who, target)
    if refused:
        return [Text(refused)]
    return seen_by(_readers(req.who, target), _record_leave(req, ctx, target, rest))


def _record_leave(req: Request, ctx: Context, target: Staff, rest: str) -> list[Reply]:
    me = req.who.staff
    try:
        start, end = read_span(rest, ctx.today, req)
    except DayError as exc:
        return [Text(str(exc))]
    if start < ctx.today:
        return [Text(L.LEAVE_PAST.format(day=format_date(start)))]
    if not any(ctx.calendar.is_working_day(start + timedelta(days=n)) for n in range((end - start).days + 1)):
        return [Text(L.LEAVE_REST_DAY.format(span=span_text(start, end)))]
    _row, cover = save_leave(ctx.session, target, start, end, ctx.now, req.who.actor, recorder=me)
    told = "\n" + L.LEAVE_TOLD.format(names=L.NAMES_SEP.join(cover.told)) if cover.told else ""
    if cover.deputy is None:
        return [Text(L.LEAVE_SAVED_NOBODY.format(name=target.name, span=span_text(start, end)) + told)]
    return [Text(L.LEAVE_SAVED.format(name=target.name, span=span_text(start, end), deputy=cover.deputy.name,
                                      how=L.DEPUTY_HOW[cover.how]) + told)]


def _readers(who: Asker, target: Staff) -> Audience:
    """Return who may read an answer about a person's leave: anyone for one's own, the asker alone for another's
    (their dates, who covers them)."""
    return ASKER if who.staff is not None and target.id != who.staff.id else ANYONE


def back(req: Request, ctx: Context) -> list[Reply]:
    """Answer 銷假 [姓名]: the running leave ends yesterday (one not yet begun is taken back)."""
    me = req.who.staff
    named, _rest = _target(req, ctx, req.args)
    target = named or me
    if target.id != me.id and may_set_leave_of(req.who, target):
        return [Text(L.LEAVE_REFUSED_BACK)]
    return seen_by(_readers(req.who, target), _end_leave(req, ctx, target))


def _end_leave(req: Request, ctx: Context, target: Staff) -> list[Reply]:
    row = leave.next_leave(ctx.session, target.id, ctx.today)
    if row is None:
        return [Text(L.LEAVE_NOTHING.format(name=target.name))]
    span = span_text(row.starts, row.ends)
    how = L.LEAVE_BACK_REMOVED if row.starts >= ctx.today else L.LEAVE_BACK_ENDED
    leave.end_leave(ctx.session, row, ctx.today)
    queries.audit(ctx.session, ctx.now, req.who.actor, "leave.back", staff=target.name, day=ctx.today.isoformat())
    text = L.LEAVE_BACK.format(name=target.name, span=span, how=how)
    later = leave.leaves_from(ctx.session, target.id, ctx.today)
    if later:  # 銷假 takes back one leave: say exactly what is still recorded
        text += "\n" + L.LEAVE_STILL.format(spans=L.NAMES_SEP.join(span_text(r.starts, r.ends) for r in later))
    return [Text(text)]


def leave_notes(session: Session, office_id: int, day: date) -> dict[int, str]:
    """Return, per person on leave on the day, 「請假中，由 X 代理」 (one query for the office, then who covers)."""
    notes = {}
    for row in leave.leaves_of_office(session, office_id, day, day):
        cover = who_covers(session, row.staff, day)
        notes[row.staff_id] = L.ON_LEAVE.format(name=cover.deputy.name) if cover.deputy else L.ON_LEAVE_NOBODY
    return notes


def with_note(staff: Staff, notes: dict[int, str]) -> str:
    """Return the name, with 「（請假中，由 X 代理）」 while a leave runs."""
    note = notes.get(staff.id)
    return L.NAME_WITH_NOTE.format(name=staff.name, note=note) if note else staff.name
