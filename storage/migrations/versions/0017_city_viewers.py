"""city viewers: people of the city who read every office's figures; their console links and sessions

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

HOLDER = ("(kind IN ('link', 'session') AND staff_id IS NOT NULL AND viewer_id IS NULL) OR "
          "(kind IN ('city_link', 'city_session') AND viewer_id IS NOT NULL AND staff_id IS NULL)")


def upgrade() -> None:
    op.create_table('city_viewers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('console_tokens', schema=None) as batch_op:
        batch_op.alter_column('kind', existing_type=sa.String(length=10), type_=sa.String(length=12), existing_nullable=False)
        batch_op.alter_column('staff_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('viewer_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_console_tokens_viewer_id'), ['viewer_id'], unique=False)
        batch_op.create_foreign_key('fk_console_tokens_viewer_id', 'city_viewers', ['viewer_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint('ck_console_tokens_holder', HOLDER)


def downgrade() -> None:
    op.execute("DELETE FROM console_tokens WHERE viewer_id IS NOT NULL")
    with op.batch_alter_table('console_tokens', schema=None) as batch_op:
        batch_op.drop_constraint('ck_console_tokens_holder', type_='check')
        batch_op.drop_constraint('fk_console_tokens_viewer_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_console_tokens_viewer_id'))
        batch_op.drop_column('viewer_id')
        batch_op.alter_column('staff_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('kind', existing_type=sa.String(length=12), type_=sa.String(length=10), existing_nullable=False)
    op.drop_table('city_viewers')
