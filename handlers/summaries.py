"""摘要: a section's (or the office's) progress in a period: active, done, in progress, overdue, coming up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from handlers import access, scopes
from handlers.agenda import Due, agenda, number_key
from handlers.commands import is_filler
from handlers.due_lists import span
from handlers.due_text import clip, own_name, owners_text
from handlers.incoming import Context
from handlers.leave import leave_notes
from handlers.replies import MAX_CARD_ROWS, MAX_QUICK_REPLIES, Button, Card, CardRow, Reply, Text
from handlers.request import Request
from handlers.texts import chat as M
from handlers.texts import leave as LT
from handlers.texts import tracking as T
from schedules.calendar import WorkCalendar
from schedules.dates import format_date
from storage import queries
from storage.models import Item, Plan, Section, Status

COMING_DAYS = 14


@dataclass
class Summary:
    """The numbers of one summary card; items are counted once each, however often they recur."""

    section: str
    start: date
    end: date
    today: date
    items: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    due_next_14_days: int = 0
    before_tracking: int = 0
    tracking_from: date | None = None
    not_reported: int = 0
    overdue_items: list[Due] = field(default_factory=list)  # each overdue item's latest overdue occurrence
    overdue_times: dict[int, int] = field(default_factory=dict)  # item id -> how many of its occurrences are overdue
    sections: list[Summary] = field(default_factory=list)
    on_leave: dict[str, str] = field(default_factory=dict)  # owner on leave today -> 請假中，由 X 代理

    @property
    def pending(self) -> int:
        """Return the items neither done, in progress nor overdue (their occurrences are still ahead)."""
        return self.items - self.done - self.in_progress - self.overdue

    @property
    def completion(self) -> float:
        """Return done / items (0 when nothing is active), rounded to three places."""
        return round(self.done / self.items, 3) if self.items else 0.0

    def to_json(self) -> dict:
        """Return the card's numbers as plain JSON (for `planbot summary --json`)."""
        data = {
            "section": self.section,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "at": self.today.isoformat(),
            "items": self.items,
            "done": self.done,
            "in_progress": self.in_progress,
            "overdue": self.overdue,
            "due_next_14_days": self.due_next_14_days,
            "not_reported": self.not_reported,
            "completion": self.completion,
            "before_tracking": self.before_tracking,
            "tracking_from": self.tracking_from.isoformat() if self.tracking_from else None,
            "overdue_items": [
                {"item": d.item.number, "section": d.item.section.name, "title": d.item.title,
                 "due": d.occ.due.isoformat(), "overdue_times": self.overdue_times[d.item.id],
                 "owners": [o.name for o in d.item.owners]}
                for d in self.overdue_items
            ],
        }
        if self.on_leave:
            data["on_leave"] = dict(self.on_leave)
        if self.sections:
            data["sections"] = [{k: v for k, v in s.to_json().items() if k != "overdue_items"} for s in self.sections]
        return data


def period_of(year: int, month: int | None, today: date) -> tuple[date, date]:
    """Return the month asked for in the plan year, else the year so far (the whole year when not this one)."""
    if month is not None:
        return span("this_month", date(year, month, 1))
    if today.year == year:
        return date(year, 1, 1), today
    return date(year, 1, 1), date(year, 12, 31)


def summarize(
    session: Session, plan: Plan, section: Section | None, start: date, end: date, today: date, calendar: WorkCalendar
) -> Summary:
    """Count the section's (or the whole plan's) items active between start and end, as of today."""
    items = queries.items_of_plan(session, plan.id, section.id if section else None)
    result = _count(session, plan, items, section.name if section else M.WHOLE_OFFICE, start, end, today, calendar)
    notes = leave_notes(session, plan.office_id, today)
    owners = {o.id: o for i in items for o in i.owners}
    result.on_leave = {owners[sid].name: note for sid, note in notes.items() if sid in owners}
    if section is None:
        for sec in queries.sections_of(session, plan.office_id):
            own = [i for i in items if i.section_id == sec.id]
            if own:
                result.sections.append(_count(session, plan, own, sec.name, start, end, today, calendar))
    return result


