"""Record LINE webhook events before handling them, then handle each exactly once, in order per user."""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(insert(WebhookEvent.__table__).on_conflict_do_nothing(index_elements=["event_id"]), rows)


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
            self._wake.wait(timeout=2.0)
            self._wake.clear()

    def drain(self) -> int:
        """Handle every pending event; return how many were handled."""
        with self._lock:
            handled = 0
            while (row_id := self._claim_next()) is not None:
                self._handle(row_id)
                handled += 1
            return handled

    def _claim_next(self) -> int | None:
        """Claim the oldest pending event whose conversation has no earlier pending event."""
        with unit_of_work(self.sessions) as session:
            stale = self.clock.now() - STALE_CLAIM
            pending = session.execute(
                select(WebhookEvent.id, WebhookEvent.source_key, WebhookEvent.outcome, WebhookEvent.received_at)
                .where(WebhookEvent.handled_at.is_(None))
                .order_by(WebhookEvent.timestamp_ms, WebhookEvent.id)
                .limit(200)
            ).all()
            blocked: set[str] = set()
            for row_id, key, outcome, received in pending:
                if key in blocked:
                    continue
                blocked.add(key)
                if outcome is not None and received > stale:
                    continue  # another worker is on this conversation's earliest event
                # A claim older than STALE_CLAIM belongs to a process that died: take it over.
                same_claim = WebhookEvent.outcome.is_(None) if outcome is None else WebhookEvent.outcome == outcome
                claimed = session.execute(
                    update(WebhookEvent)
                    .where(WebhookEvent.id == row_id, same_claim, WebhookEvent.handled_at.is_(None))
                    .values(outcome=f"claimed:{self.worker}")
                ).rowcount
                if claimed == 1:
                    return row_id
        return None

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
