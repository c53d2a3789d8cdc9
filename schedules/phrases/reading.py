"""What has been read from one schedule cell so far, shared by the readers of each family of phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from schedules.phrases.rules import Rule


@dataclass(frozen=True)
class Problem:
    """Why a cell (or a phrase in it) is not read: a code the texts name, the words concerned, and details.

    Codes: empty, not_understood, vague (3月前, 2月初), start_without_end (3月1日起), week_of_month
    (每月第2週), too_far (每月終了後40日內), out_of_year (fields: year, plan_year), weekday_conflict
    (fields: date, written, actual weekday numbers, Monday 0), lunar (a 農曆 date not converted; field: year),
    lunar_conflict (a lunar label in brackets that is not the date before it), relative (開學2週內: counted
    from a day the plan does not give).
    """

    code: str
    phrase: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass
class Reading:
    """What has been read from one cell so far."""

    text: str
    months: tuple[int, ...] | None
    plan_year: int
    working_days: bool  # 以工作日計算: day numbers count working days
    specific: list[Rule]
    generic: list[Rule]
    blocked: list[Problem]
    limited: tuple[int, ...] | None = None  # months a range beside 每月 names (1~6月每月): see month_limits

    def marked_or(self, default: tuple[int, ...]) -> tuple[int, ...]:
        return self.months or default

    def block(self, code: str, phrase: str, **fields: Any) -> None:
        self.blocked.append(Problem(code, phrase, fields))

    def consume(self, pattern: re.Pattern[str], handle) -> None:
        """Call handle(match) for each match and blank the matched text so later readers skip it."""

        def replace(match: re.Match[str]) -> str:
            handle(match)
            return "|"

        self.text = pattern.sub(replace, self.text)
