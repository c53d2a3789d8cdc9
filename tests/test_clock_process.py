"""The clock as a real process against the fake LINE API: SIGKILLed mid fan-out and restarted, or run twice at once.

Kill trials fork the clock's real entry point (`bot.cli.main` with `clock`, what `planbot clock` runs)
from a forkserver that has already imported it, so 30 kills fit in seconds; the two-clocks test starts
`python -m bot.cli clock` itself. Each person must get exactly one digest per morning.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest
from fakes.line_api import FakeLineAPI
from sqlalchemy import func, select
from test_deliveries import seed_fanout

from bot.cli import main as planbot
from storage.models import Delivery
from tests.sizes import size

pytestmark = pytest.mark.slow

PEOPLE = size(500, 60)
KILLS_PER_MORNING = size(5, 3)
# 每月5日前: due on 1/5, overdue on 1/8 and 1/10 (and the chief is not seeded): everyone hears each morning.
MORNINGS = (date(2024, 1, 5), date(2024, 1, 8), date(2024, 1, 10))
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def forkserver():
    """A multiprocessing context whose children fork from a process that already imported the clock."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["bot.cli", "bot.clock", "bot.render", "bot.line_api"])
    return ctx


def clock_env(db, fake: FakeLineAPI) -> dict[str, str]:
    return {
        "DATABASE_URL": db.url,
        "LINE_CHANNEL_ACCESS_TOKEN": "test-token",
        "LINE_API_BASE": fake.base_url,
        "PLANBOT_PUSH_TIMEOUT": "5",
        "PLANBOT_LOG_LEVEL": "WARNING",
    }


def start_clock(ctx, morning: date, env: dict[str, str]):
    process = ctx.Process(target=planbot, args=(["clock", "--once", "--at", f"{morning.isoformat()}T08:30"], env))
    process.start()
    return process


def kill_at_random_point(process, fake: FakeLineAPI, rng: random.Random, remaining: int) -> str:
    """SIGKILL the clock while it plans and writes (a random time) or after a random share of what is left to push."""
    if rng.random() < 0.25 or remaining < 2:
        process.join(rng.uniform(0.0, 0.8))
        point = "while planning"
    else:
        # The fake holds the pushes after `threshold`: the clock is certainly mid fan-out when killed.
        threshold = rng.randint(1, remaining - 1)
        holding = fake.pause_after(threshold, path="/push")
        while process.is_alive() and not holding.wait(0.05):
            pass
        point = f"after {threshold} pushes"
    finished = not process.is_alive()
    process.kill()
    process.join(10)
    fake.resume()
    return "finished first" if finished else point


def assert_exactly_one_digest_each(db, fake: FakeLineAPI, morning: date, ids: list[str]) -> None:
    with db.sessions() as session:
        rows = list(session.scalars(select(Delivery).where(Delivery.morning == morning)))
    assert sorted(r.recipient for r in rows) == sorted(ids), "one row per person and morning"
    assert all(r.sent_at is not None and r.failed_at is None for r in rows)
    owner = {r.retry_key: r.recipient for r in rows}
    received = Counter(owner[d.retry_key] for d in fake.delivered if d.retry_key in owner)
    assert received == Counter(ids), f"{morning}: someone got none or two"


def test_sigkill_during_fan_out_then_restart_delivers_exactly_once(db, forkserver):
    ids = seed_fanout(db.sessions, PEOPLE)
    rng = random.Random(f"kill-{db.kind}")
    points: list[str] = []
    with FakeLineAPI() as fake:
        env = clock_env(db, fake)
        for morning in MORNINGS:
            for _ in range(KILLS_PER_MORNING):
                clock = start_clock(forkserver, morning, env)
                points.append(kill_at_random_point(clock, fake, rng, PEOPLE - _sent(db, morning)))
            survivor = start_clock(forkserver, morning, env)
            survivor.join(120)
            assert survivor.exitcode == 0
            assert_exactly_one_digest_each(db, fake, morning, ids)
        known = {r for (r,) in _retry_keys(db)}
        assert all(d.retry_key in known for d in fake.delivered)
        # A process killed while writing a request leaves LINE a body cut short; nothing else may be refused.
        assert all(_cut_short(r) for r in fake.rejected), fake.rejected
    # The kills really landed in the middle of fan-outs, not only before or after them.
    assert len(points) == KILLS_PER_MORNING * len(MORNINGS)
    assert sum(p.startswith("after") for p in points) >= len(points) // 3, points


def _cut_short(rejection) -> bool:
    return rejection.status == 400 and any("request body" in d.message for d in rejection.details)


def _sent(db, morning: date) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).where(Delivery.morning == morning, Delivery.sent_at.is_not(None)))


def _retry_keys(db):
    with db.sessions() as session:
        return list(session.execute(select(Delivery.retry_key)))


def test_two_clock_processes_started_together_send_each_digest_once(db):
    ids = seed_fanout(db.sessions, PEOPLE)
    with FakeLineAPI() as fake:
        env = {**os.environ, **clock_env(db, fake), "PYTHONPATH": ROOT}
        command = [sys.executable, "-m", "bot.cli", "clock", "--once", "--at", "2024-01-05T08:30"]
        clocks = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        outputs = [c.communicate(timeout=180) for c in clocks]
        assert [c.returncode for c in clocks] == [0, 0], [o[1].decode()[-2000:] for o in outputs]
        assert_exactly_one_digest_each(db, fake, MORNINGS[0], ids)
        assert len(fake.delivered) == PEOPLE
    # One clock led and sent everything; the other waited for the lock, then found nothing to do.
    reports = [json.loads(o[0].decode().strip().splitlines()[-1]) for o in outputs]
    assert sorted(r["written"] for r in reports) == [0, PEOPLE]
    assert sorted(r["sent"]["calls"] for r in reports) == [0, PEOPLE]
