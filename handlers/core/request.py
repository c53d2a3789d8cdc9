"""Who is asking, and what they asked: the two things every handler receives besides its context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from handlers.core.commands import Command, Commands
from handlers.core.incoming import Incoming
from handlers.core.replies import Button
from storage.models import Role, Staff, Via


@dataclass(frozen=True)
class Asker:
    """The person behind a message: their LINE account and, once linked, their staff record."""

    line_user_id: str
    staff: Staff | None = None
    group_id: str | None = None
    via: Via = Via.line  # where the person asks from: the chat, or the console's web pages

    @property
    def known(self) -> bool:
        return self.staff is not None

    @property
    def role(self) -> Role | None:
        return self.staff.role if self.staff else None

    @property
    def actor(self) -> str:
        """Return how the audit log names this person."""
        if self.via != Via.line:
            return f"{self.via.value}:staff:{self.staff.id if self.staff else '?'}"
        return f"line:{self.line_user_id}" if self.line_user_id else f"staff:{self.staff.id if self.staff else '?'}"


@dataclass(frozen=True)
class Request:
    """One message read as a command, from one person; `page` and `anchor` come from a 更多 button.

    `commands` is the command table, passed down so a handler can offer other commands as buttons.
    """

    incoming: Incoming
    who: Asker
    command: Command
    commands: Commands
    page: int = 0
    anchor: date | None = None

    def buttons(self, names: Iterable[str]) -> tuple[Button, ...]:
        """Return buttons that send the named commands as if typed."""
        return tuple(Button(self.commands.label(n), text=self.commands.label(n)) for n in names)

    def label(self, name: str) -> str:
        return self.commands.label(name)

    @property
    def args(self) -> str:
        return self.command.args
