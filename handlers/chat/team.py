"""What team leads ask about people: 未回報 (who has not reported), 逾期 張書維 / 查 張書維, and 綁定碼 NAME."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.core import access, audience, by_person, paging, postbacks, scopes
from handlers.core.agenda import Due, agenda
from handlers.core.audience import Audience
from handlers.core.due_text import due_line, item_name, kind_label, said_text
from handlers.core.incoming import Context
from handlers.core.replies import Button, Reply, Text, seen_by
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import nudges as N
from schedules.dates import format_date
from schedules.status import OccurrenceStatus, Said, State, count
from storage import queries
from storage.invites import create_invite
from storage.models import Role, Staff
from storage.text import compact

PERSON_AHEAD = timedelta(days=30)  # how far ahead a person's open work is listed
PERSON_LINES = 15  # lines of each part of one person's list; more are counted, not shown


def not_reported(req: Request, ctx: Context) -> list[Reply]:
    """Answer 未回報: last month's and the current windows' occurrences nobody has reported, by person."""
    found = unreported(req, ctx)
    if not isinstance(found, Unreported):
        return found
    return seen_by(found.audience, _not_reported_lines(req, ctx, found))


def _not_reported_lines(req: Request, ctx: Context, found: Unreported) -> list[Reply]:
    scope, dues, since = found.scope, found.dues, found.since
    today = ctx.today
    whose = scopes.scope_name(scope)
    span = format_date(since)
    if not dues:
        return [Text(M.NOT_REPORTED_NONE.format(whose=whose, span=span))]
    grouped, counts = by_person.entries(dues, overdue_first(today))
    people = len({(e.section, e.person) for e in grouped})
    page = paging.page_of(grouped, req.page)
    lines = [M.NOT_REPORTED_HEADER.format(whose=whose, span=span, count=len(dues), people=people)]
    lines += by_person.lines(page.entries, counts, lambda d: unreported_line(d, today), scope.whole_office)
    note = page.note()
    lines += ["", note] if note else []
    more = paging.more_button(req.command.name, page, scopes.scope_args(scope))
    buttons = (more,) if more else ()
    return [Text("\n".join(lines), (*buttons, postbacks.button(N.BUTTON_NUDGE, postbacks.Route.nudge, r=scopes.scope_args(scope))))]


@dataclass(frozen=True)
class Unreported:
    """What 未回報 lists: the scope asked for, the occurrences nobody reported, and the day they are counted from."""

    scope: scopes.Scope
    dues: list[Due]
    since: date

    @property
    def audience(self) -> Audience:
        """Return who may read the list: the office's or a section's staff."""
        return scopes.scope_audience(self.scope)


def unreported(req: Request, ctx: Context) -> Unreported | list[Reply]:
    """Return the occurrences 未回報 lists for the request's scope, or the replies refusing or explaining it."""
    opened = scopes.open_scope(req, ctx)
    if not isinstance(opened, scopes.Scoped):
        return opened
    scope = opened.scope
    if scope.rest or scope.month is not None:
        return [Text(M.NOT_REPORTED_USAGE.format(sections=scopes.sections_list(opened.sections)))]
    refusal = scopes.refusal(req.who, scope, opened.sections)
    if refusal:
        return [Text(refusal)]
    if not scope.names_sections:
        if access.sees_every_section(req.who):
            scope = scopes.Scope(whole_office=True)
        else:
            scope = scopes.Scope(section=req.who.staff.section)
            if scope.section is None or not access.sees_section(req.who, scope.section.id):
                return [Text(M.REFUSE_NOT_REPORTED)]
    items = queries.items_of_plan(ctx.session, opened.plan.id, scope.section.id if scope.section else None)
    today = ctx.today
    since = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    dues = [d for d in agenda(ctx.session, items, opened.plan.year, ctx.calendar, start=since)
            if _unreported(d.state(today, ctx.calendar), today)]
    return Unreported(scope, dues, since)


def _unreported(st: OccurrenceStatus, today: date) -> bool:
    """Say whether 未回報 lists it: nobody reported, and it is overdue, due today or a window open today."""
    if st.said is not Said.none:
        return False
    return st.state is State.overdue or (st.state is State.not_due and (st.occ.due == today or st.open))


