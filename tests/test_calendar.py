"""The working-day calendar agrees with the official DGPA office calendars, day by day; and the clock."""

from __future__ import annotations

import csv
import warnings
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from schedules import calendar as cal_module
from schedules.calendar import UnknownYearWarning, WorkCalendar
from schedules.clock import TAIPEI, Clock, FixedClock, SystemClock, parse_moment, today

CALENDARS = Path(__file__).resolve().parent / "data" / "calendars"
OFFICIAL = {
    2024: "tw-gov-office-calendar-113.csv",
    2025: "tw-gov-office-calendar-114.csv",
    2026: "tw-gov-office-calendar-115.csv",
}


def official_days(year: int) -> dict[date, tuple[bool, str]]:
    """Return {day: (is_day_off, note)} from the official CSV (UTF-8 with BOM)."""
    with open(CALENDARS / OFFICIAL[year], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for row in rows:
        raw = row["西元日期"]
        day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        assert row["是否放假"] in ("0", "2"), row
        out[day] = (row["是否放假"] == "2", row["備註"].strip())
    return out


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_agrees_with_the_official_calendar_on_every_day(year):
    days = official_days(year)
    assert len(days) == (date(year + 1, 1, 1) - date(year, 1, 1)).days
    cal = WorkCalendar()
    mismatches = [
        f"{d} {'放假' if off else '上班'} {note}: ours says {'rest' if cal.is_rest_day(d) else 'working'}"
        for d, (off, note) in sorted(days.items())
        if off != cal.is_rest_day(d)
    ]
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_every_official_make_up_workday_is_a_working_day(year):
    make_up = [d for d, (off, note) in official_days(year).items() if note == "補行上班" and not off]
    assert all(d.weekday() == 5 for d in make_up)
    assert all(WorkCalendar().is_working_day(d) for d in make_up)
    assert all(WorkCalendar().holiday_name(d) == "補行上班" for d in make_up)


def test_2024_hand_checked_days():
    cal = WorkCalendar()
    assert cal.is_working_day(date(2024, 2, 17))  # Saturday, 補行上班 for the 2/8 bridge day
    assert cal.holiday_name(date(2024, 2, 17)) == "補行上班"
    for d in range(8, 15):
        assert cal.is_rest_day(date(2024, 2, d)), d  # 小年夜, 除夕, 春節 and 補假
    assert cal.is_rest_day(date(2024, 4, 4)) and cal.is_rest_day(date(2024, 4, 5))
    assert "兒童節" in cal.holiday_name(date(2024, 4, 4))
    assert cal.is_working_day(date(2024, 5, 1))  # Labour Day: offices stay open until 2026
    assert cal.is_rest_day(date(2026, 5, 1))
    assert cal.is_working_day(date(2024, 3, 12))  # 植樹節 is a commemorative working day
    assert cal.holiday_name(date(2024, 3, 12)) is None


def test_2025_revised_holidays():
    cal = WorkCalendar()
    for d in (date(2025, 9, 29), date(2025, 10, 24), date(2025, 12, 25)):
        assert cal.is_rest_day(d), d
    assert cal.is_working_day(date(2025, 2, 8))  # 補行上班


def test_next_and_previous_working_day():
    cal = WorkCalendar()
    assert cal.next_working_day(date(2024, 4, 8)) == date(2024, 4, 8)
    assert cal.next_working_day(date(2024, 4, 4)) == date(2024, 4, 8)
    assert cal.next_working_day(date(2024, 2, 8)) == date(2024, 2, 15)
    assert cal.previous_working_day(date(2024, 2, 14)) == date(2024, 2, 7)
    assert cal.next_working_day(date(2024, 12, 31)) == date(2024, 12, 31)
    assert cal.next_working_day(date(2025, 1, 1)) == date(2025, 1, 2)


def test_nth_and_last_working_day():
    cal = WorkCalendar()
    feb = [cal.nth_working_day(2024, 2, n) for n in range(1, 9)]
    assert feb == [date(2024, 2, d) for d in (1, 2, 5, 6, 7, 15, 16, 17)]
    assert cal.last_working_day(2024, 3) == date(2024, 3, 29)
    assert cal.last_working_day(2024, 2) == date(2024, 2, 29)
    assert cal.nth_working_day(2025, 1, 2) == date(2025, 1, 3)
    with pytest.raises(ValueError):
        cal.nth_working_day(2024, 2, 0)
    with pytest.raises(ValueError):
        cal.nth_working_day(2024, 2, 30)


def test_add_working_days_and_count():
    cal = WorkCalendar()
    assert cal.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)
    assert cal.add_working_days(date(2024, 2, 16), 1) == date(2024, 2, 17)  # into the make-up Saturday
    assert cal.add_working_days(date(2024, 2, 15), -1) == date(2024, 2, 7)
    assert cal.add_working_days(date(2024, 4, 4), 0) == date(2024, 4, 8)
    assert cal.add_working_days(date(2024, 12, 31), 2) == date(2025, 1, 3)
    assert (
        cal.working_days_between(date(2024, 2, 1), date(2024, 2, 29)) == 16
    )  # 1,2,5-7 | 15-17 | 19-23 | 26,27,29
    assert cal.working_days_between(date(2024, 2, 29), date(2024, 2, 1)) == 0
    official = official_days(2024)
    assert cal.working_days_between(date(2024, 1, 1), date(2024, 12, 31)) == sum(
        not off for off, _ in official.values()
    )


