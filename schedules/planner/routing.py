"""Assemble a morning's deliveries: each person's own digest, or one per section group for the unlinked."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date

from schedules.planner.inputs import OfficeData, Person
from schedules.planner.lines import Line
from storage.outbox import Kind, key_of


class Reach(enum.StrEnum):
    """How a digest reaches its recipient (stored with it as `via`): a person's chat, a section's group, or not at all
    (not linked, and no group may read it)."""

    user = "user"
    group = "group"
    none = "none"


@dataclass(frozen=True)
class PlannedDelivery:
    """One digest for one recipient on one morning."""

    office_id: int
    morning: date
    to: str  # a person's name, or the section's name for a group digest
    via: Reach
    recipient: str | None  # LINE user or group id
    staff_id: int | None
    section_id: int | None
    lines: tuple[Line, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "via", Reach(self.via))

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(sorted({line.reason for line in self.lines}))

    @property
    def key(self) -> str:
        """Return the delivery's unique key: recipient, morning and the set of reasons."""
        who = self.recipient or f"staff-{self.staff_id}"
        return key_of(Kind.DIGEST, self.morning, who, "+".join(self.reasons))

    def to_json(self) -> dict:
        """Return the delivery with every detail of its lines (`remind --dry-run --json --details`)."""
        return {"to": self.to, "via": self.via.value, "items": [line.to_json() for line in self.lines]}

    def brief_json(self) -> dict:
        """Return the delivery as `remind --dry-run --json` prints it: who, and each line's item, title, reason, due."""
        return {
            "to": self.to,
            "items": [_brief(ln) for ln in self.lines],
        }


def route(office: OfficeData, notes: dict[int, dict[tuple, Line]], today: date) -> list[PlannedDelivery]:
    """Return the deliveries of the lines: a linked person's own digest, a section group's, or an unreachable one."""
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
            out.append(_delivery(office, today, person.name, Reach.user, person.line_user_id, person, ordered))
        elif office.policy.group_digests and section is not None and section.group_id:
            # A group reads only its own section's lines: not every member may see another section's or
            # the office's (a coordinator's compiled round); those stay with the person, unreachable.
            shared = tuple(ln for ln in ordered if ln.section == section.name)
            if len(shared) < len(ordered):
                rest = tuple(ln for ln in ordered if ln.section != section.name)
                out.append(_delivery(office, today, person.name, Reach.none, None, person, rest))
            bucket = groups.setdefault(section.id, {}) if shared else {}
            for line in shared:
                key = (*line.merge_key, line.reason)
                held = bucket.get(key)
                names = (held.people if held else ()) + (person.name,)
                bucket[key] = replace(line, people=tuple(sorted(set(names))))
        else:
            out.append(_delivery(office, today, person.name, Reach.none, None, person, ordered))
    for section_id, lines in groups.items():
        section = sections[section_id]
        ordered = tuple(sorted(lines.values(), key=lambda ln: (*ln.sort_key(), ln.people)))
        out.append(PlannedDelivery(office.id, today, section.name, Reach.group, section.group_id, None, section_id, ordered))
    return out


def _brief(line: Line) -> dict:
    data = {"item": line.number or None, "title": line.title, "reason": line.reason, "due": line.due.isoformat()}
    if line.on_behalf:
        data["for"] = line.on_behalf  # a line delivered to a deputy: whose item it is
    return data


def _delivery(office, today, name, via, recipient, person: Person, lines) -> PlannedDelivery:
    return PlannedDelivery(office.id, today, name, via, recipient, person.id, person.section_id, lines)
