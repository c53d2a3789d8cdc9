"""Recorded events are handled exactly once and answered, whatever workers and LINE do meanwhile.

Workers here are Dispatchers in one process, each with its own wall clock for leases: a worker whose
clock runs ahead sees the others' leases lapse, as a replacement does after a worker froze or died.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.event_journal import EventJournal
from bot.events import Dispatcher
from bot.line_api import LineSender
from bot.simulator_sender import SimResult, SimulatorSender
from handlers.core.incoming import Settings
from handlers.office.imports.plan import import_plan
from handlers.office.imports.staff import import_staff, read_roster
from schedules.clock import FixedClock
from storage import queries
from storage.models import Item, ProgressReport, Staff, WebhookEvent
from tests.conftest import DEMO
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.waiting import wait_for

NOW = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))
LEASE = 30.0
TOKEN = "dispatch-access-token"


class Wall:
    """A worker's wall clock for leases, moved by the test."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@dataclass
class Recorder(SimulatorSender):
    """A sender noting replies and pushes; reply tokens are refused (expired) unless listed as fresh."""

    fresh: set[str] = field(default_factory=set)
    replies: list[tuple[str, list]] = field(default_factory=list)
    pushes: list[tuple[str, list, str]] = field(default_factory=list)
    crash_on_reply: bool = False

    def reply(self, token, messages):
        if self.crash_on_reply:
            raise Killed
        if token not in self.fresh:
            return SimResult(ok=False, status=400, token_invalid=True, error="Invalid reply token")
        self.fresh.discard(token)
        self.replies.append((token, [m.to_dict() for m in messages]))
        return SimResult()

    def push(self, to, messages, retry_key):
        self.pushes.append((to, [m.to_dict() for m in messages], retry_key))
        return SimResult()


class Killed(BaseException):
    """The process dies here (kill -9): nothing after this line of the worker runs."""


def worker(db, sender, wall=None, **kwargs) -> Dispatcher:
    return Dispatcher(db.sessions, FixedClock(NOW), sender, Settings(), lease=LEASE, wall=wall or Wall(), **kwargs)


def _rows(db) -> list[WebhookEvent]:
    with db.sessions() as session:
        return session.scalars(select(WebhookEvent).order_by(WebhookEvent.id)).all()


@pytest.fixture
def demo_db(db):
    """The demo plan (as 2024) and its staff."""
    with db.sessions() as session:
        import_plan(session, DEMO / "wenshan-113.ods", 2024, NOW)
        import_staff(session, queries.only_office(session), read_roster(DEMO / "staff.csv"), NOW, "staff.csv")
        session.commit()
    return db


def _staff_line_id(db, name: str) -> str:
    with db.sessions() as session:
        return session.scalar(select(Staff.line_user_id).where(Staff.name == name))


def _report_text(db) -> tuple[str, int]:
    """Return a 回報 message 李冠緯 may send, and the item it reports on."""
    with db.sessions() as session:
        item = session.scalar(select(Item).where(Item.number == "11", Item.title.like("門牌指標%")))
    return f"回報 {item.number} 4月 50% 已完成初稿", item.id


def _reports(db, item_id: int) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(ProgressReport).where(ProgressReport.item_id == item_id))


def test_a_claim_past_its_lease_is_taken_over_and_a_live_one_is_left_alone(db):
    wall = Wall()
    journal = EventJournal(db.engine, FixedClock(NOW).now)
    journal.record([webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW)])
    dead = worker(db, Recorder(), wall)
    assert sum(len(ids) for ids in dead._claim().values()) == 1  # then the process dies
    other = worker(db, Recorder(), wall)
    assert other.drain() == 0 and _rows(db)[0].handled_at is None  # maybe still working: leave it
    wall.now += LEASE + 1  # a few lease periods, not minutes
    assert other.drain() == 1 and _rows(db)[0].handled_at is not None


def test_a_live_workers_heartbeat_keeps_its_claims(db):
    journal = EventJournal(db.engine, FixedClock(NOW).now)
    journal.record([webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW)])
    wall = Wall()
    slow = worker(db, Recorder(), wall)
    claimed = slow._claim()
    with slow._state:
        slow._held.update(i for ids in claimed.values() for i in ids)
    other = worker(db, Recorder(), wall)
    for _ in range(5):  # five lease periods of a slow worker that beats every 0.9 lease
        wall.now += 0.9 * LEASE
        assert slow.renew() == 1
        assert other.drain() == 0
    key, ids = next(iter(claimed.items()))
    assert slow._run_conversation(key, ids) == 1
    assert other.drain() == 0 and len(slow.sender.pushes) == 1


