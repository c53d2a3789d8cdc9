"""The review's lights (燈號): one rule from an occurrence's state to 綠 / 黃 / 紅 / 完成, and the worst of many.

No official Taiwanese thresholds exist, so they are the office's setting (`Thresholds`, kept in the office's
settings); planbot's own defaults: an overdue occurrence is 黃 from its first working day late and 紅 after
5 working days, or at once when it has no 因應對策; done late is 黃, done on time 完成, not yet due 綠.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from schedules.calendar import WorkCalendar

SETTINGS_KEY = "review_lights"
MAX_DAYS = 60


class Light(enum.StrEnum):
    """Ordered from best to worst (`worst` relies on it)."""

    done = "done"  # 完成：如期完成
    green = "green"  # 綠燈：依進度
    yellow = "yellow"  # 黃燈：稍落後或逾期完成
    red = "red"  # 紅燈：嚴重落後或逾期未提因應對策


ORDER = (Light.done, Light.green, Light.yellow, Light.red)


@dataclass(frozen=True)
class Thresholds:
    """Working days overdue past which an occurrence turns 黃 (`yellow_days`) and 紅 (`red_days`)."""

    yellow_days: int = 0
    red_days: int = 5

    def problem(self) -> str | None:
        """Return what is wrong with the numbers ("range", "order"), or None."""
        if not (0 <= self.yellow_days <= MAX_DAYS and 0 <= self.red_days <= MAX_DAYS):
            return "range"
        if self.yellow_days >= self.red_days:
            return "order"
        return None

    def to_json(self) -> dict[str, int]:
        return {"yellow_days": self.yellow_days, "red_days": self.red_days}

    @classmethod
    def from_settings(cls, settings: Mapping | None) -> Thresholds:
        """Return the office's thresholds (planbot's defaults when unset or unreadable)."""
        data = (settings or {}).get(SETTINGS_KEY) or {}
        try:
            found = cls(int(data.get("yellow_days", cls.yellow_days)), int(data.get("red_days", cls.red_days)))
        except (TypeError, ValueError, AttributeError):
            return cls()
        return cls() if found.problem() else found


@dataclass(frozen=True)
class OccurrenceState:
    """What the light of one occurrence depends on (read from the status of its latest report)."""

    due: date
    done_on: date | None  # the day it was reported done (None: not done)
    tracked: bool = True  # False: due before the office tracked the plan here, and never reported
    has_remedy: bool = False


def late_days(due: date, day: date, calendar: WorkCalendar) -> int:
    """Return the working days after `due` up to `day` (0 when `day` is not after it)."""
    return calendar.working_days_between(due + timedelta(days=1), day) if day > due else 0


def light(state: OccurrenceState, today: date, calendar: WorkCalendar, limits: Thresholds) -> Light:
    """Return the occurrence's light on `today`."""
    if state.done_on is not None:
        return Light.yellow if late_days(state.due, state.done_on, calendar) > 0 else Light.done
    if not state.tracked or state.due >= today:
        return Light.green
    late = late_days(state.due, today, calendar)
    if late > limits.red_days or not state.has_remedy:
        return Light.red if late > limits.yellow_days else Light.green
    return Light.yellow if late > limits.yellow_days else Light.green


def worst(lights: Iterable[Light]) -> Light:
    """Return the worst light (an item's of its occurrences, a section's of its items); 綠 when there are none."""
    found = list(lights)
    return max(found, key=ORDER.index) if found else Light.green
