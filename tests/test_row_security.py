"""On PostgreSQL the database keeps a scoped session inside its office too: SQL that bypasses the ORM's scope
(a raw statement, a Core query, a forgotten filter) still sees and writes only the office's rows.

PostgreSQL never applies row-level security to a superuser, which is what the tests connect as; these tests
connect as an ordinary role, as a deployment should.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from storage import scope
from storage.db import make_engine, session_factory
from storage.models import ProgressReport, Staff
from tests.conftest import _truncate_pg
from tests.test_scope import AT, _office

pytestmark = pytest.mark.postgres
ROLE = "planbot_rls_probe"
MIGRATION = Path(__file__).resolve().parent.parent / "storage/migrations/versions/0018_row_level_security.py"


@pytest.fixture
def as_app(pg_ready):
    """Offices A and B on PostgreSQL, and a session factory connecting as an ordinary (non-superuser) role."""
    admin = make_engine(pg_ready)
    _truncate_pg(admin)
    with admin.begin() as conn:
        conn.execute(text(f"DO $$ BEGIN CREATE ROLE {ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {ROLE}"))
        conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {ROLE}"))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {ROLE}"))
    with session_factory(admin)() as session:
        a = _office(session, "甲區公所", "甲先生", "甲項目", date(2024, 7, 24))
        b = _office(session, "乙區公所", "乙小姐", "乙項目", date(2024, 7, 25))
        session.commit()
    app = make_engine(make_url(pg_ready).set(username=ROLE, password=None).render_as_string(hide_password=False))
    yield session_factory(app), a, b
    app.dispose()
    admin.dispose()


def test_raw_sql_in_a_scoped_session_sees_only_the_office(as_app):
    sessions, a, b = as_app
    with sessions() as session:
        scope.scope_to(session, a)
        assert session.scalars(text("SELECT name FROM staff")).all() == ["甲先生"]
        assert session.scalars(text("SELECT name FROM offices")).all() == ["甲區公所"]
        # Tables that reach their office through a parent: items by plan, reports by item, leaves by person.
        assert session.scalars(text("SELECT title FROM items")).all() == ["甲項目"]
        assert session.scalar(text("SELECT count(*) FROM progress_reports")) == 1
        assert session.scalars(text("SELECT starts FROM leaves")).all() == [date(2024, 7, 24)]
        session.commit()
        # The next transaction of the same session is scoped as it begins.
        assert session.scalars(text("SELECT reason FROM calendar_overrides")).all() == ["甲區公所颱風"]
    with sessions() as session:  # an unscoped session (the clock's outer loop, the CLI across offices) sees both
        assert sorted(session.scalars(text("SELECT name FROM staff"))) == ["乙小姐", "甲先生"]
        assert session.scalar(text("SELECT count(*) FROM progress_reports")) == 2


def test_a_session_scoped_in_the_middle_of_its_transaction_is_walled_from_there(as_app):
    sessions, a, _b = as_app
    with sessions() as session:
        assert session.scalar(text("SELECT count(*) FROM staff")) == 2  # who asks is read first, unscoped
        scope.scope_to(session, a)
        assert session.scalars(text("SELECT name FROM staff")).all() == ["甲先生"]


def test_writing_another_offices_row_past_the_orm_is_refused_by_the_database(as_app):
    sessions, a, b = as_app
    with sessions() as session:
        theirs = session.scalar(select(Staff.id).where(Staff.office_id == b))
        their_item = session.scalar(text("SELECT id FROM items WHERE title = '乙項目'"))
    with sessions() as session:
        scope.scope_to(session, a)
        # A Core INSERT does not pass the ORM's flush check; the database refuses it all the same.
        with pytest.raises(DBAPIError, match="row-level security"):
            session.execute(insert(ProgressReport).values(item_id=their_item, occurrence_key="2024-05", status="done",
                                                          staff_id=theirs, reported_at=AT))
        session.rollback()
        scope.scope_to(session, a)
        changed = session.execute(text("UPDATE staff SET name = '改名' WHERE id = :id"), {"id": theirs}).rowcount
        session.commit()
        assert changed == 0  # B's person is not there to change
    with sessions() as session:
        assert session.scalar(select(Staff.name).where(Staff.id == theirs)) == "乙小姐"


def test_every_office_owned_table_has_the_policy_and_binds_its_owner(pg_ready):
    spec = importlib.util.spec_from_file_location("row_security", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    owned = {model.__tablename__ for model in scope.OWNED}
    assert set(migration.OWN) | set(migration.THROUGH) == owned  # a new office-owned model needs its policy
    engine = make_engine(pg_ready)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
                "EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = :policy) "
                "FROM pg_class c WHERE c.relname = ANY(:names) AND c.relkind = 'r'"),
                {"policy": migration.POLICY, "names": sorted(owned)}).all()
    finally:
        engine.dispose()
    assert {r[0] for r in rows} == owned
    assert [r[0] for r in rows if not (r[1] and r[2] and r[3])] == []