def test_a_worker_that_lost_its_claim_commits_nothing(demo_db):
    db = demo_db
    user = _staff_line_id(db, "李冠緯")
    text, item_id = _report_text(db)
    EventJournal(db.engine, FixedClock(NOW).now).record([webhooks.text_event(user, text, timestamp=NOW)])
    slow_wall, wall = Wall(), Wall()
    slow, other = worker(db, Recorder(), slow_wall), worker(db, Recorder(), wall)
    claimed = slow._claim()  # then it stalls (LINE failing, a long GC, a frozen VM) past its lease
    wall.now += LEASE + 1
    assert other.drain() == 1 and _reports(db, item_id) == 1
    key, ids = next(iter(claimed.items()))
    assert slow._run_conversation(key, ids) == 0  # it wakes up: its claim is gone, so are its effects
    assert _reports(db, item_id) == 1
    assert len(other.sender.pushes) == 1 and slow.sender.pushes == slow.sender.replies == []


def test_an_answer_recorded_before_a_crash_is_sent_after_the_restart(demo_db):
    db = demo_db
    user = _staff_line_id(db, "李冠緯")
    text, item_id = _report_text(db)
    EventJournal(db.engine, FixedClock(NOW).now).record(
        [webhooks.text_event(user, text, timestamp=NOW, reply_token="fresh-token")])
    wall = Wall()
    crashing = worker(db, Recorder(fresh={"fresh-token"}, crash_on_reply=True), wall)
    key, ids = next(iter(crashing._claim().items()))
    with pytest.raises(Killed):
        crashing._process(ids[0])  # the effects and the answer are committed; the reply never leaves
    assert _reports(db, item_id) == 1 and _rows(db)[0].answered_at is None
    wall.now += LEASE + 1
    restarted = worker(db, Recorder(), wall)  # a minute later: the reply token has expired
    assert restarted.drain() == 1
    assert [to for to, _m, _k in restarted.sender.pushes] == [user]
    assert "已記錄" in str(restarted.sender.pushes[0][1])
    assert _reports(db, item_id) == 1 and restarted.drain() == 0


@pytest.fixture
def line():
    with FakeLineAPI(access_token=TOKEN) as api:
        yield api
    assert api.rejected == [], api.rejected


def line_sender(line, **kwargs) -> LineSender:
    kwargs.setdefault("timeout", 60)
    return LineSender(TOKEN, base_url=line.base_url, sleep=lambda _s: None, **kwargs)


def test_a_reply_line_keeps_failing_falls_back_to_push(db, line):
    user = webhooks.new_user_id()
    token = line.issue_reply_token(user)
    EventJournal(db.engine, FixedClock(NOW).now).record([webhooks.text_event(user, "說明", reply_token=token)])
    line.fail_next(3, 500, path="/reply")
    dispatcher = worker(db, line_sender(line, max_attempts=3))
    assert dispatcher.drain() == 1
    assert [d.recipient for d in line.delivered] == [user] and line.delivered[0].retry_key


def test_a_push_line_refuses_for_now_is_sent_later_under_the_same_key(db, line):
    user = webhooks.new_user_id()
    EventJournal(db.engine, FixedClock(NOW).now).record(
        [webhooks.text_event(user, "說明", reply_token=line.issue_reply_token(user, expired=True))])
    line.fail_next(2, 503, path="/push")
    wall = Wall()
    dispatcher = worker(db, line_sender(line, max_attempts=2), wall)
    assert dispatcher.drain() == 0 and line.delivered == []
    wall.now += 120
    assert dispatcher.drain() == 1
    assert [d.recipient for d in line.delivered] == [user]
    keys = {r.headers["x-line-retry-key"] for r in line.requests_to("/push")}
    assert len(keys) == 1


