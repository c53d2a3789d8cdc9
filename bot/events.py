"""Record LINE webhook events before handling them, then handle each exactly once, in order per conversation.

Exactly once rests on three things:
- a lease: a worker claims a conversation's events until `lease_until` (wall time) and renews that from a
  heartbeat while it lives; a claim past its lease belongs to a dead worker and is taken over; a worker
  that stops gracefully releases its claims at once.
- fencing: the effects of handling are committed in the same transaction as the check that the claim is
  still this worker's, so a worker that lost its claim commits nothing.
- an outbox: the answer is rendered and committed with the effects, then sent, and marked answered once
  LINE took it; what a crash or LINE's errors left unsent is sent by whoever holds the event next (by push
  under the stored retry key once the reply token is refused, LINE's tokens live about a minute).
Conversations are answered concurrently by a small thread pool; one conversation's events one at a time.
"""

from __future__ import annotations

import atexit
import enum
import functools
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from linebot.v3.messaging import Message
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot.render import render
from bot.responsive import after_answer, show
from bot.sender import Sender, should_retry
from handlers.core.incoming import Context, Incoming, IncomingKind, LineProfile, Settings
from storage.db import unit_of_work
from storage.models import WebhookEvent
from storage.outbox import EVENT_OFFICE

log = logging.getLogger(__name__)
DEFAULT_LEASE = 30.0  # seconds; renewed every third of it, so only a dead (or frozen) worker's claim lapses
DEFAULT_THREADS = 4
MAX_SEND_ATTEMPTS = 8  # rounds of sending an answer (each with the sender's own retries) before giving up
# A reply LINE never answered may still be accepted by LINE; the answer waits this long before the reply token is
# tried again (a token LINE took is refused then, so no copy is pushed) rather than being pushed at once.
REPLY_WINDOW = 60.0  # seconds
# What the columns hold (see storage.models.WebhookEvent): longer values cannot be stored, so the event is skipped.
MAX_EVENT_ID, MAX_SOURCE_KEY, MAX_MODE = 64, 80, 20
BIGINT_MAX = 2**63 - 1


class LineEvent(enum.StrEnum):
    """The webhook event types (LINE's words) that are answered or change something; any other is ignored."""

    message = "message"
    postback = "postback"
    follow = "follow"
    join = "join"
    unfollow = "unfollow"
    leave = "leave"


class Mode(enum.StrEnum):
    """LINE's channel mode on an event (webhook_events.mode): standby events belong to another module's bot."""

    active = "active"
    standby = "standby"


def source_key(event: dict) -> str:
    """Return who an event comes from: the group, room or user, so events are ordered per conversation."""
    source = event.get("source") or {}
    if not isinstance(source, dict):
        return "unknown"
    return str(source.get("groupId") or source.get("roomId") or source.get("userId") or "unknown")


def event_id(event: dict) -> str:
    """Return LINE's webhookEventId, or a stand-in for old-style events without one."""
    return str(event.get("webhookEventId") or f"noid-{source_key(event)}-{event.get('timestamp')}-{event.get('type')}")


def event_row(event: object, now: datetime, office_id: int | None = None) -> dict | None:
    """Return the webhook_events row for one event, or None when the event cannot be stored as it is.

    A signed body may still carry an event no column can hold (an over-long id, a lone surrogate, a
    timestamp that is not a number of milliseconds); it is skipped on its own, never failing the others.
    """
    if not isinstance(event, dict):
        return None
    timestamp = event.get("timestamp", 0)
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or not 0 <= timestamp <= BIGINT_MAX:
        return None
    mode = event.get("mode") or Mode.active.value
    row_id, key = event_id(event), source_key(event)
    if not isinstance(mode, str) or len(row_id) > MAX_EVENT_ID or len(key) > MAX_SOURCE_KEY or len(mode) > MAX_MODE:
        return None
    try:
        body = json.dumps(event, ensure_ascii=False, allow_nan=False)
        for text in (body, row_id, key, mode):
            text.encode("utf-8")  # a lone surrogate cannot be stored (PostgreSQL refuses the whole statement)
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return None
    if "\x00" in row_id + key + mode:
        return None
    return {"event_id": row_id, "source_key": key, "timestamp_ms": timestamp, "mode": mode, "body": body,
            "received_at": now, "office_id": office_id}


