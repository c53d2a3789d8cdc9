"""Who hears what and when: the reminder policy, its defaults, and an office's overrides."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from schedules.occurrences import OccurrenceKind

log = logging.getLogger(__name__)

# Where an office keeps its overrides inside Office.settings.
SETTINGS_KEY = "reminders"


@dataclass(frozen=True)
class ReminderPolicy:
    """An office's reminder rules; working days are counted on the office calendar."""

    upcoming_days: int = 3  # deadline/period: `upcoming` this many working days before the due date
    closing_days: int = 5  # window: `closing` this many working days before its due date
    event_days: int = 1  # event: `event` this many working days before its date
    overdue_days: tuple[int, ...] = (1, 3, 5)  # `overdue` on these working days after the due date
    escalate_day: int = 3  # the section chief hears on this working day after the due date
    collect_day: int = 1  # monthly round: ask on the n-th working day of the month
    followup_day: int = 3  # ... ask once more those who have not answered
    compile_day: int = 5  # ... send the compiled status to the coordinator and chiefs
    group_digests: bool = True  # unlinked members of a section with a group hear through the group
    catch_up_days: int = 5  # missed mornings (clock down) folded into the next one, at most this far back
    item_cards: int = 10  # item cards in one digest (LINE: 12 bubbles) before the rest go behind 更多

    def lead_for(self, kind: str, lead_days: int | None) -> int:
        """Return the working days of advance notice for an occurrence kind, the item's own lead winning."""
        if lead_days is not None and lead_days >= 0:
            return lead_days
        return {OccurrenceKind.window: self.closing_days, OccurrenceKind.event: self.event_days}.get(kind, self.upcoming_days)


DEFAULT_POLICY = ReminderPolicy()
_DAY_FIELDS = {"upcoming_days", "closing_days", "event_days", "catch_up_days"}
_ROUND_FIELDS = {"escalate_day", "collect_day", "followup_day", "compile_day"}


def policy_for(settings: Mapping | None, base: ReminderPolicy = DEFAULT_POLICY) -> ReminderPolicy:
    """Return the policy with an office's `reminders` settings applied; bad values keep the default."""
    overrides = (settings or {}).get(SETTINGS_KEY) or {}
    if not isinstance(overrides, Mapping):
        log.warning("office settings %r: %r is not a mapping, defaults used", SETTINGS_KEY, overrides)
        return base
    known = {f.name for f in fields(ReminderPolicy)}
    changes = {}
    for name, value in overrides.items():
        if name not in known:
            log.warning("office reminder setting %r is unknown and ignored", name)
            continue
        checked = _checked(name, value)
        if checked is None:
            log.warning("office reminder setting %s=%r is invalid, default %r kept", name, value, getattr(base, name))
            continue
        changes[name] = checked
    return replace(base, **changes)


def _checked(name: str, value: object) -> object | None:
    # bool is an int in Python; a `true` lead time is a typo, not 1 day.
    def count(v: object, low: int) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and low <= v <= 60

    if name == "group_digests":
        return value if isinstance(value, bool) else None
    if name == "overdue_days":
        ok = isinstance(value, list | tuple) and value and all(count(v, 1) for v in value)
        return tuple(sorted(set(value))) if ok else None
    if name in _DAY_FIELDS:
        return value if count(value, 0) else None
    if name in _ROUND_FIELDS:
        return value if count(value, 1) and value <= 20 else None
    if name == "item_cards":
        return value if count(value, 1) and value <= 10 else None
    return None
