"""Recorded events survive a dead worker: a stale claim is taken over, a live one is left alone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.event_journal import EventJournal
from bot.events import Dispatcher
from bot.simulator_sender import SimulatorSender
from handlers.incoming import Settings
from schedules.clock import FixedClock
from storage.models import WebhookEvent
from tests.fakes import webhooks

NOW = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))


def _setup(db):
    clock = FixedClock(NOW)
    journal = EventJournal(db.engine, clock.now)
    dispatcher = Dispatcher(db.sessions, clock, SimulatorSender(), Settings())
    return clock, journal, dispatcher


def _claim(db, claim: str) -> None:
    with db.sessions() as session:
        session.execute(update(WebhookEvent).values(outcome=claim))
        session.commit()


def _handled(db) -> list:
    with db.sessions() as session:
        return session.scalars(select(WebhookEvent.handled_at)).all()


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_five_minutes(db):
    clock, journal, dispatcher = _setup(db)
    journal.record([webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW)])
    _claim(db, f"claimed:dead0worker:{int(NOW.timestamp())}")
    assert dispatcher.drain() == 0 and _handled(db) == [None]  # maybe still working: leave it
    clock.advance(minutes=6)
    assert dispatcher.drain() == 1 and _handled(db)[0] is not None


def test_events_recorded_twice_are_kept_once_and_handled_once(db):
    _clock, journal, dispatcher = _setup(db)
    event = webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW)
    journal.record([event])
    journal.record([webhooks.redelivered(event)])
    assert dispatcher.drain() == 1 and dispatcher.drain() == 0
    assert len(_handled(db)) == 1


class TokenRecorder(SimulatorSender):
    """The simulator's sender, noting the order in which reply tokens were used."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: list[str] = []

    def reply(self, reply_token, messages):
        self.tokens.append(reply_token)
        return super().reply(reply_token, messages)


def test_a_conversations_events_are_answered_in_timestamp_order(db):
    _clock, journal, dispatcher = _setup(db)
    dispatcher.sender = TokenRecorder()
    user = webhooks.new_user_id()
    late = webhooks.text_event(user, "逾期", timestamp=NOW + timedelta(seconds=2), reply_token=f"sim:{user}:late")
    early = webhooks.text_event(user, "說明", timestamp=NOW + timedelta(seconds=1), reply_token=f"sim:{user}:early")
    journal.record([late, early])  # posted out of order, as LINE may
    assert dispatcher.drain() == 2
    assert dispatcher.sender.tokens == [f"sim:{user}:early", f"sim:{user}:late"]
