"""Where the time comes from: business logic takes a Clock so tests and the demo can fix or move it."""

from __future__ import annotations

import re
import time
import unicodedata
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from schedules.dates import parse_date

TAIPEI = ZoneInfo("Asia/Taipei")

# A date-only moment means the start of office hours, when reminders are useful.
DEFAULT_TIME = (9, 0)

_MOMENT = re.compile(
    r"(?P<date>[^\sT]+?)(?:[\sT]+(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)


class Clock(Protocol):
    """Anything that tells the current time."""

    def now(self) -> datetime:
        """Return the current time, aware, in Asia/Taipei."""
        ...


class SystemClock:
    """The real time; the only place in the project that reads it."""

    def now(self) -> datetime:
        """Return the current time in Asia/Taipei."""
        return datetime.fromtimestamp(time.time(), tz=TAIPEI)


class FixedClock:
    """A clock that stays where it is put; tests and demos move it by hand."""

    def __init__(self, dt: datetime) -> None:
        self._now = as_taipei(dt)

    def now(self) -> datetime:
        """Return the fixed time."""
        return self._now

    def set(self, dt: datetime) -> None:
        """Put the clock at dt (naive means Taipei time)."""
        self._now = as_taipei(dt)

    def advance(self, **kwargs: float) -> datetime:
        """Move the clock forward by timedelta(**kwargs) and return the new time."""
        self._now = self._now + timedelta(**kwargs)
        return self._now

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()})"


def as_taipei(dt: datetime) -> datetime:
    """Return dt as an aware Asia/Taipei datetime; a naive dt is taken to be Taipei time already."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=TAIPEI)
    return dt.astimezone(TAIPEI)


def today(clock: Clock) -> date:
    """Return today's date in Taipei by the given clock."""
    return clock.now().date()


def parse_moment(text: str) -> datetime:
    """Return the Taipei moment written as 2024-04-08, 2024-04-08 08:30, 2024-04-08T08:30 or 113/4/8 08:30."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _MOMENT.fullmatch(cleaned)
    if not match:
        raise ValueError(f"not a date and time: {text!r}")
    day = parse_date(match.group("date"))
    if match.group("h") is None:
        return datetime(day.year, day.month, day.day, *DEFAULT_TIME, tzinfo=TAIPEI)
    moment = datetime(
        day.year, day.month, day.day, int(match.group("h")), int(match.group("m")), int(match.group("s") or 0)
    )
    tz = match.group("tz")
    if tz is None:
        return moment.replace(tzinfo=TAIPEI)
    # An explicit offset is honoured, then shown in Taipei time.
    return datetime.fromisoformat(f"{moment.isoformat()}{'+00:00' if tz == 'Z' else tz}").astimezone(TAIPEI)
