"""回報 12 完成 / 50% / 延遲 …, and the 完成 / 進行中 / 延後 buttons: record progress on an occurrence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from handlers import access, item_lookup, paging, postbacks, scopes
from handlers import messages as M
from handlers.agenda import agenda, current_occurrence, item_occurrences
from handlers.commands import StatusSaid, read_status
from handlers.due_text import button_names, clip, list_names, occurrence_text
from handlers.incoming import Context
from handlers.replies import MAX_QUICK_REPLIES, Button, Reply, Text
from handlers.request import Request
from handlers.scopes import month_number
from schedules.dates import format_month_day
from schedules.occurrences import Occurrence
from storage import queries
from storage.models import Item, Plan, ProgressReport, Status

# Which occurrence: 3月, 4/29, 第1季, 上半年 or 全年, written between the 編號 and the status.
WHICH = re.compile(
    r"^(?:(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
    r"|(?P<mm>1[0-2]|0?[1-9])/(?P<dd>[0-3]?\d)"
    r"|第(?P<q>[1-4一二三四])季|(?P<label>上半年|下半年|全年))"
)
# A month that does not exist (13月, 0月): said instead of being taken as a note.
BAD_MONTH = re.compile(r"^(?:\d+|十[三-九]|[二三四五六七八九]十[一-九]?)\s*月")
QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
NOTE_SHOWN = 200
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


def read_said(text: str) -> Said:
    """Read [which occurrence] [status [note]] from the text after the 編號."""
    text = text.strip()
    which = WHICH.match(text)
    if which:
        text = text[which.end() :].strip()
    status = read_status(text)
    return Said(which, status, "" if status else text.strip(" ：:，,"))


def report(req: Request, ctx: Context) -> list[Reply]:
    """Answer 回報 [課室] 編號 [月份] 狀態 [備註]: record it, or ask what is missing."""
    plan = access.current_plan(ctx, req.who)
    if plan is None:
        return [Text(M.NO_PLAN)]
    if not req.args.strip():
        return pick_item(req, ctx, plan)
    numbered = item_lookup.read_number(ctx.session, plan, req.args)
    if numbered is None:
        return [Text(M.REPORT_USAGE)]
    if numbered.section_text:
        sections = queries.sections_of(ctx.session, plan.office_id)
        return [Text(M.UNKNOWN_SECTION.format(name=clip(numbered.section_text, 20), sections=scopes.sections_list(sections)))]
    items = item_lookup.items_numbered(ctx.session, plan, numbered.number, numbered.section)
    candidates = items if numbered.section else item_lookup.preferred(req.who, items)
    subs = _reportable_sub_items(req, ctx, plan, numbered) if not any(access.may_report(req.who, i) for i in candidates) else []
    if not items and not subs:
        where = M.REPORT_IN_SECTION.format(section=numbered.section.name) if numbered.section else ""
        return [Text(M.REPORT_NOT_FOUND.format(number=numbered.number, where=where))]
    said = read_said(numbered.rest)
    if said.status is not None and said.status.percent is not None and said.status.percent > 100:
        return [Text(M.REPORT_BAD_PERCENT)]
    if said.which is None and BAD_MONTH.match(said.rest):
        return [Text(M.REPORT_BAD_MONTH)]
    if subs:
        # 回報 6 from the owner of 6-3 and 6-4 means one of those, not another section's 6.
        candidates = subs
        if len(candidates) > 1:
            return ask_which(req, ctx, candidates, said, numbered.number, M.NUMBER_SUB_ITEMS)
    if len(candidates) > 1:
        return ask_which(req, ctx, candidates, said, numbered.number)
    item = candidates[0]
    if not access.may_report(req.who, item):
        return [Text(M.REFUSE_REPORT.format(item=clip(f"{item.number} {item.title}", 40)))]
    occ = pick_occurrence(ctx, item, said.which)
    if occ is None:
        return [Text(_no_occurrence(ctx, item, said.which.group(0)))]
    if said.status is None:
        return ask_status(ctx, item, occ, said.rest)
    return record(req, ctx, item, occ.key, Status(said.status.status), said.status.percent, said.status.note)


def _reportable_sub_items(req: Request, ctx: Context, plan: Plan, numbered: item_lookup.Numbered) -> list[Item]:
    """Return the sub-items (6-1, 6-2 …) of the 編號 the asker may report on: their own first, else all they may."""
    subs = [i for i in item_lookup.sub_items(ctx.session, plan, numbered.number, numbered.section) if access.may_report(req.who, i)]
    owned = [i for i in subs if access.owns(req.who, i)]
    return owned or subs


def pick_occurrence(ctx: Context, item: Item, which: re.Match | None) -> Occurrence | None:
    """Return the occurrence named (3月, 4/29…), else the current one; a stand-in for unscheduled items."""
    year = item.plan.year
    occs = item_occurrences(item, year, ctx.calendar)
    if not occs:
        return None if which else _whole_year(year)
    if which is None:
        return current_occurrence(item, year, ctx.calendar, ctx.today)
    found = _named(occs, which, year)
    if not found:
        return None
    today = ctx.today
    containing = [o for o in found if (o.starts or o.due) <= today <= o.due]
    past = [o for o in found if o.due <= today]
    return (containing or past[-1:] or found)[0]


def _whole_year(year: int) -> Occurrence:
    # An item whose schedule was not understood still takes reports, keyed by its plan year.
    return Occurrence("period", date(year, 1, 1), date(year, 12, 31), str(year), M.REPORT_WHOLE_YEAR)


def _named(occs: list[Occurrence], which: re.Match, year: int) -> list[Occurrence]:
    if which.group("month"):
        month = month_number(which.group("month"))
        first, last = _month_span(year, month, month)
        return (
            [o for o in occs if o.label == f"{month}月"]
            or [o for o in occs if o.key == f"{year}-{month:02d}"]
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
        return [o for o in occs if o.label == f"第{quarter}季"] or [o for o in occs if first <= o.due <= last]
    return [o for o in occs if o.label == which.group("label")]


def _month_span(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return date(year, first_month, 1), date.fromordinal(end.toordinal() - 1)


def _no_occurrence(ctx: Context, item: Item, written: str) -> str:
    labels = [o.label or str(o.due) for o in item_occurrences(item, item.plan.year, ctx.calendar)]
    listed = M.LIST_SEP.join(labels[:12]) + (M.ELLIPSIS if len(labels) > 12 else "") or M.CARD_NO_MORE
    return M.REPORT_NO_OCCURRENCE.format(number=item.number, title=clip(item.title, 30), when=written, list=listed)


def record(req: Request, ctx: Context, item: Item, key: str, status: Status, percent: int | None, note: str) -> list[Reply]:
    """Write the report (history, never overwritten) and its audit entry; confirm what was recorded."""
    staff = req.who.staff
    done_before = _done_before(ctx, item.id, key)
    ctx.session.add(
        ProgressReport(
            item_id=item.id, occurrence_key=key, status=status, percent=percent, note=note,
            staff_id=staff.id if staff else None, reported_at=ctx.now, via=req.who.via,
        )
    )
    queries.audit(
        ctx.session, ctx.now, req.who.actor, "progress.report",
        item_id=item.id, section=item.section.name, number=item.number, occurrence=key,
        status=status.value, percent=percent,
    )
    ctx.session.flush()
    return [Text(_confirmation(ctx, item, key, status, percent, note, done_before, staff.name if staff else "—"), _after_buttons())]


def _done_before(ctx: Context, item_id: int, key: str) -> bool:
    latest = queries.latest_reports(ctx.session, [item_id]).get((item_id, key))
    return latest is not None and latest.status is Status.done


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
    for label, status, pct in ASK_BUTTONS:
        fields = {"i": item.id, "o": occ.key, "s": status.value, "p": pct, "n": note or None}
        if note and not postbacks.fits("report", **fields):
            fields["n"], lost = None, True
        buttons.append(postbacks.button(label, "report", **fields))
    dues = agenda(ctx.session, [item], item.plan.year, ctx.calendar)
    this = next((d for d in dues if d.occ.key == occ.key), None)
    text = M.REPORT_ASK_STATUS.format(
        number=item.number, title=clip(item.title, 30), occ=f"（{occurrence_text(this)}）" if this else ""
    )
    return [Text(text + ("\n" + M.REPORT_ASK_NOTE_LOST if lost else ""), tuple(buttons))]


def ask_which(
    req: Request, ctx: Context, items: list[Item], said: Said, number: str, header: str = M.NUMBER_MANY
) -> list[Reply]:
    """Ask which of several same-numbered items (or sub-items) is meant; a button records at once when the status is known."""
    lines = [header.format(number=number), ""]
    buttons: list[Button] = []
    items = items[:MAX_QUICK_REPLIES]
    titles, labels = list_names(items, 30), button_names(items)
    for item, title, label in zip(items, titles, labels, strict=True):
        lines.append(M.REPORT_CHOICE_SECTION.format(section=item.section.name, number=item.number, title=title))
        occ = pick_occurrence(ctx, item, said.which) if said.status else None
        if said.status and occ is not None:
            st = said.status
            fields = {"i": item.id, "o": occ.key, "s": st.status, "p": st.percent, "n": st.note or None}
            if not postbacks.fits("report", **fields):
                fields["n"] = None
                lines[-1] += M.REPORT_ASK_NOTE_LOST
            buttons.append(postbacks.button(label, "report", **fields))
        else:
            buttons.append(postbacks.button(label, "ask", i=item.id))
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
    buttons = [postbacks.button(label, "ask", i=i.id) for i, label in zip(entries, button_names(entries), strict=True)]
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
    if not access.may_report(req.who, item):
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
    return record(req, ctx, item, key, status, percent, fields.get("n", ""))


def on_ask(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Answer a tap on an item in 回報's list with the status buttons for its current occurrence."""
    item = _item(ctx, fields)
    if item is None or not access.in_office(req.who, item):
        return [Text(M.STALE_BUTTON)]
    if not access.may_report(req.who, item):
        return [Text(M.REFUSE_REPORT.format(item=clip(f"{item.number} {item.title}", 40)))]
    occ = pick_occurrence(ctx, item, None)
    return ask_status(ctx, item, occ, "")


def _item(ctx: Context, fields: dict[str, str]) -> Item | None:
    item_id = postbacks.int_field(fields, "i")
    return ctx.session.get(Item, item_id) if item_id is not None else None


def _after_buttons() -> tuple[Button, ...]:
    return tuple(Button(M.NAV[n], text=M.NAV[n]) for n in ("mine", "overdue", "this_week"))
