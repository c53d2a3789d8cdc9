"""The migrations build exactly the schema the models describe, and undo it, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, make_url, text

from storage.db import make_engine
from storage.migrate import current_heads, downgrade, upgrade
from storage.models import Base


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_database_is_at_the_single_head(db):
    with db.engine.connect() as conn:
        assert {MigrationContext.configure(conn).get_current_revision()} == current_heads(db.url)


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_url(request, tmp_path) -> str:
    """An empty database of its own (on PostgreSQL one beside the test database, dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'updown.db'}"
        return
    base = make_url(request.getfixturevalue("pg_ready"))
    own = base.set(database=f"{base.database}_updown")
    admin = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{own.database}"'))
            conn.execute(text(f'CREATE DATABASE "{own.database}"'))
        yield own.render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{own.database}"'))
    finally:
        admin.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_every_migration_goes_down_and_up_again(scratch_url):
    upgrade(scratch_url)
    assert {t.name for t in Base.metadata.sorted_tables} <= _tables(scratch_url)
    downgrade(scratch_url, "base")
    assert _tables(scratch_url) == set()
    upgrade(scratch_url)
    engine = make_engine(scratch_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert compare_metadata(context, Base.metadata) == []
            assert {context.get_current_revision()} == current_heads(scratch_url)
    finally:
        engine.dispose()
