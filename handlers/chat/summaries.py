"""摘要: a section's (or the office's) progress in a period: active, done, in progress, overdue, coming up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from handlers.chat.due_lists import span
from handlers.core import access, audience, scopes
from handlers.core.agenda import Due, agenda, number_key
from handlers.core.audience import OFFICE
from handlers.core.commands import is_filler
from handlers.core.due_text import clip, own_name, owners_text
from handlers.core.incoming import Context
from handlers.core.leave import leave_notes
from handlers.core.replies import (
    MAX_CARD_ROWS,
    MAX_QUICK_REPLIES,
    Button,
    Card,
    CardRow,
    Reply,
    Text,
    seen_by,
)
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import leave as LT
from handlers.texts import tracking as T
from schedules.calendar import WorkCalendar
from schedules.dates import format_date, roc_year
from schedules.status import Counts, OccurrenceStatus, State, count, in_period
from storage import queries
from storage.models import Plan, Section

COMING_DAYS = 14
PEOPLE_ROWS = 6  # people named on a section's card; the 全所 card has a row per section instead


@dataclass
class Summary:
    """The numbers of one summary card, counted by occurrence with the one status model (schedules.status)."""

    section: str
    start: date
    end: date
    today: date
    counts: Counts = field(default_factory=Counts)
    # Items with something due in the next 14 days; None for a period that ended before today.
    due_next_14_days: int | None = None
    tracking_from: date | None = None
    overdue_items: list[Due] = field(default_factory=list)  # each overdue item's latest overdue occurrence
    overdue_times: dict[int, int] = field(default_factory=dict)  # item id -> how many of its occurrences are overdue
    sections: list[Summary] = field(default_factory=list)
    people: list[tuple[str, Counts]] = field(default_factory=list)  # by owner (an item's every owner counts it)
    on_leave: dict[str, str] = field(default_factory=dict)  # owner on leave today -> 請假中，由 X 代理
    plan_items: int = 0  # the section's (or the office's) items in the plan, whatever their dates

    @property
    def before_tracking(self) -> int:
        return self.counts.before_tracking

    @property
    def nothing_in_period(self) -> bool:
        """Say whether no occurrence falls due in the period (counted, not yet due, or before tracking)."""
        c = self.counts
        return not (c.due or c.not_due or c.before_tracking)

    def to_json(self) -> dict:
        """Return the card's numbers as plain JSON (for `planbot summary --json`)."""
        data = {
            "section": self.section,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "at": self.today.isoformat(),
            "items_in_plan": self.plan_items,
            **self.counts.to_json(),
            "due_next_14_days": self.due_next_14_days,
            "tracking_from": self.tracking_from.isoformat() if self.tracking_from else None,
            "overdue_items": [
                {"item": d.item.number, "section": d.item.section.name, "title": d.item.title,
                 "due": d.occ.due.isoformat(), "overdue_times": self.overdue_times[d.item.id],
                 "owners": [o.name for o in d.item.owners]}
                for d in self.overdue_items
            ],
        }
        if self.people:
            data["people"] = [{"name": name, **c.to_json()} for name, c in self.people]
        if self.on_leave:
            data["on_leave"] = dict(self.on_leave)
        if self.sections:
            data["sections"] = [
                {k: v for k, v in s.to_json().items() if k not in ("overdue_items", "people")} for s in self.sections
            ]
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
    """Count the occurrences of the section's (or the whole plan's) items due between start and end, as of today."""
    items = queries.items_of_plan(session, plan.id, section.id if section else None)
    dues = agenda(session, items, plan.year, calendar, light=True)
    states = [(d, d.state(today, calendar)) for d in dues]
    result = _count(states, section.name if section else M.WHOLE_OFFICE, start, end, today, plan.tracking_from)
    result.plan_items = len(items)
    notes = leave_notes(session, plan.office_id, today)
    owners = {o.id: o for i in items for o in i.owners}
    result.on_leave = {owners[sid].name: note for sid, note in notes.items() if sid in owners}
    result.people = _by_person(states, start, end)
    if section is None:
        for sec in queries.sections_of(session, plan.office_id):
            own = [(d, st) for d, st in states if d.item.section_id == sec.id]
            if any(i.section_id == sec.id for i in items):
                result.sections.append(_count(own, sec.name, start, end, today, plan.tracking_from))
                result.sections[-1].plan_items = sum(i.section_id == sec.id for i in items)
    return result


def _count(states: list[tuple[Due, OccurrenceStatus]], name: str, start: date, end: date, today: date,
           tracking_from: date | None) -> Summary:
    result = Summary(name, start, end, today, tracking_from=tracking_from)
    inside = [(d, st) for d, st in states if in_period(d.occ, start, end)]
    result.counts = count(st for _, st in inside)
    late: dict[int, list[Due]] = {}
    for d, st in inside:
        if st.state is State.overdue:
            late.setdefault(d.item.id, []).append(d)
    for own in late.values():
        result.overdue_items.append(own[-1])
        result.overdue_times[own[-1].item.id] = len(own)
    if end >= today:
        # Only a period still running has a "next 14 days"; a past month says nothing about it.
        soon = {d.item.id for d, st in states
                if today <= d.occ.due < today + timedelta(days=COMING_DAYS) and st.state is State.not_due}
        result.due_next_14_days = len(soon)
    # Newest first: what slipped last is what a chief can still catch.
    result.overdue_items.sort(key=lambda d: (-d.occ.due.toordinal(), d.item.section_id, number_key(d.item.number)))
    return result


