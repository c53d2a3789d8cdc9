"""Plan files uploaded in the console, kept in the database between the dry run and the confirmation.

The page holds only a random id; the file is found by that id *and* the hash of the session that uploaded
it, and its bytes must still match the hash taken at upload: a forged or replayed form confirms nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import ConsoleUpload, Staff

UPLOAD_LIFETIME = timedelta(minutes=30)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def keep(session: Session, session_token: str, staff: Staff, filename: str, year: int, content: bytes, now: datetime) -> str:
    """Keep an uploaded file for this session (30 minutes) and return the id the confirmation form names."""
    session.execute(delete(ConsoleUpload).where(ConsoleUpload.expires_at <= now))
    upload_id = secrets.token_urlsafe(24)
    session.add(
        ConsoleUpload(
            upload_hash=_hash(upload_id), session_hash=_hash(session_token), staff_id=staff.id, filename=filename[:200],
            year=year, content=content, sha256=hashlib.sha256(content).hexdigest(), created_at=now,
            expires_at=now + UPLOAD_LIFETIME,
        )
    )
    session.flush()
    return upload_id


def find(session: Session, session_token: str, upload_id: str, now: datetime) -> ConsoleUpload | None:
    """Return this session's unused, unexpired upload with that id whose bytes are intact; else None."""
    if not upload_id or not session_token:
        return None
    row = session.scalar(select(ConsoleUpload).where(ConsoleUpload.upload_hash == _hash(upload_id)))
    if row is None or row.session_hash != _hash(session_token) or row.used_at is not None or row.expires_at <= now:
        return None
    if hashlib.sha256(row.content).hexdigest() != row.sha256:
        return None
    return row


def use(session: Session, row: ConsoleUpload, now: datetime) -> None:
    """Mark the upload confirmed (it cannot be confirmed twice) and drop its bytes."""
    row.used_at = now
    row.content = b""
    session.flush()
