"""One morning, planned in one place: inputs → push budget → lines → digests → outbox.

`plan` reads (the plan's inputs, the month's state under the quota) and decides, writing nothing: it is what
`planbot remind --dry-run` shows. `run` plans the same way and writes the morning into the outbox (digests
with their links, held lines, the coordinators' quota warning, the run's mark). The clock calls `run` on
time and sends what it wrote; nothing else assembles a morning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot import deliveries, push_budget
from handlers.chat.held_reminders import hold
from handlers.core.replies import Text
from handlers.documents.digests import digest, payload
from handlers.texts import quota as Q
from schedules.calendar import WorkCalendar
from schedules.plan_inputs import office_inputs
from schedules.planner import (
    BUDGET,
    DEFAULT_POLICY,
    MonthState,
    Morning,
    OfficeData,
    PlannedDelivery,
    Planner,
    Reach,
    Reason,
    budget_morning,
    push_cost,
)

log = logging.getLogger(__name__)

# (session, office id, section id or None for the whole office, first day of the month, now) -> URL or None
ExportLink = Callable[[Session, int, "int | None", date, datetime], "str | None"]
# The planner kept for the offices and calendar given (its month's plans are reused while nothing changed).
Planners = Callable[[list[OfficeData], WorkCalendar, date], Planner]
NO_LIMIT = push_budget.ChannelQuota(None)  # no quota known: every digest is pushed


@dataclass(frozen=True)
class Links:
    """The links a compiled round's digest carries (None where the process makes none)."""

    export: ExportLink | None = None
    review: ExportLink | None = None  # the monthly review's 彙整表


@dataclass(frozen=True)
class MorningPlan:
    """What one morning decided, before anything is written."""

    day: date
    offices: list[OfficeData]
    missed: list[date]
    quota: push_budget.ChannelQuota
    state: MonthState
    decision: Morning

    @property
    def planned(self) -> list[PlannedDelivery]:
        """Every digest of the morning: those pushed, then those nobody can receive (no LINE link, no group)."""
        return [*self.decision.pushed, *self.decision.unreachable]


@dataclass
class Written:
    """What `run` put in the outbox."""

    plan: MorningPlan
    expired: int = 0
    written: int = 0
    held: int = 0
    warned: bool = False  # a quota warning was queued: it goes out with the morning


def fresh_planner(offices: list[OfficeData], calendar: WorkCalendar, _day: date) -> Planner:
    """Return a planner for one morning alone (the dry run; the clock keeps its own from one morning to the next)."""
    return Planner(offices, calendar)


def plan(
    session: Session,
    calendar: WorkCalendar,
    day: date,
    quota: push_budget.ChannelQuota = NO_LIMIT,
    office_id: int | None = None,
    planners: Planners = fresh_planner,
    stale: Iterable[date] = (),
    account: push_budget.Account | None = None,
) -> MorningPlan:
    """Decide the morning of `day` under the month's quota, writing nothing.

    The lines of recent mornings never planned for the office (the clock was down, or stopped before its turn) and
    of `stale` ones (their digests expired unsent) are folded in: they are as good as missed. `account`: whose
    pushes the quota counts (default: the office's own, see `push_budget.month_state`).
    """
    offices = office_inputs(session, calendar, day, office_id)
    missed = sorted(set(missed_mornings(session, calendar, day, offices, office_id)) | set(stale))[-10:]
    state = push_budget.month_state(session, calendar, day, quota, office_id, account)
    decision = budget_morning(planners(offices, calendar, day), day, state, missed)
    return MorningPlan(day, offices, missed, quota, state, decision)


def run(
    session: Session,
    calendar: WorkCalendar,
    now: datetime,
    quota: push_budget.ChannelQuota,
    max_age: timedelta,
    links: Links | None = None,
    planners: Planners = fresh_planner,
    office_id: int | None = None,
    account: push_budget.Account | None = None,
) -> Written:
    """Plan this morning and write it into the outbox, noting that the office's morning ran; the caller sends.

    `office_id`: plan that office alone, under the quota of its LINE account (`account`: its own, or the
    environment's, shared with the other offices without one).
    """
    today, links = now.date(), links or Links()
    expired = deliveries.expire_stale(session, today, now, max_age, office_id)
    decided = plan(session, calendar, today, quota, office_id=office_id, planners=planners,
                   stale={row.morning for row in expired if row.morning < today}, account=account)
    decision = decided.decision
    payloads = {p.key: _payload(session, p, decided.offices, now, links) for p in decided.planned if p.recipient}
    costs = {p.key: push_cost(p, decided.offices) for p in decision.pushed}
    out = Written(decided, expired=len(expired))
    out.written = deliveries.record(session, decided.planned, payloads, now, costs)
    out.held = hold(session, decision.held, today, now)
    budget_words = Q.QUOTA_WARNING_BUDGET if decision.mode == BUDGET else ""
    used = decided.state.used + decision.cost
    warning = Text(Q.QUOTA_WARNING.format(used=used, quota=quota.limit) + budget_words + Q.QUOTA_WARNING_END)
    for line_id in decision.warn:
        out.warned |= deliveries.record_notice(session, push_budget.warning_key(today, line_id), today, line_id, [warning], now,
                                               office_id)
    deliveries.mark_run(session, today, now, out.written, office_id, mode=decision.mode.value)
    return out


def missed_mornings(session: Session, calendar: WorkCalendar, today: date, offices: list[OfficeData],
                    office_id: int | None = None) -> list[date]:
    """Return the recent working mornings that were never planned (the clock was down), to fold into today.

    With `office_id`: the office's own mornings (a clock stopped after another office's morning missed this one's).
    """
    span = max((o.policy.catch_up_days for o in offices), default=DEFAULT_POLICY.catch_up_days)
    if span <= 0:
        return []
    earliest = calendar.add_working_days(today, -span)
    ran = deliveries.run_mornings(session, earliest - timedelta(days=31), office_id)
    if not ran or min(ran) >= today:
        return []  # a clock that never ran has nothing to catch up
    first = max(min(ran), earliest)
    days, day = [], first
    while day < today:
        if calendar.is_working_day(day) and day not in ran:
            days.append(day)
        day += timedelta(days=1)
    return days


def _payload(session: Session, planned: PlannedDelivery, offices: list[OfficeData], now: datetime, links: Links) -> dict:
    office = next(o for o in offices if o.id == planned.office_id)
    url = _export_url(session, planned, now, links.export, links)
    review = _export_url(session, planned, now, links.review, links)
    return payload(planned, digest(planned, url, office.policy.item_cards, review))


def _export_url(session: Session, planned: PlannedDelivery, now: datetime, make: ExportLink | None, links: Links) -> str | None:
    compiled = [ln for ln in planned.lines if ln.reason == Reason.compiled]
    if not compiled or make is None or links.export is None or planned.via != Reach.user:
        return None  # a one-time download link is for one person, never a group's members
    sections = {ln.section for ln in compiled}
    # A chief sees only their section's part; the coordinator the whole office.
    section = planned.section_id if len(sections) == 1 and planned.section_id is not None else None
    try:
        return make(session, planned.office_id, section, compiled[0].due.replace(day=1), now)
    except Exception:  # noqa: BLE001 - a missing link must not stop the digest; it says 匯出 instead
        log.exception("export link for %s failed", planned.to)
        return None

