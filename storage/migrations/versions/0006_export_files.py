"""export files kept in the database (bytes, name, type, hashed token) instead of a shared folder

Links still open at the upgrade keep working when their file can be read here; the others lapse.
A downgrade drops the files (their links stop working).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""
import hashlib
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

MIME_TYPES = {
    '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
    '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}


def _open_files(bind) -> list[dict]:
    """Read the files of links not yet used, where this process can reach them."""
    rows = bind.execute(sa.text(
        "SELECT token, path, filename, created_at, expires_at FROM export_files WHERE used_at IS NULL"
    )).all()
    kept = []
    for token, path, filename, created_at, expires_at in rows:
        try:
            content = Path(path).read_bytes()
        except OSError:
            continue
        kept.append({
            'token_hash': hashlib.sha256(token.encode()).hexdigest(), 'filename': filename,
            'mime_type': MIME_TYPES.get(Path(filename).suffix.lower(), 'application/octet-stream'),
            'size': len(content), 'content': content, 'created_at': created_at, 'expires_at': expires_at,
        })
    return kept


def upgrade() -> None:
    bind = op.get_bind()
    kept = _open_files(bind)
    op.drop_table('export_files')
    op.create_table('export_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('export_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_files_expires_at'), ['expires_at'], unique=False)
    if kept:
        # The timestamps go back as the database gave them (the same dialect reads them again).
        bind.execute(sa.text(
            "INSERT INTO export_files (token_hash, filename, mime_type, size, content, created_at, expires_at) "
            "VALUES (:token_hash, :filename, :mime_type, :size, :content, :created_at, :expires_at)"
        ).bindparams(sa.bindparam('content', type_=sa.LargeBinary())), kept)


def downgrade() -> None:
    with op.batch_alter_table('export_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_files_expires_at'))
    op.drop_table('export_files')
    op.create_table('export_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
