"""The clock fits a fan-out in LINE's monthly quota (the push budget) and warns the coordinator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.clock import clockwork
from bot.runtime import Runtime
from bot.settings import Settings as BotSettings
from schedules.clock import TAIPEI, FixedClock
from storage.models import HeldLine, Staff
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
        assert report.sent.sent == len(api.delivered) == 5 and report.sent.left == 0
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
