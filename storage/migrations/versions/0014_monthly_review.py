"""the monthly review (管考): reasons per occurrence, 列管 suggestions and decisions, meeting resolutions

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lag_reasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_key', sa.String(length=40), nullable=False),
    sa.Column('cause', sa.Text(), nullable=False),
    sa.Column('remedy', sa.Text(), nullable=False),
    sa.Column('written_by', sa.Integer(), nullable=True),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['written_by'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'occurrence_key')
    )
    op.create_index(op.f('ix_lag_reasons_item_id'), 'lag_reasons', ['item_id'], unique=False)
    op.create_table('review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('suggestion', sa.Enum('release', 'keep', name='listing', native_enum=False, length=20), nullable=True),
    sa.Column('suggested_by', sa.Integer(), nullable=True),
    sa.Column('suggested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.Enum('release', 'keep', name='listing_decision', native_enum=False, length=20), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['suggested_by'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'year', 'month')
    )
    op.create_index(op.f('ix_review_decisions_item_id'), 'review_decisions', ['item_id'], unique=False)
    op.create_table('resolutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('followup_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['followup_id'], ['items.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('followup_id')
    )
    op.create_index(op.f('ix_resolutions_plan_id'), 'resolutions', ['plan_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_resolutions_plan_id'), table_name='resolutions')
    op.drop_table('resolutions')
    op.drop_index(op.f('ix_review_decisions_item_id'), table_name='review_decisions')
    op.drop_table('review_decisions')
    op.drop_index(op.f('ix_lag_reasons_item_id'), table_name='lag_reasons')
    op.drop_table('lag_reasons')
