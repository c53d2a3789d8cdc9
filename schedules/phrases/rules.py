"""The rules a schedule cell is read into (MonthlyDeadline, Periods, Span …), the Schedule, and their JSON."""

from __future__ import annotations

import enum
from calendar import monthrange
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, ClassVar

SCHEMA_VERSION = 1
ALL_MONTHS = tuple(range(1, 13))
QUARTER_ENDS = (3, 6, 9, 12)
HALF_ENDS = (6, 12)


class DayKind(enum.StrEnum):
    """What a rule's day is: a deadline (a rest day moves it to a working day) or an event (held on that day).

    Its values are stored in each item's schedule JSON; `schedules.occurrences.OccurrenceKind` has the same two.
    """

    deadline = "deadline"
    event = "event"


@dataclass(frozen=True)
class Day:
    """A calendar day; year None means the plan year being expanded (`later` years after it)."""

    month: int
    day: int
    year: int | None = None
    later: int = 0

    def on(self, plan_year: int) -> date:
        """Return the date in the given plan year (29 Feb becomes 28 Feb in common years)."""
        year = self.year if self.year is not None else plan_year + self.later
        return date(year, self.month, min(self.day, monthrange(year, self.month)[1]))


@dataclass(frozen=True)
class Month:
    """A month; year None means the plan year being expanded (`later` years after it)."""

    month: int
    year: int | None = None
    later: int = 0

    def year_in(self, plan_year: int) -> int:
        """Return the AD year of this month for the given plan year."""
        return self.year if self.year is not None else plan_year + self.later


@dataclass(frozen=True)
class MonthlyDeadline:
    """每月5日前, 每月第1個工作日, 次月2日前（以工作日計算）: one deadline for each listed month."""

    TYPE: ClassVar[str] = "monthly_deadline"
    months: tuple[int, ...]
    day: int
    working: bool = False  # `day` counts working days, not calendar days
    shift: int = 0  # 1: due in the month after (次月)
    earlier: bool = False  # 遇假日提前: a rest day moves it to the working day before, not after


@dataclass(frozen=True)
class Periods:
    """每月, 每季, 每半年, 第2季, marked months: periods of `span` months ending in each listed month."""

    TYPE: ClassVar[str] = "periods"
    ends: tuple[int, ...]
    span: int = 1


@dataclass(frozen=True)
class Span:
    """3月, 1-4月, 97.02~10, 整年: one period from the 1st of a month to the last working day of another."""

    TYPE: ClassVar[str] = "span"
    first: Month
    last: Month


@dataclass(frozen=True)
class Window:
    """1/1-2/28, 5月31日-6月14日: starts on the first day, due on the last (or the next working day)."""

    TYPE: ClassVar[str] = "window"
    first: Day
    last: Day


@dataclass(frozen=True)
class Weekly:
    """4/25-8/31每週一 (deadlines inside the window) or 每週三 (events all the plan year)."""

    TYPE: ClassVar[str] = "weekly"
    weekdays: tuple[int, ...]
    kind: DayKind = DayKind.event
    first: Day | None = None
    last: Day | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DayKind(self.kind))  # as read back from JSON


@dataclass(frozen=True)
class NthWeekday:
    """每年1、4、7、11月的第3個星期日, 每月第2及第4個週五: events on those days, never moved."""

    TYPE: ClassVar[str] = "nth_weekday"
    months: tuple[int, ...]
    weekday: int
    nths: tuple[int, ...]


@dataclass(frozen=True)
class OneDay:
    """113.12.31前 (a deadline, moved to a working day) or 97.1.12 (an event on that day)."""

    TYPE: ClassVar[str] = "one_day"
    on: Day
    kind: DayKind = DayKind.deadline
    earlier: bool = False  # 遇假日提前: a rest day moves it to the working day before, not after

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DayKind(self.kind))  # as read back from JSON


Rule = MonthlyDeadline | Periods | Span | Window | Weekly | NthWeekday | OneDay
_RULE_TYPES: dict[str, type] = {
    cls.TYPE: cls for cls in (MonthlyDeadline, Periods, Span, Window, Weekly, NthWeekday, OneDay)
}


def _encode(value: Any) -> Any:
    if isinstance(value, DayKind):
        return value.value
    if isinstance(value, (Day, Month)):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, tuple):
        return list(value)
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return Day(**value) if "day" in value else Month(**value)
    if isinstance(value, list):
        return tuple(value)
    return value


def rule_to_json(rule: Rule) -> dict[str, Any]:
    """Return a rule as a JSON-serialisable dict with its type."""
    return {"type": rule.TYPE, **{f.name: _encode(getattr(rule, f.name)) for f in fields(rule)}}


def rule_from_json(data: dict[str, Any]) -> Rule:
    """Return the rule a rule_to_json dict describes."""
    cls = _RULE_TYPES.get(data.get("type", ""))
    if cls is None:
        raise ValueError(f"unknown schedule rule type: {data.get('type')!r}")
    return cls(**{k: _decode(v) for k, v in data.items() if k != "type"})


@dataclass(frozen=True)
class Schedule:
    """The rules read from one schedule cell, with the cell's text and the plan year it was read for."""

    rules: tuple[Rule, ...]
    text: str = ""
    year: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the schedule as a JSON-serialisable dict (stored in the database)."""
        return {
            "version": SCHEMA_VERSION,
            "text": self.text,
            "year": self.year,
            "rules": [rule_to_json(r) for r in self.rules],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Schedule:
        """Return the schedule stored by to_json."""
        if data.get("version", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise ValueError(f"unsupported schedule version: {data.get('version')!r}")
        rules = tuple(rule_from_json(r) for r in data.get("rules", ()))
        return cls(rules, data.get("text", ""), data.get("year"))
