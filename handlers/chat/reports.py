"""回報 12 完成 / 50% / 延遲 …, and the 完成 / 進行中 / 延後 buttons: record progress on an occurrence."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select

from handlers.chat import backfill, lag_reasons, memory, search
from handlers.core import access, item_lookup, paging, postbacks, scopes
from handlers.core.agenda import (
    UNDO,
    UNDONE_TO_NOTHING,
    Due,
    agenda,
    current_occurrence,
    item_occurrences,
    latest_report,
    open_occurrence,
    seen_report,
)
from handlers.core.commands import StatusSaid, read_status, verbatim
from handlers.core.due_text import button_names, clip, list_names, occurrence_text
from handlers.core.incoming import Context
from handlers.core.replies import MAX_MESSAGES, MAX_QUICK_REPLIES, Button, Reply, Text, seen_by
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import leave as L
from handlers.texts import review as RV
from schedules.dates import MONTH_NUMBER, format_date, format_month_day, month_number
from schedules.occurrences import Occurrence, OccurrenceKind
from storage import leave, queries
from storage.models import Item, Plan, ProgressReport, Status, Via

# Which occurrence: 3月, 4/29, 第1季, 上半年 or 全年, written between the 編號 and the status.
WHICH = re.compile(
    rf"^(?:(?P<month>{MONTH_NUMBER})月份?"
    r"|(?P<mm>1[0-2]|0?[1-9])/(?P<dd>[0-3]?\d)"
    r"|第(?P<q>[1-4一二三四])季|(?P<label>上半年|下半年|全年))"
)
# A month that does not exist (13月, 0月): said instead of being taken as a note.
BAD_MONTH = re.compile(r"^(?:\d+|十[三-九]|[二三四五六七八九]十[一-九]?)\s*月")
HALVES = {"上半年": (1, 6), "下半年": (7, 12), "全年": (1, 12)}
QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
NOTE_SHOWN = 200
UNDO_WITHIN = timedelta(hours=24)
OVERDUE_OFFERED = 3  # the latest missed occurrences offered as buttons; older ones are named with a month
AFTER_REPORT = ("mine", "overdue", "this_week")  # the buttons under a confirmation
ASK_BUTTONS = (
    (M.BUTTON_DONE, Status.done, None),
    (M.BUTTON_IN_PROGRESS, Status.in_progress, None),
    (M.BUTTON_HALF, Status.in_progress, 50),
    (M.BUTTON_DELAYED, Status.delayed, None),
    (M.BUTTON_NOT_STARTED, Status.not_started, None),
)


@dataclass(frozen=True)
class Said:
    """What came after the 編號: which occurrence (as written), and the status with its note."""

    which: re.Match | None
    status: StatusSaid | None
    rest: str


def read_said(text: str, typed: str = "") -> Said:
    """Read [which occurrence] [status [note]] from the text after the 編號; notes come back as `typed` has them."""
    text = text.strip()
    which = WHICH.match(text)
    if which:
        text = text[which.end() :].strip()
    status = read_status(text)
    if status is not None and status.note and typed:
        status = replace(status, note=verbatim(typed, status.note))
    rest = "" if status else text.strip(" ：:，,")
    return Said(which, status, verbatim(typed, rest) if typed and rest else rest)


def report(req: Request, ctx: Context) -> list[Reply]:
    """Answer 回報 [課室] 編號 [月份] 狀態 [備註]: record it, or ask what is missing."""
    plan = access.current_plan(ctx, req.who)
    if plan is None:
        return [Text(M.NO_PLAN)]
    if not req.args.strip():
        return pick_item(req, ctx, plan)
    numbered = item_lookup.read_number(ctx.session, plan, req.args)
    if numbered is None:
        return by_name(req, ctx, plan)
    if numbered.section_text:
        sections = queries.sections_of(ctx.session, plan.office_id)
        return [Text(M.UNKNOWN_SECTION.format(name=clip(numbered.section_text, 20), sections=scopes.sections_list(sections)))]
    items = item_lookup.items_numbered(ctx.session, plan, numbered.number, numbered.section)
    candidates = items if numbered.section else item_lookup.preferred(req.who, items)
    first = next((i for i in candidates if access.may_report(req.who, i, ctx.today)), None)
    subs = _reportable_sub_items(req, ctx, plan, numbered) if first is None else []
    # The answer is about the items the asker may report on: their sections' (or theirs to share).
    seen = access.items_audience(req.who, [first] if first is not None else subs)
    return seen_by(seen, _report_numbered(req, ctx, numbered, items, candidates, subs))


def _report_numbered(req: Request, ctx: Context, numbered: item_lookup.Numbered, items: list[Item], candidates: list[Item],
                     subs: list[Item]) -> list[Reply]:
    if not items and not subs:
        where = M.REPORT_IN_SECTION.format(section=numbered.section.name) if numbered.section else ""
        return [Text(M.REPORT_NOT_FOUND.format(number=numbered.number, where=where))]
    many = backfill.read_many(numbered.rest)  # 1-10月 / 全部: several occurrences at once
    said = read_said(many.rest if many else numbered.rest, req.incoming.text)
    if said.status is not None and said.status.percent is not None and said.status.percent > 100:
        return [Text(M.REPORT_BAD_PERCENT)]
    if said.which is None and BAD_MONTH.match(said.rest):
        return [Text(M.REPORT_BAD_MONTH)]
    if subs:
        # 回報 6 from the owner of 6-3 and 6-4 means one of those, not another section's 6.
        candidates = subs
        if len(candidates) > 1:
            return ask_which(req, ctx, candidates, said, M.NUMBER_SUB_ITEMS.format(number=numbered.number))
    if many and len(candidates) > 1:
        return backfill.pick_section(candidates, numbered.number, many)
    if len(candidates) > 1:
        return ask_which(req, ctx, candidates, said, M.NUMBER_MANY.format(number=numbered.number))
    item = candidates[0]
    if not access.may_report(req.who, item, ctx.today):
        return [Text(M.REFUSE_REPORT.format(item=clip(f"{item.number} {item.title}", 40)))]
    return seen_by(access.item_audience(req.who, item), _report_item(req, ctx, item, many, said))


def _report_item(req: Request, ctx: Context, item: Item, many: backfill.Many | None, said: Said) -> list[Reply]:
    if many:
        return backfill.report_many(req, ctx, item, many, said.status)
    occ = pick_occurrence(ctx, item, said.which)
    if occ is None:
        return [Text(_no_occurrence(ctx, item, said.which.group(0)))]
    return _report_on(req, ctx, item, occ, said)


def _report_on(req: Request, ctx: Context, item: Item, occ: Occurrence, said: Said) -> list[Reply]:
    """Record what was said on the occurrence, or ask for what is missing (the status, or which of several)."""
    if said.status is None:
        return ask_status(ctx, item, occ, said.rest)
    if said.which is None:
        missed = _missed(ctx, item, occ)
        if missed:
            return ask_occurrence(ctx, item, missed, occ, said.status)
    done = _done_already(ctx, item, occ)
    # A bare report never lands on a done occurrence unasked, nor does 完成 again; naming the month with
    # another status is a deliberate correction (its confirmation says it was done before).
    if done is not None and (said.which is None or said.status.status == Status.done.value):
        return done_ask(ctx, item, done, said.status)
    return record(req, ctx, item, occ.key, Status(said.status.status), said.status.percent, said.status.note)


def _done_already(ctx: Context, item: Item, occ: Occurrence) -> Due | None:
    """Return the occurrence when it is already done (a new report on it must be confirmed first)."""
    this = next((d for d in agenda(ctx.session, [item], item.plan.year, ctx.calendar) if d.occ.key == occ.key), None)
    return this if this is not None and this.standing is not None and this.standing.done_on is not None else None


def done_ask(ctx: Context, item: Item, this: Due, status: StatusSaid) -> list[Reply]:
    """Ask before recording on an occurrence already done: history is never rewritten silently."""
    text = M.REPORT_DONE_ASK.format(
        number=item.number, title=clip(item.title, 30), occ=_short(this.occ), day=format_date(this.standing.done_on),
    )
    again = _status_button(ctx, M.BUTTON_RECORD_AGAIN, item, this.occ, status)
    return [Text(text, (again, postbacks.button(M.BUTTON_KEEP, postbacks.Route.card, i=item.id)))]


def by_name(req: Request, ctx: Context, plan: Plan) -> list[Reply]:
    """Answer 回報 NAME [月份] 狀態: find the item by its name among those the asker may report on."""
    name, said = _name_and_said(req.args, req.incoming.text)
    starts_said = read_said(req.args)
    if not name or starts_said.which is not None or starts_said.status is not None:
        return [Text(M.REPORT_USAGE)]
    found = [i for i in search.fuzzy(ctx, plan, name) if access.may_report(req.who, i, ctx.today)]
    return seen_by(access.items_audience(req.who, found), _report_named(req, ctx, name, said, found))


def _report_named(req: Request, ctx: Context, name: str, said: Said, found: list[Item]) -> list[Reply]:
    if not found:
        return [Text(M.REPORT_NAME_NOT_FOUND.format(name=clip(name, 20)))]
    if len(found) > 1:
        header = M.REPORT_NAME_MANY.format(count=len(found), name=clip(name, 20))
        return ask_which(req, ctx, found, said, header)
    item = found[0]
    occ = pick_occurrence(ctx, item, said.which)
    if occ is None:
        return [Text(_no_occurrence(ctx, item, said.which.group(0)))]
    return _report_on(req, ctx, item, occ, said)


def _name_and_said(args: str, typed: str) -> tuple[str, Said]:
    """Split 助您好孕 3月 完成 備註 into the name and what follows it (the first month or status word ends the name)."""
    for start in range(1, len(args)):
        if args[start - 1].isspace() or not args[start].isspace():
            said = read_said(args[start:], typed)
            if said.which is not None or said.status is not None:
                return args[:start].strip(), said
    return args.strip(), read_said("", typed)


def _missed(ctx: Context, item: Item, occ: Occurrence) -> list[Due]:
    """Return the item's occurrences before `occ` that are overdue and not done, oldest first."""
    dues = agenda(ctx.session, [item], item.plan.year, ctx.calendar, end=occ.due)
    return [d for d in dues if d.occ.key != occ.key and d.occ.due < occ.due and d.is_overdue(ctx.today)]


