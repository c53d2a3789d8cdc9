"""Headless Chromium signs in to the console with a link from `planbot console link`, reports a cell, adds a closure."""

from __future__ import annotations

import os
import re
import shutil
import threading
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import make_server

from bot.app import create_app
from bot.cli import main
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator_sender import SimulatorSender
from handlers.imports.plan import import_plan
from handlers.imports.staff import import_staff, read_roster
from handlers.incoming import Settings as HandlerSettings
from schedules.clock import FixedClock
from storage import queries
from tests.conftest import DEMO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MONDAY = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))
COORDINATOR = "簡心怡"
# Where the README's screenshot of the year table comes from: PLANBOT_SCREENSHOT_DIR=docs pytest tests/test_console_browser.py
SCREENSHOT_DIR = os.environ.get("PLANBOT_SCREENSHOT_DIR")

pytestmark = pytest.mark.browser
if CHROMIUM is None:
    if os.environ.get("CI", "").lower() == "true":
        raise RuntimeError("CI=true but Debian's chromium is not installed: .ci/run installs it")
    pytestmark = [pytest.mark.browser, pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")]


@pytest.fixture
def console_url(sqlite_db):
    with sqlite_db.sessions() as session:
        import_plan(session, DEMO / "wenshan-113.ods", 2024, MONDAY)
        import_staff(session, queries.only_office(session), read_roster(DEMO / "staff.csv"), MONDAY, "staff.csv")
        session.commit()
    settings = Settings(handlers=HandlerSettings(public_url="http://127.0.0.1"))
    app = create_app(Runtime(sqlite_db.url, sqlite_db.engine, sqlite_db.sessions, FixedClock(MONDAY), settings), SimulatorSender(), testing=True)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield sqlite_db.url, f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


def signin_path(database_url: str, monkeypatch, capsys) -> str:
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["console", "link", COORDINATOR]) == 0
    return re.search(r"(/console/signin/\S+)", capsys.readouterr().out).group(1)


def serious_violations(page) -> list[str]:
    """Run axe-core in the page and return its serious and critical findings."""
    axe = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    page.add_script_tag(content=axe)
    found = page.evaluate("async () => (await axe.run()).violations.map(v => [v.impact, v.id, v.help])")
    return [f"{impact} {rule}: {help}" for impact, rule, help in found if impact in ("serious", "critical")]


def test_coordinator_signs_in_reports_a_cell_and_sees_its_colour_change(console_url, monkeypatch, capsys, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    database_url, base = console_url
    path = signin_path(database_url, monkeypatch, capsys)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-TW")
        page.goto(base + path)
        expect(page.locator("h1")).to_have_text("2024 年度管制表")
        assert serious_violations(page) == []
        # 李冠緯's 門牌指標 (戶籍資料課 11) is due every month by the 5th; April's moved to Monday 4/8.
        row = page.locator("table[data-section=戶籍資料課] tr", has=page.locator("th", has_text=re.compile(r"^11$")))
        april = row.locator("td[data-month='4']")
        expect(april).to_have_attribute("data-state", "not_due")
        april.locator("a").click()
        expect(page.locator("h1")).to_contain_text("門牌指標")
        assert serious_violations(page) == []
        page.get_by_label("狀態").first.select_option("done")
        page.get_by_label("備註（可不填）").first.fill("已全數設置")
        page.get_by_role("button", name="送出回報").first.click()
        expect(page.get_by_role("status")).to_contain_text("已記錄")
        expect(page.locator("li", has_text="已全數設置")).to_contain_text("簡心怡")
        page.get_by_role("link", name="回年度管制表").click()
        expect(row.locator("td[data-month='4']")).to_have_attribute("data-state", "done")
        page.screenshot(path=str(Path(SCREENSHOT_DIR or tmp_path) / "console-year-table.png"))
        # A typhoon closes the office on Monday 4/8: the preview names the deadline it moves, then it is saved.
        page.get_by_role("link", name="行事曆").click()
        page.get_by_label("日期").fill("2024-04-08")
        page.get_by_label("原因（例：凱米颱風停止上班）").fill("颱風停止上班")
        page.get_by_role("button", name="預覽會移動的期限").click()
        expect(page.locator("li.moved", has_text="門牌指標")).to_contain_text("4/8（一） → 4/9（二）")
        assert serious_violations(page) == []
        page.get_by_role("button", name="確定儲存").click()
        expect(page.get_by_role("status")).to_contain_text("已儲存")
        expect(page.locator("tr[data-day='2024-04-08']")).to_contain_text("颱風停止上班")
        page.get_by_role("link", name="同仁").click()
        page.get_by_role("button", name="發綁定碼給楊凱").click()
        expect(page.get_by_test_id("invite-code")).to_have_text(re.compile(r"^[A-Z0-9]{8}$"))
        assert serious_violations(page) == []
        page.get_by_role("button", name="登出").click()
        expect(page.get_by_role("alert")).to_contain_text("已登出")
        page.goto(base + "/console/")
        expect(page.get_by_role("alert")).to_contain_text("請先登入")
        browser.close()
