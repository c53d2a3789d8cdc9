"""The DGPA's closure announcements (停止上班上課, NCDR alert type 33): read the Atom JSON and decide for one place.

Pure: bytes and a moment in, plain data out. What is read is never guessed: an entry whose text does not follow
the announcement grammar is kept as unreadable, never taken for 照常; `expires` is never read (it is the end of
the announcement's day, not of the closure), and an entry counts only for the day its text names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from schedules.clock import TAIPEI

COUNTIES = (
    "臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "基隆市", "新竹市", "嘉義市", "新竹縣", "苗栗縣",
    "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣", "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣",
)
PARTS = ("上午", "中午", "下午", "晚上")
WHOLE_DAY = ("", "上午")  # a morning closure keeps the office shut when the day's work starts
FAST = timedelta(minutes=5)
SLOW = timedelta(hours=1)
SLOWEST = timedelta(hours=2)  # the longest wait after failures
WATCH_FROM, WATCH_UNTIL = time(17, 0), time(9, 0)  # announcements come 19:00–22:00, or as late as 04:30

_HEAD = "[停班停課通知]"
_DAY = re.compile(r"^(今天|明天|(\d{1,2})/(\d{1,2}))")
_FROM = re.compile(r"^(\d{1,2}):(\d{2})起")


class FeedError(ValueError):
    """The document is not the feed's JSON (the code says what was wrong)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Entry:
    """One feed entry, as published."""

    id: str
    updated: datetime | None  # None: the entry's time could not be read
    status: str
    msg_type: str
    text: str


@dataclass(frozen=True)
class Announcement:
    """What an entry's text says: for which place, which day, which part of it, and what."""

    county: str
    districts: tuple[str, ...]  # empty: the whole county
    day: date
    part: str  # "" the whole day, 上午 / 中午 / 下午 / 晚上, or HH:MM起
    state: str  # closed, open, not_reached, not_in_area, pending


@dataclass(frozen=True)
class Verdict:
    """The announcement that decides one day for the place (district entries over county-wide ones, then the latest)."""

    day: date
    state: str
    part: str
    entry: Entry
    county_wide: bool

    @property
    def whole_day_closed(self) -> bool:
        """Say whether the office is shut when the day's work starts (full day or morning)."""
        return self.state == "closed" and self.part in WHOLE_DAY


@dataclass(frozen=True)
class Unreadable:
    """An entry that may concern the place but whose text could not be read."""

    entry_id: str
    text: str
    why: str


@dataclass
class Reading:
    """What one reading of the feed decided for a place."""

    entries: int = 0
    verdicts: list[Verdict] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    alert: bool = False  # a current entry named the place's county
    ignored: dict[str, int] = field(default_factory=dict)  # not Actual, past days, other places, not yet published


def normalise(name: str) -> str:
    """Return a place name with 台 written 臺 (both occur) and without spaces."""
    return "".join(name.split()).replace("台", "臺")


def county_of(name: str) -> str | None:
    """Return the county (or city) the name is, normalised, or None."""
    name = normalise(name)
    return name if name in COUNTIES else None


def entries_of(raw: bytes | str) -> list[Entry]:
    """Return the entries of the JSON feed (`entry` at the top or inside `feed`; one entry may be an object)."""
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError("not_json") from exc
    if isinstance(doc, dict) and isinstance(doc.get("feed"), dict):
        doc = doc["feed"]
    if not isinstance(doc, dict):
        raise FeedError("no_entries")
    items = doc.get("entry", [])
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise FeedError("no_entries")
    return [e for e in (_entry(item) for item in items) if e is not None]


def _entry(item: object) -> Entry | None:
    if not isinstance(item, dict):
        return None
    summary = item.get("summary")
    text = summary.get("#text", "") if isinstance(summary, dict) else summary
    return Entry(str(item.get("id", "")), _moment(item.get("updated")), str(item.get("status", "")),
                 str(item.get("msgType", "")), str(text or ""))


