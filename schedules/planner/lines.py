"""One line of a digest, the urgency order of lines, and merging lines so the most urgent one stays."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date


class Reason(enum.StrEnum):
    """Why a person hears about a line; the values are what deliveries store and --json prints."""

    # Declared most urgent first: the order of lines in a digest and which reason wins when two meet.
    covered = "covered"
    overdue = "overdue"
    escalation = "escalation"
    due = "due"
    closing = "closing"
    event = "event"
    upcoming = "upcoming"
    opened = "opened"
    collect_followup = "collect_followup"
    collect = "collect"
    compiled = "compiled"


URGENCY = tuple(Reason)
RANK = {reason: n for n, reason in enumerate(URGENCY)}


@dataclass(frozen=True)
class Line:
    """One line of a digest: why this person hears about this occurrence (or this month's round)."""

    reason: Reason
    item_id: int | None
    number: str
    title: str
    section: str
    kind: str
    occurrence_key: str
    starts: date | None
    due: date
    status: str = "not_reported"  # what the last report said; "not_reported" when nobody has (未開始 is a report)
    percent: int | None = None  # with 進行中: the percentage said, as the chat's lists say it
    days: int = 0  # working days left (upcoming, closing, event) or late (overdue, escalation)
    owners: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # in a group digest: whom the line is for
    counts: tuple[tuple[str, int], ...] = ()  # compiled: (status, count)
    missing: tuple[str, ...] = ()  # compiled: who has not answered
    label: str = ""  # the occurrence as the plan says it (e.g. 3月)
    on_behalf: str = ""  # delivered to a deputy: the owner on leave it is for
    covered_by: str = ""  # escalation: who covers the owner on leave; covered: the deputy who reported

    @property
    def merge_key(self) -> tuple:
        """Return what makes two lines one: the item's occurrence, or the section of a compiled round."""
        if self.reason == Reason.covered:  # what the deputy reported stands beside what is due now
            return (Reason.covered, self.item_id, self.occurrence_key)
        return (Reason.compiled, self.section) if self.item_id is None else (self.item_id, self.occurrence_key)

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
        if self.percent is not None:
            data["percent"] = self.percent
        if self.on_behalf:
            data["for"] = self.on_behalf
        if self.covered_by:
            data["covered_by"] = self.covered_by
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Line:
        """Rebuild a line from `to_json` data."""
        return cls(
            reason=Reason(data["reason"]),
            item_id=data.get("item_id"),
            number=data.get("item") or "",
            title=data["title"],
            section=data.get("section", ""),
            kind=data.get("kind", ""),
            occurrence_key=data.get("occurrence", ""),
            starts=date.fromisoformat(data["starts"]) if data.get("starts") else None,
            due=date.fromisoformat(data["due"]),
            status=data.get("status", "not_reported"),
            percent=data.get("percent"),
            days=data.get("days", 0),
            owners=tuple(data.get("owners", ())),
            people=tuple(data.get("people", ())),
            counts=tuple((data.get("counts") or {}).items()),
            missing=tuple(data.get("missing", ())),
            label=data.get("label", ""),
            on_behalf=data.get("for", ""),
            covered_by=data.get("covered_by", ""),
        )


def make_line(reason, item, occ, section, status, days, people, owners, percent=None) -> Line:
    """Return the line about one occurrence of an item, naming its owners."""
    return Line(
        reason=reason, item_id=item.id, number=item.number, title=item.title, section=section,
        kind=occ.kind, occurrence_key=occ.key, starts=occ.starts, due=occ.due, status=status, days=days, percent=percent,
        owners=tuple(people[o].name for o in owners), label=occ.label,
    )


def add_line(notes: dict[int, dict[tuple, Line]], person_id: int, line: Line) -> None:
    """Give a person a line, keeping the more urgent one when they already hear about that occurrence."""
    lines = notes.setdefault(person_id, {})
    held = lines.get(line.merge_key)
    if held is None or RANK[line.reason] < RANK[held.reason]:
        lines[line.merge_key] = line


def fold(notes: dict[int, dict[tuple, Line]], extra: dict[int, dict[tuple, Line]]) -> None:
    """Add every line of `extra` to `notes` (the more urgent line of an occurrence wins)."""
    for person_id, lines in extra.items():
        for line in lines.values():
            add_line(notes, person_id, line)


def _number_key(number: str) -> tuple:
    # Sort 編號 like people do: 2 before 10, 6-1 before 6-2.
    parts = []
    for piece in number.replace("－", "-").split("-"):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)
