"""Headless Chromium signs in to the console with a link from `planbot console link`, reports a cell, adds a closure,
prints the QR sheet, imports a plan (a bad file first), downloads the PDF table, and fits a phone's width."""

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
from handlers.core.incoming import Settings as HandlerSettings
from handlers.office.imports.plan import import_plan
from handlers.office.imports.staff import import_staff, read_roster
from schedules.clock import FixedClock
from storage import queries
from storage.models import Staff
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
        office = queries.only_office(session)
        import_staff(session, office, read_roster(DEMO / "staff.csv"), MONDAY, "staff.csv")
        # Two newcomers not linked in LINE yet, for the QR onboarding sheet.
        section = queries.find_section(session, office.id, "戶籍登記課")
        session.add_all(Staff(office_id=office.id, name=name, section_id=section.id) for name in ("王新人", "林新人"))
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


GOOD_PLAN = "編號,課室,計畫項目,承辦人,預定作業時程\n1,戶籍資料課,測試項目甲,李冠緯,每月5日前\n2,戶籍資料課,測試項目乙,李冠緯,3月31日前\n"
BAD_PLAN = GOOD_PLAN + "3,戶籍資料課," + "很長" * 101 + ",李冠緯,6月30日前\n"


def plan_file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}


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
        # axe is injected as a script, which the console's Content-Security-Policy would refuse.
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-TW", bypass_csp=True)
        page.goto(base + path)
        page.get_by_role("button", name="登入").click()
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
        expect(row.locator("td[data-month='4']")).to_have_attribute("data-state", "done_on_time")
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
        # The QR onboarding sheet for everyone not yet linked downloads as a PDF.
        with page.expect_download() as sheet:
            page.get_by_role("button", name="列印全部未綁定同仁的 QR code 綁定單（PDF）").click()
        assert Path(sheet.value.path()).read_bytes().startswith(b"%PDF")
        # A plan file with one bad row: the problem is shown by row and column, and nothing can be confirmed.
        page.get_by_role("link", name="匯入計畫").click()
        assert serious_violations(page) == []
        page.get_by_label("計畫檔").set_input_files(plan_file("bad.csv", BAD_PLAN))
        page.get_by_label("計畫年度（西元或民國，例：2024 或 113）").fill("2025")
        page.get_by_role("button", name="上傳並試算").click()
        expect(page.locator("tr.problem.fatal")).to_contain_text("第 4 列")
        expect(page.get_by_role("button", name="確定匯入")).to_have_count(0)
        assert serious_violations(page) == []
        page.get_by_label("計畫檔").set_input_files(plan_file("good.csv", GOOD_PLAN))
        page.get_by_label("計畫年度（西元或民國，例：2024 或 113）").fill("2025")
        page.get_by_role("button", name="上傳並試算").click()
        expect(page.get_by_test_id("import-counts")).to_have_text("讀到 2 個項目：新增 2、更新 0、未變 0")
        page.get_by_role("button", name="確定匯入").click()
        expect(page.locator("h2#report-title")).to_contain_text("已匯入")
        page.get_by_role("link", name="提醒").click()
        expect(page.locator("h1")).to_have_text("提醒")
        assert serious_violations(page) == []
        page.get_by_role("link", name="匯出").click()
        with page.expect_download() as table:
            page.get_by_role("button", name="下載 PDF（列印、歸檔）").click()
        assert Path(table.value.path()).read_bytes().startswith(b"%PDF")
        assert serious_violations(page) == []
        page.get_by_role("link", name="管考").click()
        expect(page.locator("h1")).to_contain_text("月管考")
        expect(page.locator("details.legend")).to_contain_text("紅燈：逾期超過 5 個工作天")
        assert serious_violations(page) == []
        with page.expect_download() as report:
            page.get_by_role("link", name="執行情形彙整表（odt）").click()
        assert Path(report.value.path()).read_bytes().startswith(b"PK")
        # On a phone every page fits the screen's width: only the year table scrolls, inside its own box.
        page.set_viewport_size({"width": 390, "height": 844})
        for where in ("/console/", "/console/staff", "/console/import", "/console/reminders", "/console/calendar", "/console/export",
                      "/console/review"):
            page.goto(base + where)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), where
        page.set_viewport_size({"width": 1366, "height": 768})
        page.get_by_role("button", name="登出").click()
        expect(page.get_by_role("alert")).to_contain_text("已登出")
        page.goto(base + "/console/")
        expect(page.get_by_role("alert")).to_contain_text("請先登入")
        browser.close()


def test_a_city_viewer_signs_in_reads_the_offices_table_and_downloads_a_report(console_url, monkeypatch, capsys):
    from playwright.sync_api import expect, sync_playwright

    database_url, base = console_url
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["city", "viewer", "add", "王民政", "--unit", "臺北市政府民政局"]) == 0
    path = re.search(r"(/console/city/signin/\S+)", capsys.readouterr().out).group(1)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-TW", bypass_csp=True)
        page.goto(base + path)
        page.get_by_role("button", name="登入").click()
        expect(page.locator("h1")).to_have_text("113年4月 各所工作計畫進度")
        office = page.get_by_role("row", name=re.compile("臺北市文山區戶政事務所"))
        expect(office).to_contain_text("尚無到期")  # April's first deadline is today
        assert serious_violations(page) == []
        page.get_by_label("月份").select_option("3")
        page.get_by_role("button", name="查看").click()
        expect(page.locator("h1")).to_have_text("113年3月 各所工作計畫進度")
        with page.expect_download() as report:
            page.get_by_role("link", name="臺北市文山區戶政事務所 執行情形彙整表 odt").click()
        assert Path(report.value.path()).read_bytes().startswith(b"PK")
        assert report.value.suggested_filename == "113年3月工作計畫執行情形彙整表.odt"
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.goto(base + "/console/")
        expect(page.get_by_role("alert")).to_contain_text("市府檢視者只能看各所進度頁")
        page.get_by_role("link", name="回各所進度頁").first.click()
        page.get_by_role("button", name="登出").click()
        expect(page.get_by_role("alert")).to_contain_text("已登出各所進度頁")
        browser.close()


def test_a_page_on_another_site_cannot_sign_a_visitor_in_with_a_link(console_url, monkeypatch, capsys):
    """Another site's page posts the coordinator's link as soon as it opens (login CSRF): the visitor is not signed
    in, is told to open the link again, and the link, opened and pressed, still signs in."""
    from playwright.sync_api import expect, sync_playwright
    from werkzeug.wrappers import Response

    database_url, base = console_url
    path = signin_path(database_url, monkeypatch, capsys)
    # 127.0.0.1 and localhost are different sites to the browser.
    form = (f'<!doctype html><form method="post" action="{base}{path}"><input type="hidden" name="proof" value="x">'
            f'</form><script>document.forms[0].submit()</script>')
    evil = make_server("127.0.0.1", 0, lambda env, start: Response(form, mimetype="text/html")(env, start), threaded=True)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(locale="zh-TW")
            page.goto(base + path)  # the visitor has even opened the link's page before, in this browser
            page.goto(f"http://localhost:{evil.server_port}/")
            expect(page.get_by_role("alert")).to_contain_text("沒有登入")
            assert page.url == base + path
            page.goto(base + "/console/")
            expect(page.get_by_role("alert")).to_contain_text("請先登入")
            page.goto(base + path)
            page.get_by_role("button", name="登入").click()
            expect(page.locator("h1")).to_have_text("2024 年度管制表")
            browser.close()
    finally:
        evil.shutdown()
