"""Taiwan government office working days: the official calendar from `holidays`, plus local overrides."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import cache

import holidays
from holidays.constants import PUBLIC

ONE_DAY = timedelta(days=1)
MAKE_UP_WORKDAY = "補行上班"

# Only PUBLIC days are office closures. OPTIONAL is Labour Day before 2026 and Armed Forces Day
# (offices open), WORKDAY is commemorative days that are working days; both would close offices wrongly.
_CATEGORIES = (PUBLIC,)
_FIRST_YEAR = holidays.TW.start_year
_LAST_YEAR = holidays.TW.end_year


class UnknownYearWarning(UserWarning):
    """The holidays package has no Taiwan calendar for a year; only weekends count as rest days."""


def is_known_year(year: int) -> bool:
    """Return whether the holidays package has Taiwan's calendar for the year."""
    return _FIRST_YEAR <= year <= _LAST_YEAR


@cache
def _package_year(year: int) -> tuple[frozenset[date], Mapping[date, str]]:
    """Return the package's rest days of a year and the names of its special days (computed once a year)."""
    days = [
        date(year, 1, 1) + timedelta(days=i) for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    ]
    weekends = {d for d in days if d.weekday() >= 5}
    if not is_known_year(year):
        warnings.warn(
            f"The holidays package has no Taiwan government calendar for {year} (it covers "
            f"{_FIRST_YEAR}-{_LAST_YEAR}); only Saturdays and Sundays are rest days. "
            "Add closures/workdays overrides for that year's holidays.",
            UnknownYearWarning,
            stacklevel=4,
        )
        return frozenset(weekends), {}
    # A make-up Saturday can be declared with the next year's bridge day (2014-12-27 with 2015-01-02).
    years = range(max(_FIRST_YEAR, year - 1), min(_LAST_YEAR, year + 1) + 1)
    official = holidays.country_holidays("TW", years=years, categories=_CATEGORIES, language="zh_TW")
    names: dict[date, str] = {d: "、".join(official.get_list(d)) for d in official if d.year == year}
    make_up = {d for d in official.weekend_workdays if d.year == year}
    names.update(dict.fromkeys(make_up, MAKE_UP_WORKDAY))
    rest = (weekends - make_up) | {d for d in names if d not in make_up}
    return frozenset(rest), names


def _as_date(d: date) -> date:
    # A datetime never equals a date, so set lookups would silently miss.
    return d.date() if isinstance(d, datetime) else d


