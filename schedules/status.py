"""The one status model: what state an occurrence is in on a day, and how a period's occurrences count.

Every surface (chat lists, cards, digests, 摘要, 未回報, the console's year table, the exports, the CLI's JSON)
derives its states and counts from here; views format, they never recount. The rules in plain words, with
examples, are in docs/STATUS.md.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.occurrences import Occurrence, OccurrenceKind
from storage.models import Status, Via

# A window is `closing` this many working days before its due date (the reminders' closing notice).
CLOSING_WORKING_DAYS = 5
# How 撤銷 marks the report it writes (ProgressReport.via): back to nothing, or back to the report before.
TAKEN_BACK = Via.taken_back
UNDO = Via.undo


class State(enum.StrEnum):
    """The one state of an occurrence on a day."""

    before_tracking = "before_tracking"  # 追蹤前: due before the plan's tracking start, never reported
    not_due = "not_due"  # 未到期: its due date is today or later and it is not done
    done_on_time = "done_on_time"  # 如期完成: done on or before its due date
    done_late = "done_late"  # 逾期完成: done after its due date
    overdue = "overdue"  # 逾期: past its due date and not done


class Said(enum.StrEnum):
    """What the last report on an occurrence said (none: nobody reported, or the report was taken back)."""

    none = "none"
    not_started = "not_started"
    in_progress = "in_progress"
    delayed = "delayed"
    done = "done"


class Phase(enum.StrEnum):
    """Where today falls in a window (a clearance period with a start): ahead, open, closing or closed."""

    ahead = "ahead"
    open = "open"
    closing = "closing"
    closed = "closed"


@dataclass(frozen=True)
class ReportFact:
    """One stored report as the model reads it, in the order they were made."""

    status: Status
    percent: int | None
    day: date  # the Taipei day it was made
    taken_back: bool = False  # an undo back to nothing: the occurrence reads as never reported
    undo: bool = False  # an undo back to the report before the one undone
    note: str = ""
    by: int | None = None  # the staff id of who made it


@dataclass(frozen=True)
class Standing:
    """What the history of reports on one occurrence amounts to."""

    said: Said
    percent: int | None
    last_day: date  # the day of the last report that counts
    done_on: date | None  # the first day of the last unbroken run of 完成 (a repeated 完成 never moves it)
    note: str = ""  # the last report's note and who made it (a staff id)
    by: int | None = None


@dataclass(frozen=True)
class Lateness:
    """How late: in calendar days and in working days after the due date."""

    days: int
    working_days: int


@dataclass(frozen=True)
class OccurrenceStatus:
    """One occurrence's state on a day, with its last report and, when late, how late."""

    occ: Occurrence
    state: State
    said: Said
    percent: int | None
    last_day: date | None
    done_on: date | None
    late: Lateness | None  # done_late: how late it was done; overdue: how late it is today
    phase: Phase | None  # windows only
    note: str = ""  # the last report's note, and who made it (a staff id)
    by: int | None = None

    @property
    def done(self) -> bool:
        return self.state in (State.done_on_time, State.done_late)

    @property
    def counted(self) -> bool:
        """Say whether the occurrence has fallen due: it is done, or its due date has passed."""
        return self.state in (State.done_on_time, State.done_late, State.overdue)

    @property
    def not_reported(self) -> bool:
        """Say whether it is overdue and nobody said anything about it (未回報)."""
        return self.state is State.overdue and self.said is Said.none

    @property
    def open(self) -> bool:
        """Say whether it is a window open today (started, not yet closed) and not done."""
        return not self.done and self.phase in (Phase.open, Phase.closing)


def standing(history: Iterable[ReportFact]) -> Standing | None:
    """Fold an occurrence's reports (oldest first) into what they amount to; None when nothing counts."""
    current: Standing | None = None
    before: Standing | None = None
    for fact in history:
        if fact.taken_back:
            current, before = None, current
            continue
        if fact.undo:
            # An undo restores the report before the one undone, its 完成 day included.
            current, before = before, None
            if current is not None:
                current = Standing(current.said, current.percent, fact.day, current.done_on, current.note, current.by)
            continue
        said = Said(fact.status.value)
        done_on = None
        if said is Said.done:
            done_on = current.done_on if current is not None and current.said is Said.done else fact.day
        current, before = Standing(said, fact.percent, fact.day, done_on, fact.note, fact.by), current
    return current


def standings(rows: Iterable[tuple]) -> dict[tuple[int, str], Standing]:
    """Fold stored reports (queries.report_history's rows, oldest first) per occurrence."""
    history: dict[tuple[int, str], list[ReportFact]] = {}
    for item_id, key, status, percent, at, via, note, by in rows:
        fact = ReportFact(status, percent, at.astimezone(TAIPEI).date(), via == TAKEN_BACK, via == UNDO, note or "", by)
        history.setdefault((item_id, key), []).append(fact)
    out = {}
    for k, facts in history.items():
        found = standing(facts)
        if found is not None:
            out[k] = found
    return out


