"""Leave coverage: while an owner is on leave, their lines go to whoever covers; when they are back, what happened.

Who covers a person on leave: their first deputy who is not on leave, else the second, else their section's
chief, else the coordinator (never someone on leave). The covered lines name the owner (`on_behalf`); the
chief's escalation names who covers (`covered_by`). Someone whose digest of the morning is already written
(`OfficeData.served`) keeps their lines: a leave recorded after the morning's digest changes nothing that day.
On the owner's first working morning back, their digest adds the reports their deputy made (`covered`) and
every occurrence of theirs that fell due (or was reminded of as overdue) during the leave and is still open.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from schedules.planner.inputs import DONE, Absence, OfficeData, Person
from schedules.planner.lines import Line, Reason, add_line, make_line
from schedules.status import Said

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar

Notes = dict[int, dict[tuple, Line]]


def away_on(office: OfficeData, day: date) -> set[int]:
    """Return the ids of the people on leave on the day."""
    return {a.staff_id for a in office.absences if a.starts <= day <= a.ends}


def covering(office: OfficeData, person_id: int, away: set[int]) -> int | None:
    """Return who covers the person: a deputy not on leave, else their chief, else the coordinator."""
    people = {p.id: p for p in office.people}
    person = people.get(person_id)
    if person is None:
        return None
    for deputy in person.deputies:
        if deputy in people and deputy not in away and deputy != person_id:
            return deputy
    for role, same_section in (("chief", True), ("coordinator", False)):
        for p in office.people:
            if p.role == role and p.id != person_id and p.id not in away and (not same_section or p.section_id == person.section_id):
                return p.id
    return None


def cover(office: OfficeData, notes: Notes, calendar: WorkCalendar, today: date) -> Notes:
    """Return the notes with the lines of people on leave moved to who covers them, and the returners' news added."""
    if not office.absences:
        return notes
    people = {p.id: p for p in office.people}
    away = away_on(office, today)
    out: Notes = {}
    for person_id, lines in notes.items():
        target, behalf = person_id, ""
        if person_id in away and person_id not in office.served:
            target = covering(office, person_id, away)
            behalf = people[person_id].name
            if target is None:
                continue  # nobody at all can act; the lines come back as overdue when the owner returns
        for line in lines.values():
            add_line(out, target, replace(line, on_behalf=behalf) if behalf else line)
    for person in office.people:
        if person.id not in away:
            for absence in _just_back(office, person, calendar, today):
                _returned(office, out, person, absence, calendar, today)
    _name_coverers(office, out, people, away)
    return out


def _just_back(office: OfficeData, person: Person, calendar: WorkCalendar, today: date) -> list[Absence]:
    """Return the person's leaves (of at least one working day) that today is the first working morning after."""
    found = []
    for a in office.absences:
        if a.staff_id != person.id or a.ends >= today:
            continue
        worked_through = calendar.next_working_day(a.starts) <= a.ends
        if worked_through and calendar.next_working_day(a.ends + timedelta(days=1)) == today:
            found.append(a)
    return found


def _returned(office: OfficeData, notes: Notes, person: Person, absence: Absence, calendar: WorkCalendar, today: date) -> None:
    people = {p.id: p for p in office.people}
    sections = {s.id: s.name for s in office.sections}
    mine = [i for i in office.items if person.id in i.owners]
    occurrences = {(i.id, o.key): (i, o) for i in mine for o in i.occurrences}
    for report in office.covered:
        found = occurrences.get((report.item_id, report.occurrence_key))
        if report.owner_id != person.id or found is None or not absence.starts <= report.on < today:
            continue
        item, occ = found
        line = make_line(Reason.covered, item, occ, sections.get(item.section_id, ""), report.status, 0, people, [o for o in item.owners if o in people])
        add_line(notes, person.id, replace(line, covered_by=report.by))
    # What fell due, or was still being reminded of as overdue, while they were away.
    first = calendar.next_working_day(absence.starts)
    reminded = max((*office.policy.overdue_days, office.policy.escalate_day))
    for item in mine:
        for occ in item.occurrences:
            anchor = calendar.next_working_day(occ.due)
            if anchor > today or calendar.add_working_days(anchor, reminded) < first:
                continue
            report = office.reports.get((item.id, occ.key))
            if report is not None and report.status == DONE or item.before_tracking(occ, report):
                continue
            late = calendar.working_days_between(anchor, today) - 1
            reason = Reason.due if late <= 0 else Reason.overdue
            status = report.status if report else "not_reported"
            line = make_line(reason, item, occ, sections.get(item.section_id, ""), status, max(late, 0), people,
                             [o for o in item.owners if o in people],
                             report.percent if report is not None and report.status == Said.in_progress else None)
            add_line(notes, person.id, line)


def _name_coverers(office: OfficeData, notes: Notes, people: dict[int, Person], away: set[int]) -> None:
    """Say on each escalation about an owner on leave who covers them."""
    if not away:
        return
    by_name = {p.name: p.id for p in office.people}
    for lines in notes.values():
        for key, line in lines.items():
            if line.reason != Reason.escalation:
                continue
            names = []
            for owner in line.owners:
                owner_id = by_name.get(owner)
                if owner_id in away:
                    deputy = covering(office, owner_id, away)
                    if deputy is not None:
                        names.append(people[deputy].name)
            if names:
                lines[key] = replace(line, covered_by="、".join(dict.fromkeys(names)))