class WorkCalendar:
    """Working days of Taiwan's government offices, with local closures and extra workdays winning."""

    def __init__(self, closures: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self.closures = frozenset(_as_date(d) for d in closures)
        self.workdays = frozenset(_as_date(d) for d in workdays)
        both = self.closures & self.workdays
        if both:
            raise ValueError(f"days both closed and working: {sorted(both)}")
        self._rest: dict[int, frozenset[date]] = {}
        self._months: dict[tuple[int, int], tuple[date, ...]] = {}
        self._unclosed: WorkCalendar | None = None

    def __repr__(self) -> str:
        return f"WorkCalendar(closures={sorted(self.closures)}, workdays={sorted(self.workdays)})"

    def _rest_days(self, year: int) -> frozenset[date]:
        rest = self._rest.get(year)
        if rest is None:
            package_rest, _ = _package_year(year)
            closed = {d for d in self.closures if d.year == year}
            rest = frozenset((package_rest - self.workdays) | closed)
            self._rest[year] = rest
        return rest

    def _month_days(self, year: int, month: int) -> tuple[date, ...]:
        key = (year, month)
        days = self._months.get(key)
        if days is None:
            rest = self._rest_days(year)
            d, found = date(year, month, 1), []
            while d.month == month:
                if d not in rest:
                    found.append(d)
                d += ONE_DAY
            days = self._months[key] = tuple(found)
        return days

    def without_closures(self) -> WorkCalendar:
        """Return this calendar without its local closures (extra workdays kept), built once."""
        if not self.closures:
            return self
        if self._unclosed is None:
            self._unclosed = WorkCalendar(workdays=self.workdays)
        return self._unclosed

    def postponed(self, d: date) -> date:
        """Return d, or the first working day after it when a local closure falls on it.

        A closure (a typhoon day) is announced the evening before: a due date on it moves to the next working
        day (行政程序法第48條), never to the day before, which would already be over when people learn of it.
        """
        d = _as_date(d)
        return self.next_working_day(d) if d in self.closures else d

    def is_known_year(self, year: int) -> bool:
        """Return whether the official calendar of the year is known (else weekends only)."""
        return is_known_year(year)

    def is_working_day(self, d: date) -> bool:
        """Return whether offices are open on d."""
        d = _as_date(d)
        return d not in self._rest_days(d.year)

    def is_rest_day(self, d: date) -> bool:
        """Return whether offices are closed on d."""
        return not self.is_working_day(d)

    def next_working_day(self, d: date) -> date:
        """Return d if it is a working day, else the first working day after it."""
        d = _as_date(d)
        while d in self._rest_days(d.year):
            d += ONE_DAY
        return d

    def previous_working_day(self, d: date) -> date:
        """Return d if it is a working day, else the last working day before it."""
        d = _as_date(d)
        while d in self._rest_days(d.year):
            d -= ONE_DAY
        return d

    def working_days_of_month(self, year: int, month: int) -> tuple[date, ...]:
        """Return the working days of a month in order."""
        return self._month_days(year, month)

    def nth_working_day(self, year: int, month: int, n: int) -> date:
        """Return the n-th (1-based) working day of the month."""
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        days = self._month_days(year, month)
        if n > len(days):
            raise ValueError(f"{year}-{month:02d} has only {len(days)} working days, not {n}")
        return days[n - 1]

    def last_working_day(self, year: int, month: int) -> date:
        """Return the last working day of the month."""
        days = self._month_days(year, month)
        if not days:
            raise ValueError(f"{year}-{month:02d} has no working day")
        return days[-1]

    def add_working_days(self, d: date, n: int) -> date:
        """Return the day n working days after d (before it when n < 0); n == 0 gives next_working_day(d)."""
        d = _as_date(d)
        if n == 0:
            return self.next_working_day(d)
        step = ONE_DAY if n > 0 else -ONE_DAY
        for _ in range(abs(n)):
            d += step
            while d in self._rest_days(d.year):
                d += step
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Count the working days from a to b, both included (0 when b is before a)."""
        a, b = _as_date(a), _as_date(b)
        count = 0
        while a <= b:
            if a not in self._rest_days(a.year):
                count += 1
            a += ONE_DAY
        return count

    def holiday_name(self, d: date) -> str | None:
        """Return the official name of a holiday or make-up workday (補行上班) on d, else None."""
        d = _as_date(d)
        if d in self.workdays:
            return None
        return _package_year(d.year)[1].get(d)


DEFAULT_CALENDAR = WorkCalendar()


def is_working_day(d: date) -> bool:
    """Return whether offices are open on d (official calendar, no overrides)."""
    return DEFAULT_CALENDAR.is_working_day(d)


def is_rest_day(d: date) -> bool:
    """Return whether offices are closed on d (official calendar, no overrides)."""
    return DEFAULT_CALENDAR.is_rest_day(d)


def next_working_day(d: date) -> date:
    """Return d or the first working day after it (official calendar)."""
    return DEFAULT_CALENDAR.next_working_day(d)


def previous_working_day(d: date) -> date:
    """Return d or the last working day before it (official calendar)."""
    return DEFAULT_CALENDAR.previous_working_day(d)


def nth_working_day(year: int, month: int, n: int) -> date:
    """Return the n-th working day of the month (official calendar)."""
    return DEFAULT_CALENDAR.nth_working_day(year, month, n)


def last_working_day(year: int, month: int) -> date:
    """Return the last working day of the month (official calendar)."""
    return DEFAULT_CALENDAR.last_working_day(year, month)


def add_working_days(d: date, n: int) -> date:
    """Return the day n working days after d (official calendar)."""
    return DEFAULT_CALENDAR.add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    """Count the working days from a to b, both included (official calendar)."""
    return DEFAULT_CALENDAR.working_days_between(a, b)


def holiday_name(d: date) -> str | None:
    """Return the official name of the holiday or make-up workday on d."""
    return DEFAULT_CALENDAR.holiday_name(d)
