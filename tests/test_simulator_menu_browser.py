"""Headless Chromium: the simulator shows a chief's rich menu with tabs, and a tap is answered like a typed word."""

from __future__ import annotations

import os

from tests import test_simulator_browser as browser_tests

CHROMIUM = browser_tests.CHROMIUM
simulator_url = browser_tests.simulator_url  # the demo served with the simulator, as the other browser test uses

pytestmark = browser_tests.pytestmark


def test_chief_switches_tab_and_taps_summary(simulator_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 420, "height": 900})
        page.goto(simulator_url)
        picker = page.locator("#who")
        expect(picker.locator("option")).not_to_have_count(0)
        chief = picker.locator("option", has_text="江淑惠").first
        picker.select_option(chief.get_attribute("value"))
        menu = page.locator("#richmenu")
        expect(menu.get_by_role("button", name="今天")).to_be_visible(timeout=15000)
        expect(menu.get_by_role("button", name="摘要")).to_have_count(0)
        menu.get_by_role("tab", name="課室管理").click()
        summary = menu.get_by_role("button", name="摘要")
        expect(summary).to_be_visible()
        summary.click()
        reply = page.locator("[data-testid=bot-message]").first
        expect(reply).to_be_visible(timeout=15000)
        expect(reply).to_contain_text("戶籍資料課")
        if os.environ.get("PLANBOT_SCREENSHOT_DIR"):
            page.screenshot(path=os.path.join(os.environ["PLANBOT_SCREENSHOT_DIR"], "simulator-richmenu.png"))
        browser.close()


