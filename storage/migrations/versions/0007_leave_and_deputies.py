"""deputies and leave: staff_deputies, leaves, covered_reports

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_deputies',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=True),
    sa.Column('second_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['first_id'], ['staff.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['second_id'], ['staff.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('staff_id')
    )
    op.create_table('leaves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Date(), nullable=False),
    sa.Column('ends', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('staff_id', 'starts')
    )
    with op.batch_alter_table('leaves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaves_staff_id'), ['staff_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leaves_ends'), ['ends'], unique=False)
    op.create_table('covered_reports',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id')
    )
    with op.batch_alter_table('covered_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_covered_reports_owner_id'), ['owner_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('covered_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_covered_reports_owner_id'))
    op.drop_table('covered_reports')
    with op.batch_alter_table('leaves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaves_ends'))
        batch_op.drop_index(batch_op.f('ix_leaves_staff_id'))
    op.drop_table('leaves')
    op.drop_table('staff_deputies')
