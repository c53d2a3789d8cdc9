"""calendars per office: calendar_overrides get office_id (a typhoon closes 臺北市 and not 高雄市)

Existing closures and extra workdays were the one calendar of every office, so each is copied to every office.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# SQLite's batch mode rebuilds the table and names the unnamed UNIQUE(day) of 0001 by this convention;
# PostgreSQL named it itself.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _day_unique() -> str:
    return "calendar_overrides_day_key" if op.get_bind().dialect.name == "postgresql" else "uq_calendar_overrides_day"


def upgrade() -> None:
    with op.batch_alter_table('calendar_overrides', naming_convention=NAMING) as batch_op:
        batch_op.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(_day_unique(), type_='unique')
    op.execute(
        "INSERT INTO calendar_overrides (office_id, day, kind, reason) "
        "SELECT offices.id, c.day, c.kind, c.reason FROM calendar_overrides c CROSS JOIN offices "
        "WHERE c.office_id IS NULL"
    )
    op.execute("DELETE FROM calendar_overrides WHERE office_id IS NULL")
    with op.batch_alter_table('calendar_overrides', naming_convention=NAMING) as batch_op:
        batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_calendar_overrides_office_id', 'offices', ['office_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_unique_constraint('uq_calendar_overrides_office_day', ['office_id', 'day'])


def downgrade() -> None:
    # One calendar again: a day keeps the override first written for it (by any office).
    op.execute(
        "DELETE FROM calendar_overrides WHERE id NOT IN "
        "(SELECT first_id FROM (SELECT MIN(id) AS first_id FROM calendar_overrides GROUP BY day) AS firsts)"
    )
    with op.batch_alter_table('calendar_overrides', naming_convention=NAMING) as batch_op:
        batch_op.drop_constraint('uq_calendar_overrides_office_day', type_='unique')
        batch_op.drop_constraint('fk_calendar_overrides_office_id', type_='foreignkey')
        batch_op.drop_column('office_id')
        batch_op.create_unique_constraint(_day_unique(), ['day'])
