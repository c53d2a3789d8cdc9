"""webhook events: leases renewed by a heartbeat, and answers kept until sent

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('webhook_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answer', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('retry_key', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('send_attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_webhook_events_answered_at'), ['answered_at'], unique=False)
    # Events handled before this revision were answered then (or never will be): they are settled.
    op.execute("UPDATE webhook_events SET answered_at = handled_at WHERE handled_at IS NOT NULL")
    # Old claims ("claimed:<worker>:<seconds>") are released; the new lease columns take over.
    op.execute("UPDATE webhook_events SET outcome = NULL WHERE handled_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('webhook_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_events_answered_at'))
        batch_op.drop_column('answered_at')
        batch_op.drop_column('send_attempts')
        batch_op.drop_column('retry_key')
        batch_op.drop_column('answer')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('claimed_by')
