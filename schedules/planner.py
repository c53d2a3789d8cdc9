"""Decide one morning's reminder digests from the plan: a pure function, no database and no clock.

Input is plain data (`OfficeData`: people, sections, items with their expanded occurrences, the
latest report per occurrence, the office's policy), the working-day calendar and the moment; output
is one `PlannedDelivery` per recipient: a person's own digest, or one digest per section group for
members who have not linked LINE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from schedules.reminder_policy import DEFAULT_POLICY, ReminderPolicy

if TYPE_CHECKING:
    from schedules.calendar import WorkCalendar
    from schedules.occurrences import Occurrence

# Most urgent first: the order of lines in a digest and which reason wins when two meet.
URGENCY = (
    "overdue", "escalation", "due", "closing", "event", "upcoming", "opened",
    "collect_followup", "collect", "compiled",
)
RANK = {reason: n for n, reason in enumerate(URGENCY)}
DONE = "done"


@dataclass(frozen=True)
class Person:
    """A staff member as the planner sees them; line_user_id is None when a push cannot reach them."""

    id: int
    name: str
    section_id: int | None
    role: str = "staff"
    line_user_id: str | None = None


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


@dataclass(frozen=True)
class Report:
    """The latest report on one occurrence: its status and the (Taipei) day it was made."""

    status: str
    on: date


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


@dataclass(frozen=True)
class Line:
    """One line of a digest: why this person hears about this occurrence (or this month's round)."""

    reason: str
    item_id: int | None
    number: str
    title: str
    section: str
    kind: str
    occurrence_key: str
    starts: date | None
    due: date
    status: str = "not_started"
    days: int = 0  # working days left (upcoming, closing, event) or late (overdue, escalation)
    owners: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # in a group digest: whom the line is for
    counts: tuple[tuple[str, int], ...] = ()  # compiled: (status, count)
    missing: tuple[str, ...] = ()  # compiled: who has not answered
    label: str = ""  # the occurrence as the plan says it (e.g. 3月)

    @property
    def merge_key(self) -> tuple:
        """Return what makes two lines one: the item's occurrence, or the section of a compiled round."""
        return ("compiled", self.section) if self.item_id is None else (self.item_id, self.occurrence_key)

    def sort_key(self) -> tuple:
        """Return the digest order: most urgent first, then by due date, section and 編號."""
        return (RANK[self.reason], self.due, self.section, _number_key(self.number), self.occurrence_key)

    def to_json(self) -> dict:
        """Return the line as plain data (stored in the delivery payload and printed by --json)."""
        data = {
            "item": self.number or None,
            "title": self.title,
            "reason": self.reason,
            "due": self.due.isoformat(),
            "section": self.section,
            "item_id": self.item_id,
            "kind": self.kind,
            "occurrence": self.occurrence_key,
            "starts": self.starts.isoformat() if self.starts else None,
            "status": self.status,
            "days": self.days,
            "label": self.label,
        }
        for name in ("owners", "people", "missing"):
            if getattr(self, name):
                data[name] = list(getattr(self, name))
        if self.counts:
            data["counts"] = dict(self.counts)
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Line:
        """Rebuild a line from `to_json` data."""
        return cls(
            reason=data["reason"],
            item_id=data.get("item_id"),
            number=data.get("item") or "",
            title=data["title"],
            section=data.get("section", ""),
            kind=data.get("kind", ""),
            occurrence_key=data.get("occurrence", ""),
            starts=date.fromisoformat(data["starts"]) if data.get("starts") else None,
            due=date.fromisoformat(data["due"]),
            status=data.get("status", "not_started"),
            days=data.get("days", 0),
            owners=tuple(data.get("owners", ())),
            people=tuple(data.get("people", ())),
            counts=tuple((data.get("counts") or {}).items()),
            missing=tuple(data.get("missing", ())),
            label=data.get("label", ""),
        )


@dataclass(frozen=True)
class PlannedDelivery:
    """One digest for one recipient on one morning."""

    office_id: int
    morning: date
    to: str  # a person's name, or the section's name for a group digest
    via: str  # user, group, or none (cannot be reached: not linked and no group)
    recipient: str | None  # LINE user or group id
    staff_id: int | None
    section_id: int | None
    lines: tuple[Line, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(sorted({line.reason for line in self.lines}))

    @property
    def key(self) -> str:
        """Return the delivery's unique key: recipient, morning and the set of reasons."""
        who = self.recipient or f"staff-{self.staff_id}"
        return f"digest:{self.morning.isoformat()}:{who}:{'+'.join(self.reasons)}"

    def to_json(self) -> dict:
        """Return the delivery as `remind --dry-run --json` prints it."""
        return {"to": self.to, "via": self.via, "items": [line.to_json() for line in self.lines]}


def plan_morning(
    offices: Iterable[OfficeData],
    calendar: WorkCalendar,
    moment: datetime,
    missed: Sequence[date] = (),
) -> list[PlannedDelivery]:
    """Return the digests of the morning of `moment`; lines of `missed` mornings still relevant are folded in."""
    today = moment.date()
    if not calendar.is_working_day(today):
        return []
    out: list[PlannedDelivery] = []
    for office in offices:
        notes = notices(office, calendar, today)
        for day in sorted(set(missed)):
            if day < today and calendar.is_working_day(day):
                _fold(notes, _carried(notices(office, calendar, day), office, calendar, day, today))
        out.extend(_route(office, notes, today))
    out.sort(key=lambda p: (p.office_id, p.via, p.to))
    return out


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


def _line(reason, item, occ, section, status, days, people, owners) -> Line:
    return Line(
        reason=reason, item_id=item.id, number=item.number, title=item.title, section=section,
        kind=occ.kind, occurrence_key=occ.key, starts=occ.starts, due=occ.due, status=status, days=days,
        owners=tuple(people[o].name for o in owners), label=occ.label,
    )


def _add(notes: dict[int, dict[tuple, Line]], person_id: int, line: Line) -> None:
    lines = notes.setdefault(person_id, {})
    held = lines.get(line.merge_key)
    if held is None or RANK[line.reason] < RANK[held.reason]:
        lines[line.merge_key] = line


def _fold(notes: dict[int, dict[tuple, Line]], extra: dict[int, dict[tuple, Line]]) -> None:
    for person_id, lines in extra.items():
        for line in lines.values():
            _add(notes, person_id, line)


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


def _carried(
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
    if line.reason == "compiled":
        return line
    if line.reason in ("collect", "collect_followup"):
        report = office.reports.get((line.item_id, line.occurrence_key))
        return None if report is not None and report.on >= then else line
    if line.reason == "event":
        return line if (line.starts or line.due) >= today else None
    anchor = calendar.next_working_day(line.due)
    if anchor < today:
        late = calendar.working_days_between(anchor, today) - 1
        return replace(line, reason="escalation" if line.reason == "escalation" else "overdue", days=late)
    if anchor == today:
        return replace(line, reason="due", days=0)
    return replace(line, days=calendar.working_days_between(today, anchor) - 1)


def _route(office: OfficeData, notes: dict[int, dict[tuple, Line]], today: date) -> list[PlannedDelivery]:
    people = {p.id: p for p in office.people}
    sections = {s.id: s for s in office.sections}
    out: list[PlannedDelivery] = []
    groups: dict[int, dict[tuple, Line]] = {}
    for person_id, lines in notes.items():
        person = people[person_id]
        ordered = tuple(sorted(lines.values(), key=Line.sort_key))
        if not ordered:
            continue
        section = sections.get(person.section_id) if person.section_id is not None else None
        if person.line_user_id:
            out.append(_delivery(office, today, person.name, "user", person.line_user_id, person, ordered))
        elif office.policy.group_digests and section is not None and section.group_id:
            bucket = groups.setdefault(section.id, {})
            for line in ordered:
                key = (*line.merge_key, line.reason)
                held = bucket.get(key)
                names = (held.people if held else ()) + (person.name,)
                bucket[key] = replace(line, people=tuple(sorted(set(names))))
        else:
            out.append(_delivery(office, today, person.name, "none", None, person, ordered))
    for section_id, lines in groups.items():
        section = sections[section_id]
        ordered = tuple(sorted(lines.values(), key=lambda ln: (*ln.sort_key(), ln.people)))
        out.append(PlannedDelivery(office.id, today, section.name, "group", section.group_id, None, section_id, ordered))
    return out


def _delivery(office, today, name, via, recipient, person: Person, lines) -> PlannedDelivery:
    return PlannedDelivery(office.id, today, name, via, recipient, person.id, person.section_id, lines)


def _number_key(number: str) -> tuple:
    # Sort 編號 like people do: 2 before 10, 6-1 before 6-2.
    parts = []
    for piece in number.replace("－", "-").split("-"):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)
