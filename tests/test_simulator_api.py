"""The simulator's chat as one timeline: what the person sent, replies and pushes, each once, in the order they came."""

from __future__ import annotations

import json
from datetime import date, datetime

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator import stranger_id
from bot.simulator_sender import SimulatorSender
from handlers.core.replies import Text, to_dict
from schedules.clock import TAIPEI, FixedClock
from storage.models import Delivery

USER = "U" + "1" * 32
NOW = datetime(2024, 4, 8, 9, 0, tzinfo=TAIPEI)


def pushed_elsewhere(db, key: str, text: str) -> None:
    """A digest another process (planbot remind) pushed: only its row in the deliveries table says so."""
    with db.sessions() as session:
        session.add(Delivery(key=key, morning=date(2024, 4, 8), recipient=USER, reasons="due",
                             payload={"replies": [to_dict(Text(text))]}, retry_key=key, created_at=NOW, sent_at=NOW))
        session.commit()


def test_pushes_made_elsewhere_join_the_chat_once_where_they_are_seen(sqlite_db):
    sender = SimulatorSender()
    runtime = Runtime(sqlite_db.url, sqlite_db.engine, sqlite_db.sessions, FixedClock(NOW), Settings(simulator=True))
    client = create_app(runtime, sender, testing=True).test_client()
    sender.said(USER, "本月")
    pushed_elsewhere(sqlite_db, "k1", "早安摘要")
    first = client.get(f"/simulator/api/messages?user={USER}&after=0").get_json()
    assert [(m["via"], m["message"]["text"]) for m in first] == [("me", "本月"), ("push", "早安摘要")]
    sender.said(USER, "逾期")
    pushed_elsewhere(sqlite_db, "k2", "第二則")
    again = client.get(f"/simulator/api/messages?user={USER}&after=0").get_json()
    assert [m["message"]["text"] for m in again] == ["本月", "早安摘要", "逾期", "第二則"]  # each once, in order
    newer = client.get(f"/simulator/api/messages?user={USER}&after={first[-1]['seq']}").get_json()
    assert [m["message"]["text"] for m in newer] == ["逾期", "第二則"]


def test_a_stranger_is_the_first_id_nobody_linked():
    first = stranger_id(set())
    assert first == "U" + "0" * 31 + "1" and len(first) == 33
    assert stranger_id({first}) == "U" + "0" * 31 + "2"


def test_the_next_working_days_reminders_run_on_a_weekend(demo_db):
    """Saturday 4/13: no reminders today, the next working day's (Monday 4/15) go out, each into its chat."""
    sender = SimulatorSender()
    saturday = datetime(2024, 4, 13, 10, 0, tzinfo=TAIPEI)
    runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, FixedClock(saturday), Settings(simulator=True))
    client = create_app(runtime, sender, testing=True).test_client()
    today = client.post("/simulator/api/remind", json={}).get_json()
    assert today["day"] == "4/13（六）" and today["sent"] == 0
    monday = client.post("/simulator/api/remind", json={"next": True}).get_json()
    assert monday["day"] == "4/15（一）" and monday["planned"] > 0 and monday["sent"] == monday["planned"]
    with demo_db.sessions() as session:
        mornings = {d.morning for d in session.query(Delivery).filter(Delivery.sent_at.is_not(None))}
    assert mornings == {date(2024, 4, 15)}


def test_the_group_chat_answers_there_and_sends_what_not_everyone_may_see_privately(demo_db):
    """In the simulator's group: a command is answered in the group; 匯出 goes to the asker's own chat."""
    sender = SimulatorSender()
    runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, FixedClock(NOW),
                      Settings(simulator=True, sync_events=True))
    client = create_app(runtime, sender, testing=True).test_client()
    chief = "U7d08f98c4b887b1eefb53b3941f00ec3"  # 江淑惠, chief of 戶籍資料課
    for text in ("綁定群組 戶籍資料課", "逾期 戶籍資料課", "謝謝"):
        assert client.post("/simulator/api/send", json={"user": chief, "group": True, "text": text}).status_code == 200
    in_group = client.get("/simulator/api/messages?group=1").get_json()
    said = [m["message"]["text"] for m in in_group if m["via"] == "me"]
    assert said == ["江淑惠：綁定群組 戶籍資料課", "江淑惠：逾期 戶籍資料課", "江淑惠：謝謝"]
    answers = [m["message"].get("text", "") for m in in_group if m["via"] != "me"]
    assert len(answers) == 2 and "戶籍資料課" in answers[1]  # small talk in a group gets no answer
    assert client.get(f"/simulator/api/messages?user={chief}").get_json() == []  # nothing in her own chat
    client.post("/simulator/api/send", json={"user": chief, "group": True, "text": "匯出"})
    note = client.get("/simulator/api/messages?group=1").get_json()[-1]["message"]["text"]
    assert "私訊" in note and "/files/" not in note
    alone = client.get(f"/simulator/api/messages?user={chief}").get_json()
    assert any("/files/" in json.dumps(m["message"], ensure_ascii=False) for m in alone)
