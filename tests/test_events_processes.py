"""The Procfile layout as real processes: gunicorn and two `planbot events` on PostgreSQL, LINE faked over HTTP.

The test kills an events process with SIGKILL while it is answering, and stops one with SIGTERM, at
moments it picks (a reply held at the fake LINE API): every `回報` gives exactly one progress report
and exactly one answer, and a dead worker's conversations are answered by the other within a few
(short) lease periods. Waits are on conditions with generous deadlines, never on elapsed time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from handlers.office.imports.plan import import_plan
from handlers.office.imports.staff import import_staff, read_roster
from schedules.clock import TAIPEI
from storage import queries
from storage.db import make_engine, session_factory
from storage.models import ProgressReport, Staff, WebhookEvent
from tests.conftest import DEMO, ROOT, _truncate_pg
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.waiting import DEADLINE, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SECRET = "process-channel-secret"
TOKEN = "process-access-token"
LEASE = 1.5  # seconds: a dead worker's conversations move on within a few of these
BIN = Path(sys.executable).parent
# Who reports on which of their own items (demo/staff.csv, demo/wenshan-113.ods).
# Items with work in December; 回報 names the month (without one it asks which, as earlier months are overdue).
REPORTERS = [("李冠緯", "11"), ("楊凱", "15"), ("許嘉玲", "1"), ("謝孟儒", "9-1"), ("郭品妤", "3-1"),
             ("蔡宜臻", "3"), ("劉宗佑", "2-1"), ("黃柏翔", "8"), ("張書維", "4-4"), ("林佩蓉", "5-1")]
MONTH = "12月"



def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def pg(request):
    url = request.getfixturevalue("pg_ready")
    engine = make_engine(url)
    _truncate_pg(engine)
    now = datetime.now(TAIPEI)
    sessions = session_factory(engine)
    with sessions() as session:
        import_plan(session, DEMO / "wenshan-113.ods", now.year, now)
        import_staff(session, queries.only_office(session), read_roster(DEMO / "staff.csv"), now, "staff.csv")
        session.commit()
    yield url, sessions
    engine.dispose()


class Layout:
    """gunicorn (records and acknowledges) and `planbot events` processes (answer), as the Procfile runs them."""

    def __init__(self, url: str, fake: FakeLineAPI, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.env = {**os.environ, "DATABASE_URL": url, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                    "LINE_API_BASE": fake.base_url, "PLANBOT_EVENT_WORKER": "separate",
                    "PLANBOT_EVENT_LEASE": str(LEASE), "PUBLIC_URL": "https://planbot.example.gov.tw",
                    "PYTHONPATH": str(ROOT)}
        self.processes: list[subprocess.Popen] = []
        self.web = self._start("web", [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", "2",
                                       "--threads", "4", "--no-control-socket", "bot.wsgi:app"])
        self.url = f"http://127.0.0.1:{self.port}"

    def _start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.tmp / f"{name}-{len(self.processes)}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def events(self) -> subprocess.Popen:
        return self._start("events", [str(BIN / "planbot"), "events", "--poll", "0.1"])

    def wait_ready(self) -> None:
        def healthy():
            try:
                return requests.get(f"{self.url}/healthz", timeout=10).status_code == 200
            except (requests.ConnectionError, requests.Timeout):
                return False

        wait_for(healthy, "gunicorn to serve")

    def post(self, event: dict) -> None:
        raw, headers = webhooks.signed_request(SECRET, [event])
        answer = requests.post(f"{self.url}/callback", data=raw, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.tmp.glob("*.log")))

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(30)


def holder_pid(sessions, event_id: str) -> int:
    with sessions() as session:
        row = session.scalar(select(WebhookEvent).where(WebhookEvent.event_id == event_id))
    assert row.claimed_by, (row.id, row.handled_at, row.answered_at, row.lease_until, row.outcome, row.send_attempts)
    return int(row.claimed_by.split(":")[0])


def test_kill_and_sigterm_lose_and_repeat_nothing(pg, tmp_path):
    url, sessions = pg
    with sessions() as session:
        users = {name: session.scalar(select(Staff.line_user_id).where(Staff.name == name)) for name, _ in REPORTERS}
    with FakeLineAPI(access_token=TOKEN) as fake:
        layout = Layout(url, fake, tmp_path)
        try:
            run(layout, fake, sessions, users)
        except BaseException:
            print(layout.logs())
            raise
        finally:
            layout.close()


def run(layout: Layout, fake: FakeLineAPI, sessions, users: dict[str, str]) -> None:
    sent: dict[str, str] = {}  # note -> reply token
    events: dict[str, dict] = {}
    counter = iter(range(1_000_000))

    def message(n: int, name: str, number: str) -> tuple[str, dict]:
        note = f"第{n}-{next(counter)}則"
        token = fake.issue_reply_token(users[name])
        event = webhooks.text_event(users[name], f"回報 {number} {MONTH} 50% {note}", reply_token=token)
        sent[note], events[note] = token, event
        return note, event

    def answered(note: str) -> int:
        """How many answers carrying this note reached the user (replies and pushes)."""
        replies = [r for r in fake.replied if r.reply_token == sent[note]]
        pushes = [d for d in fake.delivered if note in str(d.messages)]
        return len(replies) + len(pushes)

    def all_answered(notes) -> bool:
        return all(answered(n) >= 1 for n in notes)

    def settled() -> bool:
        with sessions() as session:
            return session.scalar(select(func.count()).select_from(WebhookEvent)
                                  .where(WebhookEvent.answered_at.is_(None))) == 0

    layout.wait_ready()
    workers = [layout.events(), layout.events()]

    # 1. Normal traffic.
    first = [message(1, name, number) for name, number in REPORTERS for _ in range(2)]
    for _note, event in first:
        layout.post(event)
    wait_for(lambda: all_answered(n for n, _ in first), "the first round's answers")
    wait_for(settled, "the first round to be settled")

    # 2. SIGKILL a worker while it answers. Every reply is held at LINE first, so the kill falls between
    # committing the answers and LINE taking them: the dead worker's answers never reached anyone.
    release = threading.Event()
    fake.hold(release, path="/reply")
    second = [message(2, name, number) for name, number in REPORTERS for _ in range(2)]
    for _note, event in second:
        layout.post(event)
    held = wait_for(lambda: list(fake.held) if len(fake.held) >= 2 else None, "replies to be held")
    token_note = {t: n for n, t in sent.items()}
    pid = holder_pid(sessions, events[token_note[held[0].json["replyToken"]]]["webhookEventId"])
    victim = next(w for w in workers if w.pid == pid)
    victim.kill()
    victim.wait(30)
    release.set()  # the dead worker's held replies are dropped (they never reached LINE); the others go through
    survivor = next(w for w in workers if w is not victim)
    wait_for(lambda: all_answered(n for n, _ in second), "the dead worker's conversations to be answered")
    wait_for(settled, "the second round to be settled")

    # 3. A replacement starts; SIGTERM the survivor while it answers: it finishes that answer and hands over.
    replacement = layout.events()
    release = threading.Event()
    fake.hold(release, path="/reply", recipient=users[REPORTERS[1][0]])
    third = [message(3, name, number) for name, number in REPORTERS for _ in range(2)]
    for _note, event in third:
        layout.post(event)
    third_tokens = {sent[n] for n, _ in third}
    held = wait_for(lambda: [r for r in fake.held if (r.json or {}).get("replyToken") in third_tokens],
                    "a reply of the third round to be held")[0]
    held_note = next(n for n, t in sent.items() if t == held.json["replyToken"])
    pid = holder_pid(sessions, events[held_note]["webhookEventId"])
    stopping = survivor if survivor.pid == pid else replacement
    stopping.send_signal(signal.SIGTERM)
    release.set()
    assert stopping.wait(DEADLINE) == 0
    wait_for(lambda: all_answered(n for n, _ in third), "the stopped worker's conversations to be answered")

    # Nothing lost, nothing repeated: once every event is settled nothing more is sent, so count then.
    wait_for(settled, "every event to be settled")
    with sessions() as session:
        reports = dict(session.execute(select(ProgressReport.note, func.count()).group_by(ProgressReport.note)).all())
    assert reports == {note: 1 for note in sent}
    assert {note: answered(note) for note in sent} == {note: 1 for note in sent}
