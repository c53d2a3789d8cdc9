"""The printable onboarding sheet: a new binding code and a QR code for every active colleague not yet linked.

The QR code opens the bot's chat with `綁定 CODE` already typed (LINE's oaMessage link with the bot's basic
id, `LINE_BOT_BASIC_ID`); without a basic id it holds the plain `綁定 CODE` to type. Used by
`planbot staff invite --all --sheet FILE.pdf` and the console's 同仁 page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.orm import Session

from handlers.texts import console_admin as T
from schedules.clock import TAIPEI
from schedules.dates import format_date
from storage import queries
from storage.invites import create_invite
from storage.models import Office
from storage.sheets import QrCard, write_qr_sheet


@dataclass(frozen=True)
class Invitation:
    """A binding code just issued for one colleague (shown on the sheet, never stored in the clear)."""

    name: str
    section: str
    code: str
    expires_at: datetime


def chat_link(code: str, basic_id: str) -> str:
    """Return what the QR code holds: LINE's oaMessage link with `綁定 CODE` typed, or the plain text."""
    text = T.SHEET_CARD_CODE.format(code=code)
    if not basic_id:
        return text
    account = basic_id if basic_id.startswith("@") else "@" + basic_id
    return f"https://line.me/R/oaMessage/{quote(account, safe='@')}/?{quote(text, safe='')}"


def invite_unlinked(session: Session, office: Office, now: datetime, actor: str) -> list[Invitation]:
    """Issue a new code to every active colleague without a linked LINE account (earlier unused codes stop working)."""
    out = []
    for person in queries.staff_of_office(session, office.id):
        if not person.active or person.line_user_id:
            continue
        code, expires = create_invite(session, person, now, actor)
        out.append(Invitation(person.name, person.section.name if person.section else "", code, expires))
    return out


def cards(invitations: list[Invitation], basic_id: str) -> list[QrCard]:
    """Return the sheet's cards: name, section, the code and until when it works."""
    out = []
    for inv in invitations:
        until = inv.expires_at.astimezone(TAIPEI)
        when = f"{format_date(until.date())} {until:%H:%M}"
        how = T.SHEET_CARD_SCAN if basic_id else T.SHEET_CARD_TYPE
        lines = [inv.name, inv.section or T.SHEET_NO_SECTION, T.SHEET_CARD_CODE.format(code=inv.code), how,
                 T.SHEET_CARD_EXPIRES.format(when=when)]
        out.append(QrCard(chat_link(inv.code, basic_id), lines))
    return out


def write_sheet(path: str | Path, office: Office, invitations: list[Invitation], basic_id: str) -> Path:
    """Write the sheet as an A4 PDF (raises SheetError no_cjk_font when the server has no Chinese font)."""
    return write_qr_sheet(path, T.SHEET_TITLE.format(office=office.name), cards(invitations, basic_id))
