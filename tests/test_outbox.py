"""The outbox of pushes: one key scheme (readable, compatible with rows already stored), one retry key, queued once."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import deliveries
from handlers.core.replies import Text, to_dict
from schedules.clock import TAIPEI
from storage import outbox
from storage.models import Delivery, Staff
from storage.outbox import Kind, Topic
from tests.test_deliveries import seed_fanout

NOON = datetime(2024, 4, 8, 12, 0, tzinfo=TAIPEI)
USER = "U" + "7" * 32
PAYLOAD = {"version": 1, "replies": [to_dict(Text("提醒"))]}


def test_keys_read_as_rows_already_stored_read():
    # Rows written before the kinds were an enum carry these keys: the same words must still select them.
    assert outbox.key_of(Kind.DIGEST, date(2024, 4, 8), USER, "due+overdue") == f"digest:2024-04-08:{USER}:due+overdue"
    assert outbox.key_of(Kind.NUDGE, date(2024, 4, 8), 5) == "nudge:2024-04-08:5"
    assert outbox.key_of(Kind.NOTICE, Topic.PRIVATE, "ab12") == "notice:private:ab12"
    assert [outbox.kind_of(k) for k in ("digest:x", "notice:onboard:1:2", "nudge:2024-04-08:5", "quota:x")] == [
        Kind.DIGEST, Kind.NOTICE, Kind.NUDGE, None]


def test_enqueue_refuses_a_key_of_no_kind(db):
    with db.sessions() as session, pytest.raises(ValueError, match="not an outbox key"):
        outbox.enqueue(session, "private:1", recipient=USER, staff_id=None, reasons="x", payload=PAYLOAD, now=NOON)


def test_every_kind_is_queued_once_under_one_retry_key_scheme(db):
    with db.sessions() as session:
        keys = [outbox.key_of(Kind.NUDGE, NOON.date(), 1), outbox.key_of(Kind.NOTICE, "onboard", 1, 2)]
        for key in keys + keys:
            outbox.enqueue(session, key, recipient=USER, staff_id=None, reasons="test", payload=PAYLOAD, now=NOON)
        assert not outbox.queue_notice(session, "onboard:1:2", USER, None, "test", PAYLOAD, NOON)  # the same notice
        assert deliveries.record_notice(session, "quota80:2024-04:" + USER, NOON.date(), USER, [Text("八成")], NOON)
        rows = session.scalars(select(Delivery).order_by(Delivery.id)).all()
        assert [r.key for r in rows] == [*keys, f"notice:quota80:2024-04:{USER}"]
        assert all(r.retry_key == outbox.retry_key_for(r.key) for r in rows)
        assert len({r.retry_key for r in rows}) == 3
        assert outbox.unsent_notices(session) == 2


def test_a_long_key_is_stored_cut_and_still_queued_once(db):
    key = outbox.key_of(Kind.NOTICE, "calendar", "close", "+".join(["2024-04-08"] * 30), 3)
    with db.sessions() as session:
        assert outbox.enqueue(session, key, recipient=USER, staff_id=None, reasons="calendar", payload=PAYLOAD, now=NOON)
        assert not outbox.enqueue(session, key, recipient=USER, staff_id=None, reasons="calendar", payload=PAYLOAD, now=NOON)
        assert [len(k) for k in session.scalars(select(Delivery.key))] == [outbox.KEY_LENGTH]


def test_caused_since_counts_only_that_topic_for_that_person_since_the_moment(db):
    seed_fanout(db.sessions, 2)
    with db.sessions() as session:
        ids = list(session.scalars(select(Staff.id).order_by(Staff.id)))
        for n, at in enumerate((NOON - timedelta(days=1), NOON, NOON + timedelta(hours=1))):
            outbox.queue_notice(session, f"{Topic.PRIVATE}:{n}", USER, ids[0], "group answer", PAYLOAD, at)
        outbox.queue_notice(session, "leave:1", USER, ids[0], "leave", PAYLOAD, NOON)
        outbox.queue_notice(session, f"{Topic.PRIVATE}:other", USER, ids[1], "group answer", PAYLOAD, NOON)
        assert outbox.caused_since(session, ids[0], Topic.PRIVATE, NOON) == 2


def test_only_the_outbox_writes_a_push():
    # A second writer would bring back its own key or retry-key scheme; every other module calls `enqueue`.
    from tests.test_layering import ROOT, modules  # noqa: PLC0415 - the same list of modules the layering test reads

    writers = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            called = node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None
            if called == "Delivery" or (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Delivery"):
                writers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert writers and all(w.startswith("storage/outbox.py:") for w in writers), writers
