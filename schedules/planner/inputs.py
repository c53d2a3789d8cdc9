"""The planner's plain input: an office's sections, people, items with their occurrences, reports, policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from schedules.planner.policy import DEFAULT_POLICY, ReminderPolicy
from schedules.status import Said

if TYPE_CHECKING:
    from schedules.occurrences import Occurrence


DONE = Said.done


@dataclass(frozen=True)
class Person:
    """A staff member as the planner sees them; line_user_id is None when a push cannot reach them."""

    id: int
    name: str
    section_id: int | None
    role: str = "staff"
    line_user_id: str | None = None
    deputies: tuple[int, ...] = ()  # first and second 職務代理人, in order


@dataclass(frozen=True)
class SectionInfo:
    """A 課室, with the LINE group bound to it if any."""

    id: int
    name: str
    group_id: str | None = None


@dataclass(frozen=True)
class PlanItem:
    """An item of the control table with its occurrences already expanded on the office calendar."""

    id: int
    number: str
    title: str
    section_id: int
    owners: tuple[int, ...]
    occurrences: tuple[Occurrence, ...]
    lead_days: int | None = None
    tracking_from: date | None = None

    def before_tracking(self, occ: Occurrence, report: Report | None) -> bool:
        """Say whether the occurrence is due before the plan's tracking start and nobody reported on it."""
        return self.tracking_from is not None and occ.due < self.tracking_from and report is None


@dataclass(frozen=True)
class Report:
    """The latest report on one occurrence: its status and the (Taipei) day it was made."""

    status: str
    on: date
    percent: int | None = None
    done_on: date | None = None  # when done: the day it was first reported done (schedules.status.Standing)


@dataclass(frozen=True)
class OfficeData:
    """Everything the planner needs to know about one office."""

    id: int
    name: str
    sections: tuple[SectionInfo, ...]
    people: tuple[Person, ...]
    items: tuple[PlanItem, ...]
    reports: Mapping[tuple[int, str], Report] = field(default_factory=dict)
    policy: ReminderPolicy = DEFAULT_POLICY
    absences: tuple[Absence, ...] = ()  # leaves around the morning (see coverage)
    covered: tuple[CoverReport, ...] = ()  # reports deputies made on owners' behalf during those leaves
    served: frozenset[int] = frozenset()  # people whose digest of the morning is already written


@dataclass(frozen=True)
class Absence:
    """A person's leave: whole days from starts to ends."""

    staff_id: int
    starts: date
    ends: date


@dataclass(frozen=True)
class CoverReport:
    """A report a deputy made on an owner's occurrence while covering (the owner hears of it when back)."""

    owner_id: int
    by: str
    item_id: int
    occurrence_key: str
    status: str
    on: date
