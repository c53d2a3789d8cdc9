"""Expand a Schedule into the dated occurrences of a plan year, on a given working-day calendar."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from schedules.calendar import WorkCalendar
from schedules.dates import format_date, format_month_day, roc_year
from schedules.phrases import (
    Day,
    DayKind,
    MonthlyDeadline,
    NthWeekday,
    OneDay,
    Periods,
    Rule,
    Schedule,
    Span,
    Weekly,
    Window,
)


class OccurrenceKind(enum.StrEnum):
    """What an occurrence asks: done by a date, within a window, over a period (a month, a quarter), or attended.

    A rule's day (`DayKind`, a deadline or an event) is the occurrence kind of the same name: `OccurrenceKind(kind)`.
    """

    deadline = DayKind.deadline.value
    window = "window"
    period = "period"
    event = DayKind.event.value



@dataclass(frozen=True)
class Occurrence:
    """One dated thing to do; `key` is stable across recomputation and is what progress reports point at."""

    kind: OccurrenceKind
    starts: date | None
    due: date
    key: str
    label: str
    # The date as written when a rest day moved it to `due` (2/28 → 3/2): people are told it moved.
    rolled_from: date | None = field(default=None, compare=False)


def expand(schedule: Schedule, year: int, calendar: WorkCalendar) -> list[Occurrence]:
    """Return every occurrence of the schedule in the plan year, sorted by (due, key), without duplicates."""
    found: dict[str, Occurrence] = {}
    # Dates are worked out as if no local closure existed, then a closure only postpones (see postponed):
    # "the month's last working day" on a typhoon Friday is the next Monday, not Thursday.
    unclosed = calendar.without_closures()
    for index, rule in enumerate(schedule.rules, start=1):
        own: dict[str, Occurrence] = {}
        for occ in _EXPANDERS[type(rule)](rule, year, unclosed):
            occ = _after_closures(occ, rule, calendar)
            if occ is not None:
                own.setdefault(occ.key, occ)
        for key, occ in own.items():
            if key in found and found[key] != occ:
                # Two rules of one item landing on one key (每月5日前 and 3月) must stay apart; the rule's
                # position in the cell keeps the suffix stable as long as the text is unchanged.
                key = f"{key}#{index}"
                occ = Occurrence(occ.kind, occ.starts, occ.due, key, occ.label, occ.rolled_from)
            found.setdefault(key, occ)
    return sorted(found.values(), key=_order)


def _after_closures(occ: Occurrence, rule: Rule, calendar: WorkCalendar) -> Occurrence | None:
    """Return the occurrence as the office's closures leave it: a due date postponed, or a recurring event off."""
    if not calendar.closures or occ.due not in calendar.closures:
        return occ
    if occ.kind == OccurrenceKind.event:
        # A recurring service on a closed weekday is not held; a one-off event keeps its announced day.
        return None if isinstance(rule, (Weekly, NthWeekday)) and _closed_weekday(occ.due, calendar) else occ
    due = calendar.postponed(occ.due)
    return Occurrence(occ.kind, occ.starts, due, occ.key, occ.label, occ.rolled_from or occ.due)


def expand_between(
    schedule: Schedule, year: int, calendar: WorkCalendar, start: date, end: date
) -> list[Occurrence]:
    """Return the occurrences of the plan year due from start to end, both included."""
    return [o for o in expand(schedule, year, calendar) if start <= o.due <= end]


def _order(o: Occurrence) -> tuple[date, str]:
    return o.due, o.key