def event_rows(events: list, now: datetime, office_id: int | None = None) -> list[dict]:
    """Return the rows for the events of one webhook body, skipping (and logging) those that cannot be stored.

    `office_id`: the office whose LINE account received them (None: the environment's one channel).
    """
    rows = [event_row(event, now, office_id) for event in events]
    if None in rows:
        log.warning("skipped %d webhook event(s) that cannot be stored", rows.count(None))
    return [row for row in rows if row is not None]


# The webhook_events columns the webhook writes; every other column starts empty (send_attempts at 0).
RECORDED_COLUMNS = ("event_id", "source_key", "timestamp_ms", "mode", "body", "received_at", "office_id")
# PostgreSQL takes at most 65,535 parameters in a statement, SQLite 32,766: 1,000 rows stay well inside both.
ROWS_PER_STATEMENT = 1000


def insert_ignoring_duplicates(conn: Connection, rows: list[dict]) -> None:
    """Insert the rows; redeliveries and duplicate posts carry the same webhookEventId and are dropped.

    Up to ROWS_PER_STATEMENT rows go in one multi-row INSERT, which an autocommit connection commits in
    the same round trip: a webhook body is recorded with one trip to PostgreSQL, not four (a pre-ping,
    BEGIN, the pipelined executemany, COMMIT), at a quarter of the CPU. DO NOTHING also drops a
    webhookEventId repeated inside one statement. A body of more rows than that goes in several
    statements; if a later one fails the request fails, LINE redelivers, and what was stored is not
    stored twice.
    """
    if not rows:
        return
    dialect = conn.dialect.name
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        chunk = rows[start:start + ROWS_PER_STATEMENT]
        # The hot path: a plain statement with its JSON and UTC time encoded here skips the expression compiler.
        params = tuple(_utc_text(r[c], dialect) if c == "received_at" else r[c] for r in chunk for c in RECORDED_COLUMNS)
        conn.exec_driver_sql(_insert_statement(len(chunk), "%s" if dialect == "postgresql" else "?"), params)


def insert_rows_raw(conn: Connection, rows: list[dict]) -> None:
    """Insert the rows as `insert_ignoring_duplicates` does; on psycopg through the driver's own cursor.

    The webhook's hot path: SQLAlchemy's execution around a plain statement costs about half again the
    driver's own CPU per request (bench/bench_webhook.py). Errors come out as SQLAlchemy's DBAPIError,
    with `connection_invalidated` set (and the connection invalidated) when the server dropped it.
    """
    if not rows:
        return
    if conn.dialect.driver != "psycopg":
        insert_ignoring_duplicates(conn, rows)
        return
    driver = conn.connection.driver_connection
    statement = ""
    try:
        with driver.cursor() as cursor:
            for start in range(0, len(rows), ROWS_PER_STATEMENT):
                chunk = rows[start:start + ROWS_PER_STATEMENT]
                statement = _insert_statement(len(chunk), "%s")
                cursor.execute(statement, tuple(r[c] for r in chunk for c in RECORDED_COLUMNS))
    except conn.dialect.loaded_dbapi.Error as exc:
        dropped = conn.dialect.is_disconnect(exc, driver, None)
        if dropped:
            conn.invalidate(exc)
        raise DBAPIError.instance(statement, None, exc, conn.dialect.loaded_dbapi.Error, hide_parameters=True,
                                  connection_invalidated=dropped, dialect=conn.dialect) from exc