def test_closure_override_makes_a_working_day_rest_and_moves_next_working_day():
    typhoon = date(2024, 7, 25)  # a Thursday: 颱風停止上班
    cal = WorkCalendar(closures=[typhoon])
    assert WorkCalendar().is_working_day(typhoon)
    assert cal.is_rest_day(typhoon)
    assert cal.next_working_day(typhoon) == date(2024, 7, 26)
    assert cal.add_working_days(date(2024, 7, 24), 1) == date(2024, 7, 26)
    assert cal.last_working_day(2024, 7) == date(2024, 7, 31)
    assert WorkCalendar(closures=[date(2024, 7, 31)]).last_working_day(2024, 7) == date(2024, 7, 30)


def test_workday_override_on_a_sunday():
    sunday = date(2024, 6, 2)
    cal = WorkCalendar(workdays=[sunday])
    assert cal.is_working_day(sunday)
    assert cal.next_working_day(date(2024, 6, 1)) == sunday
    assert cal.nth_working_day(2024, 6, 1) == sunday
    assert WorkCalendar().nth_working_day(2024, 6, 1) == date(2024, 6, 3)


def test_workday_override_wins_over_a_holiday_and_overrides_stay_per_instance():
    national_day = date(2024, 10, 10)
    cal = WorkCalendar(workdays=[national_day])
    assert cal.is_working_day(national_day) and cal.holiday_name(national_day) is None
    assert WorkCalendar().is_rest_day(national_day)


def test_a_day_cannot_be_both_closed_and_working():
    with pytest.raises(ValueError):
        WorkCalendar(closures=[date(2024, 7, 25)], workdays=[date(2024, 7, 25)])


def test_datetimes_are_read_as_their_date():
    assert WorkCalendar().is_rest_day(datetime(2024, 4, 4, 10, 0))


def test_module_level_functions_use_the_official_calendar():
    assert cal_module.is_working_day(date(2024, 2, 17))
    assert cal_module.next_working_day(date(2024, 4, 5)) == date(2024, 4, 8)
    assert cal_module.nth_working_day(2024, 2, 8) == date(2024, 2, 17)
    assert cal_module.last_working_day(2024, 6) == date(2024, 6, 28)
    assert cal_module.add_working_days(date(2024, 4, 3), 1) == date(2024, 4, 8)
    assert cal_module.is_known_year(2024)


def test_known_years():
    cal = WorkCalendar()
    assert all(cal.is_known_year(y) for y in (2024, 2025, 2026))
    assert not cal.is_known_year(1990)
    assert not cal.is_known_year(2101)


def test_unknown_year_warns_once_and_counts_weekends_only():
    cal_module._package_year.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cal = WorkCalendar()
        assert cal.is_working_day(date(1990, 1, 1))  # New Year, but no data for 1990
        assert cal.is_rest_day(date(1990, 1, 6))  # a Saturday
        assert WorkCalendar().is_working_day(date(1990, 1, 2))
    ours = [w for w in caught if issubclass(w.category, UnknownYearWarning)]
    assert len(ours) == 1
    assert "1990" in str(ours[0].message)


# --- the clock (time comes from an injected clock; only SystemClock reads the real time) ---------


def test_fixed_clock_takes_naive_as_taipei_and_converts_aware():
    clock = FixedClock(datetime(2024, 4, 8, 9, 0))
    assert clock.now() == datetime(2024, 4, 8, 9, 0, tzinfo=TAIPEI)
    assert clock.now().utcoffset() == timedelta(hours=8)
    clock.set(datetime(2024, 4, 8, 0, 30, tzinfo=UTC))
    assert clock.now().hour == 8 and clock.now().tzinfo is TAIPEI
    assert clock.advance(days=1, hours=16) == datetime(2024, 4, 10, 0, 30, tzinfo=TAIPEI)
    assert today(clock) == date(2024, 4, 10)


def test_system_clock_is_aware_taipei():
    clock: Clock = SystemClock()
    now = clock.now()
    assert now.tzinfo is TAIPEI and now.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-04-08", datetime(2024, 4, 8, 9, 0)),
        ("2024-04-08 08:30", datetime(2024, 4, 8, 8, 30)),
        ("2024-04-08T08:30", datetime(2024, 4, 8, 8, 30)),
        ("113/4/8 08:30", datetime(2024, 4, 8, 8, 30)),
        ("113/4/8", datetime(2024, 4, 8, 9, 0)),
        ("１１３／４／８　０８：３０", datetime(2024, 4, 8, 8, 30)),
        ("2024-04-08T00:30Z", datetime(2024, 4, 8, 8, 30)),
    ],
)
def test_parse_moment(text, expected):
    assert parse_moment(text) == expected.replace(tzinfo=TAIPEI)
    assert parse_moment(text).tzinfo is TAIPEI


@pytest.mark.parametrize("text", ["", "tomorrow", "2024-13-01", "2024-04-08 25:00", "113/2/30 08:00"])
def test_parse_moment_rejects_nonsense(text):
    with pytest.raises(ValueError):
        parse_moment(text)