def ask_occurrence(ctx: Context, item: Item, missed: list[Due], occ: Occurrence, status: StatusSaid) -> list[Reply]:
    """Ask which occurrence a status without a month is for, when earlier ones are still overdue."""
    shown = missed[-OVERDUE_OFFERED:]
    header = M.REPORT_WHICH_OCCURRENCE.format(
        section=item.section.name, number=item.number, title=clip(item.title, 30), count=len(missed)
    )
    lines = [header, ""]
    buttons = []
    for due in shown:
        lines.append(M.REPORT_WHICH_LINE.format(occ=occurrence_text(due)))
        buttons.append(_status_button(ctx, M.REPORT_WHICH_OVERDUE.format(label=_short(due.occ)), item, due.occ, status))
    this = next((d for d in agenda(ctx.session, [item], item.plan.year, ctx.calendar) if d.occ.key == occ.key), None)
    if this is not None:
        lines.append(M.REPORT_WHICH_LINE.format(occ=occurrence_text(this)))
    buttons.append(_status_button(ctx, _short(occ), item, occ, status))
    if len(missed) > len(shown):
        lines.append(M.REPORT_WHICH_OLDER.format(number=item.number))
    return [Text("\n".join(lines), tuple(buttons))]


def _short(occ: Occurrence) -> str:
    """Return how a button names an occurrence: 3月, 第1季, 3/1-4/30, or its date."""
    return occ.label or format_month_day(occ.due)


