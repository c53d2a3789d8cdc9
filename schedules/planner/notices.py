"""Decide what each person hears on a day.

Notices about occurrences (opened, upcoming, closing, due, overdue, escalation, event); the monthly round
(ask owners about last month, ask again, then compile it for coordinators and chiefs); and what a missed
morning said that is still worth saying today.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from schedules.occurrences import OccurrenceKind
from schedules.planner.inputs import DONE, OfficeData, PlanItem
from schedules.planner.lines import Line, Reason, add_line, make_line
from schedules.planner.policy import ReminderPolicy
from schedules.status import Said, Standing, State, in_period, status_of
from storage.models import Role

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar
    from schedules.occurrences import Occurrence


def notices(office: OfficeData, calendar: WorkCalendar, day: date) -> dict[int, dict[tuple, Line]]:
    """Return, per person id, the lines they hear on `day` (one per occurrence, the most urgent)."""
    window = _Triggers(calendar, day)
    people = {p.id: p for p in office.people}
    sections = {s.id: s.name for s in office.sections}
    chiefs: dict[int | None, list[int]] = {}
    for p in office.people:
        if p.role == Role.chief:
            chiefs.setdefault(p.section_id, []).append(p.id)
    notes: dict[int, dict[tuple, Line]] = {}
    policy = office.policy
    reach = window.reach(policy, max((i.lead_days or 0 for i in office.items), default=0))
    for item in office.items:
        owners = [o for o in item.owners if o in people]
        if not owners:
            continue
        section = sections.get(item.section_id, "")
        for occ in item.occurrences:
            first = occ.starts or occ.due
            if occ.due < reach[0] and first < reach[0] or first > reach[1] and occ.due > reach[1]:
                continue
            report = office.reports.get((item.id, occ.key))
            if report is not None and report.status == DONE or item.before_tracking(occ, report):
                continue
            status = report.status if report else "not_reported"
            for reason, days in _reasons(occ, item, policy, window):
                line = make_line(reason, item, occ, section, status, days, people, owners, _percent(report))
                if reason == Reason.escalation:
                    for chief in chiefs.get(item.section_id, ()):
                        if chief not in owners:  # an owner-chief already hears `overdue`
                            add_line(notes, chief, line)
                    continue
                for owner in owners:
                    add_line(notes, owner, line)
    for person_id, line in round_lines(office, calendar, day):
        add_line(notes, person_id, line)
    return notes


def _percent(report) -> int | None:
    """Return the percentage of a 進行中 report (the only status that carries one), else None."""
    return report.percent if report is not None and report.status == Said.in_progress else None


def _reasons(occ: Occurrence, item: PlanItem, policy: ReminderPolicy, window: _Triggers) -> list[tuple[Reason, int]]:
    lead = policy.lead_for(occ.kind, item.lead_days)
    if occ.kind == OccurrenceKind.event:
        return [(Reason.event, lead)] if lead > 0 and window.hits(occ.starts or occ.due, -lead) else []
    found: list[tuple[Reason, int]] = []
    if occ.kind == OccurrenceKind.window and occ.starts is not None:
        if window.hits(occ.starts, 0):
            found.append((Reason.opened, 0))
        # A window shorter than its closing notice: `opened` already said it; don't say `closing` before it.
        if lead > 0 and window.hits(occ.due, -lead) and occ.starts <= window.span(0)[0]:
            found.append((Reason.closing, lead))
    elif lead > 0 and window.hits(occ.due, -lead):
        found.append((Reason.upcoming, lead))
    if window.hits(occ.due, 0):
        found.append((Reason.due, 0))
    for n in policy.overdue_days:
        if window.hits(occ.due, n):
            found.append((Reason.overdue, n))
    if window.hits(occ.due, policy.escalate_day):
        found.append((Reason.escalation, policy.escalate_day))
    return found


class _Triggers:
    """For one morning, which dates are `offset` working days before/after it (rest days roll forward)."""

    def __init__(self, calendar: WorkCalendar, day: date) -> None:
        self.calendar, self.day = calendar, day
        self._spans: dict[int, tuple[date, date]] = {}

    def span(self, offset: int) -> tuple[date, date]:
        """Return (lo, hi): dates d in (lo, hi] fall on `day` when moved to the next working day plus offset."""
        found = self._spans.get(offset)
        if found is None:
            anchor = self.day if offset == 0 else self.calendar.add_working_days(self.day, -offset)
            found = self._spans[offset] = (self.calendar.add_working_days(anchor, -1), anchor)
        return found

    def hits(self, d: date, offset: int) -> bool:
        lo, hi = self.span(offset)
        return lo < d <= hi

    def reach(self, policy: ReminderPolicy, item_lead: int) -> tuple[date, date]:
        """Return the dates outside which no occurrence can trigger anything (a cheap first filter)."""
        back = max((*policy.overdue_days, policy.escalate_day))
        ahead = max(policy.upcoming_days, policy.closing_days, policy.event_days, item_lead)
        return self.span(back)[0], self.span(-ahead)[1]


# The monthly round


def round_lines(office: OfficeData, calendar: WorkCalendar, day: date) -> list[tuple[int, Line]]:
    """Return the monthly round's lines of `day`: ask, ask again, or compile last month's status."""
    policy = office.policy
    days = calendar.working_days_of_month(day.year, day.month)
    if day not in days:
        return []
    n = days.index(day) + 1
    step = {policy.collect_day: Reason.collect, policy.followup_day: Reason.collect_followup, policy.compile_day: Reason.compiled}.get(n)
    if step is None or len(days) < policy.collect_day:
        return []
    asked = days[policy.collect_day - 1]
    last = date(day.year, day.month, 1) - timedelta(days=1)
    first = last.replace(day=1)
    people = {p.id: p for p in office.people}
    sections = {s.id: s.name for s in office.sections}
    pairs = [
        (item, occ)
        for item in office.items
        for occ in item.occurrences
        if (occ.starts or occ.due) <= last and occ.due >= first
        and not item.before_tracking(occ, office.reports.get((item.id, occ.key)))
    ]
    if step == Reason.compiled:
        return _compiled(office, calendar, day, first, last, people, sections)
    out = []
    for item, occ in pairs:
        report = office.reports.get((item.id, occ.key))
        if report is not None and (report.status == DONE or (step == Reason.collect_followup and report.on >= asked)):
            continue
        owners = [o for o in item.owners if o in people]
        status = report.status if report else "not_reported"
        line = make_line(step, item, occ, sections.get(item.section_id, ""), status, 0, people, owners, _percent(report))
        out.extend((o, line) for o in owners)
    return out


# The compiled round's counts, in the order the card says them (schedules.status decides each).
COMPILED_KEYS = ("done_on_time", "done_late", "in_progress", "delayed", "not_started", "missing")


def _compiled(office, calendar, day: date, first: date, last: date, people, sections) -> list[tuple[int, Line]]:
    """Count last month's occurrences (due in it) by state as of `day`, as 摘要 of that month does."""
    per_section: dict[int, dict[str, int]] = {}
    missing: dict[int, set[int]] = {}
    for item in office.items:
        for occ in item.occurrences:
            if not in_period(occ, first, last):
                continue
            report = office.reports.get((item.id, occ.key))
            stood = Standing(Said(report.status), report.percent, report.on, report.done_on) if report else None
            st = status_of(occ, stood, day, item.tracking_from, calendar)
            if st.state in (State.before_tracking, State.not_due):
                continue
            counts = per_section.setdefault(item.section_id, dict.fromkeys(COMPILED_KEYS, 0))
            if st.done:
                counts[st.state.value] += 1
            elif st.not_reported:
                counts["missing"] += 1  # overdue and nobody said anything: 未回報
                missing.setdefault(item.section_id, set()).update(o for o in item.owners if o in people)
            else:
                counts[st.said.value] += 1  # overdue, with what its owner last said
    out: list[tuple[int, Line]] = []
    coordinators = [p.id for p in office.people if p.role == Role.coordinator]
    for section_id in sorted(per_section, key=lambda s: sections.get(s, "")):
        names = tuple(sorted(people[o].name for o in missing.get(section_id, ())))
        name = sections.get(section_id, "")
        line = Line(
            reason=Reason.compiled, item_id=None, number="", title=name, section=name, kind="round",
            occurrence_key=f"{last:%Y-%m}", starts=last.replace(day=1), due=last,
            counts=tuple(per_section[section_id].items()), missing=names,
        )
        chiefs = [p.id for p in office.people if p.role == Role.chief and p.section_id == section_id]
        out.extend((person_id, line) for person_id in dict.fromkeys(coordinators + chiefs))
    return out