def test_a_hanging_reply_does_not_hold_up_other_conversations(db, line):
    stuck, other = webhooks.new_user_id(), webhooks.new_user_id()
    release = threading.Event()
    line.hold(release, path="/reply", recipient=stuck)
    dispatcher = worker(db, line_sender(line), poll=0.05, threads=2)
    dispatcher.start()
    try:
        journal = EventJournal(db.engine, FixedClock(NOW).now)
        first, second = line.issue_reply_token(stuck), line.issue_reply_token(other)
        journal.record([webhooks.text_event(stuck, "說明", reply_token=first, timestamp=NOW)])
        dispatcher.wake()
        wait_for(lambda: line.held)  # the first conversation's reply hangs at LINE
        journal.record([webhooks.text_event(other, "說明", reply_token=second, timestamp=NOW + timedelta(seconds=1))])
        dispatcher.wake()
        wait_for(lambda: [r for r in line.replied if r.reply_token == second])
        assert [r for r in line.replied if r.reply_token == first] == [] and len(line.held) == 1
        release.set()
        wait_for(lambda: [r for r in line.replied if r.reply_token == first])
    finally:
        release.set()
        dispatcher.stop()
        dispatcher.join(30)


def test_a_graceful_stop_hands_the_rest_of_a_conversation_to_another_worker_at_once(db, line):
    user = webhooks.new_user_id()
    tokens = [line.issue_reply_token(user) for _ in range(2)]
    journal = EventJournal(db.engine, FixedClock(NOW).now)
    journal.record([webhooks.text_event(user, "說明", reply_token=t, timestamp=NOW + timedelta(seconds=n))
                    for n, t in enumerate(tokens)])
    release = threading.Event()
    line.hold(release, path="/reply", recipient=user)
    wall = Wall()
    stopping = worker(db, line_sender(line), wall, poll=0.05)
    stopping.start()
    wait_for(lambda: line.held)  # the first answer is on its way when SIGTERM comes
    stopping.stop()
    release.set()
    stopping.join(30)
    assert [r.reply_token for r in line.replied] == tokens[:1]
    successor = worker(db, line_sender(line), wall)  # same moment: no lease has lapsed
    assert successor.drain() == 1
    assert [r.reply_token for r in line.replied] == tokens


def test_events_recorded_twice_are_kept_once_and_handled_once(db):
    journal = EventJournal(db.engine, FixedClock(NOW).now)
    dispatcher = worker(db, SimulatorSender())
    event = webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW)
    journal.record([event])
    journal.record([webhooks.redelivered(event)])
    assert dispatcher.drain() == 1 and dispatcher.drain() == 0
    assert len(_rows(db)) == 1


def test_a_conversations_events_are_answered_in_timestamp_order(db):
    journal = EventJournal(db.engine, FixedClock(NOW).now)
    sender = Recorder()
    dispatcher = worker(db, sender, threads=4)
    user = webhooks.new_user_id()
    tokens = [f"{user}:{n}" for n in range(6)]
    sender.fresh.update(tokens)
    events = [webhooks.text_event(user, "說明", timestamp=NOW + timedelta(seconds=n), reply_token=t)
              for n, t in enumerate(tokens)]
    journal.record(events[::-1])  # posted out of order, as LINE may
    assert dispatcher.drain() == 6
    assert [token for token, _m in sender.replies] == tokens


