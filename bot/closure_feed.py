"""Reading the DGPA's closure feed over HTTP, when the clock should, for every office whose place is known.

The host refuses calls less than 3 s apart (HTTP 429 「限制存取間隔時間為3秒」): every call waits for that gap,
and a 429 or a failure waits longer before the next try. Sleep, the monotonic clock and the pool are injected,
so tests prove the gaps without waiting.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

import urllib3
from sqlalchemy.orm import Session, sessionmaker

from handlers.office.feed_closures import Check, Unreached, check_office, failures_in_a_row
from schedules.clock import TAIPEI, Clock
from schedules.closure_feed import next_check
from schedules.plan_inputs import calendar_of
from storage import closure_feed as rows
from storage import scope
from storage.db import unit_of_work
from storage.models import Office

log = logging.getLogger(__name__)

GAP = 3.0  # seconds the host wants between two calls
TRIES = 3
ALERT_MEMORY = timedelta(hours=24)  # an alert seen this recently keeps the feed watched closely


def with_key(url: str, key: str) -> str:
    """Return the feed's address with NCDR's member key added as apikey= (when one is given)."""
    if not key:
        return url
    parts = urlsplit(url)
    query = f"{parts.query}&{urlencode({'apikey': key})}" if parts.query else urlencode({"apikey": key})
    return urlunsplit(parts._replace(query=query))


@dataclass
class FeedClient:
    """One HTTP reader of the feed: calls at least GAP seconds apart, backing off on 429 and failures."""

    url: str
    key: str = ""
    timeout: float = 10.0
    tries: int = TRIES
    gap: float = GAP
    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    http: urllib3.PoolManager = field(default_factory=lambda: urllib3.PoolManager(retries=False))
    _last: float | None = field(default=None, init=False)

    def fetch(self) -> bytes | Unreached:
        """Return the feed's body, or why it could not be read after a few spaced tries."""
        problem = Unreached("unreachable")
        for attempt in range(self.tries):
            self._wait(self.gap * 2 ** attempt if attempt else self.gap)
            body = self._call()
            if isinstance(body, bytes):
                return body
            problem = body
            if problem.code == "http" and problem.status is not None and problem.status < 500:
                return problem  # a refusal other than 429 does not change by asking again
        return problem

    def _wait(self, gap: float) -> None:
        if self._last is not None:
            left = self._last + gap - self.monotonic()
            if left > 0:
                self.sleep(left)

    def _call(self) -> bytes | Unreached:
        try:
            response = self.http.request("GET", with_key(self.url, self.key), timeout=self.timeout,
                                         headers={"Accept": "application/json"})
        except urllib3.exceptions.TimeoutError as exc:
            return Unreached("timeout", detail=str(exc)[:200])
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return Unreached("unreachable", detail=str(exc)[:200])
        finally:
            self._last = self.monotonic()
        if response.status == 429:
            return Unreached("rate_limited", 429, response.data.decode("utf-8", "replace")[:200])
        if response.status != 200:
            return Unreached("http", response.status, response.data.decode("utf-8", "replace")[:200])
        return response.data


@dataclass
class FeedWatch:
    """The clock's reading of the feed: when it is due for an office, read once and decide for each such office."""

    sessions: sessionmaker[Session]
    client: FeedClient
    clock: Clock

    def round(self, force: bool = False) -> list[Check]:
        """Read the feed if any office is due (or `force`), and decide for those offices."""
        now = self.clock.now()
        with self.sessions() as session:
            due = [o.id for o in rows.placed_offices(session) if force or self._due(session, o, now)]
        if not due:
            return []
        return check_offices(self.sessions, due, self.client.fetch(), self.clock.now())

    @staticmethod
    def _due(session: Session, office: Office, now: datetime) -> bool:
        latest = rows.last_checks(session, office.id, 10)
        if not latest:
            return True
        alert = any(c.ok and c.alert and now - c.at < ALERT_MEMORY for c in latest)
        return next_check(latest[0].at.astimezone(TAIPEI), now, alert, failures_in_a_row(session, office)) <= now


def check_offices(sessions: sessionmaker[Session], office_ids: list[int], fetched: bytes | Unreached, now: datetime) -> list[Check]:
    """Decide one reading for each office, each in its own transaction that sees only that office (and its calendar)."""
    out = []
    for office_id in office_ids:
        with unit_of_work(sessions) as session:
            scope.scope_to(session, office_id)
            office = session.get(Office, office_id)
            out.append(check_office(session, office, fetched, now, calendar_of(session)))
    for check in out:
        log.info("closure feed for %s: %s", check.place, json.dumps(check.to_json(), ensure_ascii=False)[:500])
    return out


def placed_office_ids(sessions: sessionmaker[Session]) -> list[int]:
    """Return the ids of the offices whose place is known."""
    with sessions() as session:
        return [o.id for o in rows.placed_offices(session)]


@dataclass(frozen=True)
class Step:
    """One reading of a recorded night: when, and what the feed answered (its JSON, or an HTTP status)."""

    at: datetime
    fetched: bytes | Unreached


def read_recording(raw: str, move_to=None) -> list[Step]:
    """Return the steps of a recorded night (`{"steps": [{"at", "feed" | "status"}]}`), moved to start on `move_to`.

    Moving shifts each step and each entry's `updated` by whole days; the announcements say 今天 / 明天, so
    they name the same days of the moved night. Raises ValueError on a file that is not such a recording.
    """
    data = json.loads(raw)
    steps = data["steps"] if isinstance(data, dict) else None
    if not isinstance(steps, list) or not steps:
        raise ValueError("no steps")
    first = datetime.fromisoformat(steps[0]["at"]).astimezone(TAIPEI)
    shift = timedelta(days=(move_to - first.date()).days) if move_to else timedelta(0)
    out = []
    for step in steps:
        at = datetime.fromisoformat(step["at"]).astimezone(TAIPEI) + shift
        if "feed" in step:
            fetched: bytes | Unreached = json.dumps(_moved(step["feed"], shift), ensure_ascii=False).encode()
        else:
            status = int(step.get("status", 0))
            fetched = Unreached("rate_limited", 429) if status == 429 else Unreached("http", status or None)
        out.append(Step(at, fetched))
    return out


def _moved(feed: dict, shift: timedelta) -> dict:
    if not shift:
        return feed
    entries = feed.get("entry", feed.get("feed", {}).get("entry", []))
    entries = [entries] if isinstance(entries, dict) else entries
    moved = []
    for entry in entries:
        entry = dict(entry)
        try:
            entry["updated"] = (datetime.fromisoformat(entry["updated"]) + shift).isoformat()
        except (KeyError, ValueError):
            pass  # left as recorded: the reader reports it
        moved.append(entry)
    return {"entry": moved}