def overdue_first(today: date) -> Callable[[list[Due]], list[Due]]:
    """Return how 未回報 orders one person's lines: overdue first (newest first), then what is due or open."""
    def order(dues: list[Due]) -> list[Due]:
        late = by_person.newest_first([d for d in dues if d.occ.due < today])
        return late + sorted((d for d in dues if d.occ.due >= today), key=lambda d: d.occ.due)
    return order


def unreported_line(due: Due, today: date) -> str:
    """Return one line of 未回報 (also the lines of a reminder sent from it)."""
    mark = M.OVERDUE_MARK if due.is_overdue(today) else ""
    return M.NOT_REPORTED_LINE.format(
        due=format_date(due.occ.due), number=due.item.number, title=item_name(due.item, 24), kind=kind_label(due), mark=mark,
    )


def person_named(ctx: Context, req: Request, text: str) -> Staff | None:
    """Return the staff member of the asker's office whose name the text is (spaces and filler aside)."""
    if req.who.staff is None:
        return None
    name = compact(text).rstrip("的呢?？")
    if not 2 <= len(name) <= 6:
        return None
    return queries.staff_by_name(ctx.session, req.who.staff.office_id, name)


def person_refusal(req: Request, person: Staff) -> str | None:
    """Return why the asker may not see this person's work (themselves, their chief, 研考 and 主任 may)."""
    who = req.who
    if who.staff is not None and who.staff.id == person.id:
        return None
    if person.section_id is not None and access.sees_section(who, person.section_id):
        return None  # 研考 and 主任 see every section, a chief their own
    if person.section_id is None and access.sees_every_section(who):
        return None
    if who.role is Role.chief and who.staff.section is not None:
        return M.REFUSE_PERSON_OTHER_SECTION.format(name=person.name, section=who.staff.section.name)
    return M.REFUSE_PERSON.format(name=person.name)


def person_work(req: Request, ctx: Context, person: Staff) -> list[Reply]:
    """Answer 逾期 張書維 or 查 張書維: the person's overdue occurrences (newest first) and open work ahead."""
    refusal = person_refusal(req, person)
    if refusal:
        return [Text(refusal)]
    # Their own work is the asker's to share; anyone else's is their section's (or, of no section, the office's).
    own = req.who.staff is not None and req.who.staff.id == person.id
    return seen_by(audience.ANYONE if own else audience.section(person.section_id), _person_lines(req, ctx, person))


def _person_lines(req: Request, ctx: Context, person: Staff) -> list[Reply]:
    plan = access.current_plan(ctx, req.who)
    if plan is None:
        return [Text(M.NO_PLAN)]
    today = ctx.today
    items = queries.items_owned_by(ctx.session, person.id, plan.id)
    section = person.section.name if person.section else M.NOBODY
    if not items:
        return [Text(M.PERSON_NO_ITEMS.format(name=person.name, section=section))]
    dues = agenda(ctx.session, items, plan.year, ctx.calendar)
    late = by_person.newest_first([d for d in dues if d.is_overdue(today)])
    ahead = [d for d in dues if not d.done and today <= d.occ.due <= today + PERSON_AHEAD]
    lines = [M.PERSON_HEADER_LINE.format(
        name=person.name, section=section, late=len(late), ahead=len(ahead), days=PERSON_AHEAD.days, today=format_date(today),
    )]
    if late:
        lines += ["", M.PERSON_LATE]
        lines += [M.PERSON_LATE_LINE.format(
            due=format_date(d.occ.due), number=d.item.number, title=item_name(d.item, 24), kind=kind_label(d),
            days=(today - d.occ.due).days, status=said_text(d),
        ) for d in late[:PERSON_LINES]]
        lines += [M.PERSON_MORE.format(n=len(late) - PERSON_LINES)] if len(late) > PERSON_LINES else []
    if ahead:
        lines += ["", M.PERSON_AHEAD.format(days=PERSON_AHEAD.days)]
        lines += [M.PERSON_AHEAD_LINE.format(due=format_date(d.occ.due), line=due_line(d, today)[1:]) for d in ahead[:PERSON_LINES]]
        lines += [M.PERSON_MORE.format(n=len(ahead) - PERSON_LINES)] if len(ahead) > PERSON_LINES else []
    if not late and not ahead:
        lines += ["", M.PERSON_NOTHING.format(days=PERSON_AHEAD.days)]
    return [Text("\n".join(lines))]


