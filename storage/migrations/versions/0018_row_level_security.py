"""row-level security: on PostgreSQL the database itself keeps a session scoped to an office inside that office

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

A second wall behind the ORM's scope (storage/scope.py): a transaction that set `planbot.office_id` (the scoped
session does it as it begins) sees and writes only that office's rows of every office-owned table, whatever SQL
it runs. A transaction that did not set it (migrations, the clock's outer loop, the CLI across offices, the
webhook's journal) sees every row, as before. FORCE makes the rule bind the tables' owner too, which is what the
service connects as; a superuser is never bound (PostgreSQL's rule), so production should not connect as one.
SQLite has no such thing: there the ORM's scope is the only wall.
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# Each office-owned table and how it reaches its office: its own column, or its link to a table above it, whose
# own policy then decides (a child row is seen when its parent is). tests/test_row_security.py checks this list
# against storage/scope.py's OWNED, so a new office-owned model cannot be left out.
OWN = {"offices": "id", "plans": "office_id", "sections": "office_id", "staff": "office_id",
       "calendar_overrides": "office_id", "feed_checks": "office_id", "feed_actions": "office_id",
       "office_channels": "office_id"}
THROUGH = {
    "items": ("plan_id", "plans"), "resolutions": ("plan_id", "plans"),
    "progress_reports": ("item_id", "items"), "item_owners": ("item_id", "items"),
    "lag_reasons": ("item_id", "items"), "review_decisions": ("item_id", "items"),
    "covered_reports": ("report_id", "progress_reports"),
    "leaves": ("staff_id", "staff"), "staff_deputies": ("staff_id", "staff"), "invite_codes": ("staff_id", "staff"),
    "console_tokens": ("staff_id", "staff"), "console_uploads": ("staff_id", "staff"),
    "held_lines": ("staff_id", "staff"), "onboarding_requests": ("staff_id", "staff"),
}
POLICY = "planbot_office_scope"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # NULL when the transaction set no office ('' is what a custom setting reads after a SET LOCAL ended).
    op.execute("CREATE FUNCTION planbot_office() RETURNS integer LANGUAGE sql STABLE "
               "AS $$ SELECT NULLIF(current_setting('planbot.office_id', true), '')::integer $$")
    for table, column in OWN.items():
        _protect(table, f"{column} = planbot_office()")
    for table, (column, parent) in THROUGH.items():
        _protect(table, f"{column} IN (SELECT id FROM {parent})")


def _protect(table: str, rule: str) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {POLICY} ON {table} USING (planbot_office() IS NULL OR {rule})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in [*OWN, *THROUGH]:
        op.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION IF EXISTS planbot_office()")