def _month_key(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def _month_label(year: int, month: int, plan_year: int) -> str:
    return f"{month}月" if year == plan_year else f"{roc_year(year)}年{month}月"


def _rolled(nominal: date, due: date) -> date | None:
    return nominal if due != nominal else None


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def _monthly_deadline(rule: MonthlyDeadline, year: int, cal: WorkCalendar) -> Iterator[Occurrence]:
    for month in rule.months:
        due_year, due_month = _add_months(year, month, rule.shift)
        if rule.working:
            days = cal.working_days_of_month(due_year, due_month)
            # A count past the month's working days means its last one, not an error at runtime.
            due = days[min(rule.day, len(days)) - 1]
        else:
            nominal = Day(due_month, rule.day, due_year).on(due_year)
            due = cal.previous_working_day(nominal) if rule.earlier else cal.next_working_day(nominal)
        rolled = _rolled(nominal, due) if not rule.working else None
        yield Occurrence(OccurrenceKind.deadline, None, due, _month_key(year, month), _month_label(year, month, year), rolled)


def _period_label(first_month: int, last_month: int, span: int) -> str:
    if span == 12 or (first_month, last_month) == (1, 12):
        return "全年"
    if span == 6 and last_month in (6, 12):
        return "上半年" if last_month == 6 else "下半年"
    if span == 3 and last_month % 3 == 0:
        return f"第{last_month // 3}季"
    if first_month == last_month:
        return f"{last_month}月"
    return f"{first_month}-{last_month}月"


def _period(
    first: tuple[int, int], last: tuple[int, int], plan_year: int, cal: WorkCalendar, label: str
) -> Occurrence:
    starts = date(first[0], first[1], 1)
    due = cal.last_working_day(*last)
    key = _month_key(*first) if first == last else f"{_month_key(*first)}~{_month_key(*last)}"
    if first[0] != plan_year or last[0] != plan_year:
        label = (
            f"{_month_label(*first, plan_year)}"
            if first == last
            else f"{_month_label(*first, plan_year)}-{_month_label(*last, plan_year)}"
        )
    return Occurrence(OccurrenceKind.period, starts, due, key, label)


def _periods(rule: Periods, year: int, cal: WorkCalendar) -> Iterator[Occurrence]:
    for end in rule.ends:
        first = _add_months(year, end, 1 - rule.span)
        yield _period(first, (year, end), year, cal, _period_label(first[1], end, rule.span))


def _span(rule: Span, year: int, cal: WorkCalendar) -> Iterator[Occurrence]:
    first = (rule.first.year_in(year), rule.first.month)
    last = (rule.last.year_in(year), rule.last.month)
    same_year = first[0] == last[0]
    label = _period_label(first[1], last[1], 0) if same_year else ""
    yield _period(first, last, year, cal, label)


def _window(rule: Window, year: int, cal: WorkCalendar) -> Iterator[Occurrence]:
    first, last = rule.first.on(year), rule.last.on(year)
    label = f"{format_month_day(first, year)}-{format_month_day(last, year)}"
    due = cal.next_working_day(last)
    yield Occurrence(OccurrenceKind.window, first, due, f"{first.isoformat()}~{last.isoformat()}", label, _rolled(last, due))


@lru_cache(maxsize=4096)
def _weekly_dates(weekdays: tuple[int, ...], first: date, last: date) -> tuple[date, ...]:
    # Nominal dates only: they do not depend on any calendar's overrides, so sharing them is safe.
    return tuple(d.date() for d in rrule(WEEKLY, byweekday=weekdays, dtstart=first, until=last))


def _weekly(rule: Weekly, year: int, cal: WorkCalendar) -> Iterator[Occurrence]:
    first = rule.first.on(year) if rule.first else date(year, 1, 1)
    last = rule.last.on(year) if rule.last else date(year, 12, 31)
    for d in _weekly_dates(rule.weekdays, first, last):
        if rule.kind is DayKind.event and _closed_weekday(d, cal):
            continue
        due = cal.next_working_day(d) if rule.kind is DayKind.deadline else d
        yield Occurrence(OccurrenceKind(rule.kind), None, due, d.isoformat(), format_date(d), _rolled(d, due))


@lru_cache(maxsize=4096)
def _nth_weekday_dates(
    months: tuple[int, ...], wd: int, nths: tuple[int, ...], year: int
) -> tuple[date, ...]:
    days = [weekday(wd, n) for n in nths]
    rule = rrule(MONTHLY, bymonth=months, byweekday=days, dtstart=date(year, 1, 1), until=date(year, 12, 31))
    return tuple(d.date() for d in rule)


def _nth_weekday(rule: NthWeekday, year: int, cal: WorkCalendar) -> Iterator[Occurrence]:
    for d in _nth_weekday_dates(rule.months, rule.weekday, rule.nths, year):
        if _closed_weekday(d, cal):
            continue
        yield Occurrence(OccurrenceKind.event, None, d, d.isoformat(), format_date(d))


def _closed_weekday(d: date, cal: WorkCalendar) -> bool:
    """Tell whether a recurring event's day is a holiday on a weekday: the service is not held that day.

    An event set on a weekend day (每月第3個星期日) is held on purpose, so only closures of weekdays count.
    """
    return d.weekday() < 5 and not cal.is_working_day(d)


def _one_day(rule: OneDay, year: int, cal: WorkCalendar) -> Iterator[Occurrence]:
    d = rule.on.on(year)
    if rule.kind is DayKind.deadline:
        due = cal.previous_working_day(d) if rule.earlier else cal.next_working_day(d)
        yield Occurrence(OccurrenceKind.deadline, None, due, d.isoformat(), f"{format_month_day(d, year)}前", _rolled(d, due))
    else:
        label = format_date(d) if d.year == year else f"{roc_year(d.year)}/{format_date(d)}"
        yield Occurrence(OccurrenceKind.event, None, d, d.isoformat(), label)


_EXPANDERS: dict[type, Callable[[Rule, int, WorkCalendar], Iterator[Occurrence]]] = {
    MonthlyDeadline: _monthly_deadline,
    Periods: _periods,
    Span: _span,
    Window: _window,
    Weekly: _weekly,
    NthWeekday: _nth_weekday,
    OneDay: _one_day,
}