def _count(session, plan, items: list[Item], name: str, start: date, end: date, today: date, calendar) -> Summary:
    result = Summary(name, start, end, today, tracking_from=plan.tracking_from)
    dues = agenda(session, items, plan.year, calendar)
    by_item: dict[int, list[Due]] = {}
    coming: set[int] = set()
    for d in dues:
        if (d.occ.starts or d.occ.due) <= end and d.occ.due >= start:
            if d.before_tracking:
                # Not in the rates: nobody was asked about it here (a report brings it back).
                result.before_tracking += 1
                continue
            by_item.setdefault(d.item.id, []).append(d)
        if today <= d.occ.due < today + timedelta(days=COMING_DAYS) and not d.done:
            coming.add(d.item.id)
    for own in by_item.values():
        late = [d for d in own if d.is_overdue(today)]
        result.items += 1
        if not any(d.report for d in own):
            result.not_reported += 1  # overdue or not: nobody has said anything about it in the period
        if all(d.done for d in own):
            result.done += 1
        elif late:
            result.overdue += 1
            result.overdue_items.append(late[-1])
            result.overdue_times[late[-1].item.id] = len(late)
        elif any(d.status in (Status.in_progress, Status.delayed, Status.done) for d in own):
            result.in_progress += 1
    result.due_next_14_days = len(coming)
    # Newest first: what slipped last is what a chief can still catch.
    result.overdue_items.sort(key=lambda d: (-d.occ.due.toordinal(), d.item.section_id, number_key(d.item.number)))
    return result


def summary(req: Request, ctx: Context) -> list[Reply]:
    """Answer 摘要 [課室|全所] [N月] with a summary card the asker may see."""
    opened = scopes.open_scope(req, ctx)
    if isinstance(opened, list):
        return opened
    plan, sections, scope = opened.plan, opened.sections, opened.scope
    if scope.rest and not is_filler(scope.rest):
        return [Text(M.SUMMARY_USAGE.format(sections=scopes.sections_list(sections)))]
    refusal = scopes.refusal(req.who, scope, sections)
    if refusal:
        return [Text(refusal)]
    section = scope.section
    if section is None and not scope.whole_office:
        if access.sees_every_section(req.who):
            return [_ask_section(sections, scope.month, req.label("summary"))]
        section = req.who.staff.section
        if section is None or not access.sees_section(req.who, section.id):
            return [Text(M.REFUSE_SUMMARY)]
    start, end = period_of(plan.year, scope.month, ctx.today)
    result = summarize(ctx.session, plan, section, start, end, ctx.today, ctx.calendar)
    return [summary_card(result, req.label("overdue"))]


def _ask_section(sections: list[Section], month: int | None, command: str) -> Text:
    suffix = " " + M.MONTH_WORD.format(month=month) if month else ""
    names = [M.WHOLE_OFFICE] + [s.name for s in sections]
    buttons = tuple(Button(n, text=f"{command} {n}{suffix}") for n in names[:MAX_QUICK_REPLIES])
    return Text(M.SUMMARY_ASK_SECTION, buttons)


LEAVE_ROWS = 3  # people on leave named on the card; the rest are counted


