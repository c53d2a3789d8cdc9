"""office place (county, district) and the closure feed's checks and actions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offices') as batch:
        batch.add_column(sa.Column('county', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('district', sa.String(length=10), nullable=True))
    op.create_table('feed_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('alert', sa.Boolean(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_feed_checks_office_id'), 'feed_checks', ['office_id'], unique=False)
    op.create_index(op.f('ix_feed_checks_at'), 'feed_checks', ['at'], unique=False)
    op.create_table('feed_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entry_id', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office_id', 'day', 'action')
    )


def downgrade() -> None:
    op.drop_table('feed_actions')
    op.drop_index(op.f('ix_feed_checks_at'), table_name='feed_checks')
    op.drop_index(op.f('ix_feed_checks_office_id'), table_name='feed_checks')
    op.drop_table('feed_checks')
    with op.batch_alter_table('offices') as batch:
        batch.drop_column('district')
        batch.drop_column('county')
