"""A city on one service as real processes: gunicorn (2 workers), two `planbot events` and two `planbot clock` on one
PostgreSQL, three offices each with its own LINE account, and a fake LINE that fails (500) or hangs now and then.

Every message is answered exactly once, through the account it came in on; every morning digest is pushed exactly
once, with its own office's token. Waits are on conditions with generous deadlines, never on elapsed time.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from handlers.office.imports.plan import import_plan
from handlers.office.imports.staff import import_staff, read_roster
from schedules.clock import TAIPEI
from storage import queries
from storage.channels import save_channel
from storage.db import make_engine, session_factory
from storage.models import Delivery, Staff, WebhookEvent
from storage.outbox import Kind, of_kind
from tests.conftest import DEMO, ROOT, _truncate_pg
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.waiting import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

KEY = Fernet.generate_key().decode()
OFFICES = {"A": "臺北市文山區戶政事務所", "B": "臺北市大安區戶政事務所", "C": "臺北市信義區戶政事務所"}
BOTS = {name: "U" + ch * 32 for name, ch in zip(OFFICES, "abc", strict=True)}
SECRETS = {name: f"secret-of-{name}" for name in OFFICES}
TOKENS = {name: f"token-of-{name}" for name in OFFICES}
MORNING = "2024-04-01T08:30"  # the first working day of April: the monthly round asks every owner
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def roster_with_new_accounts(tmp: Path, name: str) -> Path:
    path = tmp / f"{name}.csv"
    with (DEMO / "staff.csv").open(encoding="utf-8") as src, path.open("w", encoding="utf-8", newline="") as out:
        rows = list(csv.DictReader(src))
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "LINE使用者ID": webhooks.new_user_id() if row["LINE使用者ID"] else ""})
    return path


@pytest.fixture
def city(request, tmp_path):
    """Three offices with the demo plan (as 2024), each its own roster of LINE accounts and its own channel."""
    url = request.getfixturevalue("pg_ready")
    engine = make_engine(url)
    _truncate_pg(engine)
    sessions = session_factory(engine)
    now = datetime(2024, 3, 29, 9, 0, tzinfo=TAIPEI)
    fernet = Fernet(KEY.encode())
    people: dict[str, str] = {}  # LINE user id -> channel name
    with sessions() as session:
        for name, office in OFFICES.items():
            import_plan(session, DEMO / "wenshan-113.ods", 2024, now, office_name=office, tracking_from=date(2024, 1, 1))
            found = queries.find_office(session, office)
            import_staff(session, found, read_roster(roster_with_new_accounts(tmp_path, name)), now, f"{name}.csv")
            save_channel(session, found.id, BOTS[name], fernet.encrypt(SECRETS[name].encode()).decode(),
                         fernet.encrypt(TOKENS[name].encode()).decode(), now)
            session.flush()
            for line_id in session.scalars(select(Staff.line_user_id).where(Staff.office_id == found.id,
                                                                             Staff.line_user_id.is_not(None))):
                people[line_id] = name
        session.commit()
    yield url, sessions, people
    engine.dispose()


def test_three_offices_two_of_each_process_and_faults_answer_and_remind_exactly_once(city, tmp_path):
    url, sessions, people = city
    processes: list[subprocess.Popen] = []
    with FakeLineAPI(channels={t: n for n, t in TOKENS.items()}) as fake:
        env = {**os.environ, "DATABASE_URL": url, "PLANBOT_SECRET_KEY": KEY, "LINE_API_BASE": fake.base_url,
               "PLANBOT_EVENT_WORKER": "separate", "PLANBOT_EVENT_LEASE": "2", "PLANBOT_PUSH_TIMEOUT": "1",
               "PUBLIC_URL": "https://planbot.example.gov.tw", "PLANBOT_CLOSURE_FEED_URL": "off",
               "PLANBOT_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
        env.pop("LINE_CHANNEL_SECRET", None)
        env.pop("LINE_CHANNEL_ACCESS_TOKEN", None)

        def start(name: str, command: list[str]) -> subprocess.Popen:
            log = open(tmp_path / f"{name}-{len(processes)}.log", "wb")  # noqa: SIM115 - closed with the process
            process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            processes.append(process)
            return process

        def logs() -> str:
            return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(tmp_path.glob("*.log")))

        port = free_port()
        try:
            start("web", [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
                          "--no-control-socket", "bot.wsgi:app"])
            for _ in range(2):
                start("events", [str(BIN / "planbot"), "events", "--poll", "0.1"])

            def healthy() -> bool:
                try:
                    return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
                except (requests.ConnectionError, requests.Timeout):
                    return False

            wait_for(healthy, "gunicorn to serve")
            # LINE fails now and then before taking a call: a 500, or no answer at all (held past the client's timeout).
            fake.fail_randomly(0.1, kinds=(500, "timeout"), when=("before",), seed=27)
            tokens: dict[str, str] = {}
            for user, name in people.items():
                tokens[user] = fake.issue_reply_token(user, channel=name)
                raw, headers = webhooks.signed_request(
                    SECRETS[name], [webhooks.text_event(user, "說明", reply_token=tokens[user])], destination=BOTS[name])
                answer = requests.post(f"http://127.0.0.1:{port}/callback", data=raw, headers=headers, timeout=30)
                assert answer.status_code == 200, answer.text
            clocks = [start("clock", [str(BIN / "planbot"), "clock", "--once", "--at", MORNING]) for _ in range(2)]
            for clock in clocks:
                clock.wait(300)

            def settled() -> bool:
                with sessions() as session:
                    return session.scalar(select(func.count()).select_from(WebhookEvent)
                                          .where(WebhookEvent.answered_at.is_(None))) == 0

            wait_for(settled, "every message to be answered", timeout=300)
            fake.fail_randomly(0)
            # A clock started again sends only what LINE refused every time so far (none is written twice).
            start("clock", [str(BIN / "planbot"), "clock", "--once", "--at", MORNING]).wait(300)
        except BaseException:
            print(logs())
            raise
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                process.wait(30)

        with sessions() as session:
            digests = dict(session.execute(select(Delivery.retry_key, Delivery.recipient).where(of_kind(Kind.DIGEST))).all())
            unsent = session.scalar(select(func.count()).select_from(Delivery)
                                    .where(of_kind(Kind.DIGEST), Delivery.sent_at.is_(None)))
        assert fake.faults_injected, "LINE never failed: the test proved nothing about faults"
        assert digests and unsent == 0, logs()
        pushed = Counter(d.retry_key for d in fake.delivered if d.retry_key in digests)
        assert pushed == Counter(set(digests)), "a digest went out twice or not at all"
        assert all(d.channel == people[d.recipient] for d in fake.delivered if d.recipient in people)
        # Every message answered exactly once (a reply, or a push once the reply failed), through its own account.
        replied = Counter(r.recipient for r in fake.replied)
        answers = Counter(d.recipient for d in fake.delivered if d.retry_key not in digests and d.recipient in people)
        assert {u: replied[u] + answers[u] for u in people} == {u: 1 for u in people}
        assert all(r.channel == people[r.recipient] for r in fake.replied)
        assert {people[u] for u in {d.recipient for d in fake.delivered if d.retry_key in digests}} == set(OFFICES)
