"""The push budget: when a month's reminders would take more pushes than LINE's quota, spend it where it matters.

Pure, as the rest of the planner. `budget_morning` decides one morning from the normal plans of the rest of
the month (`plan_morning`), the month's quota and what was already pushed:

- normal mode, when the rest of the month fits in the quota: every digest is pushed as planned;
- budget mode otherwise: each person gets one digest a week (on the week's first working day, or on the
  first budget morning of a week that started in normal mode) listing everything due that week and
  everything overdue until the next week's digest (an event on the weekend or a holiday after it included),
  folded into the day's own lines (digests telling a due date first, the earliest first; one that only repeats
  what is overdue only if the later weeks' digests telling a due date are still paid for, so that a month that
  can pay one digest per person and week with a due date tells every due date on or before its day); the pushes
  left over go to the due-day (and an event's eve), escalation and overdue digests of the month's mornings, most
  urgent first (due before escalation before overdue, earlier mornings first), and the rest is held: its lines
  are attached to the person's next reply.

Pushes are counted as LINE counts them: one per user, one per member for a group (the section's people).
The coordinators get one warning a month when the month's pushes pass 80% of the quota; the warning's
pushes are budgeted too, so a month never goes over the quota. Offices sharing one LINE account plan one after
the other, each with what the others left (`MonthState.used`), keeping room for the others' warnings still to
come (`MonthState.kept`). `forecast` runs the same decision morning
by morning over a range, which is what the clock will then do if nothing changes (nobody reports), and counts
the due dates it holds without pushing them by their day.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from schedules.occurrences import OccurrenceKind
from schedules.planner.coverage import cover
from schedules.planner.day import plan_morning
from schedules.planner.inputs import DONE, OfficeData
from schedules.planner.lines import Line, Reason, add_line, make_line
from schedules.planner.routing import PlannedDelivery, Reach, route
from schedules.status import Said
from storage.models import Role

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar

PUSHED_REASONS = (Reason.due, Reason.escalation, Reason.overdue)  # what the budget left after the weekly digests pays for, in this order
# An event's eve reminder is its last chance: held on its day (a Sunday exam too), it is never told as due or
# overdue on a working day, so it ranks with the due-day digests.
_RANKS = {reason: n for n, reason in enumerate(PUSHED_REASONS)} | {Reason.event: 0}
WARN_SHARE = 0.8


class PushMode(enum.StrEnum):
    """How a morning is pushed (kept in the run's audit detail as `mode`): as planned, or under the push budget."""

    normal = "normal"
    budget = "budget"


NORMAL, BUDGET = PushMode.normal, PushMode.budget


@dataclass(frozen=True)
class MonthState:
    """Where the month stands before a morning: its quota, pushes counted so far, and what was already said."""

    quota: int | None  # pushes allowed this month (None: no limit known, nothing is budgeted)
    used: int = 0
    warned: bool = False  # the coordinators were told the month passed 80%
    digested: bool = False  # this week's digests already went out (a budget morning earlier this week)
    # Pushes kept for the warnings other offices sharing the account are still to get: never spent on these digests.
    kept: int = 0


@dataclass(frozen=True)
class Morning:
    """One morning's decision: what to push, what to hold for the next reply, and whether to warn."""

    day: date
    mode: PushMode
    pushed: tuple[PlannedDelivery, ...]
    held: dict[int, tuple[Line, ...]] = field(default_factory=dict)  # staff id -> lines not pushed
    warn: tuple[str, ...] = ()  # coordinators' LINE ids to warn (80% of the quota passed)
    cost: int = 0  # pushes this morning, the warning included
    unreachable: tuple[PlannedDelivery, ...] = ()

    def state_after(self, before: MonthState) -> MonthState:
        """Return the month's state for the next morning of the same week and month."""
        return MonthState(before.quota, before.used + self.cost, before.warned or bool(self.warn),
                          before.digested or self.mode == BUDGET, before.kept)


def push_cost(delivery: PlannedDelivery, offices: Sequence[OfficeData]) -> int:
    """Return the pushes a delivery takes from the quota: 1 for a person, the section's people for a group."""
    if delivery.recipient is None:
        return 0
    if delivery.via != Reach.group:
        return 1
    office = next((o for o in offices if o.id == delivery.office_id), None)
    members = sum(1 for p in office.people if p.section_id == delivery.section_id) if office else 1
    return max(members, 1)


def coordinators(offices: Sequence[OfficeData]) -> tuple[str, ...]:
    """Return the LINE ids of the coordinators who can be pushed to."""
    return tuple(sorted({p.line_user_id for o in offices for p in o.people if p.role == Role.coordinator and p.line_user_id}))


def week_start(calendar: WorkCalendar, day: date) -> date | None:
    """Return the first working day of `day`'s week (Monday to Sunday), or None in a week without one."""
    monday = day - timedelta(days=day.weekday())
    for n in range(7):
        d = monday + timedelta(days=n)
        if calendar.is_working_day(d):
            return d
    return None


class Planner:
    """Plans of single mornings, kept while the input does not change (a forecast asks for each many times)."""

    def __init__(self, offices: Sequence[OfficeData], calendar: WorkCalendar) -> None:
        self.offices, self.calendar = list(offices), calendar
        self._plans: dict[tuple[date, tuple[date, ...]], list[PlannedDelivery]] = {}
        self._weekly: dict[date, list[PlannedDelivery]] = {}

    def plan(self, day: date, missed: Sequence[date] = ()) -> list[PlannedDelivery]:
        """Return the normal plan of a morning (as `plan_morning`)."""
        key = (day, tuple(sorted(set(missed))))
        if key not in self._plans:
            moment = datetime.combine(day, time(8, 30))
            self._plans[key] = plan_morning(self.offices, self.calendar, moment, missed)
        return self._plans[key]

    def weekly(self, day: date, missed: Sequence[date] = ()) -> list[PlannedDelivery]:
        """Return the week's digests of `day`: due this week and overdue, with the morning's own lines."""
        if not missed and day in self._weekly:
            return self._weekly[day]
        out: list[PlannedDelivery] = []
        today = {(p.office_id, p.staff_id, p.via, p.section_id): p for p in self.plan(day, missed)}
        for office in self.offices:
            notes = week_lines(office, self.calendar, day)
            for p in today.values():
                if p.office_id != office.id:
                    continue
                for line in p.lines:
                    for person_id in _people_of(p, line, office):
                        add_line(notes, person_id, line)
            out.extend(route(office, cover(office, notes, self.calendar, day), day))
        out.sort(key=lambda p: (p.office_id, p.via, p.to))
        if not missed:
            self._weekly[day] = out
        return out

    def same_input(self, offices: Sequence[OfficeData], calendar: WorkCalendar) -> bool:
        """Say whether these offices and calendar are what the kept plans were made from (then they still hold)."""
        return (calendar.closures, calendar.workdays) == (self.calendar.closures, self.calendar.workdays) and [
            _office_key(o) for o in offices] == [_office_key(o) for o in self.offices]

    def forget_before(self, day: date) -> None:
        """Drop the kept plans of mornings before `day` (a long-running clock keeps only what is ahead)."""
        self._plans = {k: v for k, v in self._plans.items() if k[0] >= day}
        self._weekly = {k: v for k, v in self._weekly.items() if k >= day}

    def mornings(self, start: date, end: date) -> list[date]:
        """Return the working mornings from start to end, both included."""
        days, d = [], start
        while d <= end:
            if self.calendar.is_working_day(d):
                days.append(d)
            d += timedelta(days=1)
        return days


def _office_key(office: OfficeData) -> tuple:
    # Every field of the input (reports, leaves, who was served…): a change in any makes new plans.
    values = (getattr(office, f.name) for f in fields(office))
    return tuple(sorted(v.items()) if isinstance(v, Mapping) else v for v in values)


def week_horizon(calendar: WorkCalendar, day: date) -> date:
    """Return the last day a weekly digest of `day` is for: the day before the next week's first working day."""
    sunday = day + timedelta(days=6 - day.weekday())
    return calendar.next_working_day(sunday + timedelta(days=1)) - timedelta(days=1)


def week_lines(office: OfficeData, calendar: WorkCalendar, day: date) -> dict[int, dict[tuple, Line]]:
    """Return per person the lines of a weekly digest: what is due until next week's digest, and everything overdue.

    An event on a rest day (a Sunday exam, a Monday holiday's ceremony) is held that day: it is told in the
    digest before it, never in the next week's as if it were a deadline that had moved to a working day.
    """
    horizon = week_horizon(calendar, day)
    people = {p.id: p for p in office.people}
    sections = {s.id: s.name for s in office.sections}
    notes: dict[int, dict[tuple, Line]] = {}
    for item in office.items:
        owners = [o for o in item.owners if o in people]
        if not owners:
            continue
        for occ in item.occurrences:
            if occ.due > horizon:
                continue
            report = office.reports.get((item.id, occ.key))
            if report is not None and report.status == DONE or item.before_tracking(occ, report):
                continue
            held_on_its_day = occ.kind == OccurrenceKind.event and occ.due >= day
            anchor = occ.due if held_on_its_day else calendar.next_working_day(occ.due)
            if anchor > horizon:
                continue
            if anchor < day:
                reason, days = Reason.overdue, calendar.working_days_between(anchor, day) - 1
            elif anchor == day:
                reason, days = Reason.due, 0
            else:
                reason = {OccurrenceKind.event: Reason.event, OccurrenceKind.window: Reason.closing}.get(occ.kind, Reason.upcoming)
                days = calendar.working_days_between(day, anchor) - 1
            status = report.status if report else "not_reported"
            line = make_line(reason, item, occ, sections.get(item.section_id, ""), status, days, people, owners,
                             report.percent if report is not None and report.status == Said.in_progress else None)
            for owner in owners:
                add_line(notes, owner, line)
    return notes


def _people_of(delivery: PlannedDelivery, line: Line, office: OfficeData) -> list[int]:
    if delivery.staff_id is not None:
        return [delivery.staff_id]
    names = set(line.people)
    return [p.id for p in office.people if p.name in names and p.section_id == delivery.section_id]


def held_lines(deliveries: Iterable[PlannedDelivery], offices: Sequence[OfficeData]) -> dict[int, tuple[Line, ...]]:
    """Return per person the lines of deliveries that are not pushed (a group's lines go to the people named)."""
    by_office = {o.id: o for o in offices}
    notes: dict[int, dict[tuple, Line]] = {}
    for p in deliveries:
        office = by_office.get(p.office_id)
        if p.recipient is None or office is None:
            continue
        for line in p.lines:
            for person_id in _people_of(p, line, office):
                add_line(notes, person_id, line)
    return {k: tuple(sorted(v.values(), key=Line.sort_key)) for k, v in notes.items()}


# The reasons of a weekly digest's lines for what falls due before the next week's digest.
_DUE_THIS_WEEK = (Reason.due, Reason.event, Reason.closing, Reason.upcoming)


def _due_of(delivery: PlannedDelivery, calendar: WorkCalendar, day: date) -> date | None:
    """Return the earliest day, from `day` to the next week's digest, a digest tells something due (None: none).

    The day is the event's own (a Sunday too) or the working day a deadline falls on; a date already past (an event
    not reported, told as due the next working day) or left for next week's digest does not count.
    """
    horizon = week_horizon(calendar, day)
    days = (_day_of(ln, calendar) for ln in delivery.lines if ln.reason in _DUE_THIS_WEEK)
    return min((d for d in days if day <= d <= horizon), default=None)


def _day_of(line: Line, calendar: WorkCalendar) -> date:
    # An event is held on its own day (a Sunday too); a deadline on a rest day is due the next working day.
    return line.due if line.kind == OccurrenceKind.event else calendar.next_working_day(line.due)


def _digest_order(delivery: PlannedDelivery, calendar: WorkCalendar, day: date) -> tuple:
    # Digests telling a due date first, the earliest date first; then by urgency (escalation before overdue).
    due = _due_of(delivery, calendar, day)
    urgency = _urgency(delivery)
    return (due is None, due or date.max, 9 if urgency is None else urgency, delivery.via, delivery.to)


def _urgency(delivery: PlannedDelivery) -> int | None:
    ranks = [_RANKS[ln.reason] for ln in delivery.lines if ln.reason in _RANKS]
    return min(ranks) if ranks else None


def budget_morning(planner: Planner, day: date, state: MonthState, missed: Sequence[date] = ()) -> Morning:
    """Decide the morning of `day` under the month's quota (see the module's docstring)."""
    cal, offices = planner.calendar, planner.offices
    today = planner.plan(day, missed)
    reachable = [p for p in today if p.recipient]
    unreachable = tuple(p for p in today if not p.recipient)
    if not cal.is_working_day(day):
        return Morning(day, NORMAL, ())
    if state.quota is None:
        return Morning(day, NORMAL, tuple(reachable), cost=sum(push_cost(p, offices) for p in reachable), unreachable=unreachable)
    coords = () if state.warned else coordinators(offices)
    rest = planner.mornings(day + timedelta(days=1), _month_end(day))

    def cost(ps: Iterable[PlannedDelivery]) -> int:
        return sum(push_cost(p, offices) for p in ps)

    normal_today = cost(reachable)
    normal_total = state.used + normal_today + sum(cost(planner.plan(d)) for d in rest)
    warn_at = WARN_SHARE * state.quota
    if normal_total + state.kept + (len(coords) if normal_total > warn_at else 0) <= state.quota:
        warn = coords if state.used + normal_today > warn_at else ()
        return Morning(day, NORMAL, tuple(reachable), {}, warn, normal_today + len(warn), unreachable)
    return _budgeted(planner, day, state, missed, today, unreachable, coords, rest, cost)


def _budgeted(planner, day, state, missed, today, unreachable, coords, rest, cost) -> Morning:
    cal, offices = planner.calendar, planner.offices
    # The warning is kept room for (it will be sent this month), and so are the other offices' sharing the account.
    room = state.quota - state.used - len(coords) - state.kept
    digest_day = not state.digested or week_start(cal, day) == day
    future_digests = [d for d in rest if week_start(cal, d) == d]
    if digest_day:
        digests = [p for p in planner.weekly(day, missed) if p.recipient]
        digests.sort(key=lambda p: _digest_order(p, cal, day))
        # Later weeks' digests that tell a due date are kept room for: a week's digest that only repeats what is
        # overdue must not spend the pushes that tell the third week's Sunday exam. A digest telling a date due
        # this week may take that room: when the month cannot pay for all, the earliest due dates go first.
        later = sum(cost(p for p in planner.weekly(d) if p.recipient and _due_of(p, cal, d)) for d in future_digests)
        pushed, spent = [], 0
        for p in digests:
            c = push_cost(p, offices)
            if spent + c <= (room if _due_of(p, cal, day) else room - later):
                pushed.append(p)
                spent += c
        candidates_today: list[PlannedDelivery] = []
    else:
        pushed, spent, digests = [], 0, []
        candidates_today = [p for p in today if p.recipient]
    future_room = room - spent - sum(cost(p for p in planner.weekly(d) if p.recipient) for d in future_digests)
    picks = _pick(planner, day, candidates_today, [d for d in rest if d not in future_digests], future_room)
    pushed.extend(picks)
    spent += cost(picks)
    left = [p for p in (digests if digest_day else candidates_today) if p not in pushed]
    warn = coords if state.used + spent > WARN_SHARE * state.quota else ()
    # The room kept for the warning may be gone (offices sharing one account spent it, or LINE counted pushes made
    # elsewhere): a warning that does not fit waits for a morning with room, the month never goes over the quota.
    warn = warn[:max(state.quota - state.used - spent, 0)]
    return Morning(day, BUDGET, tuple(pushed), held_lines(left, offices), warn, spent + len(warn), unreachable)


def _pick(planner: Planner, day: date, today: list[PlannedDelivery], later: list[date], room: int) -> list[PlannedDelivery]:
    """Return today's deliveries that the room left pays for, taking the month's candidates most urgent first."""
    ranked = []
    for d, plans in [(day, today), *((d, [p for p in planner.plan(d) if p.recipient]) for d in later)]:
        for p in plans:
            urgency = _urgency(p)
            if urgency is not None:
                ranked.append((urgency, d, p.via, p.to, p))
    ranked.sort(key=lambda r: r[:4])
    picked = []
    for entry in ranked:
        d, p = entry[1], entry[4]
        c = push_cost(p, planner.offices)
        if c <= room:
            room -= c
            if d == day:
                picked.append(p)
    return picked


def _month_end(day: date) -> date:
    nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


@dataclass(frozen=True)
class MonthForecast:
    """The pushes a month's mornings will take, against its quota."""

    month: date  # the first of the month
    quota: int | None
    used_before: int  # already counted before the forecast's first morning
    normal: int  # what the mornings would push without a budget
    pushes: int  # what they will push (the budget applied where needed)
    budget_days: int
    held_lines: int
    mornings: tuple[Morning, ...] = ()
    # Due dates of the month (an owner's occurrence) held for a reply and not pushed by their day: what the
    # quota could not pay for; they are said only if the owner writes to the bot first.
    late: int = 0
    others: int = 0  # what the other offices sharing the LINE account will push (`Sharer`)

    @property
    def total(self) -> int:
        return self.used_before + self.pushes + self.others


@dataclass(frozen=True)
class Sharer:
    """Another office pushing through the same LINE account: its plans, whether the clock plans it before the office
    forecast each morning (offices are planned in order), and its state before the forecast's first morning
    (whether its coordinators were warned and its week's digests given; the pushes counted are the account's)."""

    planner: Planner
    before: bool
    first: MonthState | None = None


@dataclass
class _Seat:
    """One office of the account in a forecast: its plans, and what its month has said so far."""

    planner: Planner
    first: MonthState | None
    warned: bool = False
    digested: bool = False
    week: date | None = None

    @property
    def coordinators(self) -> int:
        return len(coordinators(self.planner.offices))

    def start_month(self, day: date, carried: bool) -> None:
        # A later month starts afresh; the forecast's first month goes on from what was said before it.
        first = self.first if carried and self.first is not None else MonthState(None)
        self.warned, self.digested, self.week = first.warned, first.digested, week_start(self.planner.calendar, day)

    def morning(self, day: date, quota: int | None, used: int, kept: int) -> Morning:
        week = week_start(self.planner.calendar, day)
        if week != self.week:
            self.week, self.digested = week, False
        m = budget_morning(self.planner, day, MonthState(quota, used, self.warned, self.digested, kept))
        self.warned, self.digested = self.warned or bool(m.warn), self.digested or m.mode == BUDGET
        return m


def forecast(
    planner: Planner, start: date, end: date, quota_of, first: MonthState | None = None, sharing: Sequence[Sharer] = ()
) -> list[MonthForecast]:
    """Run `budget_morning` over every morning from start to end, month by month (quota_of(month) -> int | None).

    `first` is the state of `start`'s month before `start` (pushes counted, warning given, this week's digest
    given); later months start from nothing. `sharing`: the other offices on the same LINE account, planned each
    morning in the clock's order, each with what the others left (their pushes are each month's `others`).
    """
    out: list[MonthForecast] = []
    told: dict[tuple[int, int, str], date] = {}  # (person, item, occurrence) -> first morning a push named it
    waiting: dict[tuple[int, int, str], date] = {}  # ... -> its day, for a due date held on a morning before it
    me = _Seat(planner, first)
    seats = [*(_Seat(s.planner, s.first) for s in sharing if s.before), me,
             *(_Seat(s.planner, s.first) for s in sharing if not s.before)]
    first_week = week_start(planner.calendar, start)
    day = start
    while day <= end:
        month = day.replace(day=1)
        carried = first is not None and month == start.replace(day=1)
        quota, used = (first.quota, first.used) if carried else (quota_of(month), 0)
        used_before = used
        for seat in seats:
            seat.start_month(day, carried)
        normal = pushes = budget_days = held = others = 0
        mornings = []
        d, last = day, min(end, _month_end(day))
        while d <= last:
            for seat in seats:
                if not seat.planner.calendar.is_working_day(d):
                    continue
                kept = sum(s.coordinators for s in seats if s is not seat and not s.warned)
                m = seat.morning(d, quota, used, kept)
                used += m.cost
                if seat is not me:
                    others += m.cost
                    continue
                normal += sum(push_cost(p, planner.offices) for p in planner.plan(d) if p.recipient)
                pushes += m.cost
                budget_days += m.mode == BUDGET
                held += sum(len(v) for v in m.held.values())
                mornings.append(m)
                # Started within a week whose digests already went out: what they named is not known here, so the
                # week's holds are not counted as late (they were most likely told by that digest).
                _note(planner, m, told, waiting, counted=not (first is not None and first.digested and me.week == first_week))
            d += timedelta(days=1)
        out.append(MonthForecast(month, quota, used_before, normal, pushes, budget_days, held, tuple(mornings), others=others))
        day = _month_end(day) + timedelta(days=1)
    late: dict[date, int] = {}
    for key, due_day in waiting.items():
        if due_day <= end and told.get(key, date.max) > due_day:
            late[due_day.replace(day=1)] = late.get(due_day.replace(day=1), 0) + 1
    return [replace(m, late=late.get(m.month, 0)) for m in out]


def _note(planner: Planner, m: Morning, told: dict, waiting: dict, counted: bool = True) -> None:
    """Record who a morning's pushes told of what, and the due dates it held before their day."""
    by_office = {o.id: o for o in planner.offices}
    for p in m.pushed:
        office = by_office.get(p.office_id)
        for line in p.lines if office else ():
            for person_id in _people_of(p, line, office):
                told.setdefault((person_id, line.item_id, line.occurrence_key), m.day)
    for person_id, lines in m.held.items() if counted else ():
        for line in lines:
            if line.item_id is not None and line.reason in _DUE_THIS_WEEK:
                due_day = _day_of(line, planner.calendar)
                if due_day >= m.day:
                    waiting.setdefault((person_id, line.item_id, line.occurrence_key), due_day)
