"""self-introductions awaiting approval (我是 NAME), the rich menus planbot made and the menu linked to each account

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('onboarding_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('onboarding_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_onboarding_requests_line_user_id'), ['line_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_onboarding_requests_staff_id'), ['staff_id'], unique=False)
    op.create_table('rich_menus',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=32), nullable=False),
    sa.Column('menu_id', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('page')
    )
    op.create_table('rich_menu_links',
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('page', sa.String(length=32), nullable=False),
    sa.Column('menu_id', sa.String(length=100), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('line_user_id')
    )


def downgrade() -> None:
    op.drop_table('rich_menu_links')
    op.drop_table('rich_menus')
    with op.batch_alter_table('onboarding_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_onboarding_requests_staff_id'))
        batch_op.drop_index(batch_op.f('ix_onboarding_requests_line_user_id'))
    op.drop_table('onboarding_requests')
