"""Headless Chromium opens the simulator, sends 本月 as a demo staff member and sees the reply card."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import make_server

from bot.app import create_app, start_answering
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator_sender import SimulatorSender
from handlers.office.imports.plan import import_plan
from handlers.office.imports.staff import import_staff, read_roster
from handlers.texts.web import SIMULATOR_STRANGER
from schedules.clock import FixedClock
from storage import queries
from storage.invites import create_invite
from storage.models import Delivery
from tests.conftest import DEMO
from tests.waiting import wait_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MONDAY = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))

pytestmark = pytest.mark.browser
if CHROMIUM is None:
    if os.environ.get("CI", "").lower() == "true":
        raise RuntimeError("CI=true but Debian's chromium is not installed: .ci/run installs it")
    pytestmark = [pytest.mark.browser, pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")]


@dataclass
class Simulator:
    """The simulator served over HTTP, with what it recorded and a binding code for 蔡宜臻 (not linked yet)."""

    url: str
    sender: SimulatorSender
    sessions: sessionmaker[Session]
    code: str


@contextmanager
def serving(sqlite_db) -> Iterator[Simulator]:
    """Serve the demo (plan, roster, 蔡宜臻 not linked yet) with the simulator over HTTP."""
    with sqlite_db.sessions() as session:
        import_plan(session, DEMO / "wenshan-113.ods", 2024, MONDAY, tracking_from=date(2024, 1, 1))
        import_staff(session, queries.only_office(session), read_roster(DEMO / "staff.csv"), MONDAY, "staff.csv")
        newcomer = queries.find_staff(session, "蔡宜臻")
        newcomer.line_user_id = None
        code, _expires = create_invite(session, newcomer, MONDAY)
        session.commit()
    runtime = Runtime(sqlite_db.url, sqlite_db.engine, sqlite_db.sessions, FixedClock(MONDAY), Settings(simulator=True))
    sender = SimulatorSender()
    app = create_app(runtime, sender, testing=True)
    start_answering(app)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        yield Simulator(f"http://127.0.0.1:{http.server_port}/simulator", sender, sqlite_db.sessions, code)
    finally:
        http.shutdown()
        app.extensions["planbot"].dispatcher.stop()


@pytest.fixture
def simulator(sqlite_db):
    with serving(sqlite_db) as served:
        yield served


@pytest.fixture
def simulator_url(sqlite_db):
    """The simulator's address alone (other browser tests take this one)."""
    with serving(sqlite_db) as served:
        yield served.url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield chromium
        chromium.close()


def expect(*args, **kwargs):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(*args, **kwargs)


def test_simulator_shows_the_reply_card_for_this_month(simulator, browser, tmp_path):
    page = browser.new_page(viewport={"width": 420, "height": 860})
    page.goto(simulator.url)
    picker = page.locator("#who")
    expect(picker.locator("option")).not_to_have_count(0)
    # 李冠緯 owns 戶籍資料課 11, whose 每月5日前 deadline moves from Children's Day (4/5) to Monday 4/8.
    owner = picker.locator("option", has_text="李冠緯").first
    picker.select_option(owner.get_attribute("value"))
    page.fill("#msg", "本月")
    page.press("#msg", "Enter")
    reply = page.locator("[data-testid=bot-message]").first
    expect(reply).to_be_visible(timeout=15000)
    expect(reply).to_contain_text("4/8（一）")
    expect(reply).to_contain_text("門牌")
    # The morning's digest, pushed by the clock, shows up in the same chat (marked as a push).
    page.click("#remind")
    pushed = page.locator("[data-testid=bot-message].push").first
    expect(pushed).to_be_visible(timeout=15000)
    expect(pushed).to_contain_text("門牌指標設置")
    page.screenshot(path=str(tmp_path / "simulator.png"))


# ---------------------------------------------------------------- a long chat, pushes, reloads and a phone


def _chat(page) -> list[str]:
    """Return the chat as drawn: one 'me:…', 'bot:…' or 'push:…' entry per message, top to bottom."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#chat > *')].map(n =>
             (n.classList.contains('me') ? 'me:' : n.classList.contains('push') ? 'push:' : 'bot:')
             + n.textContent.replace('推播', '').slice(0, 40))"""
    )


def _bot_messages(sender: SimulatorSender, sessions, user: str) -> int:
    """Return how many messages the bot sent the person: replies, and every message of each pushed digest."""
    replies = sum(1 for m in sender.since(user, 0) if m.via == "reply")
    with sessions() as session:
        rows = session.scalars(select(Delivery).where(Delivery.recipient == user, Delivery.sent_at.is_not(None))).all()
        return replies + sum(len(r.payload["replies"]) for r in rows)


def _pick(page, name: str) -> str:
    picker = page.locator("#who")
    expect(picker.locator("option")).not_to_have_count(0)
    user = picker.locator("option", has_text=name).first.get_attribute("value")
    picker.select_option(user)
    return user


def _say(page, text: str) -> None:
    before = page.locator("[data-testid=bot-message]").count()
    page.fill("#msg", text)
    page.press("#msg", "Enter")
    expect(page.locator("[data-testid=bot-message]")).not_to_have_count(before, timeout=15000)


