"""今天, 本週, 下個月…, 逾期 and 我的: a person's (or a section's) occurrences, grouped by day."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps
from itertools import groupby

from handlers.chat import team
from handlers.core import access, audience, by_person, paging, scopes
from handlers.core.agenda import Due, agenda, number_key
from handlers.core.audience import ANYONE, OFFICE, Audience
from handlers.core.commands import is_filler
from handlers.core.due_text import (
    before_tracking_note,
    clip,
    due_line,
    item_name,
    kind_label,
    said_text,
    status_label,
)
from handlers.core.incoming import Context
from handlers.core.replies import Button, Reply, Text, seen_by
from handlers.core.request import Request
from handlers.texts import chat as M
from schedules.dates import MONTH_NUMBER, format_date
from storage import queries
from storage.models import Item, Plan, Role
from storage.text import compact

NAV = ("today", "this_week", "next_week", "this_month", "overdue", "mine")
# 12月, 十二月份 and 12/5 asked alone (a section or filler may follow); the year is the current one.
MONTH_ASKED = re.compile(rf"^(?:{MONTH_NUMBER})月份?(?![0-9一二三四五六七八九十])")
DAY_ASKED = re.compile(r"^(?P<m>1[0-2]|0?[1-9])/(?P<d>[0-3]?[0-9])(?![0-9/])")
ONE_DAY = ("today", "tomorrow", "day_after_tomorrow", "day")


def span(name: str, day: date) -> tuple[date, date]:
    """Return the first and last day of 今天, 明天, 本週 (Monday..Sunday), 下週, 上週, 本月, 下個月 or 上個月."""
    if name == "today":
        return day, day
    if name == "tomorrow":
        return day + timedelta(days=1), day + timedelta(days=1)
    if name == "day_after_tomorrow":
        return day + timedelta(days=2), day + timedelta(days=2)
    monday = day - timedelta(days=day.weekday())
    if name == "this_week":
        return monday, monday + timedelta(days=6)
    if name == "next_week":
        return monday + timedelta(days=7), monday + timedelta(days=13)
    if name == "last_week":
        return monday - timedelta(days=7), monday - timedelta(days=1)
    first = day.replace(day=1)
    if name == "next_month":
        first = (first + timedelta(days=32)).replace(day=1)
    if name == "last_month":
        first = (first - timedelta(days=1)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


class Scoped:
    """The items a list is about (mine, a section's, the office's) and how to name them."""

    def __init__(self, items: list[Item], scope: scopes.Scope) -> None:
        self.items = items
        self.scope = scope

    @property
    def whose(self) -> str:
        return scopes.scope_name(self.scope) or M.WHOSE_MINE

    @property
    def audience(self) -> Audience:
        """Return who may read the list: the office's, a section's staff, or anyone (the asker's own items)."""
        return scopes.scope_audience(self.scope)

    @property
    def mixed(self) -> bool:
        """Say whether lines should show owners and sections (a section's or the office's list)."""
        return self.scope.names_sections


def scoped_items(req: Request, ctx: Context, plan: Plan, args: str | None = None) -> Scoped | list[Reply] | None:
    """Return the items the arguments name, a refusal, or None when the arguments are not a scope.

    A month belongs in the arguments of 12月 only (本月 3月 is not a list anyone asked for).
    """
    sections = queries.sections_of(ctx.session, plan.office_id)
    scope = scopes.read_scope(sections, req.args if args is None else args)
    if (scope.month is not None) != (req.command.name == "month") or (scope.rest and not is_filler(scope.rest)):
        return None
    refusal = scopes.refusal(req.who, scope, sections)
    if refusal:
        return [Text(refusal)]
    if scope.whole_office:
        return Scoped(queries.items_of_plan(ctx.session, plan.id), scope)
    if scope.section is not None:
        return Scoped(queries.items_of_plan(ctx.session, plan.id, scope.section.id), scope)
    return Scoped(queries.items_owned_by(ctx.session, req.who.staff.id, plan.id), scope)


def _with_plan(fn: Callable[[Request, Context, Plan], list[Reply] | None]) -> Callable[[Request, Context], list[Reply] | None]:
    """Give the handler the asker's current plan, or answer that there is none yet."""

    @wraps(fn)
    def run(req: Request, ctx: Context) -> list[Reply] | None:
        plan = access.current_plan(ctx, req.who)
        if plan is None:
            return [Text(M.NO_PLAN)]
        return fn(req, ctx, plan)

    return run


@dataclass(frozen=True)
class Asked:
    """The span a list command asks about: how to call it, its first and last day, and the arguments left."""

    label: str
    start: date
    end: date
    args: str


def asked_span(req: Request, ctx: Context) -> Asked | str | None:
    """Return the span asked for, what to say when it is no date at all (2/31), or None when it is not a span."""
    name, anchor = req.command.name, req.anchor or ctx.today
    if name == "day":
        m = DAY_ASKED.match(compact(req.args))
        if m is None:
            return Asked("", anchor, anchor, req.args) if req.anchor else None
        try:
            day = date(anchor.year, int(m.group("m")), int(m.group("d")))
        except ValueError:
            return M.NO_SUCH_DAY.format(day=f"{int(m.group('m'))}/{int(m.group('d'))}")
        return Asked("", day, day, compact(req.args)[m.end() :])
    if name == "month":
        return Asked("", anchor, anchor, req.args)  # the month is read with the scope
    start, end = span(name, anchor)
    return Asked(M.SPAN[name], start, end, req.args)


@_with_plan
def due_in_span(req: Request, ctx: Context, plan: Plan) -> list[Reply] | None:
    """Answer 今天, 明天, 本週, 下週, 本月, 下個月, 12月 or 12/5 with the occurrences due then, grouped by day."""
    asked = asked_span(req, ctx)
    if not isinstance(asked, Asked):
        return [Text(asked)] if asked else None
    scoped = scoped_items(req, ctx, plan, asked.args)
    if not isinstance(scoped, Scoped):
        return scoped
    if req.command.name == "month":
        first = date(asked.start.year, scoped.scope.month, 1)
        asked = Asked(M.MONTH_WORD.format(month=first.month), *span("this_month", first), asked.args)
    dates = M.span_text(asked.start, asked.end)
    head = M.DUE_SPAN.format(span=asked.label, dates=dates) if asked.label else dates
    if req.command.name == "this_month" and not scoped.items and not scoped.mixed and access.sees_every_section(req.who):
        # 研考 and 主任 own nothing themselves: their 本月 is what the office still has to hand in.
        return seen_by(OFFICE, team.office_span(req, ctx, asked.start, asked.end, head))
    return seen_by(scoped.audience, _due_lines(req, ctx, plan, asked, scoped, head))


def _due_lines(req: Request, ctx: Context, plan: Plan, asked: Asked, scoped: Scoped, head: str) -> list[Reply]:
    lines = [_day_off(ctx, head, asked)]
    dues = agenda(ctx.session, scoped.items, plan.year, ctx.calendar, asked.start, asked.end)
    untracked = before_tracking_note(dues)
    later_plan = _not_yet_imported(ctx, plan, asked.end)
    anchor = asked.start if req.command.name == "day" else req.anchor
    if not dues:
        text = _with_next(M.DUE_NONE.format(span=head, whose=scoped.whose), ctx, plan, scoped, asked.end)
        return [Text("\n".join(filter(None, (*lines, text, later_plan))), _nav(req, scoped))]
    page = paging.page_of(dues, req.page)
    lines += [M.DUE_HEADER.format(span=head, whose=scoped.whose, count=len(dues))]
    lines += _by_day(page.entries, ctx.today, scoped)
    lines += ["", untracked] if untracked else []
    lines += ["", later_plan] if later_plan else []
    return [_page_text([line for line in lines if line is not None], req, page, scoped, anchor)]


def _day_off(ctx: Context, head: str, asked: Asked) -> str | None:
    """Return the line that says a one-day span is a day off (國慶日, a weekend, a typhoon closure), else None."""
    if asked.start != asked.end or ctx.calendar.is_working_day(asked.start):
        return None
    day = asked.start
    name = ctx.calendar.holiday_name(day) or (M.WEEKEND if day.weekday() >= 5 else M.CLOSURE)
    return M.DAY_OFF.format(span=head, name=name)


def _not_yet_imported(ctx: Context, plan: Plan, end: date) -> str:
    """Say so when the span reaches into a year whose plan is not imported (下個月 in December)."""
    if end.year <= plan.year or queries.plan_for(ctx.session, plan.office_id, end.year) is not None:
        return ""
    return M.PLAN_NOT_YET.format(roc=end.year - 1911)


def _by_day(dues: list[Due], today: date, scoped: Scoped) -> list[str]:
    lines: list[str] = []
    for day, group in groupby(dues, key=lambda d: d.occ.due):
        lines.append("")
        lines.append(M.DAY_HEADER.format(day=format_date(day)))
        lines += [due_line(d, today, with_section=scoped.scope.whole_office, with_owners=scoped.mixed) for d in group]
    return lines


def _with_next(text: str, ctx: Context, plan: Plan, scoped: Scoped, after: date) -> str:
    # After a span in the past or past the plan's year (下個月 in December), the next one is the next from today.
    since = after + timedelta(days=1) if after >= ctx.today and after.year <= plan.year else ctx.today
    upcoming = [d for d in agenda(ctx.session, scoped.items, plan.year, ctx.calendar, since) if not d.done]
    if not upcoming:
        return f"{text}\n{M.DUE_NOTHING_LEFT.format(year=M.plan_year(plan.year, ctx.today))}"
    first = upcoming[0]
    # 下個月 in December: the next one from today comes before the span asked about, so it is said as such.
    words = M.DUE_BEFORE if first.occ.due < after else M.DUE_NEXT
    return f"{text}\n{words.format(day=format_date(first.occ.due), title=item_name(first.item, 30))}"


@_with_plan
def overdue(req: Request, ctx: Context, plan: Plan) -> list[Reply] | None:
    """Answer 逾期 (mine), 逾期 戶籍登記課 or 逾期 全所 with occurrences past due and not done."""
    scoped = scoped_items(req, ctx, plan)
    if scoped is None and (person := team.person_named(ctx, req, req.args)) is not None:
        return team.person_work(req, ctx, person)
    if not isinstance(scoped, Scoped):
        return scoped
    today = ctx.today
    past = agenda(ctx.session, scoped.items, plan.year, ctx.calendar, end=today)
    untracked = before_tracking_note(past)
    dues = [d for d in past if d.is_overdue(today)]
    if not dues:
        said, seen = _none_overdue(req, ctx, plan, scoped)
        return seen_by(scoped.audience | seen, [Text("\n".join(filter(None, (said, untracked))), _nav(req, scoped))])
    return seen_by(scoped.audience, _overdue_lines(req, ctx, scoped, dues, untracked))


def _overdue_lines(req: Request, ctx: Context, scoped: Scoped, dues: list[Due], untracked: str | None) -> list[Reply]:
    today = ctx.today
    lines = [M.OVERDUE_HEADER.format(whose=scoped.whose, count=len(dues), today=format_date(today))]
    tail = ["", untracked] if untracked else []
    if scoped.mixed:
        # A section's or the office's list: by person, so a lead sees whom to ask, newest first.
        grouped, counts = by_person.entries(dues)
        page = paging.page_of(grouped, req.page)
        lines += by_person.lines(page.entries, counts, lambda d: _overdue_line(d, today), scoped.scope.whole_office)
        return [_page_text(lines + tail, req, page, scoped, None)]
    mine_page = paging.page_of(by_person.newest_first(dues), req.page)
    lines += [""] + [_overdue_line(d, today) for d in mine_page.entries]
    return [_page_text(lines + tail, req, mine_page, scoped, None)]


def _none_overdue(req: Request, ctx: Context, plan: Plan, scoped: Scoped) -> tuple[str, Audience]:
    """Say nothing of mine is overdue; to a chief or the coordinator, also how much of what they oversee is (and who
    may read that)."""
    wider = _wider(req) if not scoped.scope.names_sections else None
    if wider is None:
        return M.OVERDUE_NONE.format(whose=scoped.whose), ANYONE
    section = req.who.staff.section if wider != M.WHOLE_OFFICE else None
    # The count below is the section's (or the office's) data: asked here, not offered (a group is not shown it).
    if not (access.sees_section(req.who, section.id) if section else access.sees_every_section(req.who)):
        return M.OVERDUE_NONE.format(whose=scoped.whose), ANYONE
    seen = audience.section(section.id) if section else OFFICE
    items = queries.items_of_plan(ctx.session, plan.id, section.id if section else None)
    late = [d for d in agenda(ctx.session, items, plan.year, ctx.calendar, end=ctx.today) if d.is_overdue(ctx.today)]
    if not late:
        return M.OVERDUE_NONE_WIDER_TOO.format(scope=wider), seen
    return M.OVERDUE_NONE_BUT_WIDER.format(scope=wider, count=len(late), command=req.label("overdue")), seen


def _overdue_line(due: Due, today: date) -> str:
    return M.OVERDUE_LINE.format(
        due=format_date(due.occ.due), number=due.item.number, title=item_name(due.item, 24),
        kind=kind_label(due), days=(today - due.occ.due).days, status=said_text(due),
    )


@_with_plan
def mine(req: Request, ctx: Context, plan: Plan) -> list[Reply] | None:
    """Answer 我的 with my items that still have work this year, soonest first."""
    if req.args and not is_filler(req.args):
        return None
    today = ctx.today
    items = queries.items_owned_by(ctx.session, req.who.staff.id, plan.id)
    if not items:
        return [Text(M.MINE_NOT_OWNER_OFFICE if req.who.role is Role.coordinator else M.MINE_NOT_OWNER, _nav(req))]
    dues = agenda(ctx.session, items, plan.year, ctx.calendar)
    year = M.plan_year(plan.year, today)
    entries = [e for e in (_mine_entry(item, dues, today, year) for item in items) if e is not None]
    untracked = before_tracking_note(dues)
    if not entries:
        text = M.MINE_NONE.format(year=M.plan_year(plan.year, today))
        return [Text("\n".join(filter(None, (text, untracked))), _nav(req))]
    entries.sort(key=lambda e: (e[0], number_key(e[1].number)))
    page = paging.page_of(entries, req.page)
    lines = [M.MINE_HEADER.format(year=year, count=len(entries), today=format_date(today)), ""]
    lines += [line for _key, _item, line in page.entries]
    lines += ["", untracked] if untracked else []
    return [_page_text(lines, req, page, None, None)]


def _mine_entry(item: Item, dues: list[Due], today: date, year: str) -> tuple[date, Item, str] | None:
    """Return (sort date, item, line) for an item with work left, or None when its year is done."""
    if not item.schedule:
        line = M.MINE_NO_SCHEDULE.format(number=item.number, title=item_name(item, 24), schedule=clip(item.schedule_text, 20))
        return date.max, item, line
    own = [d for d in dues if d.item.id == item.id]
    late = [d for d in own if d.is_overdue(today)]
    ahead = [d for d in own if d.occ.due >= today and not d.done]
    if not ahead and not late:
        return None
    if ahead:
        first = ahead[0]
        line = M.MINE_LINE.format(
            number=item.number, title=item_name(item, 24), next=format_date(first.occ.due),
            kind=kind_label(first), status=status_label(first, today), left=len(ahead), year=year,
        )
    else:
        first = late[0]
        line = M.MINE_LINE_ONLY_LATE.format(number=item.number, title=item_name(item, 24), year=year)
    if late:
        line += M.MINE_OVERDUE.format(count=len(late))
    return (late[0].occ.due if late else first.occ.due), item, line


def _page_text(lines: list[str], req: Request, page: paging.Page, scoped: Scoped | None, anchor: date | None) -> Text:
    note = page.note()
    if note:
        lines = [*lines, "", note]
    args = scopes.scope_args(scoped.scope) if scoped else ""
    more = paging.more_button(req.command.name, page, args, anchor)
    buttons = ((more,) if more else ()) + _nav(req, scoped)
    return Text(_fit("\n".join(lines)), buttons)


def _fit(text: str) -> str:
    """Return the text within LINE's 5,000 characters (pages are sized well below; this is a guard)."""
    return text if len(text) <= 5000 else text[:4999] + M.ELLIPSIS


def _nav(req: Request, scoped: Scoped | None = None) -> tuple[Button, ...]:
    """Return buttons for the other lists, and the same list for the asker's section (or 全所) when they may see it."""
    current = req.command.name
    buttons = list(req.buttons(n for n in NAV if n != current))
    personal = scoped is not None and not scoped.scope.names_sections and current in (*M.SPAN, "overdue")
    wider = _wider(req) if personal else None
    if wider:
        label = f"{M.SPAN.get(current) or req.label(current)} {wider}"
        buttons.insert(0, Button(label, text=label))
    return tuple(buttons)


def _wider(req: Request) -> str | None:
    """Return 全所 for those who see every section, a chief's own section, else None."""
    if access.could_ask_for(req.who):
        return M.WHOLE_OFFICE
    section = req.who.staff.section if req.who.staff else None
    if section is not None and access.could_ask_for(req.who, section.id):
        return section.name
    return None
