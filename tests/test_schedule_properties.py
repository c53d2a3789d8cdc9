"""Properties of the calendar and the expansion that must hold for any phrase, year and overrides."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedules.calendar import WorkCalendar
from schedules.occurrences import expand, expand_between
from schedules.phrases import Schedule, ScheduleError, parse_schedule
from tests.sizes import size

YEARS = st.integers(min_value=2024, max_value=2026)
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def calendars(draw) -> WorkCalendar:
    """A calendar with a few typhoon closures on any day and a few extra workdays on weekends."""
    closures = set(draw(st.lists(DAYS, max_size=8)))
    weekends = [d for d in draw(st.lists(DAYS, max_size=4)) if d.weekday() >= 5]
    return WorkCalendar(closures=closures, workdays=set(weekends) - closures)


@st.composite
def month_day(draw) -> tuple[int, int]:
    month = draw(st.integers(1, 12))
    return month, draw(st.integers(1, 28))


@st.composite
def phrases(draw) -> str:
    """A schedule phrase in one of the written forms of the seed plans."""
    (m1, d1), (m2, d2) = sorted([draw(month_day()), draw(month_day())])
    lo, hi = sorted([draw(st.integers(1, 12)), draw(st.integers(1, 12))])
    weekday = draw(st.sampled_from("一二三四五六日"))
    return draw(
        st.sampled_from(
            [
                f"每月{draw(st.integers(1, 31))}日前陳報",
                f"每月第{draw(st.integers(1, 15))}個工作日",
                f"次月{draw(st.integers(1, 10))}日前，以工作日計算",
                f"次月{draw(st.integers(1, 28))}日前",
                f"({m1}/{d1}-{m2}/{d2})完成清查",
                f"{m1}月{d1}日至{m2}月{d2}日",
                f"{m1}/{d1}-{m2}/{d2}每週{weekday}",
                f"{lo}-{hi}月",
                f"實地({lo}月)",
                "每季召開",
                "每3個月召開1次",
                "每半年至少辦理一次",
                "每月定期更新",
                "整年",
                "賡續辦理",
                f"每年{lo}、{hi}月的第{draw(st.integers(1, 4))}個星期{weekday}",
                "每月第2及第4個週五",
                f"{{roc}}.{m2}.{d2}前",  # the plan's own ROC year, filled in by read()
                "1/1-2/8、7/1-8/8",
            ]
        )
    )


def read(text: str, months: frozenset[int] | None, year: int) -> Schedule:
    return parse_schedule(text.replace("{roc}", str(year - 1911)), months, year)


MARKS = st.one_of(st.none(), st.frozensets(st.integers(1, 12), min_size=1, max_size=12))


@pytest.mark.slow
@settings(max_examples=size(300, 60), deadline=None)
@given(text=phrases(), months=MARKS, year=YEARS, cal=calendars())
def test_every_deadline_window_and_period_is_due_on_a_working_day(text, months, year, cal):
    for o in expand(read(text, months, year), year, cal):
        if o.kind != "event":
            assert cal.is_working_day(o.due), (text, o)
        if o.starts is not None:
            assert o.starts <= o.due, (text, o)


@pytest.mark.slow
@settings(max_examples=size(300, 60), deadline=None)
@given(text=phrases(), months=MARKS, year=YEARS, cal=calendars())
def test_expansion_is_sorted_and_keys_are_unique(text, months, year, cal):
    got = expand(read(text, months, year), year, cal)
    assert got == sorted(got, key=lambda o: (o.due, o.key))
    assert len({o.key for o in got}) == len(got)
    # Only a short window can hold none of its weekday, and a month's one meeting can fall on a holiday.
    assert got or "每週" in text or "個星期" in text, text


@pytest.mark.slow
@settings(max_examples=size(200, 40), deadline=None)
@given(text=phrases(), year=YEARS, cal=calendars())
def test_keys_do_not_depend_on_the_calendar(text, year, cal):
    """Only a recurring event on a closed weekday goes away with a calendar; nothing else changes key."""
    schedule = read(text, None, year)
    with_closures = {o.key for o in expand(schedule, year, cal)}
    plain = {o.key: o for o in expand(schedule, year, WorkCalendar())}
    assert with_closures <= set(plain)
    for key in set(plain) - with_closures:
        dropped = plain[key]
        assert dropped.kind == "event" and dropped.due.weekday() < 5 and not cal.is_working_day(dropped.due)


@pytest.mark.slow
@settings(max_examples=size(300, 60), deadline=None)
@given(text=phrases(), months=MARKS, year=YEARS, cal=calendars(), cut=st.integers(0, 400))
def test_splitting_a_date_range_loses_or_duplicates_nothing(text, months, year, cal, cut):
    schedule = read(text, months, year)
    start, end = date(year, 1, 1), date(year + 1, 1, 31)
    middle = min(start + timedelta(days=cut), end)  # the cut must fall inside the range it splits
    whole = expand_between(schedule, year, cal, start, end)
    halves = expand_between(schedule, year, cal, start, middle) + expand_between(
        schedule, year, cal, middle + timedelta(days=1), end
    )
    assert halves == whole
    assert whole == [o for o in expand(schedule, year, cal) if start <= o.due <= end]


@pytest.mark.slow
@settings(max_examples=size(200, 40), deadline=None)
@given(text=phrases(), months=MARKS, year=YEARS)
def test_json_round_trip_keeps_the_schedule(text, months, year):
    schedule = read(text, months, year)
    assert Schedule.from_json(json.loads(json.dumps(schedule.to_json()))) == schedule


@pytest.mark.slow
@settings(max_examples=size(300, 60), deadline=None)
@given(year=YEARS, month=st.integers(1, 12), cal=calendars())
def test_nth_working_day_is_strictly_increasing_in_n(year, month, cal):
    days = cal.working_days_of_month(year, month)
    picked = [cal.nth_working_day(year, month, n) for n in range(1, len(days) + 1)]
    assert picked == list(days)
    assert all(a < b for a, b in zip(picked, picked[1:], strict=False))
    assert all(cal.is_working_day(x) and x.month == month for x in picked)
    assert picked[-1] == cal.last_working_day(year, month)
    assert len(picked) == cal.working_days_between(date(year, month, 1), picked[-1])


@pytest.mark.slow
@settings(max_examples=size(500, 100), deadline=None)
@given(day=DAYS, n=st.integers(-60, 60), cal=calendars())
def test_adding_then_subtracting_working_days_returns_to_a_working_day(day, n, cal):
    start = cal.next_working_day(day)
    there = cal.add_working_days(start, n)
    assert cal.is_working_day(there)
    assert cal.add_working_days(there, -n) == start
    if n >= 0:
        assert cal.working_days_between(start, there) == n + 1


@pytest.mark.slow
@settings(max_examples=size(300, 60), deadline=None)
@given(day=DAYS, cal=calendars())
def test_next_working_day_is_the_first_working_day_on_or_after(day, cal):
    found = cal.next_working_day(day)
    assert found >= day and cal.is_working_day(found)
    probe = day
    while probe < found:
        assert cal.is_rest_day(probe)
        probe += timedelta(days=1)
    assert cal.previous_working_day(found) == found


@st.composite
def written_dates(draw) -> str:
    """A phrase with a written year, in the forms offices use, any year near the plan's."""
    roc = draw(st.integers(111, 117))
    (m1, d1), (m2, d2) = sorted([draw(month_day()), draw(month_day())])
    return draw(
        st.sampled_from(
            [
                f"{roc}.{m1}.{d1}前",
                f"{roc}年{m1}月{d1}日",
                f"{roc}年{m1}月{d1}日至{m2}月{d2}日",
                f"{roc}.{m1:02d}~{m2}",
                f"{roc}年{m1}月底前",
                f"{roc}年底前",
                f"{roc + 1911}/{m1}/{d1}前",
                f"{m1}/{d1}-{m2}/{d2}、{roc}.{m2}.{d2}前",
            ]
        )
    )


@pytest.mark.slow
@settings(max_examples=size(400, 80), deadline=None)
@given(text=st.one_of(written_dates(), phrases()), year=YEARS, cal=calendars())
def test_no_date_outside_the_plan_year_without_a_problem(text, year, cal):
    """Every date read lies in the plan year or the next January; anything else is reported, never kept."""
    try:
        schedule = read(text, None, year)
    except ScheduleError as exc:
        assert exc.problems, text
        return
    last = cal.next_working_day(date(year + 1, 1, 31))  # a next-January date may move to a working day
    for o in expand(schedule, year, cal):
        assert date(year, 1, 1) <= o.due <= last, (text, o)
