"""A PostgreSQL outage in the middle of a conversation: once the database is back, the conversation is answered again.

The database really goes away: the worker talks to PostgreSQL through a TCP proxy the test cuts and restores.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.event_journal import EventJournal
from bot.events import Dispatcher
from bot.simulator_sender import SimResult, SimulatorSender
from handlers.core.incoming import Settings
from schedules.clock import FixedClock
from storage.db import make_engine, session_factory
from storage.models import WebhookEvent
from tests.conftest import _truncate_pg
from tests.fakes import webhooks
from tests.fakes.tcp_proxy import TcpProxy
from tests.waiting import wait_for

NOW = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))
LEASE = 30.0


class Wall:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


class HeldSender(SimulatorSender):
    """Takes every reply; the first one waits at LINE until the test lets it go (meanwhile the database goes away)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived, self.go = threading.Event(), threading.Event()
        self.replies: list[str] = []

    def reply(self, token, messages):
        if not self.arrived.is_set():
            self.arrived.set()
            self.go.wait(60)
        self.replies.append(token)
        return SimResult()

    def push(self, to, messages, retry_key):
        return SimResult()


@pytest.fixture
def through_proxy(request):
    url = request.getfixturevalue("pg_ready")
    direct = make_engine(url)
    _truncate_pg(direct)
    target = make_url(url)
    with TcpProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        engine = make_engine(target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        yield proxy, engine, direct
        engine.dispose()
    direct.dispose()


def _answered(engine, event_id: str) -> bool:
    with session_factory(engine)() as session:
        row = session.scalar(select(WebhookEvent).where(WebhookEvent.event_id == event_id))
        return row is not None and row.answered_at is not None


def test_a_conversation_cut_off_by_a_database_outage_is_answered_after_it(through_proxy, caplog):
    proxy, engine, direct = through_proxy
    user = webhooks.new_user_id()
    journal = EventJournal(direct, FixedClock(NOW).now)
    first = webhooks.text_event(user, "說明", reply_token="t1", timestamp=NOW)
    journal.record([first])
    sender, wall = HeldSender(), Wall()
    worker = Dispatcher(session_factory(engine), FixedClock(NOW), sender, Settings(), lease=LEASE, wall=wall)
    outcome: list[object] = []

    def answer() -> None:
        try:
            outcome.append(worker.drain())
        except Exception as exc:  # noqa: BLE001 - what the run ended with is asserted below
            outcome.append(exc)

    running = threading.Thread(target=answer)
    running.start()
    wait_for(sender.arrived.is_set, "the first reply to reach LINE")
    proxy.cut()  # PostgreSQL goes away while LINE takes the reply: marking it sent and releasing the claim fail
    sender.go.set()
    running.join(60)
    assert outcome and not running.is_alive()
    assert "could not release" in caplog.text  # the outage is logged, not swallowed
    proxy.restore()

    wall.now += LEASE + 1  # the claims of the outage lapse; no wall-clock sleep
    second = webhooks.text_event(user, "本月", reply_token="t2", timestamp=NOW + timedelta(minutes=1))
    journal.record([second])
    worker.drain()
    assert _answered(direct, second["webhookEventId"]), "the conversation stayed frozen after the outage"
    assert "t2" in sender.replies
    worker.shutdown()
