"""`PLANBOT_DEMO_OFFICES=2 make demo`: two offices loaded as the demo loads one, and a simulator that picks the office."""

from __future__ import annotations

import json
import os

import pytest

import bot.demo
from bot.app import create_app
from bot.cli import main
from bot.demo import OFFICES, demo_offices, environment, steps
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator import GROUP, group_of
from bot.simulator_sender import SimulatorSender
from schedules.clock import FixedClock, SystemClock
from storage.db import make_engine, session_factory

WENSHAN_COORDINATOR = "簡心怡"
DATONG_COORDINATOR, DATONG_COORDINATOR_ID = "溫雅琪", "Uf64b7e80b5242db7cbc52ece6f878fd8"
DATONG_ITEM, WENSHAN_SECTION = "市容查報", "戶籍登記課"


def test_the_demo_loads_one_office_unless_asked_for_two():
    assert demo_offices({}) == 1 and demo_offices({"PLANBOT_DEMO_OFFICES": "2"}) == 2
    for bad in ("0", "3", "two", "-1"):
        assert demo_offices({"PLANBOT_DEMO_OFFICES": bad}) is None
    assert [step[0] for step in steps(OFFICES[:1], 2026)] == ["db", "import", "staff", "office"]


@pytest.fixture
def two_offices(tmp_path, monkeypatch):
    """A database set up as `PLANBOT_DEMO_OFFICES=2 make demo` does, histories included."""
    env = environment({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}) | {"PLANBOT_EXPORT_DIR": str(tmp_path / "x")}
    year = SystemClock().now().year
    for args in steps(OFFICES, year):
        assert main(args, env) == 0, args
    monkeypatch.setattr(os, "environ", {**os.environ, **env})
    for office in OFFICES:
        bot.demo._fill_history(office.name, year, several=True)
    return env


def test_two_offices_each_get_a_history_and_their_coordinators_sign_in_link(two_offices, capsys):
    capsys.readouterr()
    links = [bot.demo.console_signin(office.name) for office in OFFICES]
    assert [name for name, _ in links] == [WENSHAN_COORDINATOR, DATONG_COORDINATOR]
    # Each office's own figures, as `planbot summary --office` counts them (no command may guess the office).
    assert main(["summary", "--json"], two_offices) != 0
    capsys.readouterr()
    people = []
    for office in OFFICES:
        assert main(["summary", "--office", office.name, "--json"], two_offices) == 0
        found = json.loads(capsys.readouterr().out)
        assert found["due"] > 0
        people.append({p["name"] for p in found["people"]})
    assert people[0] and people[1] and not people[0] & people[1]  # each office counts its own people


def test_the_simulator_picks_the_office_and_talks_to_its_people(two_offices):
    settings = Settings.from_env(two_offices)
    engine = make_engine(settings.database_url)
    now = SystemClock().now()  # the histories run to today: this month still has work open
    runtime = Runtime(settings.database_url, engine, session_factory(engine), FixedClock(now),
                      Settings.from_env(two_offices | {"PLANBOT_SYNC_EVENTS": "1"}))
    sender = SimulatorSender()
    client = create_app(runtime, sender, testing=True).test_client()
    offices = client.get("/simulator/api/offices").get_json()
    assert [o["name"] for o in offices] == [o.name for o in OFFICES]
    datong = offices[1]["id"]
    people = client.get(f"/simulator/api/people?office={datong}").get_json()
    names = {p["name"] for p in people}
    assert DATONG_COORDINATOR in names and WENSHAN_COORDINATOR not in names
    everyone = {p["name"] for p in client.get("/simulator/api/people").get_json()}
    assert {DATONG_COORDINATOR, WENSHAN_COORDINATOR} <= everyone
    sent = client.post("/simulator/api/send", json={"user": DATONG_COORDINATOR_ID, "office": datong, "text": DATONG_ITEM})
    assert sent.status_code == 200
    chat = client.get(f"/simulator/api/messages?user={DATONG_COORDINATOR_ID}").get_json()
    answer = " ".join(str(m["message"]) for m in chat if m["via"] != "me")
    assert DATONG_ITEM in answer and "民政課" in answer and WENSHAN_SECTION not in answer
    # Each office has its own group chat in the simulator; the first office's is the one it always had.
    assert group_of(offices[0]["id"]) == GROUP and group_of(datong) != GROUP
    env_page = client.get("/simulator/").get_data(as_text=True)
    assert 'id="office"' in env_page


def test_say_writes_to_the_office_named_and_refuses_to_guess(two_offices, capsys):
    capsys.readouterr()
    assert main(["say", "--as", DATONG_COORDINATOR, DATONG_ITEM], two_offices) != 0  # two offices: which account?
    assert "臺北市大同區公所" in capsys.readouterr().err
    assert main(["say", "--as", DATONG_COORDINATOR, "--office", OFFICES[1].name, DATONG_ITEM], two_offices) == 0
    answer = capsys.readouterr().out
    assert DATONG_ITEM in answer and WENSHAN_SECTION not in answer
    # Wenshan's account knows nothing of Datong's people: she is a stranger there, and sees none of its items.
    assert main(["say", "--as", DATONG_COORDINATOR, "--office", OFFICES[0].name, DATONG_ITEM], two_offices) == 0
    out, err = capsys.readouterr()
    assert DATONG_ITEM not in out and DATONG_COORDINATOR in err


@pytest.mark.browser
def test_in_a_browser_the_office_picker_lists_that_offices_people_and_answers_them(two_offices):
    """The simulator of a two-office demo, in Chromium: pick 大同區公所, talk as its coordinator, on a phone's width."""
    import shutil
    import threading

    from werkzeug.serving import make_server

    from bot.app import start_answering

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI", "").lower() == "true":
            raise RuntimeError("CI=true but Debian's chromium is not installed: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    settings = Settings.from_env(two_offices)
    engine = make_engine(settings.database_url)
    runtime = Runtime(settings.database_url, engine, session_factory(engine), FixedClock(SystemClock().now()), settings)
    app = create_app(runtime, SimulatorSender(), testing=True)
    start_answering(app)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(f"http://127.0.0.1:{http.server_port}/simulator/")
            office = page.locator("#office")
            expect(office).to_be_visible()
            expect(office.locator("option")).to_have_text([o.name for o in OFFICES])
            office.select_option(label=OFFICES[1].name)
            expect(page.locator("#who option").first).not_to_have_text(WENSHAN_COORDINATOR)
            page.locator("#who").select_option(DATONG_COORDINATOR_ID)
            page.locator("#msg").fill(DATONG_ITEM)
            page.locator("#f button").click()
            expect(page.locator("#chat")).to_contain_text("民政課", timeout=15000)
            assert WENSHAN_SECTION not in page.locator("#chat").inner_text()
            # Everything in the header stays on the phone's screen (the picker takes a row of its own).
            right = page.evaluate("Math.max(...[...document.querySelectorAll('header > *')].map(e => e.getBoundingClientRect().right))")
            assert right <= 390
            browser.close()
    finally:
        http.shutdown()
        app.extensions["planbot"].dispatcher.stop()
