"""The 5th-working-day round hands the coordinator working one-time links to the control table and the review report."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from bot.clock import clockwork
from bot.runtime import Runtime
from bot.settings import Settings as BotSettings
from bot.simulator_sender import SimulatorSender
from handlers.documents import exports
from schedules.clock import TAIPEI, FixedClock
from storage.models import Staff
from storage.sheets import read_tables
from tests.handler_fixtures import COORDINATOR

# April 2024's working days: 4/1, 4/2, 4/3, (4/4-4/5 Children's Day and Tomb Sweeping), 4/8, 4/9.
FIFTH_WORKING_DAY = datetime(2024, 4, 9, 8, 30, tzinfo=TAIPEI)


def uris(messages: list[dict]) -> list[str]:
    text = json.dumps(messages, ensure_ascii=False)
    return [part.split('"')[0] for part in text.split('"uri": "')[1:]]


def test_coordinator_gets_march_compiled_with_an_export_link(demo_db, tmp_path):
    sim = SimulatorSender()
    env = {"PUBLIC_URL": "http://bot.example"}
    runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, FixedClock(FIFTH_WORKING_DAY), BotSettings.from_env(env))
    report = clockwork(runtime, outbox=sim).morning()
    assert report.sent.failed == 0
    with demo_db.sessions() as session:
        coordinator = session.scalar(select(Staff).where(Staff.name == COORDINATOR)).line_user_id
    links = [u for m in sim.since(coordinator, 0) for u in uris([m.message]) if "/files/" in u]
    assert len(links) == 2 and all(u.startswith("http://bot.example/files/") for u in links)
    with demo_db.sessions() as session:
        table, review = (exports.take(session, u.rsplit("/", 1)[1], FIFTH_WORKING_DAY) for u in links)
        assert table is not None and table.filename.endswith(".xlsx") and "3月" in table.filename
        assert exports.take(session, links[0].rsplit("/", 1)[1], FIFTH_WORKING_DAY) is None  # one download only
    # and the month's review report, filed upward, as an editable .odt
    assert review.filename == "113年3月工作計畫執行情形彙整表.odt"
    path = tmp_path / review.filename
    path.write_bytes(review.content)
    header = read_tables(path)[0].rows[0]
    assert header[:2] == ["項次", "工作項目"] and header[-3:] == ["課室建議", "研考決定", "研考意見"]


def test_export_files_go_when_their_links_expire(demo_db):
    """The clock's files live in the database; the clock clears them at expiry, not a day or a night later."""
    from datetime import timedelta

    from storage.models import ExportFile

    env = {"PUBLIC_URL": "http://bot.example"}
    clock = FixedClock(FIFTH_WORKING_DAY)
    work = clockwork(Runtime(demo_db.url, demo_db.engine, demo_db.sessions, clock, BotSettings.from_env(env)), outbox=SimulatorSender())
    work.morning()
    with demo_db.sessions() as session:
        files = {e.id: e.content for e in session.scalars(select(ExportFile))}
    assert files and all(files.values())
    clock.set(FIFTH_WORKING_DAY + timedelta(hours=23, minutes=59))
    work.tend()
    with demo_db.sessions() as session:
        assert set(session.scalars(select(ExportFile.id))) == set(files)  # still live links
    clock.set(FIFTH_WORKING_DAY + timedelta(hours=24, minutes=5))  # the next 5-minute round after expiry
    work.tend()
    with demo_db.sessions() as session:
        assert not set(session.scalars(select(ExportFile.id))) & set(files)
    work.housekeeping()  # the night's housekeeping clears them too (and finds nothing left)
