"""Closures from the DGPA's announcements, end to end: the fake feed is a real HTTP server serving entries of the real shape.

The demo plan (2024, 臺北市文山區戶政事務所). 11 門牌指標 (李冠緯) is due 每月八日前: Monday 4/8. 簡心怡 is the coordinator.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from fakes.closure_feed import RATE_LIMITED, FakeClosureFeed, entry
from sqlalchemy import select

from bot.cli import main
from bot.clock import Clockwork
from bot.closure_feed import FeedClient, FeedWatch, check_offices
from bot.deliveries import SendOutcome
from bot.run_lock import RunLock
from bot.settings import Settings
from handlers.documents.digests import replies_from_payload
from schedules.clock import TAIPEI, FixedClock
from storage.models import CalendarOverride, Delivery, FeedCheck, Office, Role, Staff

SUNDAY_EVENING = datetime(2024, 4, 7, 20, 5, tzinfo=TAIPEI)
SOURCE = "資料來源：行政院人事行政總處（國家災害防救科技中心發布）"
LI = "李冠緯"


@pytest.fixture
def feed():
    with FakeClosureFeed() as fake:
        yield fake


@pytest.fixture
def planbot(demo_db, monkeypatch, capsys, feed):
    """Run `planbot ARGS` on a copy of the demo database with the feed at the fake; return (code, out, err)."""
    monkeypatch.setenv("DATABASE_URL", demo_db.url)

    def run(*args: str):
        code = main(list(args), env={"PLANBOT_CLOSURE_FEED_URL": feed.url, "PLANBOT_LOG_LEVEL": "WARNING"})
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def placed(planbot) -> None:
    code, out, err = planbot("office", "location", "--county", "台北市", "--district", "文山區")
    assert code == 0, err
    assert "臺北市文山區" in out


def checked(planbot, at: str) -> dict:
    code, out, err = planbot("calendar", "feed", "check", "--at", at, "--json")
    assert code == 0, err
    (check,) = json.loads(out)
    return check


def overrides(db) -> dict[str, str]:
    with db.sessions() as session:
        return {o.day.isoformat(): o.reason for o in session.scalars(select(CalendarOverride))}


def notices(db) -> list[tuple[str, str, list]]:
    """Return (recipient's name, text, button labels) of each queued notice."""
    with db.sessions() as session:
        names = {s.id: s.name for s in session.scalars(select(Staff))}
        out = []
        for row in session.scalars(select(Delivery).where(Delivery.key.startswith("notice:")).order_by(Delivery.id)):
            (reply,) = replies_from_payload(row.payload)
            out.append((names[row.staff_id], reply.text, [b.label for b in reply.quick_replies]))
        return out


def test_the_place_is_set_with_either_spelling_and_bad_input_changes_nothing(planbot, demo_db):
    code, out, _ = planbot("office", "location")
    assert code == 0 and "尚未設定所在地" in out
    code, _, err = planbot("office", "location", "--county", "臺北", "--district", "文山區")
    assert code != 0 and "看不懂縣市「臺北」" in err
    code, _, err = planbot("office", "location", "--county", "臺北市", "--district", "wenshan")
    assert code != 0 and "看不懂鄉鎮市區「wenshan」" in err
    code, _, err = planbot("office", "location", "--district", "信義區")
    assert code != 0 and "鄉鎮市區要和縣市一起寫" in err
    with demo_db.sessions() as session:
        assert session.scalar(select(Office.county)) is None
    placed(planbot)
    assert "臺北市文山區" in planbot("office", "location")[1]


def test_without_a_place_the_feed_is_not_read(planbot, feed):
    code, _, err = planbot("calendar", "feed", "check")
    assert code != 0 and "planbot office location" in err
    assert feed.requests == []


def test_a_full_day_closure_is_applied_once_owners_are_told_and_the_coordinator_gets_a_summary(planbot, demo_db, feed):
    placed(planbot)
    stale = entry(SUNDAY_EVENING - timedelta(days=17), "臺北市", "今天停止上班、停止上課")
    drill = entry(SUNDAY_EVENING, "臺北市", "明天停止上班、停止上課", status="Test")
    keelung = entry(SUNDAY_EVENING, "基隆市信義區", "明天停止上班、停止上課", code="1001704")
    taipei = entry(SUNDAY_EVENING, "臺北市", "明天停止上班、停止上課")
    feed.publish([stale, drill, keelung, taipei], wrapped=True)

    check = checked(planbot, "2024-04-07 20:10")
    assert check["source"] == SOURCE
    (decision,) = check["decisions"]
    assert (decision["day"], decision["state"], decision["outcome"]) == ("2024-04-08", "closed", "applied")
    assert check["ignored"] == {"past": 1, "not_actual": 1, "other_place": 1}
    assert decision["moved"] >= 1 and decision["told"] >= 1
    reason = overrides(demo_db)["2024-04-08"]
    assert reason == f"臺北市:明天停止上班、停止上課。（4/7（日）20:05公告，{taipei['id']}）{SOURCE}"
    told = notices(demo_db)
    assert (LI, f"📅 4/8（一） 停止上班，你的期限順延：\n・門牌指標設置及定期巡查管理（4月）：4/8（一） → 4/9（二）\n{SOURCE}", []) in told
    summary = [text for name, text, _ in told if name == "簡心怡"]
    assert len(summary) == 1 and "已依公告把 4/8（一） 設為停止上班" in summary[0] and SOURCE in summary[0]

    # Re-published (msgType Update) all night: nothing more happens, nobody is told again.
    again = entry(SUNDAY_EVENING + timedelta(minutes=40), "臺北市", "明天停止上班、停止上課", msg_type="Update")
    feed.publish([again, taipei])
    assert [d["outcome"] for d in checked(planbot, "2024-04-07 20:50")["decisions"]] == ["kept"]
    assert notices(demo_db) == told

    code, out, _ = planbot("calendar", "feed", "check", "--at", "2024-04-07 21:05")
    assert code == 0 and "上次查詢 21:05：臺北市 明天停止上班（已套用）" in out
    assert "資料來源：行政院人事行政總處" in out


def test_an_afternoon_closure_only_asks_the_coordinator(planbot, demo_db, feed):
    placed(planbot)
    feed.publish([entry(SUNDAY_EVENING, "臺北市", "明天下午停止上班、停止上課")])
    assert [d["outcome"] for d in checked(planbot, "2024-04-07 20:10")["decisions"]] == ["asked"]
    assert overrides(demo_db) == {}
    ((name, text, buttons),) = notices(demo_db)
    assert name == "簡心怡" and buttons == ["確定", "不用了"]
    assert "公告只停止半天上班" in text and "4/8（一） → 4/9（二）" in text
    assert [d["outcome"] for d in checked(planbot, "2024-04-07 20:20")["decisions"]] == ["asked_before"]
    assert len(notices(demo_db)) == 1


def test_a_later_open_for_a_closed_day_asks_before_lifting_it(planbot, demo_db, feed):
    placed(planbot)
    feed.publish([entry(SUNDAY_EVENING, "臺北市", "明天停止上班、停止上課")])
    checked(planbot, "2024-04-07 20:10")
    before = len(notices(demo_db))
    feed.publish([entry(SUNDAY_EVENING + timedelta(hours=1), "臺北市", "明天照常上班、照常上課", msg_type="Update")])
    assert [d["outcome"] for d in checked(planbot, "2024-04-07 21:10")["decisions"]] == ["cancel_asked"]
    assert "2024-04-08" in overrides(demo_db), "never lifted by itself"
    name, text, buttons = notices(demo_db)[before]
    assert name == "簡心怡" and "要取消 4/8（一） 的停班嗎？" in text and buttons == ["確定", "不用了"]


@pytest.mark.parametrize("said, shown", [
    (None, "臺北市文山區 沒有停班停課消息"),
    ("明天尚未宣布消息", "臺北市 明天尚未宣布消息（等候宣布）"),
    ("明天照常上班、照常上課", "臺北市 明天照常上班（照常）"),
    ("明天天氣晴", "無法判讀"),
])
def test_each_answer_is_its_own_visible_state(planbot, demo_db, feed, said, shown):
    placed(planbot)
    feed.publish([entry(SUNDAY_EVENING, "臺北市", said)] if said else [])
    code, out, _ = planbot("calendar", "feed", "check", "--at", "2024-04-07 21:05")
    assert code == 0 and shown in out
    assert overrides(demo_db) == {}


def test_a_feed_that_cannot_be_read_is_a_failure_never_open(planbot, demo_db, feed):
    placed(planbot)
    feed.serve_raw(b"<html>Service Unavailable</html>")
    code, out, _ = planbot("calendar", "feed", "check", "--at", "2024-04-07 21:05")
    assert code == 0 and "查詢失敗（21:05）：公告內容不是可讀的 JSON" in out and "照常" not in out.replace("這不代表照常上班", "")
    with demo_db.sessions() as session:
        (row,) = session.scalars(select(FeedCheck))
        assert not row.ok


class Clockface:
    """An injected sleep and monotonic clock: sleeping advances time, nothing waits."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.t += seconds

    def monotonic(self) -> float:
        return self.t


def test_the_client_keeps_three_seconds_between_calls_and_backs_off_on_429(feed):
    face = Clockface()
    client = FeedClient(feed.url, sleep=face.sleep, monotonic=face.monotonic)
    feed.publish([entry(SUNDAY_EVENING, "臺北市", "明天停止上班、停止上課")])
    feed.fail(429, 2)
    assert isinstance(client.fetch(), bytes)
    assert face.slept == [6.0, 12.0] and len(feed.requests) == 3
    client.fetch()
    assert face.slept[-1] == 3.0, "the next call still waits for the host's 3 s"
    feed.fail(429, 3)
    failed = client.fetch()
    assert (failed.code, failed.status, failed.detail) == ("rate_limited", 429, RATE_LIMITED)
    feed.fail(503, 1)
    feed.fail("drop", 1)
    assert isinstance(client.fetch(), bytes), "server errors and dropped connections are tried again"


def test_an_optional_member_key_is_sent_as_apikey(feed):
    face = Clockface()
    FeedClient(feed.url, key="k-123", sleep=face.sleep, monotonic=face.monotonic).fetch()
    FeedClient(feed.url, sleep=face.sleep, monotonic=face.monotonic).fetch()
    assert [r.query.get("apikey") for r in feed.requests] == [["k-123"], None]


class Pushes:
    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def __call__(self, to, replies, retry_key) -> SendOutcome:
        self.texts.extend((to, r.text) for r in replies if hasattr(r, "text"))
        return SendOutcome(True)


def _clock(demo_db, feed, moment: datetime, face: Clockface, send: Pushes) -> Clockwork:
    clock = FixedClock(moment)
    watch = FeedWatch(demo_db.sessions, FeedClient(feed.url, sleep=face.sleep, monotonic=face.monotonic), clock)
    return Clockwork(demo_db.sessions, clock, send, RunLock(demo_db.engine), feed=watch.round, pause=0,
                     sleep=lambda s: None)


def _place(demo_db) -> None:
    with demo_db.sessions() as session:
        office = session.scalars(select(Office)).one()
        office.county, office.district = "臺北市", "文山區"
        session.commit()


def _line_id(demo_db, name: str) -> str:
    with demo_db.sessions() as session:
        return session.scalar(select(Staff.line_user_id).where(Staff.name == name))


def test_the_clock_reads_every_five_minutes_on_an_alert_night_and_hourly_otherwise(demo_db, feed):
    _place(demo_db)
    face, send = Clockface(), Pushes()
    feed.publish([])
    _clock(demo_db, feed, SUNDAY_EVENING, face, send).tend()
    _clock(demo_db, feed, SUNDAY_EVENING + timedelta(minutes=5), face, send).tend()
    assert len(feed.requests) == 1, "no alert: the next reading is an hour later"
    _clock(demo_db, feed, SUNDAY_EVENING + timedelta(hours=1), face, send).tend()
    assert len(feed.requests) == 2
    feed.publish([entry(SUNDAY_EVENING + timedelta(minutes=50), "臺北市", "明天尚未宣布消息")])
    _clock(demo_db, feed, SUNDAY_EVENING + timedelta(hours=2), face, send).tend()
    _clock(demo_db, feed, SUNDAY_EVENING + timedelta(hours=2, minutes=5), face, send).tend()
    assert len(feed.requests) == 4, "an alert for the county: every five minutes"


def test_announced_before_the_morning_the_digests_already_use_it(demo_db, feed):
    _place(demo_db)
    face, send = Clockface(), Pushes()
    dawn = datetime(2024, 4, 8, 4, 30, tzinfo=TAIPEI)
    feed.publish([entry(dawn, "臺北市", "今天停止上班、停止上課")])
    report = _clock(demo_db, feed, dawn.replace(hour=8, minute=30), face, send).morning()
    assert report.skipped == "rest day"
    li = _line_id(demo_db, LI)
    assert (li, f"📅 4/8（一） 停止上班，你的期限順延：\n・門牌指標設置及定期巡查管理（4月）：4/8（一） → 4/9（二）\n{SOURCE}") in send.texts


def test_announced_after_the_digests_went_out_those_told_get_a_correction(demo_db, feed):
    _place(demo_db)
    face, send = Clockface(), Pushes()
    morning = datetime(2024, 4, 8, 8, 30, tzinfo=TAIPEI)
    feed.publish([])
    _clock(demo_db, feed, morning, face, send).morning()
    li = _line_id(demo_db, LI)
    assert not any(to == li and "更正" in text for to, text in send.texts)
    late = morning + timedelta(minutes=40)
    feed.publish([entry(late, "臺北市", "今天上午停止上班、停止上課")])
    _clock(demo_db, feed, morning + timedelta(hours=1), face, send).tend()  # no alert at 08:30: read hourly
    corrections = [text for to, text in send.texts if to == li and text.startswith("📅 更正")]
    assert corrections == [f"📅 更正：4/8（一） 停止上班，今天早上提醒的期限順延：\n・門牌指標設置及定期巡查管理（4月）：4/8（一） → 4/9（二）\n{SOURCE}"]


def test_a_coordinator_still_gets_the_summary_when_no_date_moves(demo_db, feed):
    _place(demo_db)
    face, send = Clockface(), Pushes()
    evening = datetime(2024, 4, 9, 20, 0, tzinfo=TAIPEI)
    feed.publish([entry(evening, "臺北市", "明天停止上班、停止上課")])
    _clock(demo_db, feed, evening + timedelta(minutes=5), face, send).tend()
    with demo_db.sessions() as session:
        coordinator = session.scalar(select(Staff.line_user_id).where(Staff.role == Role.coordinator))
    assert any(to == coordinator and "已依公告把 4/10（三） 設為停止上班" in text for to, text in send.texts)


def test_the_demo_typhoon_night_replays_and_closures_arrive(planbot, demo_db):
    placed(planbot)
    code, out, err = planbot("calendar", "feed", "replay", "demo/typhoon_night.json", "--on", "2024-04-07")
    assert code == 0, err
    assert "查詢失敗（20:00）：公告網站限制查詢頻率（HTTP 429）" in out
    assert "上次查詢 19:35：臺北市 明天尚未宣布消息（等候宣布）" in out
    assert "上次查詢 20:10：臺北市 明天停止上班（已套用）" in out
    assert "重播完畢：7 次查詢。" in out
    assert sorted(overrides(demo_db)) == ["2024-04-08", "2024-04-09"]
    mine = [text for name, text, _ in notices(demo_db) if name == LI]
    assert "4/8（一） → 4/9（二）" in mine[0] and "4/9（二） → 4/10（三）" in mine[1]
    code, _, err = planbot("calendar", "feed", "replay", "README.md")
    assert code != 0 and "讀不了重播檔" in err


def test_a_closure_is_applied_once_on_each_database(demo_any, feed):
    """The same reading twice, on SQLite and PostgreSQL: one closure, one notice per person."""
    _place(demo_any)
    feed.publish([entry(SUNDAY_EVENING, "臺北市", "明天停止上班、停止上課")])
    face = Clockface()
    client = FeedClient(feed.url, sleep=face.sleep, monotonic=face.monotonic)
    with demo_any.sessions() as session:
        office_id = session.scalars(select(Office.id)).one()
    first = check_offices(demo_any.sessions, [office_id], client.fetch(), SUNDAY_EVENING + timedelta(minutes=5))
    second = check_offices(demo_any.sessions, [office_id], client.fetch(), SUNDAY_EVENING + timedelta(minutes=10))
    assert [d.outcome for d in first[0].decisions] == ["applied"]
    assert [d.outcome for d in second[0].decisions] == ["kept"]
    with demo_any.sessions() as session:
        assert [o.day.isoformat() for o in session.scalars(select(CalendarOverride))] == ["2024-04-08"]
        keys = list(session.scalars(select(Delivery.key).where(Delivery.key.startswith("notice:"))))
    assert len(keys) == len(set(keys)) == first[0].decisions[0].told + 1  # the owners and the coordinator


def test_after_failures_the_clock_waits_longer_and_a_failure_never_reads_as_open(demo_db, feed):
    _place(demo_db)
    face, send = Clockface(), Pushes()
    feed.fail(503, 3)
    _clock(demo_db, feed, SUNDAY_EVENING, face, send).tend()
    assert len(feed.requests) == 3 and face.slept == [6.0, 12.0]
    _clock(demo_db, feed, SUNDAY_EVENING + timedelta(hours=1), face, send).tend()
    assert len(feed.requests) == 3, "after a failed reading the next one waits two hours, not one"
    feed.publish([entry(SUNDAY_EVENING, "臺北市", "明天停止上班、停止上課")])
    _clock(demo_db, feed, SUNDAY_EVENING + timedelta(hours=2), face, send).tend()
    assert len(feed.requests) == 4 and "2024-04-08" in overrides(demo_db)
    with demo_db.sessions() as session:
        assert [c.ok for c in session.scalars(select(FeedCheck).order_by(FeedCheck.at))] == [False, True]


def test_the_feed_settings_default_to_the_keyless_json_feed(feed):
    assert Settings.from_env({}).closure_feed_url == "https://alerts.ncdr.nat.gov.tw/JSONAtomFeed.ashx?AlertType=33"
    assert Settings.from_env({"PLANBOT_CLOSURE_FEED_URL": "off"}).closure_feed_url is None
    given = Settings.from_env({"PLANBOT_CLOSURE_FEED_URL": feed.url, "PLANBOT_CLOSURE_FEED_KEY": " k-9 "})
    assert (given.closure_feed_url, given.closure_feed_key) == (feed.url, "k-9")
