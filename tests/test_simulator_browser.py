"""Headless Chromium opens the simulator, sends 本月 as a demo staff member and sees the reply card."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import make_server

from bot.app import create_app, start_answering
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator_sender import SimulatorSender
from handlers.imports.plan import import_plan
from handlers.imports.staff import import_staff, read_roster
from schedules.clock import FixedClock
from storage import queries
from tests.conftest import DEMO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MONDAY = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))

pytestmark = pytest.mark.browser
if CHROMIUM is None:
    if os.environ.get("CI", "").lower() == "true":
        raise RuntimeError("CI=true but Debian's chromium is not installed: .ci/run installs it")
    pytestmark = [pytest.mark.browser, pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")]


@pytest.fixture
def simulator_url(sqlite_db):
    with sqlite_db.sessions() as session:
        import_plan(session, DEMO / "wenshan-113.ods", 2024, MONDAY, tracking_from=date(2024, 1, 1))
        import_staff(session, queries.only_office(session), read_roster(DEMO / "staff.csv"), MONDAY, "staff.csv")
        session.commit()
    runtime = Runtime(sqlite_db.url, sqlite_db.engine, sqlite_db.sessions, FixedClock(MONDAY), Settings(simulator=True))
    app = create_app(runtime, SimulatorSender(), testing=True)
    start_answering(app)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_port}/simulator"
    http.shutdown()
    app.extensions["planbot"].dispatcher.stop()


def test_simulator_shows_the_reply_card_for_this_month(simulator_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 420, "height": 860})
        page.goto(simulator_url)
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
        browser.close()
