"""Closures from the DGPA's announcements: one reading of the feed, decided for an office and acted on once.

A full-day or morning 停止上班 on a working day is applied as the chat's 停班 確定 is (`closures.apply_change`:
dates moved, one notice per owner through the outbox) and the coordinator gets a summary. Half days, and a later
照常上班 for a day already closed, only reach the coordinator as 停班's question (確定 / 不用了). Each reading is
kept with what it decided, so a feed that failed, an entry that could not be read, 尚未宣布消息, 照常上班 and
"nothing for our place" stay distinct wherever they are shown.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from handlers.core.replies import Text, to_dict
from handlers.office import closures
from handlers.texts import closure_feed as F
from handlers.texts import leave as L
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.closure_feed import (
    Entry,
    FeedError,
    Reading,
    Verdict,
    county_of,
    decide,
    entries_of,
    normalise,
)
from schedules.dates import format_date
from storage import closure_feed as rows
from storage import outbox, queries
from storage.models import FeedCheck, Office, Role

ACTOR = "feed:dgpa"
REASON_LENGTH = 200  # calendar_overrides.reason
OPEN_STATES = ("open", "not_reached", "not_in_area")
_DISTRICT = re.compile(r"[\u4e00-\u9fff]{1,4}[區鄉鎮市]")


@dataclass(frozen=True)
class Unreached:
    """The feed could not be read: a code of handlers.texts.closure_feed.FAILURE and what was seen."""

    code: str
    status: int | None = None
    detail: str = ""


@dataclass
class Decision:
    """What one day's announcement made happen for the office."""

    day: str
    state: str
    part: str
    outcome: str
    entry_id: str
    text: str
    moved: int = 0
    told: int = 0
    area: str = ""  # as the announcement names it: the county, or the county and district


@dataclass
class Check:
    """One reading of the feed for an office, as stored and shown."""

    at: str
    place: str
    ok: bool
    alert: bool = False
    failure: dict | None = None
    entries: int = 0
    decisions: list[Decision] = field(default_factory=list)
    unreadable: list[dict] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        """Return the check as plain data (the stored detail, and `--json`)."""
        return asdict(self)

    @classmethod
    def from_row(cls, row: FeedCheck) -> Check:
        """Read a stored check back."""
        data = dict(row.detail)
        data["decisions"] = [Decision(**d) for d in data.get("decisions", [])]
        return cls(**data)


def place_of(office: Office) -> str:
    """Return the office's place as written (臺北市文山區), or '' when unknown."""
    return f"{office.county or ''}{office.district or ''}"


def check_office(session: Session, office: Office, fetched: bytes | Unreached, now: datetime,
                 calendar: WorkCalendar) -> Check:
    """Decide what the feed says for the office, act on it once, and keep the reading."""
    check = Check(at=now.isoformat(), place=place_of(office), ok=False)
    if isinstance(fetched, Unreached):
        check.failure = asdict(fetched)
    else:
        try:
            entries = entries_of(fetched)
        except FeedError as exc:
            check.failure = asdict(Unreached(exc.code))
        else:
            check.ok = True
            _act(session, office, decide(entries, office.county, office.district, now), now, calendar, check)
    rows.record_check(session, office.id, now, check.ok, check.alert, check.to_json())
    return check


def _act(session: Session, office: Office, reading: Reading, now: datetime, calendar: WorkCalendar, check: Check) -> None:
    check.entries, check.alert, check.ignored = reading.entries, reading.alert, dict(reading.ignored)
    check.unreadable = [asdict(u) for u in reading.unreadable]
    for verdict in reading.verdicts:
        decision, calendar = _decide_day(session, office, verdict, now, calendar)
        check.decisions.append(decision)


