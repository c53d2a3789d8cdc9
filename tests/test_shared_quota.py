"""Offices without a LINE account of their own push through the environment's (LINE_CHANNEL_ACCESS_TOKEN) and share
its monthly quota: each office's morning plans with what the others left (their pushes charged this month, and
what the offices before it planned this morning), so together they never go over it, and the office that gets
less says so as one office does: its coordinators get the 80% warning, its people the held lines with their next
reply. An office with its own account keeps its own quota. `planbot quota forecast` and the console's 提醒 show
each office its account's figures (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from bot.app import create_app
from bot.cli import main
from bot.clock import clockwork
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator_sender import SimulatorSender
from handlers.chat.held_reminders import attach
from handlers.core.incoming import Incoming
from handlers.core.incoming import Settings as HandlerSettings
from handlers.core.replies import Text
from handlers.texts import console_admin as A
from handlers.texts import quota as Q
from schedules.clock import TAIPEI, FixedClock
from storage import queries
from storage.channels import save_channel
from storage.models import Delivery, HeldLine, Office, Role, Staff
from storage.outbox import enqueue
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import COORDINATOR, MONDAY, OFFICE, read
from tests.test_console import Console, text_of
from tests.test_office_isolation import B_OFFICE, _build_b

KEY = Fernet.generate_key().decode()
ENV_TOKEN, OWN_TOKEN = "token-of-the-environment", "token-of-office-c"
CHARGED_AT = datetime(2024, 4, 8, 8, 30, tzinfo=TAIPEI)  # last Monday's digests: pushes charged this month
MORNING = datetime(2024, 4, 15, 8, 30, tzinfo=TAIPEI)
LINE_COUNT = 30  # the environment's account this month, as LINE counts it: 10 of ours, 20 sent by hand
CHARGED = 5  # pushes of each of A and B charged on 4/8
OWN_CHARGED = 40  # office C's own account's pushes this month: none of the environment's quota


@pytest.fixture(params=["alone", "beside an office with its own account"])
def offices(demo_both, tmp_path, request):
    """Offices A and B on the environment's account, each with 5 pushes charged this month; perhaps office C too."""
    db = demo_both
    own = request.param != "alone"
    with db.sessions() as session:
        b = _build_b(session, tmp_path)
        a = queries.find_office(session, OFFICE).id
        people = list(session.scalars(select(Staff).where(Staff.line_user_id.is_not(None)).order_by(Staff.id)))
        for office_id in (a, b):
            for person in [p for p in people if p.office_id == office_id][:CHARGED]:
                enqueue(session, f"digest:{CHARGED_AT:%Y-%m-%d}:{person.line_user_id}:due", recipient=person.line_user_id,
                        staff_id=person.id, reasons="due", payload={"replies": []}, now=CHARGED_AT, morning=CHARGED_AT.date())
        c = None
        if own:
            office = Office(name="丙區戶政事務所", settings={})
            session.add(office)
            session.flush()
            c = office.id
            fernet = Fernet(KEY.encode())
            save_channel(session, c, "U" + "c" * 32, fernet.encrypt(b"secret").decode(),
                         fernet.encrypt(OWN_TOKEN.encode()).decode(), MONDAY)
            enqueue(session, f"digest:{CHARGED_AT:%Y-%m-%d}:C{'c' * 32}:due", recipient=f"C{'c' * 32}", staff_id=None,
                    reasons="due", payload={"replies": []}, now=CHARGED_AT, morning=CHARGED_AT.date(), cost=OWN_CHARGED,
                    office_id=c)
        session.execute(Delivery.__table__.update().values(sent_at=CHARGED_AT))
        session.commit()
    return db, a, b, c


def settings_for(api: FakeLineAPI) -> Settings:
    return Settings.from_env({"LINE_API_BASE": api.base_url, "LINE_CHANNEL_ACCESS_TOKEN": ENV_TOKEN,
                              "PLANBOT_SECRET_KEY": KEY, "PLANBOT_PUSH_TIMEOUT": "5"})


def fake_line(quota: int) -> FakeLineAPI:
    api = FakeLineAPI(channels={ENV_TOKEN: "ENV", OWN_TOKEN: "C"})
    api.set_quota(quota, used=LINE_COUNT, channel="ENV")
    api.set_quota(1000, used=OWN_CHARGED, channel="C")
    return api


def pushed_today(db, office_id: int) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.coalesce(func.sum(Delivery.cost), 0)).where(
            Delivery.morning == MORNING.date(), Delivery.office_id == office_id)))


def coordinator(db, office_id: int) -> Staff:
    with db.sessions() as session:
        return session.scalars(select(Staff).where(Staff.office_id == office_id, Staff.role == Role.coordinator,
                                                   Staff.line_user_id.is_not(None))).first()


def held_of(db, office_id: int) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(HeldLine).join(Staff, Staff.id == HeldLine.staff_id)
                                  .where(Staff.office_id == office_id)))


