"""Fixtures for the conversation tests: the demo plan and roster in a database, and a way to talk to the bot.

tests/conftest.py loads it as a plugin, so every test module sees its fixtures.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from handlers.chat.router import handle
from handlers.core.incoming import Context, Incoming, Settings
from handlers.core.replies import Reply, plain_text
from handlers.office.imports.plan import import_plan
from handlers.office.imports.staff import import_staff, read_roster
from schedules.clock import TAIPEI, FixedClock
from storage import queries
from storage.models import Staff
from tests.conftest import DEMO, Database, copy_sqlite, make_sqlite_db

YEAR = 2024
MONDAY = datetime(2024, 4, 8, 9, 0, tzinfo=TAIPEI)  # the conftest `now`: Monday 4/8（一）
OFFICE = "臺北市文山區戶政事務所"
STRANGER = "U0000000000000000000000000000dead"

# Who is who in demo/staff.csv.
DIRECTOR = "游振昌"
COORDINATOR = "簡心怡"  # 研考, in 行政庶務課
CHIEF_DATA = "江淑惠"  # 戶籍資料課 課長
CHIEF_REG = "沈志明"  # 戶籍登記課 課長
STAFF_DATA = "李冠緯"  # 戶籍資料課: owns 11 門牌指標, 12 門牌點位, 6 學齡兒童名冊, 1 到校受理
STAFF_DATA_2 = "劉宗佑"  # 戶籍資料課: co-owns 12
STAFF_REG = "陳怡君"  # 戶籍登記課
STAFF_ADMIN = "楊凱"  # 行政庶務課: owns 15 勞資會議, 12 門禁安全管理


def load_demo(session: Session, now: datetime) -> None:
    """Import the demo plan for 2024 and the demo roster, as `planbot import` and `planbot staff import` do.

    The office has tracked the plan since the year's first day (`--tracking-from 2024-01-01`).
    """
    import_plan(session, DEMO / "wenshan-113.ods", YEAR, now, tracking_from=date(YEAR, 1, 1))
    office = queries.only_office(session)
    import_staff(session, office, read_roster(DEMO / "staff.csv"), now, "staff.csv")


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory) -> Path:
    """A migrated SQLite file holding the demo plan and roster, built once; each test gets a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    copy_sqlite(sqlite_template, path)
    from storage.db import make_engine, session_factory

    engine = make_engine(f"sqlite:///{path}")
    with session_factory(engine)() as session:
        load_demo(session, MONDAY)
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Database:
    """A fresh SQLite copy of the demo database."""
    database = make_sqlite_db(demo_template, tmp_path)
    yield database
    database.engine.dispose()


@pytest.fixture
def demo_both(db, request) -> Database:
    """The demo plan (as 2024) and its staff on SQLite (a copy of the template: importing it each time is slow)
    and on PostgreSQL (imported), in turn."""
    if db.kind == "sqlite":
        db.engine.dispose()
        copy_sqlite(request.getfixturevalue("demo_template"), Path(db.engine.url.database))
    else:
        with db.sessions() as session:
            load_demo(session, MONDAY)
            session.commit()
    return db


@pytest.fixture
def demo_any(db, now) -> Database:
    """The demo plan on SQLite and on PostgreSQL in turn (for tests about what is written)."""
    with db.sessions() as session:
        load_demo(session, now)
        session.commit()
    return db


@dataclass
class Talk:
    """Send messages to the bot as a named person at a moment, the way the webhook would."""

    session: Session
    clock: FixedClock
    settings: Settings
    log: list[tuple[str, str, list[Reply]]] = field(default_factory=list)
    profiles: object = None  # LINE's profiles, as bot/ injects them (None: unknown, as in the CLI)
    push_room: object = None  # the month's push quota, as bot/ injects it (None: no quota known)

    def line_id(self, who: str) -> str:
        """Return the LINE user id of a staff name (a string starting with U is taken as an id)."""
        if who.startswith("U"):
            return who
        staff = queries.find_staff(self.session, who)
        assert staff is not None and staff.line_user_id, f"{who} is not a linked demo staff member"
        return staff.line_user_id

    def send(self, who: str, text: str, group: str | None = None) -> list[Reply]:
        """Send a text message and return the replies."""
        replies = handle(Incoming("text", self.line_id(who), text=text, group_id=group), self.context())
        self.log.append((who, text, replies))
        return replies

    def tap(self, who: str, data: str, group: str | None = None) -> list[Reply]:
        """Tap a postback button and return the replies."""
        return handle(Incoming("postback", self.line_id(who), data=data, group_id=group), self.context())

    def event(self, who: str, kind: str, group: str | None = None) -> list[Reply]:
        """Send a follow or join event."""
        return handle(Incoming(kind, self.line_id(who), group_id=group), self.context())

    def text(self, who: str, text: str, group: str | None = None) -> str:
        """Send a message and return what the person reads, as one string."""
        return read(self.send(who, text, group))

    def at(self, moment: str) -> Talk:
        """Move the clock (Taipei time), e.g. talk.at("2024-04-15 09:00")."""
        from schedules.clock import parse_moment

        self.clock.set(parse_moment(moment))
        return self

    def context(self) -> Context:
        return Context(session=self.session, clock=self.clock, settings=self.settings, profiles=self.profiles,
                       push_room=self.push_room)

    def staff(self, name: str) -> Staff:
        staff = queries.find_staff(self.session, name)
        assert staff is not None
        return staff


def read(replies: list[Reply]) -> str:
    """Return the replies as a person reads them."""
    return "\n\n".join(plain_text(r) for r in replies)


def buttons(reply: Reply) -> list:
    """Return every button of a reply: card buttons and quick replies."""
    return list(getattr(reply, "buttons", ())) + list(getattr(reply, "quick_replies", ()))


@pytest.fixture
def talk(demo_db, tmp_path) -> Talk:
    """Talk to the bot on the demo database, on Monday 2024-04-08 09:00."""
    settings = Settings(public_url="https://planbot.example.tw")
    with demo_db.sessions() as session:
        yield Talk(session, FixedClock(MONDAY), settings)


def write_plan_csv(path: Path, rows: list[list[str]]) -> Path:
    """Write a small control table as CSV, in the layout of the seeds (課室 and 承辦人 columns added)."""
    header = ["課室", "編號", "計畫項目", "工作內容", "承辦人", "預定作業時程"] + [f"{m}月" for m in range(1, 13)] + ["執行情形", "考核指標"]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for section, number, title, content, owners, schedule in rows:
            writer.writerow([section, number, title, content, owners, schedule, *[""] * 12, "", ""])
    return path


@pytest.fixture
def talk_any(demo_any, tmp_path) -> Talk:
    """Talk to the bot on the demo plan on SQLite and on PostgreSQL in turn."""
    settings = Settings(public_url="https://planbot.example.tw")
    with demo_any.sessions() as session:
        yield Talk(session, FixedClock(MONDAY), settings)
