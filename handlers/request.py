"""Who is asking, and what they asked: the two things every handler receives besides its context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.commands import Command
from handlers.incoming import Incoming
from storage.models import Role, Staff


@dataclass(frozen=True)
class Asker:
    """The person behind a message: their LINE account and, once linked, their staff record."""

    line_user_id: str
    staff: Staff | None = None
    group_id: str | None = None
    via: str = "line"  # where the person asks from: the chat, or the console's web pages

    @property
    def known(self) -> bool:
        return self.staff is not None

    @property
    def role(self) -> Role | None:
        return self.staff.role if self.staff else None

    @property
    def actor(self) -> str:
        """Return how the audit log names this person."""
        if self.via != "line":
            return f"{self.via}:staff:{self.staff.id if self.staff else '?'}"
        return f"line:{self.line_user_id}" if self.line_user_id else f"staff:{self.staff.id if self.staff else '?'}"


@dataclass(frozen=True)
class Request:
    """One message read as a command, from one person; `page` and `anchor` come from a 更多 button."""

    incoming: Incoming
    who: Asker
    command: Command
    page: int = 0
    anchor: date | None = None

    @property
    def args(self) -> str:
        return self.command.args
