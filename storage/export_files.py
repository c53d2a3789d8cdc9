"""Exported files behind one-time links, kept in the database so that whichever process made a link, any serves it.

Only the SHA-256 of a link's token is stored. A file's bytes are dropped as soon as it was sent whole
(`consume`); `prune` deletes the rows of used and expired links.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.models import AuditLog, ExportFile

MIME_TYPES = {
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",  # the monthly review's report
    ".pdf": "application/pdf",
}
MAX_TOKEN = 64


@dataclass(frozen=True)
class Download:
    """A file as it is sent: its name, type and bytes."""

    filename: str
    mime_type: str
    content: bytes


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def store(session: Session, content: bytes, filename: str, now: datetime, expires: datetime) -> str:
    """Keep a file behind a new one-time link and return the link's token; expired files are cleared first."""
    prune(session, now)
    token = secrets.token_urlsafe(24)
    mime = MIME_TYPES.get(Path(filename).suffix.lower(), "application/octet-stream")
    session.add(ExportFile(token_hash=token_hash(token), filename=filename, mime_type=mime, size=len(content),
                           content=content, created_at=now, expires_at=expires))
    session.flush()
    return token


def still_open(session: Session, actor: str, filenames: list[str], since: datetime, now: datetime) -> datetime | None:
    """Return when the actor last made these files since the moment, if every one of those links is still unused."""
    made = session.execute(
        select(AuditLog.at, AuditLog.detail).where(AuditLog.action == "export.create", AuditLog.actor == actor,
                                                   AuditLog.at >= since).order_by(AuditLog.at.desc())
    ).all()
    at = next((when for when, detail in made if (detail or {}).get("file") in filenames), None)
    if at is None:
        return None
    unused = set(session.scalars(
        select(ExportFile.filename).where(ExportFile.filename.in_(filenames), ExportFile.created_at == at,
                                          ExportFile.used_at.is_(None), ExportFile.expires_at > now)
    ))
    return at if unused >= set(filenames) else None


def usable(session: Session, token: str, now: datetime) -> Download | None:
    """Return the file behind a link not yet used and not expired, else None (the link is not used up)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    row = session.execute(
        select(ExportFile.filename, ExportFile.mime_type, ExportFile.content).where(
            ExportFile.token_hash == token_hash(token), ExportFile.used_at.is_(None), ExportFile.expires_at > now,
            ExportFile.content.is_not(None),
        )
    ).one_or_none()
    return None if row is None else Download(row.filename, row.mime_type, bytes(row.content))


def consume(session: Session, token: str, now: datetime) -> bool:
    """Use a link up and drop its file's bytes, once; False when it was used already or has expired."""
    if not token or len(token) > MAX_TOKEN:
        return False
    return session.execute(
        update(ExportFile)
        .where(ExportFile.token_hash == token_hash(token), ExportFile.used_at.is_(None), ExportFile.expires_at > now)
        .values(used_at=now, content=None)
        .execution_options(synchronize_session=False)
    ).rowcount == 1


def prune(session: Session, now: datetime) -> int:
    """Delete the files of links that were used or have expired; return how many."""
    return session.execute(
        delete(ExportFile)
        .where((ExportFile.expires_at <= now) | ExportFile.used_at.is_not(None))
        .execution_options(synchronize_session=False)
    ).rowcount or 0
