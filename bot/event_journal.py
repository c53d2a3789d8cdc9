"""Record webhook events durably before answering LINE: one INSERT that commits, per request or per group."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from bot.events import event_rows, insert_ignoring_duplicates, insert_rows_raw

log = logging.getLogger(__name__)
MAX_BATCH = 500
# Connections are kept while requests keep coming and given back to the pool after this many seconds
# without one, so an idle process (or a test's many journals) holds none.
IDLE_RELEASE = 1.0


@dataclass
class _Pending:
    rows: list[dict]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class EventJournal:
    """Store a webhook's events, committed, before the request answers LINE.

    Every write is one multi-row INSERT on an autocommit connection the journal keeps: the database
    commits it (PostgreSQL flushes it to disk) before answering, so recording costs one round trip, with
    no pool checkout, pre-ping, BEGIN or COMMIT of its own.

    PostgreSQL: each request thread writes its own events. Concurrent commits share a WAL flush in
    PostgreSQL itself, so handing the rows to a writer thread (two thread wake-ups per request) only
    added latency: about half the throughput in the same run (README, city scale).
    SQLite has one writer at a time: there one writer thread per process takes what the requests queued
    and commits it together (a group commit), instead of the requests waiting on each other's locks.
    """

    def __init__(self, engine: Engine, now: Callable, timeout: float = 10.0) -> None:
        self.engine = engine
        self.now = now
        self.timeout = timeout
        self._per_request = engine.dialect.name != "sqlite"
        self._queue: queue.Queue[_Pending] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._conn: Connection | None = None  # the SQLite writer's; only the writer thread touches it
        self._idle: list[tuple[Connection, float]] = []  # PostgreSQL: connections not in use, last used last
        self._reaper: threading.Thread | None = None

    def record(self, events: list[dict], office_id: int | None = None) -> None:
        """Return once the events are committed; raise if they could not be stored.

        `office_id`: the office whose LINE account received them (None: the environment's one channel).
        """
        pending = _Pending(event_rows(events, self.now(), office_id))
        if not pending.rows:
            return
        if self._per_request:
            self._write_here(pending.rows)
            return
        self._ensure_thread()
        self._queue.put(pending)
        if not pending.done.wait(self.timeout):
            raise TimeoutError("webhook events were not stored in time")
        if pending.error is not None:
            raise pending.error

    # -- PostgreSQL: in the request's thread -------------------------------------------------------
    def _write_here(self, rows: list[dict]) -> None:
        for fresh in (False, True):
            conn = self._take(fresh)
            try:
                insert_rows_raw(conn, rows)
            except DBAPIError as exc:
                self._close(conn)
                # A kept connection the server dropped (a restart) is not pre-pinged: try once on a new one.
                if fresh or not exc.connection_invalidated:
                    raise
                continue
            except BaseException:
                self._close(conn)
                raise
            self._give_back(conn)
            return

    def _take(self, fresh: bool) -> Connection:
        if not fresh:
            with self._lock:
                if self._idle:
                    return self._idle.pop()[0]
        return self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")

    def _give_back(self, conn: Connection) -> None:
        with self._lock:
            self._idle.append((conn, time.monotonic()))
            if self._reaper is None or not self._reaper.is_alive():
                self._reaper = threading.Thread(target=self._reap, name="planbot-journal-reaper", daemon=True)
                self._reaper.start()

    def _reap(self) -> None:
        while True:
            time.sleep(IDLE_RELEASE)
            with self._lock:
                cutoff = time.monotonic() - IDLE_RELEASE
                stale = [conn for conn, used in self._idle if used <= cutoff]
                self._idle = [(conn, used) for conn, used in self._idle if used > cutoff]
                done = not self._idle
                if done:
                    self._reaper = None  # under the lock: the next _give_back starts another
            for conn in stale:
                self._close(conn)
            if done:
                return

    @staticmethod
    def _close(conn: Connection) -> None:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - a dead connection is dropped by the pool all the same
            log.warning("could not close a journal connection", exc_info=True)

    # -- SQLite: one writer thread, group commits ---------------------------------------------------
    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name="planbot-journal", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                batch = [self._queue.get(timeout=IDLE_RELEASE)]
            except queue.Empty:
                self._let_go()
                continue
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)

    def _connection(self) -> Connection:
        if self._conn is None:
            self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        return self._conn

    def _let_go(self) -> None:
        """Give the writer's connection back (after quiet, or after an error: a broken one is not reused)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            self._close(conn)

    def _write(self, batch: list[_Pending]) -> None:
        rows = [row for pending in batch for row in pending.rows]
        try:
            insert_ignoring_duplicates(self._connection(), rows)
        except Exception:  # noqa: BLE001 - retried request by request below
            self._let_go()
            if len(batch) == 1:
                self._write_alone(batch[0])
            else:
                # One request's events must not fail the others' that shared the commit: each on its own.
                log.warning("group commit of %d webhook events failed; storing each request on its own", len(rows))
                for pending in batch:
                    self._write_alone(pending)
        for pending in batch:
            pending.done.set()

    def _write_alone(self, pending: _Pending) -> None:
        try:
            insert_ignoring_duplicates(self._connection(), pending.rows)
        except Exception as exc:  # noqa: BLE001 - the waiter must hear of the failure (LINE then redelivers)
            self._let_go()
            log.exception("could not store %d webhook events", len(pending.rows))
            pending.error = exc