def _decide_day(session: Session, office: Office, verdict: Verdict, now: datetime,
                calendar: WorkCalendar) -> tuple[Decision, WorkCalendar]:
    day, entry = verdict.day, verdict.entry
    area = office.county if verdict.county_wide else place_of(office)
    decision = Decision(day.isoformat(), verdict.state, verdict.part, "", entry.id, entry.text, area=area)
    if verdict.state == "pending":
        decision.outcome = "waiting"
    elif verdict.state in OPEN_STATES:
        decision.outcome = _ask_to_reopen(session, office, verdict, now, calendar) if day in calendar.closures else "unchanged"
    elif rows.action_for(session, office.id, day, "closed") is not None:
        decision.outcome = "kept"  # re-published: applied once already
    elif day in calendar.closures:
        decision.outcome = "already_closed"
    elif not calendar.is_working_day(day):
        decision.outcome = "rest_day"
    elif not verdict.whole_day_closed:
        decision.outcome = _ask_part(session, office, verdict, now, calendar)
    else:
        change = _apply(session, office, verdict, now, calendar)
        decision.outcome, decision.moved, decision.told = "applied", len(change.moved), change.told
        calendar = closures.changed_calendar(calendar, change.days, True)
    return decision, calendar


def _apply(session: Session, office: Office, verdict: Verdict, now: datetime, calendar: WorkCalendar) -> closures.Change:
    day, entry = verdict.day, verdict.entry
    # Digests already pushed this morning named dates the closure moves: their owners get a correction.
    told_before = rows.sent_lines(session, day) if day == now.date() else None
    change = closures.apply_change(session, office.id, ACTOR, calendar, [day], True, _reason(entry), now, told_before,
                                   source=F.ATTRIBUTION)
    rows.record_action(session, office.id, day, "closed", entry.id, entry.text, now)
    told = L.CLOSURE_TOLD.format(count=change.told) if change.told else L.CLOSURE_TOLD_NONE
    head = F.APPLIED.format(announcement=_announcement(entry), days=format_date(day), told=told)
    text = "\n".join([head, "", *closures.moved_lines(change.moved), "", F.ATTRIBUTION])
    _tell_coordinators(session, office, f"feed:closed:{day.isoformat()}", Text(text[:4900]), now)
    return change


def _ask_part(session: Session, office: Office, verdict: Verdict, now: datetime, calendar: WorkCalendar) -> str:
    if rows.action_for(session, office.id, verdict.day, "ask_close") is not None:
        return "asked_before"
    question = closures.preview(session, office.id, calendar, [verdict.day], True)
    head = F.ASK_PART.format(announcement=_announcement(verdict.entry))
    _tell_coordinators(session, office, f"feed:ask_close:{verdict.day.isoformat()}",
                       Text(f"{head}\n\n{question.text}\n\n{F.ATTRIBUTION}"[:4900], question.quick_replies), now)
    rows.record_action(session, office.id, verdict.day, "ask_close", verdict.entry.id, verdict.entry.text, now)
    return "asked"


def _ask_to_reopen(session: Session, office: Office, verdict: Verdict, now: datetime, calendar: WorkCalendar) -> str:
    if rows.action_for(session, office.id, verdict.day, "ask_open") is not None:
        return "asked_before"
    question = closures.preview(session, office.id, calendar, [verdict.day], False)
    head = F.ASK_OPEN.format(announcement=_announcement(verdict.entry), days=format_date(verdict.day))
    _tell_coordinators(session, office, f"feed:ask_open:{verdict.day.isoformat()}",
                       Text(f"{head}\n\n{question.text}\n\n{F.ATTRIBUTION}"[:4900], question.quick_replies), now)
    rows.record_action(session, office.id, verdict.day, "ask_open", verdict.entry.id, verdict.entry.text, now)
    return "cancel_asked"


def _reason(entry: Entry) -> str:
    """Return the closure's reason: the announcement, when and under which id it was published, and its source."""
    published = f"{format_date(entry.updated.date())}{entry.updated.strftime('%H:%M')}"
    tail = F.REASON_TAIL.format(published=published, entry=entry.id, source=F.ATTRIBUTION)
    return _announcement(entry)[: max(0, REASON_LENGTH - len(tail))] + tail


def _announcement(entry: Entry) -> str:
    """Return the announcement's own sentence (without the bureau's signature and phone line)."""
    return entry.text.split("。")[0].removeprefix("[停班停課通知]") + "。"


