"""The webhook's journal: every event LINE sent is stored once, whatever LINE repeats and PostgreSQL drops."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from bot.event_journal import EventJournal
from schedules.clock import FixedClock
from storage.db import make_engine
from storage.models import WebhookEvent
from tests.conftest import _truncate_pg
from tests.fakes import webhooks

NOW = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))


def _stored(engine) -> list[WebhookEvent]:
    with engine.connect() as conn:
        return list(conn.execute(select(WebhookEvent.event_id, WebhookEvent.body)))


def test_an_event_repeated_in_one_body_and_across_bodies_is_stored_once(db):
    journal = EventJournal(db.engine, FixedClock(NOW).now)
    user = webhooks.new_user_id()
    first, second, third = (webhooks.text_event(user, t, timestamp=NOW) for t in ("本週", "本月", "說明"))
    journal.record([first, first, second])
    journal.record([webhooks.redelivered(first), third])  # LINE's redelivery of a body it thinks was lost
    stored = _stored(db.engine)
    assert sorted(r.event_id for r in stored) == sorted(e["webhookEventId"] for e in (first, second, third))
    kept = next(r.body for r in stored if r.event_id == first["webhookEventId"])
    assert kept["deliveryContext"]["isRedelivery"] is False  # the first delivery is kept, not the copy


def test_deliveries_of_one_event_arriving_together_store_it_once(db):
    journal = EventJournal(db.engine, FixedClock(NOW).now)
    shared = webhooks.text_event(webhooks.new_user_id(), "本週", timestamp=NOW)
    own = [webhooks.text_event(webhooks.new_user_id(), "本月", timestamp=NOW) for _ in range(6)]
    start, errors = threading.Barrier(len(own)), []

    def post(event: dict) -> None:
        start.wait()
        try:
            journal.record([shared, event])
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(e,)) for e in own]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert sorted(r.event_id for r in _stored(db.engine)) == sorted(e["webhookEventId"] for e in [shared, *own])


@pytest.mark.postgres
def test_a_webhook_after_postgresql_dropped_the_journals_connections_is_still_stored(pg_ready):
    engine = make_engine(pg_ready)
    _truncate_pg(engine)
    journal = EventJournal(engine, FixedClock(NOW).now)
    before = webhooks.text_event(webhooks.new_user_id(), "本週", timestamp=NOW)
    journal.record([before])
    with make_engine(pg_ready).connect() as admin:  # what a restart of the server does to every connection
        admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    after = webhooks.text_event(webhooks.new_user_id(), "本月", timestamp=NOW)
    journal.record([after])  # no error: LINE gets its 200 and does not have to redeliver
    assert sorted(r.event_id for r in _stored(engine)) == sorted(e["webhookEventId"] for e in (before, after))
    engine.dispose()


def test_a_body_the_database_refuses_fails_its_request_alone_and_the_next_is_stored(db):
    """A refused write answers LINE with an error (so LINE redelivers) and leaves the journal's connection usable."""
    from sqlalchemy.exc import IntegrityError

    journal = EventJournal(db.engine, FixedClock(NOW).now)
    refused = webhooks.text_event(webhooks.new_user_id(), "本週", timestamp=NOW)
    with pytest.raises(IntegrityError):
        journal.record([refused], office_id=987654)  # no such office: the foreign key refuses the row
    kept = webhooks.text_event(webhooks.new_user_id(), "本月", timestamp=NOW)
    journal.record([kept])
    assert [r.event_id for r in _stored(db.engine)] == [kept["webhookEventId"]]
