"""`planbot clock` started while the database is down waits for it, with backoff, instead of exiting."""

from __future__ import annotations

from datetime import datetime

from bot.clock import clockwork, run_clock
from bot.run_lock import RunLock
from bot.runtime import Runtime
from bot.settings import Settings
from schedules.clock import TAIPEI, FixedClock

NOW = datetime(2024, 4, 8, 7, 0, tzinfo=TAIPEI)


def test_the_clock_waits_for_a_database_that_is_down_at_start(sqlite_db, caplog):
    down = Runtime.from_settings(Settings(database_url="postgresql+psycopg://planbot@127.0.0.1:1/planbot"), clock=FixedClock(NOW))
    work = clockwork(down, FixedClock(NOW))
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 3:  # the database comes back
            work.sessions, work.lock = sqlite_db.sessions, RunLock(sqlite_db.engine)

    scheduler = run_clock(work, blocking=False, sleep=sleep)
    try:
        assert waits == [1.0, 2.0, 4.0]
        assert scheduler.running
        assert caplog.text.count("the database does not answer") == 3
    finally:
        scheduler.shutdown(wait=False)
        down.engine.dispose()
