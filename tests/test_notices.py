"""Notices a conversation queued (a 我是 … card) reach LINE once, even when the worker died before sending them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot import deliveries
from bot.clock import Clockwork
from bot.run_lock import RunLock
from handlers.core.replies import Text, to_dict
from schedules.clock import TAIPEI, FixedClock
from storage.models import Delivery
from storage.onboarding import queue_notice
from tests.test_deliveries import Recorder

NOON = datetime(2024, 4, 8, 12, 0, tzinfo=TAIPEI)
USER = "U" + "5" * 32


def _queue(db) -> None:
    with db.sessions() as session:
        payload = {"version": 1, "replies": [to_dict(Text("綁定申請"))]}
        queue_notice(session, "onboard:1:2", None, USER, payload, NOON)
        queue_notice(session, "onboard:1:2", None, USER, payload, NOON)  # queued twice: one row
        session.commit()


def test_a_notice_left_unsent_goes_out_with_the_clocks_next_round(db):
    _queue(db)
    send = Recorder()
    Clockwork(db.sessions, FixedClock(NOON), send, RunLock(db.engine), pause=0, sleep=lambda s: None).tend()
    assert [to for to, _key in send.pushes] == [USER]
    with db.sessions() as session:
        (row,) = session.scalars(select(Delivery))
        assert row.sent_at is not None
    # The events worker gets to it too: nothing is sent twice.
    assert deliveries.send_notices(db.sessions, send, lambda: NOON).calls == 0
    assert len(send.pushes) == 1


def test_a_notice_refused_for_now_is_tried_again_under_the_same_key(db):
    _queue(db)
    send = Recorder()
    send.fail[USER] = deliveries.SendOutcome(False, retry=True, error="503")
    assert deliveries.send_notices(db.sessions, send, lambda: NOON).left == 1
    del send.fail[USER]
    assert deliveries.send_notices(db.sessions, send, lambda: NOON).sent == 1
    assert len(send.pushes) == 1
