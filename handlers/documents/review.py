"""The month under review (管考): what was behind, its lights, reasons and 列管, from the occurrences' state.

`month_review` is the one place a month's review is assembled; the chat, the console, the report and the
meeting pack format what it returns. Every light comes from `schedules.lights.light` over each occurrence's
latest report (`handlers.core.agenda`), never recounted in a view.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.core.agenda import Due, agenda, effective
from schedules import status
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.lights import Light, Thresholds, light, worst
from schedules.status import OccurrenceStatus, Said, State
from storage import queries
from storage.models import (
    Item,
    LagReason,
    Listing,
    Plan,
    ProgressReport,
    Resolution,
    ReviewDecision,
    Section,
)


@dataclass(frozen=True)
class Behind:
    """One occurrence behind schedule in the month: its due, its one state, light, working days late and reasons."""

    due: Due
    status: OccurrenceStatus
    light: Light
    reason: LagReason | None

    @property
    def late(self) -> int:
        return self.status.late.working_days if self.status.late else 0

    @property
    def done_on(self) -> date | None:
        return self.status.done_on if self.status.done else None


@dataclass
class ReviewRow:
    """One item of the review: what of it was behind, its light, this month's 列管 and last month's."""

    item: Item
    behind: list[Behind]
    light: Light
    decision: ReviewDecision | None = None
    carried_from: ReviewDecision | None = None  # the 繼續列管 (since its month) that brings it back


@dataclass
class SectionLights:
    section: Section
    counts: Counter
    light: Light


@dataclass
class MonthReview:
    plan: Plan
    month: int
    at: date
    limits: Thresholds
    rows: list[ReviewRow]
    sections: list[SectionLights]
    resolutions: list[Resolution] = field(default_factory=list)  # last month's meeting's, for the pack
    decided: list[Resolution] = field(default_factory=list)  # this month's meeting's (once it has met)

    @property
    def year(self) -> int:
        return self.plan.year


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def thresholds_of(plan: Plan) -> Thresholds:
    return Thresholds.from_settings(plan.office.settings)


def set_thresholds(session: Session, plan_or_office, limits: Thresholds) -> None:
    """Keep the office's light thresholds (the caller checked `limits.problem()`)."""
    office = getattr(plan_or_office, "office", plan_or_office)
    settings = dict(office.settings or {})
    settings["review_lights"] = limits.to_json()
    office.settings = settings
    session.flush()


def reasons_of(session: Session, item_ids: list[int]) -> dict[tuple[int, str], LagReason]:
    rows = session.scalars(select(LagReason).where(LagReason.item_id.in_(item_ids))).all() if item_ids else []
    return {(r.item_id, r.occurrence_key): r for r in rows}


def occurrence_light(status: OccurrenceStatus, reason: LagReason | None, limits: Thresholds) -> Light:
    """Return one occurrence's light (the one rule, `schedules.lights.light`, over its one state)."""
    return light(status, bool(reason and reason.remedy.strip()), limits)


def _is_behind(st: OccurrenceStatus, first: date, last: date) -> bool:
    """Say whether the occurrence counts as behind in the month [first, last]: overdue, done late in or for the
    month, or reported 延後 before its day."""
    due = st.occ.due
    if due > last:
        return False
    if st.state is State.overdue:
        return True
    if st.state is State.done_late:
        return first <= st.done_on <= last or first <= due <= last
    return st.state is State.not_due and st.said is Said.delayed and due >= first


def _considered(st: OccurrenceStatus, first: date, last: date) -> bool:
    """Say whether the occurrence counts for the month's lights: due in it, or due before and still open."""
    if st.state is State.before_tracking or st.occ.due > last:
        return False
    return st.occ.due >= first or not st.done or st.done_on >= first


def as_of(session: Session, dues: list[Due], at: date) -> list[Due]:
    """Return the occurrences as their reports stood at the end of `at` (a review of a past day sees that day)."""
    end = datetime.combine(at + timedelta(days=1), time(), TAIPEI)
    history = queries.report_history(session, {d.item.id for d in dues})
    if all(row[4] < end for row in history):
        return dues
    stood = status.standings(row for row in history if row[4] < end)
    rows = session.scalars(
        select(ProgressReport)
        .where(ProgressReport.item_id.in_({d.item.id for d in dues}), ProgressReport.reported_at < end)
        .order_by(ProgressReport.id)
    ).all()
    then = {(r.item_id, r.occurrence_key): r for r in rows}
    key = lambda d: (d.item.id, d.occ.key)  # noqa: E731
    return [replace(d, report=effective(then.get(key(d))), standing=stood.get(key(d))) for d in dues]


def decisions_of(session: Session, item_ids: list[int], year: int, month: int) -> dict[int, ReviewDecision]:
    if not item_ids:
        return {}
    rows = session.scalars(
        select(ReviewDecision).where(
            ReviewDecision.item_id.in_(item_ids), ReviewDecision.year == year, ReviewDecision.month == month
        )
    ).all()
    return {r.item_id: r for r in rows}


def kept_listing(decision: ReviewDecision | None) -> bool:
    """Say whether the item stays listed (繼續列管): the coordinator's decision, else the section's suggestion."""
    if decision is None:
        return False
    chosen = decision.decision or decision.suggestion
    return chosen is Listing.keep