def _moment(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    # The feed writes +08:00; a time without a zone is the office's own.
    return moment.replace(tzinfo=TAIPEI) if moment.tzinfo is None else moment.astimezone(TAIPEI)


def read_text(text: str, published: date) -> Announcement | str:
    """Return what the announcement says, or the code of what could not be read."""
    text = text.strip()
    if not text.startswith(_HEAD):
        return "not_an_announcement"
    area, sep, rest = text[len(_HEAD):].replace("：", ":").partition(":")
    if not sep:
        return "no_area"
    place = _area(area)
    if place is None:
        return "unknown_area"
    day_match = _DAY.match(rest)
    if day_match is None:
        return "no_day"
    day = _day(day_match, published)
    if day is None:
        return "bad_day"
    rest = rest[day_match.end():]
    part, rest = _part(rest)
    state = _state(rest.split("。")[0])
    if state is None:
        return "unknown_status"
    return Announcement(place[0], place[1], day, part, state)


def _area(area: str) -> tuple[str, tuple[str, ...]] | None:
    area = normalise(area)
    county = next((c for c in COUNTIES if area.startswith(c)), None)
    if county is None:
        return None
    rest = area[len(county):]
    districts = tuple(d for d in re.split(r"[、,，]", rest) if d)
    return county, districts


def _day(found: re.Match[str], published: date) -> date | None:
    word = found.group(1)
    if word == "今天":
        return published
    if word == "明天":
        return published + timedelta(days=1)
    month, day = int(found.group(2)), int(found.group(3))
    try:
        named = date(published.year, month, day)
    except ValueError:
        return None
    # An announcement names a day close to it: 12/31's 1/2 is next year's.
    if (published - named).days > 180:
        try:
            named = date(published.year + 1, month, day)
        except ValueError:
            return None
    return named


def _part(rest: str) -> tuple[str, str]:
    for part in PARTS:
        if rest.startswith(part):
            return part, rest[len(part):]
    found = _FROM.match(rest)
    if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
        return f"{int(found.group(1)):02d}:{found.group(2)}起", rest[found.end():]
    return "", rest


def _state(status: str) -> str | None:
    # 「未達停止上班…」 contains 「停止上班」: 照常 and 未達 are read first.
    if "照常上班" in status:
        return "open"
    if "未達停止上班" in status:
        return "not_reached"
    if "尚未列入警戒區" in status:
        return "not_in_area"
    if "尚未宣布" in status:
        return "pending"
    if "停止上班" in status:
        return "closed"
    return None


def decide(entries: list[Entry], county: str, district: str | None, now: datetime) -> Reading:
    """Return what the entries published by `now` say about the place for today and the days after."""
    county, district = normalise(county), normalise(district) if district else None
    today = now.astimezone(TAIPEI).date()
    reading = Reading(entries=len(entries))
    best: dict[date, Verdict] = {}
    for entry in entries:
        if entry.updated is None:
            if county in normalise(entry.text):
                reading.unreadable.append(Unreadable(entry.id, entry.text, "no_time"))
            else:
                _count(reading, "other_place")
            continue
        if entry.updated > now:
            _count(reading, "not_yet")
            continue
        if entry.status != "Actual":
            _count(reading, "not_actual")
            continue
        said = read_text(entry.text, entry.updated.date())
        if isinstance(said, str):
            # Unreadable, but maybe ours: kept visible unless it does not even name our county, or was published
            # before yesterday (announcements come the evening before or that morning; the feed keeps them for weeks).
            if county not in normalise(entry.text):
                _count(reading, "other_place")
            elif entry.updated.date() < today - timedelta(days=1):
                _count(reading, "past")
            else:
                reading.unreadable.append(Unreadable(entry.id, entry.text, said))
            continue
        if said.county != county:
            _count(reading, "other_place")
            continue
        if said.day < today:
            _count(reading, "past")
            continue
        reading.alert = True
        if said.districts and district not in said.districts:
            _count(reading, "other_place")
            continue
        verdict = Verdict(said.day, said.state, said.part, entry, county_wide=not said.districts)
        if _better(verdict, best.get(said.day)):
            best[said.day] = verdict
    reading.verdicts = [best[d] for d in sorted(best)]
    return reading


def _better(new: Verdict, old: Verdict | None) -> bool:
    if old is None:
        return True
    if new.county_wide != old.county_wide:
        return not new.county_wide  # a district's own announcement overrides the county's
    return (new.entry.updated, new.entry.id) > (old.entry.updated, old.entry.id)


def _count(reading: Reading, why: str) -> None:
    reading.ignored[why] = reading.ignored.get(why, 0) + 1


def watching(now: datetime, alert: bool) -> bool:
    """Say whether the feed is read every few minutes: an alert for the county, between 17:00 and 09:00."""
    at = now.astimezone(TAIPEI).time()
    return alert and (at >= WATCH_FROM or at < WATCH_UNTIL)


def next_check(last: datetime | None, now: datetime, alert: bool, failures: int) -> datetime:
    """Return when the feed should next be read (every 5 minutes while watching, else hourly; longer after failures)."""
    if last is None:
        return now
    step = FAST if watching(now, alert) else SLOW
    if failures:
        step = min(step * 2 ** min(failures, 6), max(step, SLOWEST))
    return last + step