def invite_code(req: Request, ctx: Context) -> list[Reply]:
    """Answer 綁定碼 NAME (研考 only): a one-time binding code for the person, as `planbot staff invite` gives."""
    name = compact(req.args)
    if not name:
        return [Text(M.INVITE_USAGE)]
    person = queries.staff_by_name(ctx.session, req.who.staff.office_id, name)
    if person is None:
        return [Text(M.INVITE_NOT_ON_ROSTER.format(name=name))]
    if person.line_user_id and person.following:
        # A code for someone linked and still following re-binds their record to whoever uses it: only on an
        # explicit confirmation, and the account in use hears of it when it happens.
        ask = (postbacks.button(M.INVITE_REBIND_YES, postbacks.Route.rebind, s=person.id), postbacks.button(M.INVITE_REBIND_NO, postbacks.Route.rebind, s=0))
        return [Text(M.INVITE_REBIND_ASK.format(name=person.name), ask)]
    return _issue(req, ctx, person)




def on_rebind(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Answer the confirmation of 綁定碼 for a linked colleague: issue the code (研考 only), or drop it."""
    if req.who.role is not Role.coordinator:
        return [Text(M.REFUSE_INVITE)]
    staff_id = postbacks.int_field(fields, "s")
    if not staff_id:
        return [Text(M.INVITE_REBIND_DROPPED)]
    person = ctx.session.get(Staff, staff_id)
    if person is None or person.office_id != req.who.staff.office_id or not person.active:
        return [Text(M.STALE_BUTTON)]
    return _issue(req, ctx, person)


def _issue(req: Request, ctx: Context, person: Staff) -> list[Reply]:
    code, expires = create_invite(ctx.session, person, ctx.now, actor=f"line:{req.who.line_user_id}")
    until = expires.astimezone(ctx.now.tzinfo)
    text = M.INVITE_CODE.format(name=person.name, code=code, day=format_date(until.date()), time=f"{until:%H:%M}")
    if person.line_user_id:
        text += M.INVITE_ALREADY_LINKED.format(name=person.name)
    return [Text(text)]



def office_span(req: Request, ctx: Context, start: date, end: date, head: str) -> list[Reply]:
    """Answer 本月 for those who see the office but own no items: what each section still has to hand in, by person."""
    plan = access.current_plan(ctx, req.who)
    if plan is None:
        return [Text(M.NO_PLAN)]
    today = ctx.today
    items = queries.items_of_plan(ctx.session, plan.id)
    # Still to hand in: not done and tracked (schedules.status), so 追蹤前 is not work left.
    shown = [(d, d.state(today, ctx.calendar)) for d in agenda(ctx.session, items, plan.year, ctx.calendar, start, end)]
    open_dues = [(d, s) for d, s in shown if s.state in (State.not_due, State.overdue)]
    if not open_dues:
        return [Text(M.OFFICE_SPAN_NONE.format(span=head))]
    lines = [M.OFFICE_SPAN_HEADER.format(span=head, count=len(open_dues))]
    buttons = []
    for section in queries.sections_of(ctx.session, plan.office_id):
        own = [(d, s) for d, s in open_dues if d.item.section_id == section.id]
        if not own:
            continue
        counted = count(s for _d, s in own)
        _entries, counts = by_person.entries([d for d, _s in own])
        people = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1]))
        lines += ["", M.OFFICE_SPAN_SECTION.format(section=section.name, count=counted.overdue + counted.not_due,
                                                   late=counted.overdue)]
        lines.append(M.LIST_SEP.join(M.OFFICE_SPAN_PERSON.format(person=person, count=n) for (_s, person), n in people))
        label = f"{req.label(req.command.name)} {section.name}"
        buttons.append(Button(label, text=label))
    lines += ["", M.OFFICE_SPAN_HINT.format(command=req.label(req.command.name))]
    unreported = req.label("not_reported")
    return [Text("\n".join(lines), (*buttons[:11], Button(unreported, text=unreported)))]