@pytest.mark.parametrize("bad", [
    {"webhookEventId": "X" * 5000},
    {"message": {"type": "text", "id": "1", "text": "\ud800", "quoteToken": "q"}},
    {"timestamp": 2**63},
    {"timestamp": "yesterday"},
    {"timestamp": 1e20},
    {"source": {"type": "user", "userId": "U" * 500}},
])
def test_an_event_that_cannot_be_stored_is_skipped_without_failing_others(db, bad):
    journal = EventJournal(db.engine, FixedClock(NOW).now)
    good = [webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW) for _ in range(8)]
    broken = {**webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW), **bad}
    errors: list[BaseException] = []

    def post(events):
        try:
            journal.record(events)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=post, args=([e],)) for e in good[:4]]
    threads += [threading.Thread(target=post, args=([broken, *good[4:]],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    stored = {r.event_id for r in _rows(db)}
    assert stored == {e["webhookEventId"] for e in good}




def test_the_lease_and_the_pool_are_settings_and_replies_give_up_within_the_token_life(sqlite_db):
    from bot.app import make_dispatcher
    from bot.runtime import Runtime
    from bot.settings import Settings as ProcessSettings

    env = {"PLANBOT_EVENT_LEASE": "2.5", "PLANBOT_EVENT_THREADS": "3", "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
           "LINE_API_BASE": "http://127.0.0.1:9"}
    runtime = Runtime(sqlite_db.url, sqlite_db.engine, sqlite_db.sessions, FixedClock(NOW), ProcessSettings.from_env(env))
    dispatcher = make_dispatcher(runtime)
    assert (dispatcher.lease, dispatcher.threads) == (2.5, 3)
    sender = dispatcher.sender
    # Every attempt timing out, with the longest waits between them: still inside LINE's one-minute token.
    worst = sender.max_attempts * sender.timeout + (sender.max_attempts - 1) * sender.backoff_cap
    assert worst < 60


def test_a_request_the_database_refuses_fails_alone_not_the_others_in_its_group_commit(db, monkeypatch):
    import bot.event_journal as journal_module
    from bot.event_journal import _Pending
    from bot.events import event_rows

    journal = EventJournal(db.engine, FixedClock(NOW).now)
    poison = webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW)
    real_insert = journal_module.insert_ignoring_duplicates

    def refusing(conn, rows):  # the database refuses any statement carrying the poisoned event
        if any(r["event_id"] == poison["webhookEventId"] for r in rows):
            raise ValueError("refused by the database")
        real_insert(conn, rows)

    monkeypatch.setattr(journal_module, "insert_ignoring_duplicates", refusing)
    good = [webhooks.text_event(webhooks.new_user_id(), "說明", timestamp=NOW) for _ in range(3)]
    batch = [_Pending(event_rows([e], NOW)) for e in good[:2]]
    batch.append(_Pending(event_rows([poison, good[2]], NOW)))
    journal._write(batch)  # as the writer thread does with requests that arrived together
    assert [p.error is None for p in batch] == [True, True, False]  # only the poisoned request hears "no"
    assert {r.event_id for r in _rows(db)} == {e["webhookEventId"] for e in good[:2]}


def test_a_self_introduction_card_carries_lines_profile_of_the_requester(demo_db, line):
    db = demo_db
    stranger = webhooks.new_user_id()
    line.add_user(stranger, "阿明的手機", picture_url="https://profile.line-scdn.net/0h-amin")
    with db.sessions() as session:
        session.scalar(select(Staff).where(Staff.name == "陳怡君")).line_user_id = None
        session.commit()
    EventJournal(db.engine, FixedClock(NOW).now).record(
        [webhooks.text_event(stranger, "我是 陳怡君", reply_token=line.issue_reply_token(stranger))])
    assert worker(db, line_sender(line)).drain() == 1
    from storage.models import Delivery

    with db.sessions() as session:
        cards = [d.payload["replies"][0] for d in session.scalars(select(Delivery)) if d.key.startswith("notice:onboard:")]
    assert cards and all(c["image_url"] == "https://profile.line-scdn.net/0h-amin" for c in cards)
    assert all(any(r["value"] == "阿明的手機" for r in c["rows"]) for c in cards)
    assert [r.path for r in line.requests if "/profile/" in r.path] == [f"/v2/bot/profile/{stranger}"]


def test_a_reply_line_took_without_answering_is_not_pushed_again(db, line):
    user = webhooks.new_user_id()
    token = line.issue_reply_token(user)
    EventJournal(db.engine, FixedClock(NOW).now).record([webhooks.text_event(user, "說明", reply_token=token)])
    line.fail_next(1, "timeout", when="after", path="/reply")  # LINE delivers the reply, its answer never comes
    wall = Wall()
    dispatcher = worker(db, line_sender(line, timeout=0.5, max_attempts=1), wall)
    assert dispatcher.drain() == 0  # no push yet: the reply may have been taken
    assert [r.reply_token for r in line.replied] == [token] and line.requests_to("/push") == []
    wall.now += 61  # LINE's window for the hanging reply has passed: the token tells what became of it
    assert dispatcher.drain() == 1
    assert [r.reply_token for r in line.replied] == [token] and line.requests_to("/push") == []
    assert line.delivered == []
    assert dispatcher.drain() == 0


def test_a_reply_that_never_reached_line_is_delivered_by_the_same_token_later(db, line):
    user = webhooks.new_user_id()
    token = line.issue_reply_token(user)
    EventJournal(db.engine, FixedClock(NOW).now).record([webhooks.text_event(user, "說明", reply_token=token)])
    line.fail_next(1, "timeout", when="before", path="/reply")  # the reply hangs and LINE drops it
    wall = Wall()
    dispatcher = worker(db, line_sender(line, timeout=0.5, max_attempts=1), wall)
    assert dispatcher.drain() == 0 and line.replied == []
    wall.now += 61
    assert dispatcher.drain() == 1
    assert [r.reply_token for r in line.replied] == [token] and line.requests_to("/push") == []
