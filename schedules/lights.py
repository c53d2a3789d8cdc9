"""The review's lights (燈號): one rule from an occurrence's one state (schedules.status) to 綠 / 黃 / 紅 / 完成.

No official Taiwanese thresholds exist, so they are the office's setting (`Thresholds`, kept in the office's
settings); planbot's own defaults: an overdue occurrence is 黃 from its first working day late and 紅 after
5 working days, or at once when it has no 因應對策; done late is 黃, done on time 完成, not yet due 綠.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from schedules.status import OccurrenceStatus, State

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


def light(status: OccurrenceStatus, has_remedy: bool, limits: Thresholds) -> Light:
    """Return an occurrence's light from its one state (schedules.status) and whether it has a 因應對策."""
    if status.state is State.done_on_time:
        return Light.done
    if status.state is State.done_late:
        return Light.yellow
    if status.state is not State.overdue or status.late is None:
        return Light.green  # not yet due, or due before the office tracked the plan here
    late = status.late.working_days
    if late <= limits.yellow_days:
        return Light.green
    if late > limits.red_days or not has_remedy:
        return Light.red
    return Light.yellow


def worst(lights: Iterable[Light]) -> Light:
    """Return the worst light (an item's of its occurrences, a section's of its items); 綠 when there are none."""
    found = list(lights)
    return max(found, key=ORDER.index) if found else Light.green