@functools.lru_cache(maxsize=64)
def _insert_statement(rows: int, mark: str) -> str:
    one = "(" + ", ".join([mark] * len(RECORDED_COLUMNS)) + ", 0)"
    return (f"INSERT INTO webhook_events ({', '.join(RECORDED_COLUMNS)}, send_attempts) VALUES "
            + ", ".join([one] * rows) + " ON CONFLICT (event_id) DO NOTHING")


def _utc_text(moment: datetime, dialect: str):
    """Return the moment as the driver stores UTC timestamps (aware for PostgreSQL, text for SQLite)."""
    utc = moment.astimezone(UTC)
    return utc if dialect == "postgresql" else utc.strftime("%Y-%m-%d %H:%M:%S.%f")


def to_incoming(event: dict, office_id: int | None = None) -> Incoming | None:
    """Return what a handler should see for the event, or None for events we do not answer.

    `office_id`: the office whose LINE account received it (the asker is looked up in that office).
    """
    incoming = _incoming(event)
    if incoming is None or office_id is None:
        return incoming
    return replace(incoming, office_id=office_id)


def _incoming(event: dict) -> Incoming | None:
    source = event.get("source") or {}
    user = str(source.get("userId") or "")
    group = source.get("groupId") or source.get("roomId")
    try:
        kind = LineEvent(event.get("type"))
    except ValueError:
        return None
    message = event.get("message") or {}
    read = str(message.get("markAsReadToken") or "")
    if kind is LineEvent.message:
        text = str(message.get("text") or "") if message.get("type") == "text" else ""  # stickers, photos: help
        return Incoming(IncomingKind.text, user, text=text, group_id=group, read_token=read)
    if kind is LineEvent.postback:
        return Incoming(IncomingKind.postback, user, data=str((event.get("postback") or {}).get("data") or ""), group_id=group)
    if kind is LineEvent.leave:  # the bot left (or was removed from) a group: its section no longer has one
        return Incoming(IncomingKind.leave, user, group_id=source.get("groupId"))
    return Incoming(IncomingKind(kind.value), user, group_id=group)  # follow, join, unfollow