def _status_button(ctx: Context, label: str, item: Item, occ: Occurrence, status: StatusSaid) -> Button:
    fields = {"i": item.id, "o": occ.key, "s": status.status, "p": status.percent, "n": status.note or None,
              "v": seen_report(ctx.session, item.id, occ.key)}
    if not postbacks.fits(postbacks.Route.report, **fields):
        fields["n"] = None
    return postbacks.button(label, postbacks.Route.report, **fields)


def _reportable_sub_items(req: Request, ctx: Context, plan: Plan, numbered: item_lookup.Numbered) -> list[Item]:
    """Return the sub-items (6-1, 6-2 …) of the 編號 the asker may report on: their own first, else all they may."""
    subs = [i for i in item_lookup.sub_items(ctx.session, plan, numbered.number, numbered.section) if access.may_report(req.who, i, ctx.today)]
    owned = [i for i in subs if access.owns(req.who, i)]
    return owned or subs


def pick_occurrence(ctx: Context, item: Item, which: re.Match | None) -> Occurrence | None:
    """Return the occurrence named (3月, 4/29…), else the current one; a stand-in for unscheduled items."""
    year = item.plan.year
    occs = item_occurrences(item, year, ctx.calendar)
    if not occs:
        return None if which else _whole_year(year)
    if which is None:
        # Never a done one: the open, next or overdue occurrence; when all are done, the current (and it asks).
        found = open_occurrence(agenda(ctx.session, [item], year, ctx.calendar), ctx.today)
        return found.occ if found else current_occurrence(item, year, ctx.calendar, ctx.today)
    found = _named(occs, which, year)
    if not found:
        return None
    today = ctx.today
    containing = [o for o in found if (o.starts or o.due) <= today <= o.due]
    past = [o for o in found if o.due <= today]
    return (containing or past[-1:] or found)[0]