def summary_card(s: Summary, overdue_command: str) -> Card:
    """Return the summary card: the counts, each section (全所), the overdue items; its button asks `overdue_command`."""
    monthly = s.start.day == 1 and s.end == span("this_month", s.start)[1]
    period = M.SUMMARY_MONTH.format(month=s.start.month) if monthly else M.SUMMARY_YEAR
    rows = [
        CardRow(M.SUMMARY_ITEMS, M.SUMMARY_COUNT.format(n=s.items)),
        CardRow(M.SUMMARY_DONE, M.SUMMARY_COUNT.format(n=s.done), "good"),
        CardRow(M.SUMMARY_IN_PROGRESS, M.SUMMARY_COUNT.format(n=s.in_progress)),
        CardRow(M.SUMMARY_NOT_REPORTED, M.SUMMARY_COUNT.format(n=s.not_reported), "muted"),
        CardRow(M.SUMMARY_OVERDUE, M.SUMMARY_COUNT.format(n=s.overdue), "alert" if s.overdue else "normal"),
        CardRow(M.SUMMARY_NEXT_14, M.SUMMARY_COUNT.format(n=s.due_next_14_days)),
        CardRow(M.SUMMARY_COMPLETION, M.SUMMARY_RATE.format(rate=M.percent(s.completion), done=s.done, items=s.items)),
    ]
    if s.before_tracking and s.tracking_from:
        rows.append(CardRow(T.BEFORE_TRACKING_ROW.format(day=format_date(s.tracking_from)),
                            T.BEFORE_TRACKING_COUNT.format(count=s.before_tracking), "muted"))
    if not s.items:
        rows.append(CardRow(M.SUMMARY_NONE, tone="muted"))
    away = sorted(s.on_leave.items())
    rows += [CardRow(name, note, "muted") for name, note in away[:LEAVE_ROWS]]
    if len(away) > LEAVE_ROWS:
        rows.append(CardRow(LT.MORE_ON_LEAVE.format(count=len(away) - LEAVE_ROWS), tone="muted"))
    if s.sections:
        rows.append(CardRow(M.SUMMARY_SECTIONS_HEADER))
        rows += [_section_row(sec) for sec in s.sections]
    quick: tuple[Button, ...] = ()
    if s.overdue_items:
        rows.append(CardRow(M.SUMMARY_OVERDUE_HEADER, tone="alert"))
        room = MAX_CARD_ROWS - len(rows)
        shown = s.overdue_items if len(s.overdue_items) <= room else s.overdue_items[: room - 1]
        rows += [_overdue_row(d, s.overdue_times[d.item.id], bool(s.sections), s.on_leave) for d in shown]
        if len(shown) < len(s.overdue_items):
            rows.append(CardRow(M.SUMMARY_OVERDUE_MORE.format(n=len(s.overdue_items) - len(shown), scope=s.section), tone="muted"))
        asked = f"{overdue_command} {s.section}"
        quick = (Button(asked, text=asked),)
    title = M.SUMMARY_TITLE.format(scope=s.section, period=period)
    subtitle = M.SUMMARY_SUBTITLE.format(dates=M.span_text(s.start, s.end), today=format_date(s.today))
    return Card(title, subtitle, tuple(rows), alt_text=title, quick_replies=quick)


def _section_row(sec: Summary) -> CardRow:
    if not sec.items:
        return CardRow(sec.section, M.SUMMARY_SECTION_EMPTY, "muted")
    text = M.SUMMARY_SECTION_ROW.format(done=sec.done, items=sec.items, overdue=sec.overdue)
    return CardRow(sec.section, text, "alert" if sec.overdue else "normal")


def _overdue_row(d: Due, times: int, with_section: bool, on_leave: dict[str, str] | None = None) -> CardRow:
    name = f"{d.item.section.name} {d.item.number}" if with_section else d.item.number
    label = f"{name} {clip(own_name(d.item), 16)}"
    row = M.SUMMARY_OVERDUE_ROW if times == 1 else M.SUMMARY_OVERDUE_ROW_TIMES
    owners = owners_text(d.item)
    if on_leave and any(o.name in on_leave for o in d.item.owners):
        owners = M.LIST_SEP.join(LT.NAME_WITH_NOTE.format(name=o.name, note=on_leave[o.name]) if o.name in on_leave else o.name
                                 for o in d.item.owners)
    return CardRow(label, row.format(due=format_date(d.occ.due), owners=owners, times=times), "alert")
