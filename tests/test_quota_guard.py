"""The clock fits a fan-out in LINE's monthly quota (the push budget) and warns the coordinator."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from bot.app import create_app
from bot.clock import clockwork
from bot.line_api import LineSender
from bot.runtime import Runtime
from bot.settings import Settings as BotSettings
from schedules.clock import TAIPEI, FixedClock
from storage.models import HeldLine, Staff
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import COORDINATOR

FIRST_WORKING_DAY = datetime(2024, 4, 1, 8, 30, tzinfo=TAIPEI)  # the monthly round asks every owner


def run_morning(db, api: FakeLineAPI):
    env = {"LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_API_BASE": api.base_url, "PLANBOT_PUSH_TIMEOUT": "5"}
    runtime = Runtime(db.url, db.engine, db.sessions, FixedClock(FIRST_WORKING_DAY), BotSettings.from_env(env))
    work = clockwork(runtime)
    work.pause, work.sleep = 0, (lambda _s: None)
    return work.morning()


def test_a_fan_out_over_the_quota_is_cut_to_fit_and_the_coordinator_warned(demo_db):
    with FakeLineAPI(access_token="t") as api:
        api.set_quota(20, used=15)
        report = run_morning(demo_db, api)
        with demo_db.sessions() as session:
            coordinator = session.scalar(select(Staff).where(Staff.name == COORDINATOR)).line_user_id
            held = session.scalars(select(HeldLine)).all()
        assert report.mode == "budget" and api.consumption <= 20 and api.rejected == []
        assert len(api.delivered) == report.pushes == 5 and report.sent.left == 0  # 4 digests and the warning
        warnings = [d for d in api.delivered if "超過額度" in str(d.messages)]
        assert [d.recipient for d in warnings] == [coordinator]
        # Nothing was dropped in silence: the lines not pushed wait for each person's next reply.
        assert len(held) == report.held > 0


def test_within_the_quota_every_digest_goes_out(demo_db):
    with FakeLineAPI(access_token="t") as api:
        api.set_quota(1000, used=0)
        report = run_morning(demo_db, api)
        assert report.sent.sent == len(api.delivered) > 5 and report.sent.left == 0
        assert not any("額度不足" in str(d.messages) for d in api.delivered)
        assert api.rejected == []


def test_held_reminders_ride_along_with_the_next_reply_through_line_once(demo_db):
    with FakeLineAPI(access_token="t") as api:
        api.set_quota(20, used=15)
        report = run_morning(demo_db, api)
        with demo_db.sessions() as session:
            row = session.scalars(select(HeldLine)).first()
            person = session.get(Staff, row.staff_id)
            untold = session.query(HeldLine).filter_by(staff_id=person.id, told_at=None).count()
        assert report.held and untold
        settings = BotSettings(channel_secret="s")
        runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, FixedClock(FIRST_WORKING_DAY), settings)
        app = create_app(runtime, LineSender("t", base_url=api.base_url, timeout=5, sleep=lambda _s: None), testing=True)
        client = app.test_client()
        texts = []
        for _attempt in range(2):
            token = api.issue_reply_token(person.line_user_id)
            raw, headers = webhooks.signed_request("s", [webhooks.text_event(person.line_user_id, "本週", reply_token=token)])
            assert client.post("/callback", data=raw, headers=headers).status_code == 200
            app.extensions["planbot"].dispatcher.drain()
            (reply,) = [r for r in api.requests_to("/v2/bot/message/reply") if (r.json or {}).get("replyToken") == token]
            texts.append(json.dumps(reply.json["messages"], ensure_ascii=False))
        assert "沒有推播" in texts[0] and "沒有推播" not in texts[1]
        with demo_db.sessions() as session:
            assert session.query(HeldLine).filter_by(staff_id=person.id, told_at=None).count() == 0
        assert api.rejected == []


def test_a_group_asks_for_private_answers_only_while_lines_quota_has_room(demo_db):
    from bot.app import make_dispatcher
    from bot.event_journal import EventJournal
    from storage import queries as q
    from storage.models import Delivery, Section

    group = "C" + "9" * 32
    with demo_db.sessions() as session:
        session.scalar(select(Section).where(Section.name == "戶籍資料課")).line_group_id = group
        coordinator = q.find_staff(session, COORDINATOR).line_user_id
        session.commit()
    with FakeLineAPI(access_token="t") as api:
        api.set_quota(200, used=199)  # one push left this month, by LINE's count
        env = {"LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_API_BASE": api.base_url}
        clock = FixedClock(datetime(2024, 4, 8, 9, 0, tzinfo=TAIPEI))
        runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, clock, BotSettings.from_env(env))
        dispatcher = make_dispatcher(runtime)
        journal = EventJournal(demo_db.engine, clock.now)
        for _ in range(3):
            journal.record([webhooks.text_event(coordinator, "逾期 全所", group_id=group, timestamp=clock.now(),
                                                reply_token=api.issue_reply_token(group))])
            clock.advance(seconds=1)
            dispatcher.drain()
        with demo_db.sessions() as session:
            private = session.scalars(select(Delivery).where(Delivery.key.startswith("notice:private:"))).all()
        said = [json.dumps(r.json, ensure_ascii=False) for r in api.requests_to("/reply")]
        assert len(private) == 1 and api.consumption == 200
        assert sum("本月的推播額度所剩不多" in s for s in said) == 2
        dispatcher.shutdown()
