"""Each office has its own calendar: a typhoon closes one office's day, not the other's, however it is set
(the chat's 停班, the CLI with --office), and the clock plans each office's morning on its own calendar."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.cli import main
from schedules.plan_inputs import calendar_of
from storage import queries
from storage.models import CalendarOverride, Delivery, Staff
from tests.handler_fixtures import COORDINATOR, OFFICE
from tests.test_office_isolation import B_OFFICE, MARK, _build_b


@pytest.fixture
def two(demo_db, tmp_path):
    with demo_db.sessions() as session:
        b = _build_b(session, tmp_path)  # B is closed on 4/9 (its typhoon)
        session.commit()
    with demo_db.sessions() as session:
        a = queries.find_office(session, OFFICE).id
    return demo_db, a, b


def closures(db, office_id: int) -> set[date]:
    with db.sessions() as session:
        return set(calendar_of(session, office_id).closures)


def test_the_chat_closure_of_a_coordinator_closes_their_office_only(two, monkeypatch, capsys):
    db, a, b = two
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert main(["say", "--as", COORDINATOR, "--office", OFFICE, "--at", "2024-04-08 09:00", "停班 4/10 颱風停止上班"]) == 0
    ask = capsys.readouterr().out
    assert "4/10（三）" in ask and MARK not in ask
    confirm = "a=closure&op=close&f=2024-04-10&t=2024-04-10"
    assert main(["say", "--as", COORDINATOR, "--office", OFFICE, "--at", "2024-04-08 09:01", "--postback", confirm]) == 0
    assert "已設定" in capsys.readouterr().out
    assert closures(db, a) == {date(2024, 4, 10)}
    assert closures(db, b) == {date(2024, 4, 9)}


def test_the_cli_closes_the_office_named_and_asks_which_among_several(two, monkeypatch, capsys):
    db, a, b = two
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert main(["calendar", "closure", "add", "2024-04-11", "--reason", "豪雨"]) == 1
    err = capsys.readouterr().err
    assert OFFICE in err and B_OFFICE in err
    assert main(["calendar", "closure", "add", "2024-04-11", "--reason", "豪雨", "--office", OFFICE]) == 0
    assert closures(db, a) == {date(2024, 4, 11)}
    assert closures(db, b) == {date(2024, 4, 9)}
    capsys.readouterr()
    assert main(["calendar", "show", "113", "--office", B_OFFICE]) == 0
    shown = capsys.readouterr().out
    assert f"{MARK}颱風" in shown and "豪雨" not in shown


def test_the_clock_plans_each_office_on_its_own_calendar(two, monkeypatch, capsys):
    db, a, b = two
    env = {"DATABASE_URL": db.url}
    assert main(["remind", "--at", "2024-04-09T08:30"], env) == 0  # B's typhoon day, A's working day
    with db.sessions() as session:
        offices = {s.id: s.office_id for s in session.scalars(select(Staff))}
        rows = session.scalars(select(Delivery).where(Delivery.morning == date(2024, 4, 9))).all()
        digests = [r for r in rows if r.key.startswith("digest:") and r.staff_id is not None]
        assert digests and {offices[r.staff_id] for r in digests} == {a}
        assert session.scalars(select(CalendarOverride.office_id)).all() == [b]


def test_a_closure_announced_for_one_county_closes_the_office_placed_there_only(two, monkeypatch, capsys):
    from datetime import datetime

    from fakes.closure_feed import FakeClosureFeed, entry

    from schedules.clock import TAIPEI

    db, a, b = two
    monkeypatch.setenv("DATABASE_URL", db.url)
    with FakeClosureFeed() as feed:
        env = {"PLANBOT_CLOSURE_FEED_URL": feed.url, "PLANBOT_LOG_LEVEL": "WARNING"}
        assert main(["office", "location", "--county", "臺北市", "--district", "文山區", "--office", OFFICE], env) == 0
        assert main(["office", "location", "--county", "高雄市", "--office", B_OFFICE], env) == 0
        feed.publish([entry(datetime(2024, 4, 7, 20, 5, tzinfo=TAIPEI), "臺北市", "明天停止上班、停止上課")])
        assert main(["calendar", "feed", "check", "--at", "2024-04-07 20:10"], env) == 0
    capsys.readouterr()
    assert closures(db, a) == {date(2024, 4, 8)}
    assert closures(db, b) == {date(2024, 4, 9)}