@dataclass
class Dispatcher:
    """Handles recorded events, each exactly once; safe to run in several processes at once."""

    sessions: object
    clock: object
    sender: Sender
    settings: Settings
    poll: float = 2.0  # seconds between looks at the table when nobody wakes the loop
    lease: float = DEFAULT_LEASE
    threads: int = DEFAULT_THREADS
    wall: Callable[[], float] = time.time  # leases are wall time shared by every process (the clock may be fixed)
    chat_mode: bool = False  # PLANBOT_CHAT_MODE: mark each message read before answering it
    # The month's push quota, checked before a conversation queues a push (bot.push_budget.push_room).
    push_room: Callable[[Session, object, int], bool] | None = None
    # Each office's LINE client (bot/channels.SendersByOffice): an event is answered through the account it came
    # in on. None, or None for an office: `sender` (the environment's one channel).
    senders: Callable[[int | None], Sender | None] | None = None
    # The quota check of each office's account (bot.push_budget.push_room_by_office); takes over from push_room.
    office_push_room: Callable[[Session, object, int, int | None], bool] | None = None

    def __post_init__(self) -> None:
        # The pid tells an operator (and the process tests) which process holds a claim.
        self.worker = f"{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._pool = ThreadPoolExecutor(max(1, self.threads), thread_name_prefix="planbot-answer")
        self._state = threading.Lock()
        self._busy: set[str] = set()  # conversations being answered in this process
        self._held: set[int] = set()  # event rows this process holds (renewed by the heartbeat)
        self._offices: dict[int, int | None] = {}  # the office of each event row being answered here
        self._futures: set[Future] = set()
        self._submitted = 0  # conversations handed to the pool so far; drain() sees hand-offs it raced with
        self._drain_lock = threading.Lock()
        self._dispatch_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._heartbeat: threading.Thread | None = None

    # -- running -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Run the dispatching loop in a background thread (one per process)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self.run_forever, name="planbot-events", daemon=True)
            self._thread.start()
            # A web process stopped gracefully (gunicorn's SIGTERM) hands its conversations over at once.
            atexit.register(self._stop_at_exit)

    def _stop_at_exit(self) -> None:
        self.stop()
        self.join(self.lease)

    def run_forever(self) -> None:
        """Dispatch events until stopped, then finish the events in hand and release the rest."""
        self._start_heartbeat()
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self._dispatch()
            except Exception:  # noqa: BLE001 - the loop must survive a database hiccup
                log.exception("event loop error")
            self._wake.wait(timeout=self.poll)
        self.shutdown()

    def shutdown(self) -> None:
        """Stop, let each conversation finish the event in hand, and release every other claim."""
        self.stop()
        self._pool.shutdown(wait=True)
        self.release()

    def stop(self) -> None:
        """Stop taking events; each conversation finishes the event in hand and releases the others."""
        self._stopping.set()
        self._wake.set()

    def join(self, timeout: float | None = None) -> None:
        """Wait for a loop started with start() to end after stop()."""
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        """Tell the loop new events were recorded."""
        self._wake.set()

    def drain(self) -> int:
        """Handle every pending event now and return how many were settled (synchronous mode and tests)."""
        self._start_heartbeat()
        with self._drain_lock:
            settled = 0
            while True:
                # Conversations the background loop holds are waited for too. Its work is looked at before
                # and after claiming, and any hand-off in between means another round: a conversation it
                # finished just after this claim skipped it may have left the next event free.
                with self._state:
                    before = [f for f in self._futures if not f.done()]
                    submitted = self._submitted
                futures = self._dispatch()
                with self._state:
                    after = [f for f in self._futures if not f.done() and f not in futures]
                    moved = self._submitted - submitted - len(futures)
                if not before and not futures and not after and not moved:
                    return settled
                wait_all(before + futures + after)
                settled += sum(f.result() for f in futures)

    # -- claiming ----------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.wall(), UTC)

    def _until(self) -> datetime:
        return self._now() + timedelta(seconds=self.lease)

    def _dispatch(self) -> list[Future]:
        """Claim what is free, conversation by conversation, and hand each conversation to the pool."""
        with self._dispatch_lock:  # claimed and submitted as one step, so drain() sees every claim in flight
            return self._dispatch_claimed()

    def _dispatch_claimed(self) -> list[Future]:
        futures = []
        for key, ids in self._claim().items():
            with self._state:
                self._busy.add(key)
                self._held.update(ids)
            future = self._pool.submit(self._run_conversation, key, ids)
            with self._state:
                self._futures.add(future)
                self._submitted += 1
            future.add_done_callback(self._futures.discard)
            futures.append(future)
        return futures

    def _claim(self, limit: int = 200) -> dict[str, list[int]]:
        """Claim the earliest unsettled events of each free conversation, in order, up to the first one held."""
        if self._stopping.is_set():
            return {}
        now = self._now()
        with self._state:
            busy = set(self._busy)
        with unit_of_work(self.sessions) as session:
            pending = session.execute(
                select(WebhookEvent.id, WebhookEvent.source_key, WebhookEvent.lease_until)
                .where(WebhookEvent.answered_at.is_(None))
                .order_by(WebhookEvent.timestamp_ms, WebhookEvent.id)
                .limit(500)
            ).all()
        wanted: dict[str, list[int]] = {}
        blocked: set[str] = set(busy)
        for row_id, key, lease_until in pending:
            if key in blocked:
                continue
            if lease_until is not None and lease_until > now:
                blocked.add(key)  # held by a live worker, or waiting to resend: the rest of it waits too
                continue
            wanted.setdefault(key, []).append(row_id)
        claimed: dict[str, list[int]] = {}
        count = 0
        until = now + timedelta(seconds=self.lease)
        for key, ids in wanted.items():
            if count >= limit:
                break
            # One transaction per conversation, rows in order: two workers never deadlock, and a row
            # another worker took first ends this worker's claim on the conversation there.
            with unit_of_work(self.sessions) as session:
                for row_id in ids:
                    taken = session.execute(
                        update(WebhookEvent)
                        .where(WebhookEvent.id == row_id, WebhookEvent.answered_at.is_(None),
                               (WebhookEvent.lease_until.is_(None)) | (WebhookEvent.lease_until <= now))
                        .values(claimed_by=self.worker, lease_until=until)
                    ).rowcount
                    if taken != 1:
                        break
                    claimed.setdefault(key, []).append(row_id)
                    count += 1
        return claimed

    def _start_heartbeat(self) -> None:
        with self._state:
            if self._heartbeat is not None:
                return
            self._heartbeat = threading.Thread(target=self._beat, name="planbot-heartbeat", daemon=True)
            self._heartbeat.start()

    def _beat(self) -> None:
        while not self._stopping.wait(self.lease / 3):
            try:
                self.renew()
            except Exception:  # noqa: BLE001 - a missed beat is retried; only a long outage lets the lease lapse
                log.exception("could not renew event leases")
        # Keep the leases alive while the last events in hand finish after stop().
        while any(not f.done() for f in list(self._futures)):
            try:
                self.renew()
            except Exception:  # noqa: BLE001
                log.exception("could not renew event leases")
            wait_all(list(self._futures), timeout=self.lease / 3)

    def renew(self) -> int:
        """Push the lease of every event this worker holds forward (the heartbeat); return how many."""
        with self._state:
            held = sorted(self._held)
        if not held:
            return 0
        with unit_of_work(self.sessions) as session:
            return session.execute(
                update(WebhookEvent)
                .where(WebhookEvent.id.in_(held), WebhookEvent.claimed_by == self.worker)
                .values(lease_until=self._until())
            ).rowcount

    def release(self, ids: list[int] | None = None) -> None:
        """Give back claims not yet settled (all of this worker's by default), so another worker takes them now."""
        condition = [WebhookEvent.claimed_by == self.worker, WebhookEvent.answered_at.is_(None)]
        if ids is not None:
            if not ids:
                return
            condition.append(WebhookEvent.id.in_(ids))
        with unit_of_work(self.sessions) as session:
            session.execute(update(WebhookEvent).where(*condition).values(claimed_by=None, lease_until=None))

    # -- handling ----------------------------------------------------------------------------------
    def _run_conversation(self, key: str, ids: list[int]) -> int:
        """Handle and answer one conversation's claimed events in order; return how many were settled."""
        settled = 0
        try:
            for n, row_id in enumerate(ids):
                if n and self._stopping.is_set():
                    break
                try:
                    done = self._process(row_id)
                except Exception:  # noqa: BLE001 - a database hiccup: the event stays claimed and is retried
                    log.exception("event %s could not be processed", row_id)
                    done = False
                with self._state:
                    self._held.discard(row_id)
                if not done:
                    break  # lost the claim or the answer waits for a resend: later events keep their order
                settled += 1
                with self._state:
                    office_id = self._offices.pop(row_id, None)
                own = self.senders(office_id) if self.senders is not None else None
                after_answer(self.sessions, own or self.sender, self.clock.now, self.senders,
                             office_id if own is not None else None)
        finally:
            # The conversation is free again in this process whatever happens next: a database that is down
            # now must not leave it skipped for good (its claims then lapse after one lease, unrenewed).
            with self._state:
                self._busy.discard(key)
                self._held.difference_update(ids)
                for row_id in ids:
                    self._offices.pop(row_id, None)
            try:
                self.release(ids)
            except Exception:  # noqa: BLE001 - an outage: the claims lapse instead of being given back
                log.exception("could not release the claims of conversation %s; they lapse within %.0f s", key, self.lease)
            self._wake.set()
        return settled

    def sender_for(self, office_id: int | None) -> Sender:
        """Return the LINE client of the office's own account (the environment's one without an office or channel)."""
        found = self.senders(office_id) if self.senders is not None else None
        return found or self.sender

    def _fence(self, session: Session, row_id: int) -> WebhookEvent | None:
        """Renew the claim in this transaction and return the row, or None when another worker holds it now.

        The UPDATE locks the row until commit, so a takeover waits and then sees the renewed lease.
        """
        kept = session.execute(
            update(WebhookEvent)
            .where(WebhookEvent.id == row_id, WebhookEvent.claimed_by == self.worker, WebhookEvent.answered_at.is_(None))
            .values(lease_until=self._until())
            .execution_options(synchronize_session=False)
        ).rowcount
        if kept != 1:
            log.warning("event %s: claim lost to another worker; leaving it", row_id)
            return None
        return session.scalar(select(WebhookEvent).where(WebhookEvent.id == row_id)
                              .execution_options(populate_existing=True))

    def _process(self, row_id: int) -> bool:
        """Handle the event (if not yet) and send its answer; True when it is settled."""
        failed = None
        with unit_of_work(self.sessions) as session:
            row = self._fence(session, row_id)
            if row is None:
                return False
            with self._state:
                self._offices[row_id] = row.office_id
            if row.handled_at is None:
                try:
                    outcome, messages = self._handle(session, row)
                    self._record(row, outcome, messages)
                    session.flush()
                except Exception as exc:  # noqa: BLE001 - one bad event must not block the conversation
                    log.exception("handling event %s failed", row.event_id)
                    session.rollback()  # none of its effects are kept
                    failed = exc
        if failed is not None:
            # The handler's effects were rolled back with the transaction; record the failure, fenced again.
            with unit_of_work(self.sessions) as session:
                row = self._fence(session, row_id)
                if row is None:
                    return False
                self._record(row, f"error:{type(failed).__name__}", [])
        if row.answered_at is not None:
            return True
        return self._deliver(row_id, row.body, row.answer or [], row.retry_key, row.send_attempts,
                             row.reply_unclear_since is not None, row.office_id)

    def _record(self, row: WebhookEvent, outcome: str, messages: list[Message]) -> None:
        now = self.clock.now()
        row.handled_at = now
        row.outcome = outcome[:200]
        if messages:
            row.answer = [m.to_dict() for m in messages]
            row.retry_key = str(uuid.uuid4())
        else:
            row.answered_at = now
            row.claimed_by = row.lease_until = None

    def _handle(self, session: Session, row: WebhookEvent) -> tuple[str, list[Message]]:
        if row.mode == Mode.standby:
            return Mode.standby.value, []
        incoming = to_incoming(row.body, row.office_id)
        if incoming is None:
            return f"ignored:{row.body.get('type')}", []
        from handlers.chat.pipeline import answer, before

        sender = self.sender_for(row.office_id)
        show(sender, before(incoming, self.chat_mode))
        # A push the conversation queues for someone who is not staff goes out through this event's account.
        session.info[EVENT_OFFICE] = row.office_id
        try:
            outcome, replies = answer(incoming, self._context(session, sender, row.office_id))
        finally:
            session.info.pop(EVENT_OFFICE, None)
        return outcome, render(replies) if replies else []

    def _context(self, session: Session, sender: Sender, office_id: int | None) -> Context:
        room = None
        if self.push_room is not None or self.office_push_room is not None:
            room = lambda n: self._room(session, n, office_id)  # noqa: E731 - bound to this event's transaction
        return Context(session=session, clock=self.clock, settings=self.settings,
                       profiles=lambda user_id: self._profile(sender, user_id), push_room=room)

    def _room(self, session: Session, n: int, office_id: int | None = None) -> bool:
        try:
            if self.office_push_room is not None:
                return self.office_push_room(session, self.clock.now().date(), n, office_id)
            return self.push_room(session, self.clock.now().date(), n)
        except Exception:  # noqa: BLE001 - the quota cannot be read: do not spend what may not be there
            log.warning("could not check the push quota; treating it as full", exc_info=True)
            return False

    def _profile(self, sender: Sender, user_id: str) -> LineProfile | None:
        """Return LINE's profile of the account (for a 我是 card), or None when LINE cannot say now."""
        try:
            found = sender.profile(user_id)
        except Exception:  # noqa: BLE001 - the card then says LINE gave no name; the request still goes out
            log.warning("could not read the LINE profile of %s", user_id, exc_info=True)
            return None
        return LineProfile(found.display_name or "", found.picture_url) if found is not None else None

    # -- sending -----------------------------------------------------------------------------------
    def _deliver(self, row_id: int, event: dict, answer: list[dict], retry_key: str | None, attempts: int,
                 reply_unclear: bool = False, office_id: int | None = None) -> bool:
        """Send a recorded answer: reply while the token may be fresh, else push under the stored key.

        A reply LINE never answered is not followed by a push at once (LINE may still accept it, and the push
        would be a second copy): after REPLY_WINDOW the same token is tried again; LINE accepts a token once, so
        that try either delivers the answer or is refused because the first one got through.
        """
        messages = [Message.from_dict(m) for m in answer]
        sender = self.sender_for(office_id)  # the account the event came in on: its reply token is that channel's
        token = event.get("replyToken")
        if token and (attempts == 0 or reply_unclear):
            result = sender.reply(token, messages)
            if result.ok:
                return self._settle(row_id, attempts + 1)
            if result.token_invalid and (reply_unclear or result.maybe_delivered):
                # A refused token after an unanswered attempt: that attempt probably used it. No second copy.
                log.warning("event %s: reply outcome unclear (%s); not pushing a second copy", row_id, result.error)
                return self._settle(row_id, attempts + 1)
            hung = result.status is None and result.maybe_delivered
            if hung and attempts + 1 < MAX_SEND_ATTEMPTS:  # no answer at all (a timeout, a dropped connection)
                log.warning("event %s: LINE did not answer the reply (%s); trying the token again in %.0f s",
                            row_id, result.error, REPLY_WINDOW)
                self._defer(row_id, attempts + 1, wait=REPLY_WINDOW, reply_unclear=True)
                return False
            if not result.token_invalid:
                # LINE never confirmed the reply: push rather than leave the message unanswered.
                log.warning("event %s: reply failed (%s); pushing instead", row_id, result.error)
        to = source_key(event)
        if to == "unknown" or not retry_key:
            return self._settle(row_id, attempts + 1)
        result = sender.push(to, messages, retry_key)
        if result.ok:
            return self._settle(row_id, attempts + 1)
        if should_retry(result.status) and attempts + 1 < MAX_SEND_ATTEMPTS:
            self._defer(row_id, attempts + 1)
            return False
        log.error("event %s: answer to %s not delivered (%s); giving up", row_id, to, result.error)
        return self._settle(row_id, attempts + 1)

    def _settle(self, row_id: int, attempts: int) -> bool:
        with unit_of_work(self.sessions) as session:
            session.execute(
                update(WebhookEvent)
                .where(WebhookEvent.id == row_id, WebhookEvent.claimed_by == self.worker)
                .values(answered_at=self.clock.now(), claimed_by=None, lease_until=None, send_attempts=attempts)
            )
        return True

    def _defer(self, row_id: int, attempts: int, wait: float | None = None, reply_unclear: bool = False) -> None:
        """Let go of an answer LINE did not take; any worker resends it (same retry key) after a backoff."""
        backoff = timedelta(seconds=wait if wait is not None else min(60, 2**attempts))
        values = {"claimed_by": None, "lease_until": self._now() + backoff, "send_attempts": attempts,
                  # Only a reply that got no answer keeps the token in play; once pushing, the token is done.
                  "reply_unclear_since": self.clock.now() if reply_unclear else None}
        with unit_of_work(self.sessions) as session:
            session.execute(
                update(WebhookEvent)
                .where(WebhookEvent.id == row_id, WebhookEvent.claimed_by == self.worker)
                .values(**values)
            )
