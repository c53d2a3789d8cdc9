"""console plan uploads kept between the dry run and the confirmation

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('console_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_hash', sa.String(length=64), nullable=False),
    sa.Column('session_hash', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('upload_hash')
    )
    with op.batch_alter_table('console_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_console_uploads_session_hash'), ['session_hash'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('console_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_console_uploads_session_hash'))
    op.drop_table('console_uploads')
