"""offices with their own LINE channels: office_channels, the office of each webhook event and delivery, and of each
rich menu (menus live in one channel)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('office_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('bot_user_id', sa.String(length=33), nullable=False),
    sa.Column('secret_enc', sa.Text(), nullable=False),
    sa.Column('token_enc', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office_id'),
    sa.UniqueConstraint('bot_user_id')
    )
    with op.batch_alter_table('webhook_events') as batch:
        batch.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_webhook_events_office_id', 'offices', ['office_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('deliveries') as batch:
        batch.add_column(sa.Column('office_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_deliveries_office_id', 'offices', ['office_id'], ['id'], ondelete='SET NULL')
        batch.create_index('ix_deliveries_office_id', ['office_id'], unique=False)
    # The pushes already sent count against their office's quota: a person's office, or the section's whose group it was.
    op.execute('UPDATE deliveries SET office_id = (SELECT staff.office_id FROM staff WHERE staff.id = deliveries.staff_id) '
               'WHERE office_id IS NULL AND staff_id IS NOT NULL')
    op.execute('UPDATE deliveries SET office_id = (SELECT sections.office_id FROM sections '
               'WHERE sections.line_group_id = deliveries.recipient) WHERE office_id IS NULL')
    # `page` was unique on its own (an unnamed constraint): the table is made again with (office_id, page).
    op.create_table('rich_menus_new',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=32), nullable=False),
    sa.Column('menu_id', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office_id', 'page', name='uq_rich_menus_office_page')
    )
    op.execute('INSERT INTO rich_menus_new (id, page, menu_id, created_at) SELECT id, page, menu_id, created_at FROM rich_menus')
    op.drop_table('rich_menus')
    op.rename_table('rich_menus_new', 'rich_menus')
    _continue_ids()


def downgrade() -> None:
    op.create_table('rich_menus_old',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=32), nullable=False),
    sa.Column('menu_id', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('page')
    )
    op.execute('INSERT INTO rich_menus_old (id, page, menu_id, created_at) '
               'SELECT id, page, menu_id, created_at FROM rich_menus WHERE office_id IS NULL')
    op.drop_table('rich_menus')
    op.rename_table('rich_menus_old', 'rich_menus')
    _continue_ids()
    with op.batch_alter_table('deliveries') as batch:
        batch.drop_index('ix_deliveries_office_id')
        batch.drop_constraint('fk_deliveries_office_id', type_='foreignkey')
        batch.drop_column('office_id')
    with op.batch_alter_table('webhook_events') as batch:
        batch.drop_constraint('fk_webhook_events_office_id', type_='foreignkey')
        batch.drop_column('office_id')
    op.drop_table('office_channels')


def _continue_ids() -> None:
    """PostgreSQL: the copied rows kept their ids, so the new table's sequence starts after them."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("SELECT setval(pg_get_serial_sequence('rich_menus', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM rich_menus")
