"""push budget: the quota cost of each delivery, and reminder lines held for the next reply

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost', sa.Integer(), server_default='1', nullable=False))
    op.create_table(
        'held_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('morning', sa.Date(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('occurrence_key', sa.String(length=60), nullable=False),
        sa.Column('reason', sa.String(length=30), nullable=False),
        sa.Column('line', sa.JSON(), nullable=False),
        sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('told_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('held_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_held_lines_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_lines_told_at'), ['told_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('held_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_lines_told_at'))
        batch_op.drop_index(batch_op.f('ix_held_lines_staff_id'))
    op.drop_table('held_lines')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_column('cost')