def status_of(
    occ: Occurrence, stood: Standing | None, today: date, tracking_from: date | None, calendar: WorkCalendar
) -> OccurrenceStatus:
    """Return the occurrence's one state on `today` (see docs/STATUS.md)."""
    said = stood.said if stood else Said.none
    percent = stood.percent if stood else None
    last_day = stood.last_day if stood else None
    done_on = stood.done_on if stood else None
    if said is Said.done and done_on is None:
        done_on = stood.last_day  # a report known only by its last day: done that day
    phase = _phase(occ, today, calendar)
    state = state_on(occ, stood, today, tracking_from)
    late = None
    if state is State.done_late:
        late = lateness(occ.due, done_on, calendar)
    elif state is State.overdue:
        late = lateness(occ.due, today, calendar)
    return OccurrenceStatus(occ, state, said, percent, last_day, done_on, late, phase,
                            stood.note if stood else "", stood.by if stood else None)


def state_on(occ: Occurrence, stood: Standing | None, today: date, tracking_from: date | None) -> State:
    """Return only the state (no calendar needed): the rule of docs/STATUS.md that status_of applies."""
    if stood is not None and stood.said is Said.done:
        done_on = stood.done_on or stood.last_day
        return State.done_on_time if done_on <= occ.due else State.done_late
    if stood is None and tracking_from is not None and occ.due < tracking_from:
        return State.before_tracking
    return State.overdue if occ.due < today else State.not_due


def lateness(due: date, day: date, calendar: WorkCalendar) -> Lateness:
    """Return how late `day` is after `due`: calendar days, and working days after due up to and with day."""
    return _lateness(calendar, due, day)


@lru_cache(maxsize=8192)
def _lateness(calendar: WorkCalendar, due: date, day: date) -> Lateness:
    return Lateness((day - due).days, _working_days(calendar, date.fromordinal(due.toordinal() + 1), day))


@lru_cache(maxsize=8192)
def _working_days(calendar: WorkCalendar, first: date, last: date) -> int:
    # A year table asks the same (due, today) pairs hundreds of times; a calendar is not changed once built.
    return calendar.working_days_between(first, last)


def _phase(occ: Occurrence, today: date, calendar: WorkCalendar) -> Phase | None:
    if occ.kind != OccurrenceKind.window or occ.starts is None:
        return None
    if today < occ.starts:
        return Phase.ahead
    if today > occ.due:
        return Phase.closed
    if _working_days(calendar, today, occ.due) <= CLOSING_WORKING_DAYS + 1:
        return Phase.closing
    return Phase.open


@dataclass(frozen=True)
class Counts:
    """A period's occurrences counted by state: the numbers every summary shows.

    `due` = done_on_time + done_late + overdue (an occurrence counts once it is done or its date has passed);
    overdue = not_reported + in_progress + delayed + not_started (its last report).
    """

    due: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    not_reported: int = 0
    in_progress: int = 0
    delayed: int = 0
    not_started: int = 0
    not_due: int = 0
    before_tracking: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def completion(self) -> float | None:
        """Return (done on time + done late) / due, None when nothing has fallen due yet."""
        return round(self.done / self.due, 3) if self.due else None

    @property
    def on_time(self) -> float | None:
        """Return done on time / due, None when nothing has fallen due yet."""
        return round(self.done_on_time / self.due, 3) if self.due else None

    def to_json(self) -> dict:
        return {
            "due": self.due, "done_on_time": self.done_on_time, "done_late": self.done_late,
            "overdue": self.overdue, "not_reported": self.not_reported, "in_progress": self.in_progress,
            "delayed": self.delayed, "not_started": self.not_started, "not_due": self.not_due,
            "before_tracking": self.before_tracking, "completion": self.completion, "on_time": self.on_time,
        }


def count(statuses: Iterable[OccurrenceStatus]) -> Counts:
    """Count occurrence states (the caller picks which occurrences: a period, a section, a person)."""
    states: Counter = Counter()
    said: Counter = Counter()
    for s in statuses:
        states[s.state] += 1
        if s.state is State.overdue:
            said[s.said] += 1
    done_on_time, done_late, overdue = states[State.done_on_time], states[State.done_late], states[State.overdue]
    return Counts(
        due=done_on_time + done_late + overdue, done_on_time=done_on_time, done_late=done_late, overdue=overdue,
        not_reported=said[Said.none], in_progress=said[Said.in_progress], delayed=said[Said.delayed],
        not_started=said[Said.not_started], not_due=states[State.not_due], before_tracking=states[State.before_tracking],
    )


def in_period(occ: Occurrence, start: date, end: date) -> bool:
    """Say whether an occurrence belongs to the period: its due date falls in it."""
    return start <= occ.due <= end
