"""What has been read from one schedule cell so far, shared by the readers of each family of phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schedules.phrases.rules import Rule


@dataclass
class Reading:
    """What has been read from one cell so far."""

    text: str
    months: tuple[int, ...] | None
    plan_year: int
    working_days: bool  # 以工作日計算: day numbers count working days
    specific: list[Rule]
    generic: list[Rule]
    blocked: list[str]

    def marked_or(self, default: tuple[int, ...]) -> tuple[int, ...]:
        return self.months or default

    def consume(self, pattern: re.Pattern[str], handle) -> None:
        """Call handle(match) for each match and blank the matched text so later readers skip it."""

        def replace(match: re.Match[str]) -> str:
            handle(match)
            return "|"

        self.text = pattern.sub(replace, self.text)