def test_a_long_chat_keeps_pushes_in_time_order_draws_each_message_once_and_survives_a_reload(simulator, browser):
    page = browser.new_page(viewport={"width": 420, "height": 860})
    page.goto(simulator.url)
    user = _pick(page, "李冠緯")
    for text in ("我的", "本月", "逾期", "本週", "說明", "今天"):
        _say(page, text)
    # A reply that comes in while two polls are under way (the 1-second timer and the one after sending).
    replies = sum(1 for m in simulator.sender.since(user, 0) if m.via == "reply")
    page.request.post(simulator.url + "/api/send", data={"user": user, "text": "下個月"})
    wait_for(lambda: sum(1 for m in simulator.sender.since(user, 0) if m.via == "reply") > replies, "the reply to 下個月")
    page.evaluate("() => Promise.all([poll(), poll(), poll()])")
    # The morning's digest, pushed after a chat longer than the screen, is drawn at full height.
    page.click("#remind")
    pushed = page.locator("[data-testid=bot-message].push").first
    expect(pushed).to_contain_text("門牌指標設置", timeout=15000)
    assert pushed.bounding_box()["height"] > 100
    _say(page, "上個月")
    expect(page.locator("[data-testid=bot-message]")).to_have_count(
        _bot_messages(simulator.sender, simulator.sessions, user), timeout=15000)
    drawn = _chat(page)
    assert len(set(drawn)) == len(drawn), drawn  # nothing twice
    first_push = next(i for i, m in enumerate(drawn) if m.startswith("push:"))
    assert drawn[first_push - 1].startswith("bot:") and drawn[first_push - 2] == "me:下個月"
    assert drawn[-2] == "me:上個月" and drawn[-1].startswith("bot:")
    # Reloading shows the same chat: my messages too, and the push where it came in.
    page.reload()
    _pick(page, "李冠緯")
    expect(page.locator("#chat > *")).to_have_count(len(drawn), timeout=15000)
    assert _chat(page) == drawn


def test_a_stranger_who_binds_is_listed_by_name(simulator, browser):
    page = browser.new_page(viewport={"width": 420, "height": 860})
    page.goto(simulator.url)
    stranger = _pick(page, SIMULATOR_STRANGER)
    _say(page, f"綁定 {simulator.code}")
    expect(page.locator("[data-testid=bot-message]").last).to_contain_text("蔡宜臻")
    option = page.locator(f"#who option[value='{stranger}']")
    expect(option).to_contain_text("蔡宜臻")
    expect(page.locator("#who")).to_have_value(stranger)
    # The chat is still there, each message once.
    expect(page.locator("#chat > *")).to_have_count(2)
    assert _chat(page)[0] == f"me:綁定 {simulator.code}"
    # Another stranger is still offered to try binding again.
    expect(page.locator("#who option", has_text=SIMULATOR_STRANGER)).to_have_count(1)
    assert page.locator("#who option", has_text=SIMULATOR_STRANGER).get_attribute("value") != stranger


def test_on_a_375_px_phone_the_page_fits_and_the_send_button_shows(simulator, browser):
    page = browser.new_page(viewport={"width": 375, "height": 667})
    page.goto(simulator.url)
    _pick(page, "李冠緯")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    send = page.locator("#f button")
    expect(send).to_be_in_viewport(ratio=1)
    _say(page, "本月")
    expect(send).to_be_in_viewport(ratio=1)


def test_on_a_375_px_phone_the_menu_starts_folded_and_opens_on_a_tap(simulator, browser):
    page = browser.new_page(viewport={"width": 375, "height": 667})
    page.goto(simulator.url)
    _pick(page, "李冠緯")
    bar = page.locator("#richmenu .bar")
    expect(bar).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#richmenu .panel")).to_be_hidden()
    bar.click()
    expect(page.locator("#richmenu .panel")).to_be_visible()
    expect(bar).to_have_attribute("aria-expanded", "true")


def test_a_stranger_confirmed_by_someone_else_is_listed_by_name_without_saying_anything(simulator, browser):
    """我是 蔡宜臻, then her chief taps 同意 elsewhere: the stranger's entry becomes 蔡宜臻 on its own."""
    import requests
    from sqlalchemy import select

    from storage.models import Delivery

    page = browser.new_page(viewport={"width": 420, "height": 860})
    page.goto(simulator.url)
    stranger = _pick(page, SIMULATOR_STRANGER)
    _say(page, "我是 蔡宜臻")
    expect(page.locator("[data-testid=bot-message]").last).to_contain_text("已通知")
    with simulator.sessions() as session:
        chief = queries.find_staff(session, "江淑惠").line_user_id
        card = session.scalar(select(Delivery.payload).where(Delivery.recipient == chief, Delivery.key.like("notice:%")))
    approve = next(b["data"] for b in card["replies"][0]["buttons"] if b["label"] == "同意")
    answered = requests.post(simulator.url + "/api/send", json={"user": chief, "data": approve}, timeout=30)
    assert answered.status_code == 200
    expect(page.locator(f"#who option[value='{stranger}']")).to_contain_text("蔡宜臻", timeout=10000)