def _by_person(states: list[tuple[Due, OccurrenceStatus]], start: date, end: date) -> list[tuple[str, Counts]]:
    mine: dict[str, list[OccurrenceStatus]] = {}
    for d, st in states:
        if in_period(d.occ, start, end):
            for owner in d.item.owners:
                mine.setdefault(owner.name, []).append(st)
    people = [(name, count(own)) for name, own in mine.items()]
    # Most overdue first: the person a chief should call.
    return sorted(people, key=lambda p: (-p[1].overdue, -p[1].due, p[0]))


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
    seen = scopes.scope_audience(scope)
    section = scope.section
    if section is None and not scope.whole_office:
        if access.sees_every_section(req.who):
            return seen_by(OFFICE, [_ask_section(sections, scope.month, req.label("summary"))])
        section = req.who.staff.section
        if section is None or not access.sees_section(req.who, section.id):
            return [Text(M.REFUSE_SUMMARY)]
        seen = audience.section(section.id)
    start, end = period_of(plan.year, scope.month, ctx.today)
    result = summarize(ctx.session, plan, section, start, end, ctx.today, ctx.calendar)
    # Whoever cannot fix the plan's section names is told who can: the office's coordinator.
    ask = None if access.sees_every_section(req.who) else tuple(s.name for s in queries.coordinators(ctx.session, plan.office_id))
    return seen_by(seen, [summary_card(result, req.label("overdue"), ask)])


def _ask_section(sections: list[Section], month: int | None, command: str) -> Text:
    suffix = " " + M.MONTH_WORD.format(month=month) if month else ""
    names = [M.WHOLE_OFFICE] + [s.name for s in sections]
    buttons = tuple(Button(n, text=f"{command} {n}{suffix}") for n in names[:MAX_QUICK_REPLIES])
    return Text(M.SUMMARY_ASK_SECTION, buttons)


LEAVE_ROWS = 3  # people on leave named on the card; the rest are counted


def summary_card(s: Summary, overdue_command: str, ask: tuple[str, ...] | None = None) -> Card:
    """Return the summary card: the counts, each section (全所) or person, the overdue items; its button asks `overdue_command`.

    With nothing due in the period the card says so in words instead of a column of zeros; for a section with
    no items in the plan at all, `ask` names whom the reader should ask (None: the reader keeps the plan).
    """
    monthly = s.start.day == 1 and s.end == span("this_month", s.start)[1]
    period = M.SUMMARY_MONTH.format(month=s.start.month) if monthly else M.SUMMARY_YEAR
    title = M.SUMMARY_TITLE.format(scope=s.section, period=period)
    subtitle = M.SUMMARY_SUBTITLE.format(dates=M.span_text(s.start, s.end), today=format_date(s.today))
    if s.nothing_in_period:
        return Card(title, subtitle, _nothing_rows(s, ask), alt_text=title)
    c = s.counts
    rows = [
        CardRow(M.SUMMARY_DUE, M.SUMMARY_TIMES.format(n=c.due)),
        CardRow(M.SUMMARY_DONE_ON_TIME, M.SUMMARY_TIMES.format(n=c.done_on_time), "good"),
        CardRow(M.SUMMARY_DONE_LATE, M.SUMMARY_TIMES.format(n=c.done_late)),
        CardRow(M.SUMMARY_OVERDUE, _overdue_value(c), "alert" if c.overdue else "normal"),
        CardRow(M.SUMMARY_NOT_REPORTED, M.SUMMARY_TIMES.format(n=c.not_reported), "muted"),
    ]
    if c.not_due:
        rows.append(CardRow(M.SUMMARY_NOT_DUE, M.SUMMARY_TIMES.format(n=c.not_due), "muted"))
    if s.due_next_14_days is not None:
        rows.append(CardRow(M.SUMMARY_NEXT_14, M.SUMMARY_COUNT.format(n=s.due_next_14_days)))
    rows.append(CardRow(M.SUMMARY_COMPLETION, _rates(c)))
    if s.before_tracking and s.tracking_from:
        rows.append(CardRow(T.BEFORE_TRACKING_ROW.format(day=format_date(s.tracking_from)),
                            T.BEFORE_TRACKING_COUNT.format(count=s.before_tracking), "muted"))
    if not c.due and not c.not_due:
        rows.append(CardRow(M.SUMMARY_NONE, tone="muted"))
    away = sorted(s.on_leave.items())
    rows += [CardRow(name, note, "muted") for name, note in away[:LEAVE_ROWS]]
    if len(away) > LEAVE_ROWS:
        rows.append(CardRow(LT.MORE_ON_LEAVE.format(count=len(away) - LEAVE_ROWS), tone="muted"))
    if s.sections:
        rows.append(CardRow(M.SUMMARY_SECTIONS_HEADER))
        rows += [_section_row(sec) for sec in s.sections]
    elif s.people:
        rows.append(CardRow(M.SUMMARY_PEOPLE_HEADER))
        rows += [_person_row(name, pc) for name, pc in s.people[:PEOPLE_ROWS]]
    quick: tuple[Button, ...] = ()
    if s.overdue_items:
        rows.append(CardRow(M.SUMMARY_OVERDUE_HEADER, tone="alert"))
        room = MAX_CARD_ROWS - len(rows)
        shown = s.overdue_items if len(s.overdue_items) <= room else s.overdue_items[: max(room - 1, 0)]
        rows += [_overdue_row(d, s.overdue_times[d.item.id], bool(s.sections), s.on_leave) for d in shown]
        if len(shown) < len(s.overdue_items):
            rows.append(CardRow(M.SUMMARY_OVERDUE_MORE.format(n=len(s.overdue_items) - len(shown), scope=s.section), tone="muted"))
        asked = f"{overdue_command} {s.section}"
        quick = (Button(asked, text=asked),)
    return Card(title, subtitle, tuple(rows[:MAX_CARD_ROWS]), alt_text=title, quick_replies=quick)


