"""Decide what each person hears on a day: opened, upcoming, closing, due, overdue, escalation, event."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from schedules.digest_lines import Line, _add, _line
from schedules.monthly_round import round_lines
from schedules.office_data import DONE, OfficeData, PlanItem
from schedules.reminder_policy import ReminderPolicy

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
        if p.role == "chief":
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
            if report is not None and report.status == DONE:
                continue
            status = report.status if report else "not_started"
            for reason, days in _reasons(occ, item, policy, window):
                line = _line(reason, item, occ, section, status, days, people, owners)
                if reason == "escalation":
                    for chief in chiefs.get(item.section_id, ()):
                        if chief not in owners:  # an owner-chief already hears `overdue`
                            _add(notes, chief, line)
                    continue
                for owner in owners:
                    _add(notes, owner, line)
    for person_id, line in round_lines(office, calendar, day):
        _add(notes, person_id, line)
    return notes


def _reasons(occ: Occurrence, item: PlanItem, policy: ReminderPolicy, window: _Triggers) -> list[tuple[str, int]]:
    lead = policy.lead_for(occ.kind, item.lead_days)
    if occ.kind == "event":
        return [("event", lead)] if lead > 0 and window.hits(occ.starts or occ.due, -lead) else []
    found: list[tuple[str, int]] = []
    if occ.kind == "window" and occ.starts is not None:
        if window.hits(occ.starts, 0):
            found.append(("opened", 0))
        # A window shorter than its closing notice: `opened` already said it; don't say `closing` before it.
        if lead > 0 and window.hits(occ.due, -lead) and occ.starts <= window.span(0)[0]:
            found.append(("closing", lead))
    elif lead > 0 and window.hits(occ.due, -lead):
        found.append(("upcoming", lead))
    if window.hits(occ.due, 0):
        found.append(("due", 0))
    for n in policy.overdue_days:
        if window.hits(occ.due, n):
            found.append(("overdue", n))
    if window.hits(occ.due, policy.escalate_day):
        found.append(("escalation", policy.escalate_day))
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
