"""The monthly round: ask owners about last month, ask again, then compile it for coordinators and chiefs."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from schedules.digest_lines import Line, _line
from schedules.office_data import DONE, OfficeData, Report

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar


def round_lines(office: OfficeData, calendar: WorkCalendar, day: date) -> list[tuple[int, Line]]:
    """Return the monthly round's lines of `day`: ask, ask again, or compile last month's status."""
    policy = office.policy
    days = calendar.working_days_of_month(day.year, day.month)
    if day not in days:
        return []
    n = days.index(day) + 1
    step = {policy.collect_day: "collect", policy.followup_day: "collect_followup", policy.compile_day: "compiled"}.get(n)
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
    ]
    if step == "compiled":
        return _compiled(office, pairs, asked, last, people, sections)
    out = []
    for item, occ in pairs:
        report = office.reports.get((item.id, occ.key))
        if report is not None and (report.status == DONE or (step == "collect_followup" and report.on >= asked)):
            continue
        owners = [o for o in item.owners if o in people]
        status = report.status if report else "not_started"
        line = _line(step, item, occ, sections.get(item.section_id, ""), status, 0, people, owners)
        out.extend((o, line) for o in owners)
    return out


def _answered(report: Report | None, asked: date) -> bool:
    return report is not None and (report.status == DONE or report.on >= asked)


def _compiled(office, pairs, asked, last, people, sections) -> list[tuple[int, Line]]:
    per_section: dict[int, dict[str, int]] = {}
    missing: dict[int, set[int]] = {}
    for item, occ in pairs:
        report = office.reports.get((item.id, occ.key))
        counts = per_section.setdefault(item.section_id, dict.fromkeys(("done", "in_progress", "delayed", "missing"), 0))
        if _answered(report, asked) and report.status in counts:
            counts[report.status] += 1
        else:
            counts["missing"] += 1
            missing.setdefault(item.section_id, set()).update(o for o in item.owners if o in people)
    out: list[tuple[int, Line]] = []
    coordinators = [p.id for p in office.people if p.role == "coordinator"]
    for section_id in sorted(per_section, key=lambda s: sections.get(s, "")):
        names = tuple(sorted(people[o].name for o in missing.get(section_id, ())))
        name = sections.get(section_id, "")
        line = Line(
            reason="compiled", item_id=None, number="", title=name, section=name, kind="round",
            occurrence_key=f"{last:%Y-%m}", starts=last.replace(day=1), due=last,
            counts=tuple(per_section[section_id].items()), missing=names,
        )
        chiefs = [p.id for p in office.people if p.role == "chief" and p.section_id == section_id]
        out.extend((person_id, line) for person_id in dict.fromkeys(coordinators + chiefs))
    return out
