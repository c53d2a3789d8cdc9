"""One clock at a time: a PostgreSQL advisory lock, or a file lock beside the SQLite database."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

# "planbot" in ASCII: any fixed bigint works, it only has to be the same in every clock process.
LOCK_KEY = 0x706C616E626F74
POLL_SECONDS = 0.1


class RunLock:
    """Leadership for one run: whoever holds it plans and sends; another clock waits or skips."""

    def __init__(self, engine: Engine, lock_path: str | Path | None = None, key: int = LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self.dialect = engine.dialect.name
        self.lock_path = Path(lock_path) if lock_path else _file_for(engine)

    @contextmanager
    def hold(self, timeout: float = 0.0) -> Iterator[bool]:
        """Yield True while holding the lock, or False when another process kept it past `timeout` seconds."""
        if self.dialect == "postgresql":
            with self._advisory(timeout) as held:
                yield held
        else:
            with self._file(timeout) as held:
                yield held

    @contextmanager
    def _advisory(self, timeout: float) -> Iterator[bool]:
        # A session-level lock lives as long as this connection: a killed process loses it at once.
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            deadline = time.monotonic() + timeout
            held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
            while not held and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
                held = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
            if not held:
                log.info("another clock holds the advisory lock; this one stands by")
            try:
                yield held
            finally:
                if held:
                    self._unlock(conn)
        finally:
            conn.close()

    def _unlock(self, conn) -> None:
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
        except Exception:
            # Never hand a pooled connection that may still hold the lock to someone else.
            conn.invalidate()
            raise

    @contextmanager
    def _file(self, timeout: float) -> Iterator[bool]:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.lock_path))
        try:
            lock.acquire(timeout=timeout, poll_interval=POLL_SECONDS)
        except Timeout:
            log.info("another clock holds %s; this one stands by", self.lock_path)
            yield False
            return
        try:
            yield True
        finally:
            lock.release()


def _file_for(engine: Engine) -> Path:
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return Path(database).with_name(Path(database).name + ".clock.lock")
    return Path(tempfile.gettempdir()) / "planbot-clock.lock"