def _whole_year(year: int) -> Occurrence:
    # An item whose schedule was not understood still takes reports, keyed by its plan year.
    return Occurrence(OccurrenceKind.period, date(year, 1, 1), date(year, 12, 31), str(year), M.REPORT_WHOLE_YEAR)


def _named(occs: list[Occurrence], which: re.Match, year: int) -> list[Occurrence]:
    """Return the occurrences the words name, matched by their stable keys (2024-03, 2024-01~2024-03), then by dates."""
    if which.group("month"):
        month = month_number(which.group("month"))
        first, last = _month_span(year, month, month)
        return (
            [o for o in occs if o.key == _month_key(year, month)]
            or [o for o in occs if o.due.year == year and o.due.month == month]
            or [o for o in occs if (o.starts or o.due) <= last and o.due >= first]
        )
    if which.group("mm"):
        try:
            day = date(year, int(which.group("mm")), int(which.group("dd")))
        except ValueError:
            return []
        return [o for o in occs if o.due == day or o.key == day.isoformat()] or [
            o for o in occs if (o.starts or o.due) <= day <= o.due
        ]
    if which.group("q"):
        quarter = QUARTERS[which.group("q")]
        first, last = _month_span(year, quarter * 3 - 2, quarter * 3)
        return [o for o in occs if o.key == _months_key(year, quarter * 3 - 2, quarter * 3)] or [
            o for o in occs if first <= o.due <= last
        ]
    first_month, last_month = HALVES[which.group("label")]
    return [o for o in occs if o.key == _months_key(year, first_month, last_month)]


