"""A city's mornings: each office with its own LINE account is planned under its own quota and pushed with its own token,
so one office out of pushes never stops another's reminders."""

from __future__ import annotations

import csv
from datetime import date, datetime

from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.clock import clockwork
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.office.imports.plan import import_plan
from handlers.office.imports.staff import import_staff, read_roster
from schedules.clock import TAIPEI, FixedClock
from storage import queries
from storage.channels import save_channel
from storage.models import Delivery, Office, Staff
from tests.conftest import DEMO
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import MONDAY

FIRST_WORKING_DAY = datetime(2024, 4, 1, 8, 30, tzinfo=TAIPEI)  # the monthly round asks every owner
KEY = Fernet.generate_key().decode()
TOKENS = {"A": "token-of-wenshan", "B": "token-of-daan"}


def second_office(db, tmp_path) -> None:
    """Office B: the demo plan again under another name, its roster with LINE accounts of its own."""
    roster = tmp_path / "daan.csv"
    with (DEMO / "staff.csv").open(encoding="utf-8") as src, roster.open("w", encoding="utf-8", newline="") as out:
        rows = list(csv.DictReader(src))
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "LINE使用者ID": webhooks.new_user_id() if row["LINE使用者ID"] else ""})
    with db.sessions() as session:
        import_plan(session, DEMO / "wenshan-113.ods", 2024, MONDAY, office_name="大安戶所", tracking_from=date(2024, 1, 1))
        import_staff(session, queries.find_office(session, "大安戶所"), read_roster(roster), MONDAY, "daan.csv")
        session.commit()


def test_one_office_out_of_pushes_does_not_stop_the_others_morning(demo_db, tmp_path):
    second_office(demo_db, tmp_path)
    fernet = Fernet(KEY.encode())
    with demo_db.sessions() as session:
        offices = {o.name: o.id for o in session.scalars(select(Office))}
        wenshan = next(i for n, i in offices.items() if n != "大安戶所")
        for office_id, name, bot in ((wenshan, "A", "U" + "a" * 32), (offices["大安戶所"], "B", "U" + "b" * 32)):
            save_channel(session, office_id, bot, fernet.encrypt(b"secret").decode(),
                         fernet.encrypt(TOKENS[name].encode()).decode(), MONDAY)
        people = {s.line_user_id: s.office_id for s in session.scalars(select(Staff).where(Staff.line_user_id.is_not(None)))}
        session.commit()
    with FakeLineAPI(channels={t: n for n, t in TOKENS.items()}) as api:
        api.set_quota(20, used=20, channel="A")  # office A spent its month
        api.set_quota(1000, used=0, channel="B")
        settings = Settings.from_env({"LINE_API_BASE": api.base_url, "PLANBOT_SECRET_KEY": KEY, "PLANBOT_PUSH_TIMEOUT": "5"})
        runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, FixedClock(FIRST_WORKING_DAY), settings)
        work = clockwork(runtime)
        work.pause, work.sleep = 0, (lambda _s: None)
        report = work.morning()
        by_channel = {"A": [], "B": []}
        for d in api.delivered:
            by_channel[d.channel].append(d.recipient)
        assert api.rejected == []
    daan = offices["大安戶所"]
    assert len(by_channel["B"]) > 5 and all(people.get(r, daan) == daan for r in by_channel["B"])
    assert by_channel["A"] == []  # office A's account has no pushes left: its lines are held, not sent
    assert report.held > 0
    # Quota reads went out with each office's own token.
    asked = {r.channel for r in api.requests_to("/v2/bot/message/quota")}
    assert asked == {"A", "B"}
    with demo_db.sessions() as session:
        rows = session.execute(select(Delivery.recipient, Delivery.office_id)).all()
    assert rows and all(office == people.get(recipient, office) for recipient, office in rows)
    assert {office for _, office in rows} <= {wenshan, daan} and daan in {office for _, office in rows}