def _tell_coordinators(session: Session, office: Office, key: str, text: Text, now: datetime) -> None:
    for person in queries.staff_of_office(session, office.id):
        if person.role is Role.coordinator and person.active and person.line_user_id and person.following:
            outbox.queue_notice(session, f"{key}:{person.id}", person.line_user_id, person.id, "calendar",
                                {"replies": [to_dict(text)]}, now)


# What people read about the checks


def check_lines(check: Check, today: date | None = None) -> list[str]:
    """Return what a check found, one line per day (or its failure), as the console and the CLI show it.

    The time is shown alone for a check of `today` (or when no day is given), else with its date.
    """
    at = datetime.fromisoformat(check.at).astimezone(TAIPEI)
    when = at.strftime("%H:%M") if today in (None, at.date()) else f"{format_date(at.date())}{at.strftime('%H:%M')}"
    if not check.ok:
        failure = check.failure or {}
        reason = F.FAILURE.get(failure.get("code", ""), failure.get("code", "")).format(status=failure.get("status"))
        return [F.FAILED.format(time=when, reason=reason)]
    lines = [_verdict_line(d, check.place, at.date()) for d in check.decisions] or [F.NOTHING.format(place=check.place)]
    lines = [F.LAST.format(time=when, what=line) for line in lines]
    for item in check.unreadable:
        lines.append(F.UNREADABLE.format(count=1, why=F.WHY_UNREADABLE.get(item["why"], item["why"]), text=item["text"][:80]))
    return lines


def _verdict_line(decision: Decision, place: str, today: date) -> str:
    day = date.fromisoformat(decision.day)
    word = F.TODAY if day == today else F.TOMORROW if day == today + timedelta(days=1) else format_date(day)
    line = F.VERDICT.format(place=decision.area or place, day=word, part=decision.part,
                            state=F.STATE.get(decision.state, decision.state),
                            outcome=F.OUTCOME.get(decision.outcome, decision.outcome))
    if decision.outcome == "applied":
        line += F.APPLIED_NOW.format(moved=decision.moved, told=decision.told)
    return line


def last_check(session: Session, office: Office) -> Check | None:
    """Return the office's latest reading of the feed, if any."""
    found = rows.last_checks(session, office.id, 1)
    return Check.from_row(found[0]) if found else None


def failures_in_a_row(session: Session, office: Office) -> int:
    """Return how many of the latest readings failed one after another (the clock waits longer after each)."""
    count = 0
    for row in rows.last_checks(session, office.id, 10):
        if row.ok:
            break
        count += 1
    return count


def read_place(county: str, district: str | None) -> tuple[str, str | None] | str:
    """Return the (county, district) written the feed's way (臺), or the message saying what is wrong."""
    found = county_of(county or "")
    if found is None:
        return F.BAD_COUNTY.format(text=county)
    if not district or not district.strip():
        return found, None
    name = normalise(district)
    if not _DISTRICT.fullmatch(name) or name == found:
        return F.BAD_DISTRICT.format(text=district)
    return found, name


@dataclass(frozen=True)
class FeedStatus:
    """What the console's 行事曆 shows of the feed: the office's place and the last reading."""

    place: str
    county: str
    district: str
    lines: list[str]


def status(session: Session, office: Office, today: date) -> FeedStatus:
    """Return the feed's state for the office's 行事曆 page."""
    check = last_check(session, office)
    if not office.county:
        lines = [F.NO_PLACE]
    else:
        lines = check_lines(check, today) if check else [F.NEVER]
    return FeedStatus(place_of(office), office.county or "", office.district or "", lines)


def set_place(session: Session, office: Office, county: str, district: str | None, actor: str, now: datetime) -> str:
    """Record where the office is (the console's and the CLI's form); return what to tell, or the problem."""
    place = read_place(county, district)
    if isinstance(place, str):
        return place
    rows.set_place(session, office, *place)
    queries.audit(session, now, actor, "office.location", county=place[0], district=place[1])
    return F.PLACE_SET.format(office=office.name, place=place_of(office))