def _month_key(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def _months_key(year: int, first: int, last: int) -> str:
    """Return the key of a period from month `first` to month `last` (how occurrences are keyed)."""
    return f"{_month_key(year, first)}~{_month_key(year, last)}"


def _month_span(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return date(year, first_month, 1), date.fromordinal(end.toordinal() - 1)


def _no_occurrence(ctx: Context, item: Item, written: str) -> str:
    labels = [o.label or str(o.due) for o in item_occurrences(item, item.plan.year, ctx.calendar)]
    listed = M.LIST_SEP.join(labels[:12]) + (M.ELLIPSIS if len(labels) > 12 else "") or M.CARD_NO_MORE
    return M.REPORT_NO_OCCURRENCE.format(number=item.number, title=clip(item.title, 30), when=written, list=listed)


def record(req: Request, ctx: Context, item: Item, key: str, status: Status, percent: int | None, note: str) -> list[Reply]:
    """Write the report (history, never overwritten) and its audit entry; confirm what was recorded.

    A 延後 without a reason asks for one; the person's next message is taken as the reason (see `take_reason`).
    """
    staff = req.who.staff
    done_before = _done_before(ctx, item.id, key)
    row = _write(req, ctx, item, key, status, percent, note, via=req.who.via)
    text = _confirmation(ctx, item, key, status, percent, note, done_before, staff.name if staff else "—")
    owner = leave.covered_owner(ctx.session, row.id)
    if owner is not None:
        text += "\n" + L.REPORTED_FOR.format(name=owner.name)
    question = ""
    if status is Status.delayed and not note:
        memory.remember(ctx, req.who, memory.Topic.reason, report=row.id)
        text += "\n\n" + M.REPORT_ASK_REASON
    elif status is Status.delayed:
        question = _ask_remedy(req, ctx, item, key, note)
    elif status is Status.done:
        late = lag_reasons.after_done_late(req, ctx, item, key)
        question = "\n\n" + late if late else ""
    return [Text(text + question, _after_report(req, bool(question)))]


def _after_report(req: Request, asked: bool) -> tuple:
    """The confirmation's buttons; 稍後再填 first when the review's question rides along."""
    later = (postbacks.button(RV.BUTTON_LATER, postbacks.Route.why_later),) if asked else ()
    return later + req.buttons(AFTER_REPORT)


def _ask_remedy(req: Request, ctx: Context, item: Item, key: str, note: str) -> str:
    """Return the monthly review's question after a 延後 with its reason (once per occurrence), or nothing."""
    question = lag_reasons.after_delay(req, ctx, item, key, note)
    return "\n\n" + question if question else ""


def _write(
    req: Request, ctx: Context, item: Item, key: str, status: Status, percent: int | None, note: str, via: Via = Via.line
) -> ProgressReport:
    staff = req.who.staff
    row = ProgressReport(
        item_id=item.id, occurrence_key=key, status=status, percent=percent, note=note,
        staff_id=staff.id if staff else None, reported_at=ctx.now, via=via.value,
    )
    ctx.session.add(row)
    queries.audit(
        ctx.session, ctx.now, req.who.actor, "progress.undo" if Via.is_undo(via) else "progress.report",
        item_id=item.id, section=item.section.name, number=item.number, occurrence=key,
        status=status.value, percent=percent,
    )
    ctx.session.flush()
    if staff is not None and not access.owns(req.who, item):
        owner = access.covering_for(req.who, item, ctx.today)
        if owner is not None:  # a deputy's report, kept as made on behalf of the owner on leave
            leave.mark_covered(ctx.session, row, owner)
    return row


def take_reason(req: Request, ctx: Context, waiting: memory.Pending) -> list[Reply]:
    """Keep the message as the reason for the 延後 just recorded: a new report with the same status and this note."""
    memory.forget(ctx, req.who)
    asked = ctx.session.get(ProgressReport, waiting.detail.get("report", 0))
    if asked is None:
        return [Text(M.STALE_BUTTON)]
    latest = latest_report(ctx.session, asked.item_id, asked.occurrence_key)
    if latest is None or latest.id != asked.id:
        return [Text(M.REPORT_REASON_TOO_LATE)]
    note = (req.incoming.text or "").strip()
    _write(req, ctx, asked.item, asked.occurrence_key, asked.status, asked.percent, note)
    item = asked.item
    text = M.REPORT_REASON_KEPT.format(number=item.number, title=clip(item.title, 30), note=clip(note, NOTE_SHOWN))
    question = _ask_remedy(req, ctx, item, asked.occurrence_key, note)
    return [Text(text + question, _after_report(req, bool(question)))]


def reason_still_wanted(req: Request, ctx: Context, waiting: memory.Pending, replies: list[Reply]) -> list[Reply]:
    """After a command or a question instead of the reason: keep the answer, and ask for the reason once more.

    The wait's details say what is still to be answered (`report`, and `again` once asked a second time), so a
    further question after a 延後 is one more detail, not another topic.
    """
    now = memory.pending(ctx, req.who)
    if now is not None and now.detail != waiting.detail:
        return replies  # the answer itself waits for something new (another 延後): that one is asked
    if waiting.detail.get("again") or len(replies) >= MAX_MESSAGES:
        memory.forget(ctx, req.who)  # asked twice: the question lapses
        return replies
    memory.remember(ctx, req.who, memory.Topic.reason, **(waiting.detail | {"again": True}))
    return [*replies, Text(M.REPORT_ASK_REASON_AGAIN)]


def _done_before(ctx: Context, item_id: int, key: str) -> bool:
    latest = latest_report(ctx.session, item_id, key)
    return latest is not None and latest.status is Status.done


def undo(req: Request, ctx: Context) -> list[Reply]:
    """Answer 撤銷: show my last report (of the last 24 hours) with a button that takes it back."""
    mine = _my_last_report(ctx, req)
    if mine is None:
        return [Text(M.UNDO_NOTHING, req.buttons(AFTER_REPORT))]
    button = postbacks.button(M.BUTTON_UNDO, postbacks.Route.undo, r=mine.id)
    return [Text(M.UNDO_ASK.format(report=_report_line(ctx, mine)), (button, *req.buttons(AFTER_REPORT)))]


def on_undo(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Take back a report after the 確定撤銷 tap: write the report it replaced again (history stays whole)."""
    row = ctx.session.get(ProgressReport, postbacks.int_field(fields, "r") or 0)
    staff = req.who.staff
    if row is None or staff is None or row.staff_id != staff.id or Via.is_undo(row.via):
        return [Text(M.STALE_BUTTON)]
    if ctx.now - row.reported_at > UNDO_WITHIN:
        return [Text(M.UNDO_TOO_OLD)]
    latest = ctx.session.scalars(
        select(ProgressReport)
        .where(ProgressReport.item_id == row.item_id, ProgressReport.occurrence_key == row.occurrence_key)
        .order_by(ProgressReport.id.desc())
        .limit(1)
    ).first()
    if latest.id != row.id:
        undone = Via.is_undo(latest.via) and latest.staff_id == staff.id and _report_before(ctx, latest, raw=True) is row
        return [Text(M.UNDO_ALREADY if undone else M.UNDO_NEWER)]
    before = _report_before(ctx, row)
    if before is None:
        _write(req, ctx, row.item, row.occurrence_key, Status.not_started, None, "", via=UNDONE_TO_NOTHING)
        now_text = M.STATUS["not_reported"]
    else:
        _write(req, ctx, row.item, row.occurrence_key, before.status, before.percent, before.note, via=UNDO)
        now_text = _status_text(before.status, before.percent)
    memory.forget(ctx, req.who)
    return [Text(M.UNDO_DONE.format(report=_report_line(ctx, row), now=now_text), req.buttons(AFTER_REPORT))]


def _my_last_report(ctx: Context, req: Request) -> ProgressReport | None:
    staff = req.who.staff
    rows = ctx.session.scalars(
        select(ProgressReport)
        .where(ProgressReport.staff_id == staff.id, ProgressReport.reported_at >= ctx.now - UNDO_WITHIN)
        .order_by(ProgressReport.id.desc())
        .limit(1)
    ).all()
    if not rows or Via.is_undo(rows[0].via):
        return None  # one step back only: an undo is not undone
    row = rows[0]
    latest = latest_report(ctx.session, row.item_id, row.occurrence_key)
    return row if latest is not None and latest.id == row.id else None


def _report_before(ctx: Context, row: ProgressReport, raw: bool = False) -> ProgressReport | None:
    before = ctx.session.scalars(
        select(ProgressReport)
        .where(ProgressReport.item_id == row.item_id, ProgressReport.occurrence_key == row.occurrence_key,
               ProgressReport.id < row.id)
        .order_by(ProgressReport.id.desc())
        .limit(1)
    ).first()
    return before if raw or (before is not None and before.via != UNDONE_TO_NOTHING) else None


def _report_line(ctx: Context, row: ProgressReport) -> str:
    item = row.item
    dues = agenda(ctx.session, [item], item.plan.year, ctx.calendar)
    this = next((d for d in dues if d.occ.key == row.occurrence_key), None)
    return M.UNDO_REPORT.format(
        section=item.section.name, number=item.number, title=clip(item.title, 40),
        occ=occurrence_text(this) if this else M.REPORT_WHOLE_YEAR, status=_status_text(row.status, row.percent),
        time=row.reported_at.astimezone(ctx.now.tzinfo).strftime("%H:%M"),
    ) + (M.REPORT_NOTE.format(note=clip(row.note, NOTE_SHOWN)) if row.note else "")


def _status_text(status: Status, percent: int | None) -> str:
    text = M.STATUS[status.value]
    if percent is not None and status is Status.in_progress:
        text = M.STATUS_PERCENT.format(status=text, percent=percent)
    return text


def _confirmation(
    ctx: Context, item: Item, key: str, status: Status, percent: int | None, note: str, done_before: bool, name: str
) -> str:
    dues = agenda(ctx.session, [item], item.plan.year, ctx.calendar)
    this = next((d for d in dues if d.occ.key == key), None)
    status_text = M.STATUS[status.value]
    if percent is not None and status is Status.in_progress:
        status_text = M.STATUS_PERCENT.format(status=status_text, percent=percent)
    text = M.REPORT_DONE.format(
        section=item.section.name, number=item.number, title=clip(item.title, 40),
        occ=occurrence_text(this) if this else M.REPORT_WHOLE_YEAR, status=status_text,
        note=M.REPORT_NOTE.format(note=clip(note, NOTE_SHOWN)) if note else "",
    )
    text += M.REPORT_BY.format(name=name, time=ctx.now.strftime("%H:%M"))
    later = [d for d in dues if d.occ.due > (this.occ.due if this else ctx.today) and not d.done]
    if later:
        text += M.REPORT_NEXT.format(next=occurrence_text(later[0]))
    late = [d for d in dues if d.occ.key != key and d.is_overdue(ctx.today)]
    if late:
        # The latest missed one is what a late 回報 usually meant, so that is the one the reply names.
        last = late[-1]
        which = last.occ.label if WHICH.fullmatch(last.occ.label or "") else format_month_day(last.occ.due)
        text += "\n" + M.REPORT_OTHER_LATE.format(count=len(late), last=occurrence_text(last), number=item.number, which=which)
    if done_before:
        text += "\n" + M.REPORT_ALREADY_DONE_NOTE
    return text


def ask_status(ctx: Context, item: Item, occ: Occurrence, note: str) -> list[Reply]:
    """Ask how far the occurrence is, with one button per status (the note rides along when it fits)."""
    buttons, lost = [], False
    seen = seen_report(ctx.session, item.id, occ.key)
    for label, status, pct in ASK_BUTTONS:
        fields = {"i": item.id, "o": occ.key, "s": status.value, "p": pct, "n": note or None, "v": seen}
        if note and not postbacks.fits(postbacks.Route.report, **fields):
            fields["n"], lost = None, True
        buttons.append(postbacks.button(label, postbacks.Route.report, **fields))
    dues = agenda(ctx.session, [item], item.plan.year, ctx.calendar)
    this = next((d for d in dues if d.occ.key == occ.key), None)
    text = M.REPORT_ASK_STATUS.format(
        number=item.number, title=clip(item.title, 30), occ=f"（{occurrence_text(this)}）" if this else ""
    )
    return [Text(text + ("\n" + M.REPORT_ASK_NOTE_LOST if lost else ""), tuple(buttons))]


def ask_which(req: Request, ctx: Context, items: list[Item], said: Said, header: str) -> list[Reply]:
    """Ask which of several items (same 編號, sub-items, same name) is meant; a button records at once when the status is known."""
    lines = [header, ""]
    buttons: list[Button] = []
    items = items[:MAX_QUICK_REPLIES]
    titles, labels = list_names(items, 30), button_names(items)
    for item, title, label in zip(items, titles, labels, strict=True):
        lines.append(M.REPORT_CHOICE_SECTION.format(section=item.section.name, number=item.number, title=title))
        occ = pick_occurrence(ctx, item, said.which) if said.status else None
        if said.status and occ is not None:
            st = said.status
            fields = {"i": item.id, "o": occ.key, "s": st.status, "p": st.percent, "n": st.note or None,
                      "v": seen_report(ctx.session, item.id, occ.key)}
            if not postbacks.fits(postbacks.Route.report, **fields):
                fields["n"] = None
                lines[-1] += M.REPORT_ASK_NOTE_LOST
            buttons.append(postbacks.button(label, postbacks.Route.report, **fields))
        else:
            buttons.append(postbacks.button(label, postbacks.Route.ask, i=item.id))
    return [Text("\n".join(lines), tuple(buttons))]


def pick_item(req: Request, ctx: Context, plan: Plan) -> list[Reply]:
    """Answer 回報 alone with the asker's items that have work now, one button each."""
    items = queries.items_owned_by(ctx.session, req.who.staff.id, plan.id)
    if not items:
        return [Text(M.REPORT_USAGE)]
    page = paging.page_of(items, req.page, MAX_QUICK_REPLIES - 1)
    entries = list(page.entries)
    titles = list_names(entries, 30)
    lines = [M.REPORT_PICK_ITEM, ""] + [M.REPORT_CHOICE.format(number=i.number, title=t) for i, t in zip(entries, titles, strict=True)]
    buttons = [postbacks.button(label, postbacks.Route.ask, i=i.id) for i, label in zip(entries, button_names(entries), strict=True)]
    more = paging.more_button("report", page, "")
    if more:
        buttons.append(more)
        lines += ["", page.note()]
    return [Text("\n".join(lines), tuple(buttons))]


def on_report(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Record a tap on 完成 / 進行中 / 延後 after checking the item, the occurrence and the asker again."""
    item = _item(ctx, fields)
    if item is None or not access.in_office(req.who, item):
        return [Text(M.STALE_BUTTON)]
    return seen_by(access.item_audience(req.who, item), _on_report(req, ctx, item, fields))


def _on_report(req: Request, ctx: Context, item: Item, fields: dict[str, str]) -> list[Reply]:
    if not access.may_report(req.who, item, ctx.today):
        return [Text(M.REFUSE_REPORT.format(item=clip(f"{item.number} {item.title}", 40)))]
    try:
        status = Status(fields.get("s", ""))
    except ValueError:
        return [Text(M.STALE_BUTTON)]
    percent = postbacks.int_field(fields, "p")
    key = fields.get("o", "")
    keys = {o.key for o in item_occurrences(item, item.plan.year, ctx.calendar)} or {str(item.plan.year)}
    if key not in keys or (percent is not None and percent > 100):
        return [Text(M.STALE_BUTTON)]
    if percent == 100:
        status = Status.done
    latest = latest_report(ctx.session, item.id, key)
    if latest is not None and latest.id != postbacks.int_field(fields, "v") and (latest.status, latest.percent) != (status, percent):
        return _confirm_overwrite(ctx, item, key, latest, status, percent, fields)
    return record(req, ctx, item, key, status, percent, fields.get("n", ""))


def _confirm_overwrite(
    ctx: Context, item: Item, key: str, latest: ProgressReport, status: Status, percent: int | None, fields: dict[str, str]
) -> list[Reply]:
    """Ask before a tap replaces a report newer than its button (an old 延後 tapped after 完成)."""
    who = latest.staff.name if latest.staff else "—"
    day = format_date(latest.reported_at.astimezone(ctx.now.tzinfo).date())
    text = M.REPORT_NEWER_EXISTS.format(
        number=item.number, title=clip(item.title, 30), who=who, day=day,
        old=_status_text(latest.status, latest.percent), new=_status_text(status, percent),
    )
    again = {k: v for k, v in fields.items() if k not in ("a", "v")} | {"v": latest.id}
    confirm = postbacks.button(M.BUTTON_OVERWRITE.format(new=_status_text(status, percent)), postbacks.Route.report, **again)
    return [Text(text, (confirm, postbacks.button(M.BUTTON_KEEP, postbacks.Route.card, i=item.id)))]


def on_ask(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Answer a tap on an item in 回報's list with the status buttons for its current occurrence."""
    item = _item(ctx, fields)
    if item is None or not access.in_office(req.who, item):
        return [Text(M.STALE_BUTTON)]
    if not access.may_report(req.who, item, ctx.today):
        answer = [Text(M.REFUSE_REPORT.format(item=clip(f"{item.number} {item.title}", 40)))]
    else:
        answer = ask_status(ctx, item, pick_occurrence(ctx, item, None), "")
    return seen_by(access.item_audience(req.who, item), answer)


def _item(ctx: Context, fields: dict[str, str]) -> Item | None:
    item_id = postbacks.int_field(fields, "i")
    return ctx.session.get(Item, item_id) if item_id is not None else None

