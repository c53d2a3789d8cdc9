"""Shared fixtures: one `db` fixture runs each storage test on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, session_factory
from storage.migrate import upgrade
from storage.models import Base

# CI runs the property tests on a fixed sequence of examples so a red build can be reproduced; developers'
# runs keep exploring new inputs (and hypothesis keeps any failure it finds in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    hypothesis_settings.load_profile("ci")

# The conversation fixtures (the demo database, talking to the bot) are defined once for the whole run,
# so their session-scoped demo database is built once, not once per module that uses it.
pytest_plugins = ["tests.handler_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DEMO = ROOT / "demo"


def _pg_url() -> str | None:
    """Return TEST_DATABASE_URL; under pytest-xdist each worker gets a database of its own beside it."""
    url = os.environ.get("TEST_DATABASE_URL") or None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if url is None or not worker:
        return url
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}")
    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": own.database}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    finally:
        engine.dispose()
    return own.render_as_string(hide_password=False)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@dataclass
class Database:
    """A migrated database for one test: its URL, engine and session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    kind: str


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """Migrate one SQLite file once; each test gets a copy (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_ready() -> str:
    """Return the migrated PostgreSQL URL, or skip (fail under CI) when it is not there."""
    url = _pg_url()
    if url is None:
        if _in_ci():
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI")
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL tests skipped on this machine")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means no PostgreSQL here
        if _in_ci():
            pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    finally:
        engine.dispose()
    upgrade(url)
    return url


def _truncate_pg(engine: Engine) -> None:
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database through SQLite itself.

    Our engines put SQLite in WAL mode: until the last connection closes, recent commits live in
    the -wal file beside the database, and copying the database file alone silently loses them.
    """
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def make_sqlite_db(template: Path, tmp_path: Path) -> Database:
    """Return a fresh migrated SQLite database in tmp_path."""
    path = tmp_path / "planbot.db"
    copy_sqlite(template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    return Database(url, engine, session_factory(engine), "sqlite")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, sqlite_template, tmp_path) -> Database:
    """A migrated, empty database: SQLite and PostgreSQL in turn."""
    if request.param == "sqlite":
        database = make_sqlite_db(sqlite_template, tmp_path)
    else:
        url = request.getfixturevalue("pg_ready")
        engine = make_engine(url)
        _truncate_pg(engine)
        database = Database(url, engine, session_factory(engine), "postgresql")
    yield database
    database.engine.dispose()


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path) -> Database:
    """A migrated, empty SQLite database (for tests whose subject is not the database)."""
    database = make_sqlite_db(sqlite_template, tmp_path)
    yield database
    database.engine.dispose()


@pytest.fixture
def session(db) -> Session:
    """A session on the `db` fixture's database, closed after the test."""
    with db.sessions() as s:
        yield s


@pytest.fixture
def now() -> datetime:
    """A fixed moment in the demo year (Monday 2024-04-08 09:00 Asia/Taipei)."""
    return datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))
