"""The simulator shows each person's rich menu from the same data as LINE's, and its taps take LINE's path."""

from __future__ import annotations

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator import UNKNOWN_USER
from bot.simulator_sender import SimulatorSender
from handlers.chat.rich_menus import pages_of
from schedules.clock import FixedClock
from storage import queries
from tests.handler_fixtures import MONDAY


def _app(demo_db):
    runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, FixedClock(MONDAY),
                      Settings(simulator=True, sync_events=True))
    return create_app(runtime, SimulatorSender(), testing=True)


def _user(demo_db, name: str) -> str:
    with demo_db.sessions() as session:
        return queries.find_staff(session, name).line_user_id


def test_each_person_sees_their_role_menu(demo_db):
    client = _app(demo_db).test_client()
    staff = client.get(f"/simulator/api/menu?user={_user(demo_db, '李冠緯')}").get_json()["pages"]
    assert [a["label"] for a in staff[0]["areas"]] == ["今天", "本週", "逾期", "回報", "我的", "說明"]
    chief = client.get(f"/simulator/api/menu?user={_user(demo_db, '江淑惠')}").get_json()["pages"]
    assert [p["alias"] for p in chief] == [p.alias for p in pages_of("chief")]
    assert [a["label"] for a in chief[1]["areas"] if not a["tab"]] == ["摘要", "未回報"]
    stranger = client.get(f"/simulator/api/menu?user={UNKNOWN_USER}").get_json()["pages"]
    assert [p["alias"] for p in stranger] == ["planbot-staff"]


def test_a_menu_tap_goes_through_the_webhook_like_typing(demo_db):
    app = _app(demo_db)
    client = app.test_client()
    user = _user(demo_db, "簡心怡")
    office = client.get(f"/simulator/api/menu?user={user}").get_json()["pages"][1]
    whole = next(a for a in office["areas"] if a["label"] == "全所")
    assert client.post("/simulator/api/send", json={"user": user, "text": whole["text"]}).get_json()["status"] == 200
    tab = next(a for a in office["areas"] if a["tab"])
    assert client.post("/simulator/api/send", json={"user": user, "data": tab["data"]}).get_json()["status"] == 200
    shown = [m for m in client.get(f"/simulator/api/messages?user={user}").get_json() if m["via"] != "me"]
    assert len(shown) == 1 and "全所" in str(shown[0]["message"])  # the summary; the tab's postback says nothing


def test_the_page_includes_the_menu(demo_db):
    page = _app(demo_db).test_client().get("/simulator").get_data(as_text=True)
    assert 'id="richmenu"' in page and "/simulator/api/menu" in page


def test_an_introduction_in_the_simulator_shows_the_card_to_the_coordinator_once(demo_db):
    with demo_db.sessions() as session:
        queries.find_staff(session, "陳怡君").line_user_id = None
        session.commit()
    client = _app(demo_db).test_client()
    client.post("/simulator/api/send", json={"user": UNKNOWN_USER, "text": "我是 陳怡君"})
    assert "已通知研考確認" in str(client.get(f"/simulator/api/messages?user={UNKNOWN_USER}").get_json())
    shown = client.get(f"/simulator/api/messages?user={_user(demo_db, '簡心怡')}").get_json()
    assert len(shown) == 1 and shown[0]["via"] == "push" and "同意" in str(shown[0]["message"])