def _nothing_rows(s: Summary, ask: tuple[str, ...] | None) -> tuple[CardRow, ...]:
    """What a card with nothing due in its period says: that plainly, and (no items at all) whom to ask."""
    if s.plan_items:
        rows = [CardRow(M.SUMMARY_NONE_IN_PERIOD.format(scope=s.section))]
        if s.due_next_14_days:
            rows.append(CardRow(M.SUMMARY_NEXT_14, M.SUMMARY_COUNT.format(n=s.due_next_14_days)))
        return tuple(rows)
    rows = [CardRow(M.SUMMARY_NO_ITEMS.format(scope=s.section, roc=roc_year(s.start.year)))]
    if s.section != M.WHOLE_OFFICE:
        if ask is None:
            rows.append(CardRow(M.SUMMARY_NO_ITEMS_CHECK.format(section=s.section), tone="muted"))
        else:
            who = M.SUMMARY_ASK_NAMES.format(names=M.LIST_SEP.join(ask)) if ask else ""
            rows.append(CardRow(M.SUMMARY_NO_ITEMS_ASK.format(section=s.section, who=who), tone="muted"))
    return tuple(rows)


def _overdue_value(c: Counts) -> str:
    """Return 逾期's value with what the reported ones last said (進行中 1、延後 1); 未回報 has its own row."""
    text = M.SUMMARY_TIMES.format(n=c.overdue)
    parts = [M.SUMMARY_PART.format(word=word, n=n) for word, n in (
        (M.STATUS["in_progress"], c.in_progress),
        (M.STATUS["delayed"], c.delayed), (M.STATUS["not_started"], c.not_started)) if n]
    return M.SUMMARY_OVERDUE_PARTS.format(total=text, parts=M.LIST_SEP.join(parts)) if parts else text


def _rates(c: Counts) -> str:
    """Return 完成率 and 如期率, or that nothing has fallen due yet (never a bare 0%)."""
    if c.completion is None:
        return M.SUMMARY_NOTHING_DUE
    return M.SUMMARY_RATES.format(
        rate=M.percent(c.completion), done=c.done, due=c.due, on_time=M.percent(c.on_time or 0.0),
    )


def _section_row(sec: Summary) -> CardRow:
    c = sec.counts
    if not c.due and not c.not_due:
        return CardRow(sec.section, M.SUMMARY_SECTION_EMPTY, "muted")
    text = M.SUMMARY_SECTION_ROW.format(done=c.done, due=c.due, overdue=c.overdue)
    return CardRow(sec.section, text, "alert" if c.overdue else "normal")


def _person_row(name: str, c: Counts) -> CardRow:
    text = M.SUMMARY_SECTION_ROW.format(done=c.done, due=c.due, overdue=c.overdue)
    return CardRow(name, text, "alert" if c.overdue else "normal")


def _overdue_row(d: Due, times: int, with_section: bool, on_leave: dict[str, str] | None = None) -> CardRow:
    name = f"{d.item.section.name} {d.item.number}" if with_section else d.item.number
    label = f"{name} {clip(own_name(d.item), 16)}"
    row = M.SUMMARY_OVERDUE_ROW if times == 1 else M.SUMMARY_OVERDUE_ROW_TIMES
    owners = owners_text(d.item)
    if on_leave and any(o.name in on_leave for o in d.item.owners):
        owners = M.LIST_SEP.join(LT.NAME_WITH_NOTE.format(name=o.name, note=on_leave[o.name]) if o.name in on_leave else o.name
                                 for o in d.item.owners)
    return CardRow(label, row.format(due=format_date(d.occ.due), owners=owners, times=times), "alert")