# Missed mornings


def carried(
    old: dict[int, dict[tuple, Line]], office: OfficeData, calendar: WorkCalendar, then: date, today: date
) -> dict[int, dict[tuple, Line]]:
    """Return what a missed morning said that is still worth saying today, restated as of today."""
    out: dict[int, dict[tuple, Line]] = {}
    for person_id, lines in old.items():
        for key, line in lines.items():
            moved = _restate(line, office, calendar, then, today)
            if moved is not None:
                out.setdefault(person_id, {})[key] = moved
    return out


def _restate(line: Line, office: OfficeData, calendar: WorkCalendar, then: date, today: date) -> Line | None:
    if line.reason == Reason.compiled:
        return line
    if line.reason in (Reason.collect, Reason.collect_followup):
        report = office.reports.get((line.item_id, line.occurrence_key))
        return None if report is not None and report.on >= then else line
    if line.reason == Reason.event:
        return line if (line.starts or line.due) >= today else None
    anchor = calendar.next_working_day(line.due)
    if anchor < today:
        late = calendar.working_days_between(anchor, today) - 1
        return replace(line, reason=Reason.escalation if line.reason == Reason.escalation else Reason.overdue, days=late)
    if anchor == today:
        return replace(line, reason=Reason.due, days=0)
    return replace(line, days=calendar.working_days_between(today, anchor) - 1)
