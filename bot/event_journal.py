"""Record webhook events durably before answering LINE, committing concurrent requests together."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.events import event_rows, insert_ignoring_duplicates

log = logging.getLogger(__name__)
MAX_BATCH = 500


@dataclass
class _Pending:
    rows: list[dict]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class EventJournal:
    """One writer thread per process: requests queue their events and wait for the shared commit.

    Committing each request on its own made SQLite and PostgreSQL spend most of the webhook's time in
    commits and lock waits; a group commit keeps the "recorded before 200" promise at a fraction of the cost.
    """

    def __init__(self, engine: Engine, now: Callable, timeout: float = 10.0) -> None:
        self.engine = engine
        self.now = now
        self.timeout = timeout
        self._queue: queue.Queue[_Pending] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def record(self, events: list[dict], office_id: int | None = None) -> None:
        """Return once the events are committed; raise if they could not be stored.

        `office_id`: the office whose LINE account received them (None: the environment's one channel).
        """
        pending = _Pending(event_rows(events, self.now(), office_id))
        if not pending.rows:
            return
        self._ensure_thread()
        self._queue.put(pending)
        if not pending.done.wait(self.timeout):
            raise TimeoutError("webhook events were not stored in time")
        if pending.error is not None:
            raise pending.error

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name="planbot-journal", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)

    def _write(self, batch: list[_Pending]) -> None:
        rows = [row for pending in batch for row in pending.rows]
        try:
            with self.engine.begin() as conn:
                insert_ignoring_duplicates(conn, rows)
        except Exception:  # noqa: BLE001 - retried request by request below
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
            with self.engine.begin() as conn:
                insert_ignoring_duplicates(conn, pending.rows)
        except Exception as exc:  # noqa: BLE001 - the waiter must hear of the failure (LINE then redelivers)
            log.exception("could not store %d webhook events", len(pending.rows))
            pending.error = exc
