"""One morning is planned in one place: the dry run shows what the clock then writes, and LINE's quota is read once."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from bot.cli import main
from bot.clock import clockwork
from bot.runtime import Runtime
from bot.settings import Settings as BotSettings
from schedules.clock import TAIPEI, FixedClock
from storage.models import Delivery
from tests.fakes.line_api import FakeLineAPI


def _reasons(entry: dict) -> str:
    return ",".join(sorted({item["reason"] for item in entry["items"]}))


def test_the_dry_run_lists_what_the_clock_writes_even_after_a_missed_morning(demo_db, capsys):
    # 4/2 and 4/3 were missed (4/4 and 4/5 are holidays): the 4/8 morning folds their lines in, and so does its dry run.
    env = {"DATABASE_URL": demo_db.url}
    assert main(["remind", "--at", "2024-04-01T08:30"], env) == 0  # the clock ran on Monday, then was down
    capsys.readouterr()
    assert main(["remind", "--at", "2024-04-08T08:30", "--dry-run", "--json", "--details"], env) == 0
    shown = json.loads(capsys.readouterr().out)
    assert main(["remind", "--at", "2024-04-08T08:30"], env) == 0
    assert "4/2（二）" in capsys.readouterr().out  # the run says which mornings it caught up
    with demo_db.sessions() as session:
        rows = session.scalars(select(Delivery).where(Delivery.morning == date(2024, 4, 8))).all()
    written = sorted(row.reasons for row in rows if row.key.startswith("digest:"))
    assert written and sorted(_reasons(d) for d in shown if d["via"] != "none") == written


def test_a_morning_reads_lines_quota_once(demo_db):
    with FakeLineAPI(access_token="t") as api:
        api.set_quota(1000, used=0)
        env = {"LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_API_BASE": api.base_url, "PLANBOT_PUSH_TIMEOUT": "5"}
        moment = datetime(2024, 4, 1, 8, 30, tzinfo=TAIPEI)
        runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, FixedClock(moment), BotSettings.from_env(env))
        work = clockwork(runtime)
        work.pause, work.sleep = 0, (lambda _s: None)
        report = work.morning()
        assert report.sent.sent == len(api.delivered) > 5 and report.sent.left == 0
        assert len(api.requests_to("/v2/bot/message/quota/consumption")) == 1
