"""Record LINE webhook events before handling them, then handle each exactly once, in order per user."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from bot.render import render
from handlers.incoming import Context, Incoming, Settings
from storage import queries
from storage.db import unit_of_work
from storage.models import Section, WebhookEvent

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=5)


def source_key(event: dict) -> str:
    """Return who an event comes from: the group, room or user, so events are ordered per conversation."""
    source = event.get("source") or {}
    return str(source.get("groupId") or source.get("roomId") or source.get("userId") or "unknown")


def event_id(event: dict) -> str:
    """Return LINE's webhookEventId, or a stand-in for old-style events without one."""
    return str(event.get("webhookEventId") or f"noid-{source_key(event)}-{event.get('timestamp')}-{event.get('type')}")


def event_rows(events: list, now: datetime) -> list[dict]:
    """Return the webhook_events rows for the events of one webhook body."""
    return [
        {
            "event_id": event_id(event),
            "source_key": source_key(event),
            "timestamp_ms": int(event.get("timestamp") or 0),
            "mode": str(event.get("mode") or "active"),
            "body": event,
            "received_at": now,
        }
        for event in events
        if isinstance(event, dict)
    ]


def insert_ignoring_duplicates(conn: Connection, rows: list[dict]) -> None:
    """Insert the rows; redeliveries and duplicate posts carry the same webhookEventId and are dropped."""
    if not rows:
        return
    # The webhook's hot path: one plain statement, its JSON and UTC time encoded here, skips the
    # expression compiler (half the cost of each request).
    utc = [(r["event_id"], r["source_key"], r["timestamp_ms"], r["mode"], json.dumps(r["body"], ensure_ascii=False),
            _utc_text(r["received_at"], conn.dialect.name)) for r in rows]
    if conn.dialect.name == "postgresql":
        sql = ("INSERT INTO webhook_events (event_id, source_key, timestamp_ms, mode, body, received_at) "
               "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING")
    else:
        sql = ("INSERT INTO webhook_events (event_id, source_key, timestamp_ms, mode, body, received_at) "
               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING")
    conn.exec_driver_sql(sql, utc)


def _utc_text(moment: datetime, dialect: str):
    """Return the moment as the driver stores UTC timestamps (aware for PostgreSQL, text for SQLite)."""
    utc = moment.astimezone(UTC)
    return utc if dialect == "postgresql" else utc.strftime("%Y-%m-%d %H:%M:%S.%f")


def _claim_is_stale(outcome: str, now: datetime) -> bool:
    """Say whether a claim ("claimed:<worker>:<epoch seconds>") is older than STALE_CLAIM."""
    if not outcome.startswith("claimed:"):
        return False
    try:
        since = int(outcome.rsplit(":", 1)[1])
    except ValueError:
        return True
    return now.timestamp() - since > STALE_CLAIM.total_seconds()


def to_incoming(event: dict) -> Incoming | None:
    """Return what a handler should see for the event, or None for events we do not answer."""
    source = event.get("source") or {}
    user = str(source.get("userId") or "")
    group = source.get("groupId") or source.get("roomId")
    kind = event.get("type")
    if kind == "message" and (event.get("message") or {}).get("type") == "text":
        return Incoming("text", user, text=str(event["message"].get("text") or ""), group_id=group)
    if kind == "postback":
        return Incoming("postback", user, data=str((event.get("postback") or {}).get("data") or ""), group_id=group)
    if kind in ("follow", "join"):
        return Incoming(kind, user, group_id=group)
    if kind == "message":
        return Incoming("text", user, text="", group_id=group)  # stickers, photos: answered with help
    return None


@dataclass
class Dispatcher:
    """Handles recorded events one at a time; safe to run in several processes at once."""

    sessions: object
    clock: object
    sender: object
    settings: Settings
    poll: float = 2.0  # seconds between looks at the table when nobody wakes the loop

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stop = False
        self.worker = uuid.uuid4().hex[:12]

    def start(self) -> None:
        """Run the handling loop in a background thread (one per process)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="planbot-events", daemon=True)
            self._thread.start()

    def run_forever(self) -> None:
        """Handle events in this thread until stopped (the separate `planbot events` process)."""
        self._loop()

    def stop(self) -> None:
        self._stop = True
        self._wake.set()

    def wake(self) -> None:
        """Tell the loop new events were recorded."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop:
            try:
                while self.drain():
                    pass
            except Exception:  # noqa: BLE001 - the loop must survive a bad event or a database hiccup
                log.exception("event loop error")
            self._wake.wait(timeout=self.poll)
            self._wake.clear()

    def drain(self) -> int:
        """Handle every pending event; return how many were handled."""
        with self._lock:
            handled = 0
            while claimed := self._claim_batch():
                for row_id in claimed:
                    self._handle(row_id)
                handled += len(claimed)
            return handled

    def _claim_batch(self, limit: int = 200) -> list[int]:
        """Claim the earliest pending event of each conversation (so each is answered in order), oldest first."""
        now = self.clock.now()
        with unit_of_work(self.sessions) as session:
            pending = session.execute(
                select(WebhookEvent.id, WebhookEvent.source_key, WebhookEvent.outcome)
                .where(WebhookEvent.handled_at.is_(None))
                .order_by(WebhookEvent.timestamp_ms, WebhookEvent.id)
                .limit(500)
            ).all()
            # Events of one conversation are claimed together, in order, up to the first one another
            # worker holds: one worker then answers them in timestamp order.
            blocked: set[str] = set()
            fresh: list[int] = []
            stale: list[tuple[int, str]] = []
            for row_id, key, outcome in pending:
                if key in blocked:
                    continue
                if outcome is None:
                    fresh.append(row_id)
                    continue
                blocked.add(key)
                if _claim_is_stale(outcome, now):
                    stale.append((row_id, outcome))
            mine = f"claimed:{self.worker}:{int(now.timestamp())}"
            order = {row_id: n for n, (row_id, *_rest) in enumerate(pending)}
            claimed = list(
                session.scalars(
                    update(WebhookEvent)
                    .where(WebhookEvent.id.in_(fresh[:limit]), WebhookEvent.outcome.is_(None), WebhookEvent.handled_at.is_(None))
                    .values(outcome=mine)
                    .returning(WebhookEvent.id)
                )
            ) if fresh else []
            # A claim older than STALE_CLAIM belongs to a process that died: take it over, one row at a time,
            # matching the old claim exactly so two workers never both take it.
            for row_id, outcome in stale:
                taken = session.execute(
                    update(WebhookEvent)
                    .where(WebhookEvent.id == row_id, WebhookEvent.outcome == outcome, WebhookEvent.handled_at.is_(None))
                    .values(outcome=mine)
                ).rowcount
                if taken == 1:
                    claimed.append(row_id)
        return sorted(claimed, key=order.__getitem__)

    def _handle(self, row_id: int) -> None:
        with unit_of_work(self.sessions) as session:
            row = session.get(WebhookEvent, row_id)
            event = row.body
            outcome = "ignored"
            replies = []
            try:
                if row.mode == "standby":
                    outcome = "standby"
                else:
                    outcome, replies = self._answer(session, event)
            except Exception as exc:  # noqa: BLE001 - one bad event must not block the conversation
                log.exception("handling event %s failed", row.event_id)
                session.rollback()
                row = session.get(WebhookEvent, row_id)
                outcome = f"error:{type(exc).__name__}"
            row.handled_at = self.clock.now()
            row.outcome = outcome[:200]
        if replies:
            self._send(event, replies)

    def _answer(self, session: Session, event: dict) -> tuple[str, list]:
        kind = event.get("type")
        source = event.get("source") or {}
        if kind == "unfollow":
            staff = queries.staff_by_line_id(session, str(source.get("userId") or ""))
            if staff is not None:
                staff.following = False  # the link is kept; pushes stop until they follow again
            return "unfollow", []
        if kind == "leave":
            for section in session.scalars(select(Section).where(Section.line_group_id == source.get("groupId"))):
                section.line_group_id = None
            return "leave", []
        if kind == "follow":
            staff = queries.staff_by_line_id(session, str(source.get("userId") or ""))
            if staff is not None:
                staff.following = True
        incoming = to_incoming(event)
        if incoming is None:
            return f"ignored:{kind}", []
        from handlers.router import handle

        ctx = Context(session=session, clock=self.clock, settings=self.settings)
        return f"handled:{incoming.kind}", handle(incoming, ctx)

    def _send(self, event: dict, replies: list) -> None:
        messages = render(replies)
        token = event.get("replyToken")
        if token:
            result = self.sender.reply(token, messages)
            # A refused token after an unanswered attempt means the reply probably arrived: no second copy.
            if result.ok or not result.token_invalid or getattr(result, "maybe_delivered", False):
                if not result.ok:
                    log.warning("reply failed: %s", result.error)
                return
        to = source_key(event)
        if to == "unknown":
            return
        # The reply token was refused (expired or used): fall back to a push, which costs quota.
        self.sender.push(to, messages, str(uuid.uuid4()))