def carried_of(session: Session, item_ids: list[int], year: int, month: int) -> dict[int, ReviewDecision]:
    """Return, per item still listed before `month`, the 繼續列管 it is listed since: an item kept stays listed,
    month after month (a month without a decision does not release it), until one says 解除列管."""
    if not item_ids:
        return {}
    rows = session.scalars(
        select(ReviewDecision)
        .where(ReviewDecision.item_id.in_(item_ids), ReviewDecision.year == year, ReviewDecision.month < month)
        .order_by(ReviewDecision.month.desc())
    ).all()
    since: dict[int, ReviewDecision] = {}
    released: set[int] = set()
    for row in rows:
        if row.item_id in released:
            continue
        if kept_listing(row):
            since[row.item_id] = row
        else:
            released.add(row.item_id)
    return since


def month_review(
    session: Session, plan: Plan, month: int, at: date, calendar: WorkCalendar, section_id: int | None = None
) -> MonthReview:
    """Return the review of `month` of the plan as seen on `at` (optionally one section's)."""
    limits = thresholds_of(plan)
    first, last = month_bounds(plan.year, month)
    if first > at:  # a month not begun has nothing behind yet
        return MonthReview(plan, month, at, limits, [], [])
    items = queries.items_of_plan(session, plan.id, section_id)
    ids = [i.id for i in items]
    dues = as_of(session, agenda(session, items, plan.year, calendar, end=last), at)
    reasons = reasons_of(session, ids)
    decisions = decisions_of(session, ids, plan.year, month)
    py, pm = previous_month(plan.year, month)
    before = carried_of(session, ids, plan.year, month)
    by_item: dict[int, list[Due]] = {}
    for due in dues:
        by_item.setdefault(due.item.id, []).append(due)
    rows: list[ReviewRow] = []
    item_lights: dict[int, Light] = {}
    for item in items:
        behind, considered = [], []
        for due in by_item.get(item.id, ()):
            reason = reasons.get((item.id, due.occ.key))
            st = due.state(at, calendar)
            lit = occurrence_light(st, reason, limits)
            if _considered(st, first, last):
                considered.append(lit)
            if _is_behind(st, first, last):
                behind.append(Behind(due, st, lit, reason))
        if considered:
            item_lights[item.id] = worst(considered)
        carried = before.get(item.id)
        if behind or carried is not None:
            rows.append(ReviewRow(item, behind, item_lights.get(item.id, Light.green), decisions.get(item.id), carried))
    sections = _section_lights(session, plan, items, item_lights, section_id)
    resolutions = resolutions_of(session, plan, pm, section_id) if py == plan.year else []
    decided = resolutions_of(session, plan, month, section_id)
    return MonthReview(plan, month, at, limits, rows, sections, resolutions, decided)


def _section_lights(session: Session, plan: Plan, items: list[Item], lights: dict[int, Light], section_id: int | None) -> list[SectionLights]:
    out = []
    for section in queries.sections_of(session, plan.office_id):
        if section_id is not None and section.id != section_id:
            continue
        own = [lights[i.id] for i in items if i.section_id == section.id and i.id in lights]
        if own:
            out.append(SectionLights(section, Counter(own), worst(own)))
    return out


def resolutions_of(session: Session, plan: Plan, month: int, section_id: int | None = None) -> list[Resolution]:
    """Return the 決議 recorded at the meeting that reviewed `month`, oldest first (a section's: those about its
    items, given to its people, or about no item at all)."""
    found = list(session.scalars(
        select(Resolution).where(Resolution.plan_id == plan.id, Resolution.month == month).order_by(Resolution.id)
    ))
    if section_id is None:
        return found
    return [r for r in found if (r.item.section_id == section_id if r.item is not None else
                                 r.owner is None or r.owner.section_id == section_id)]


def by_item(resolutions: list[Resolution]) -> list[tuple[Item | None, list[Resolution]]]:
    """Group 決議 under the item each was about, in the plan's order; those about no item come last."""
    groups: dict[int | None, list[Resolution]] = {}
    for r in resolutions:
        groups.setdefault(r.item_id, []).append(r)
    items = {r.item_id: r.item for r in resolutions}
    order = sorted((k for k in groups if k is not None), key=lambda k: (items[k].section_id, items[k].position))
    return [(items[k], groups[k]) for k in order] + ([(None, groups[None])] if None in groups else [])


def behind_now(session: Session, item: Item, at: date, calendar: WorkCalendar) -> list[Due]:
    """Return the item's occurrences whose 落後原因 may be written on `at`, oldest first: overdue, reported 延後
    before their day, or done late (the report's row of a done-late occurrence still wants its reason)."""
    out = []
    for d in agenda(session, [item], item.plan.year, calendar):
        st = d.state(at, calendar)
        if st.state in (State.overdue, State.done_late) or (st.state is State.not_due and st.said is Said.delayed):
            out.append(d)
    return out


def latest_followup_status(resolution: Resolution, today: date, calendar: WorkCalendar) -> str:
    """Return the state word of a 決議's follow-up item on `today` (its one occurrence, by the status model)."""
    from handlers.texts import words as W

    session = Session.object_session(resolution)
    dues = agenda(session, [resolution.followup], resolution.followup.plan.year, calendar)
    if not dues:
        return W.STATE["not_due"]
    st = dues[-1].state(today, calendar)
    if st.state is State.overdue and st.said is not Said.none:
        return f"{W.STATE['overdue']}（{W.STATUS[st.said.value]}）"
    return W.STATE[st.state.value]
