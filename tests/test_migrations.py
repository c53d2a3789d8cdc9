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


def test_pushes_sent_before_0015_count_against_their_offices_quota(tmp_path):
    """A city upgrading: each push already sent this month is its office's (the person's, or the group's section's)."""
    from sqlalchemy import text

    from storage.db import make_engine
    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'pushes.db'}"
    upgrade(url, "0014")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO offices (id, name, settings) VALUES (1, '甲所', '{}'), (2, '乙所', '{}')"))
        conn.execute(text("INSERT INTO sections (id, office_id, name, line_group_id) VALUES (1, 2, '民政課', 'Cgroup')"))
        conn.execute(text("INSERT INTO staff (id, office_id, name, role, line_user_id, following, active) "
                          "VALUES (1, 1, '甲', 'staff', 'Ua', 1, 1), (2, 2, '乙', 'staff', 'Ub', 1, 1)"))
        for key, recipient, staff_id in (("k1", "Ua", 1), ("k2", "Ub", 2), ("k3", "Cgroup", None), ("k4", "Ugone", None)):
            conn.execute(text("INSERT INTO deliveries (key, morning, recipient, staff_id, reasons, payload, retry_key, "
                              "created_at, attempts, cost) VALUES (:k, '2026-12-01', :r, :s, 'due', '{}', :k, "
                              "'2026-12-01 00:30:00', 1, 1)"), {"k": key, "r": recipient, "s": staff_id})
    upgrade(url, "0015")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT key, office_id FROM deliveries")).all())
    engine.dispose()
    assert rows == {"k1": 1, "k2": 2, "k3": 2, "k4": None}  # nobody's any more: no office to charge