def morning_at(db, quota: int) -> tuple[object, dict[str, str], int]:
    """Run the clock's morning with the environment's account at 30 pushes of `quota`; return its report, the texts
    pushed (by recipient) and the account's pushes as LINE counts them afterwards."""
    with fake_line(quota) as api:
        runtime = Runtime(db.url, db.engine, db.sessions, FixedClock(MORNING), settings_for(api))
        work = clockwork(runtime)
        work.pause, work.sleep = 0, (lambda _s: None)
        report = work.morning()
        texts = {d.recipient: " ".join(m.get("text", "") for m in d.messages) for d in api.delivered}
        used = LINE_COUNT + sum(1 for d in api.delivered if d.channel == "ENV")
    assert report.sent.left == 0 and report.sent.failed == 0
    with db.sessions() as session:
        unsent = session.scalar(select(func.count()).select_from(Delivery).where(Delivery.sent_at.is_(None)))
    assert unsent == 0  # LINE took every push: together the offices stayed within the account's quota
    assert used <= quota
    return report, texts, used


def test_the_second_office_gets_what_the_first_left_of_the_shared_quota(offices):
    db, a, b, c = offices
    _report, _texts, used = morning_at(db, 60)
    assert LINE_COUNT + pushed_today(db, a) + pushed_today(db, b) == used
    # A, planned first, pushed its morning as planned; B planned with what was left and holds the rest, which its
    # people hear with their next reply, as one office's do when the quota runs short.
    assert pushed_today(db, a) > pushed_today(db, b) and held_of(db, a) == 0 and held_of(db, b) > 0
    with db.sessions() as session:
        person = session.scalars(select(Staff).join(HeldLine, HeldLine.staff_id == Staff.id)
                                 .where(Staff.office_id == b, Staff.line_user_id.is_not(None))).first()
        replies = attach(session, Incoming("text", person.line_user_id, text="本週", office_id=b), [Text("本週")], MORNING)
        assert Q.HELD_HEAD in read(replies)


def test_each_office_sharing_a_short_quota_warns_its_coordinators_with_the_accounts_count(offices):
    db, a, b, c = offices
    _report, texts, used = morning_at(db, 36)
    assert held_of(db, a) > 0 and held_of(db, b) > 0
    # Each office's coordinators get the 80% warning of one office, with the account's count: B's counts A's pushes.
    said = {}
    for office_id in (a, b):
        text = texts[coordinator(db, office_id).line_user_id]
        assert Q.QUOTA_WARNING_BUDGET.strip() in text
        said[office_id] = re.search(r"本月推播已用 (\d+) 則，超過額度 (\d+) 則", text).groups()
    assert said == {a: (str(LINE_COUNT + pushed_today(db, a)), "36"), b: (str(used), "36")}
    assert used == LINE_COUNT + pushed_today(db, a) + pushed_today(db, b)


def test_the_quota_forecast_of_an_office_on_the_shared_account_counts_the_others(offices, capsys):
    db, a, b, c = offices
    env = {"DATABASE_URL": db.url, "LINE_MONTHLY_QUOTA": "60", "PLANBOT_SECRET_KEY": KEY}
    months = {}
    for name in (OFFICE, B_OFFICE):
        assert main(["quota", "forecast", "--office", name, "--month", "2024-04", "--json"], env) == 0
        (months[name],) = json.loads(capsys.readouterr().out)
    mine, other = months[B_OFFICE], months[OFFICE]
    # The account's pushes so far are A's and B's (office C pays its own), and the month ahead is both offices'
    # mornings as the clock plans them (A's first each morning): each office's forecast is the same month of the
    # account, within its quota, the other office's part counted as `others`.
    assert mine["quota"] == other["quota"] == 60 and mine["used"] == other["used"] == 2 * CHARGED
    assert mine["others"] > 0
    assert mine["pushes"] == other["pushes"] <= 60
    assert mine["pushes"] - mine["used"] - mine["others"] == other["others"]
    assert main(["quota", "forecast", "--office", B_OFFICE, "--month", "2024-04"], env) == 0
    out = capsys.readouterr().out
    assert f"和{OFFICE}共用" in out and f"其中其他機關 {mine['others']} 則" in out
    if c is None:
        return
    # Office C's forecast is its own account's: LINE's quota asked with its token, its own pushes alone.
    with fake_line(60) as api:
        own_env = {"DATABASE_URL": db.url, "PLANBOT_SECRET_KEY": KEY, "LINE_API_BASE": api.base_url,
                   "LINE_CHANNEL_ACCESS_TOKEN": ENV_TOKEN}
        assert main(["quota", "forecast", "--office", "丙區戶政事務所", "--month", "2024-04", "--json"], own_env) == 0
    (april,) = json.loads(capsys.readouterr().out)
    assert (april["quota"], april["used"], april["others"]) == (1000, OWN_CHARGED, 0)


class KeyedConsole(Console):
    """The console of tests/test_console.py, its app knowing PLANBOT_SECRET_KEY (an office here has its own channel)."""

    def __init__(self, db) -> None:
        self.db, self.clock, self.public_url = db, FixedClock(MONDAY), "https://planbot.example.tw"
        settings = Settings(handlers=HandlerSettings(public_url=self.public_url), secret_key=KEY)
        self.app = create_app(Runtime(db.url, db.engine, db.sessions, self.clock, settings), SimulatorSender(),
                              testing=True)


def test_the_consoles_reminders_page_shows_the_shared_accounts_pushes(offices):
    db, a, b, c = offices
    console = KeyedConsole(db)
    page = text_of(console.signed_in(COORDINATOR).get("/console/reminders"))
    # A's and B's pushes this month (5 each), never office C's, which its own account sent.
    assert f"本月已推播 {2 * CHARGED} 則" in page and A.QUOTA_SHARED in page
