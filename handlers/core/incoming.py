"""What reaches a handler: the message, and the context it runs in (data access, clock, settings)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from schedules.calendar import WorkCalendar
from schedules.clock import Clock
from schedules.plan_inputs import calendar_of


class IncomingKind(enum.StrEnum):
    """What a person did: sent text, tapped a button, followed the bot, added it to a group, or used the console."""

    text = "text"
    postback = "postback"
    follow = "follow"
    join = "join"
    unfollow = "unfollow"  # no answer: pushes stop until they follow again
    leave = "leave"  # the bot was removed from a group: no answer
    console = "console"


@dataclass(frozen=True)
class Incoming:
    """One thing a person did in the chat: sent text, tapped a postback button, or followed the bot."""

    kind: IncomingKind  # given as its word by the edges ("text"), kept as the kind; unfollow and leave get no answer
    line_user_id: str
    text: str = ""
    data: str = ""
    group_id: str | None = None
    read_token: str = ""  # LINE's markAsReadToken of a message (marked read before answering in chat mode)
    # The office whose LINE account received it (a city: one account per office); None: the deployment's one account.
    office_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", IncomingKind(self.kind))  # an unknown kind fails here, not in a handler


@dataclass
class Settings:
    """What handlers need to know about the deployment (read from the environment by bot/settings.py)."""

    public_url: str = "http://127.0.0.1:5000"
    bot_name: str = "planbot"
    line_bot_basic_id: str = ""  # LINE_BOT_BASIC_ID (@…): QR codes open the bot's chat with a text typed


@dataclass(frozen=True)
class LineProfile:
    """How LINE shows an account: its display name and picture (read by bot/ from LINE's profile API)."""

    display_name: str
    picture_url: str | None = None


@dataclass
class Context:
    """The data access, clock and settings a handler works with."""

    session: Session
    clock: Clock
    settings: Settings = field(default_factory=Settings)
    _calendar: WorkCalendar | None = None
    # The LINE profile of an account (None when LINE does not say); injected by bot/, absent in the CLI.
    profiles: Callable[[str], LineProfile | None] | None = None
    # Whether the month's push quota still has room for n pushes (None: no quota known, as in the CLI).
    push_room: Callable[[int], bool] | None = None

    def profile(self, line_user_id: str) -> LineProfile | None:
        """Return how LINE shows the account, or None when it cannot be known here."""
        return self.profiles(line_user_id) if self.profiles is not None and line_user_id else None

    def can_push(self, n: int = 1) -> bool:
        """Say whether n more pushes fit in the month's quota (True when no quota is known)."""
        return self.push_room is None or self.push_room(n)

    @property
    def now(self) -> datetime:
        return self.clock.now()

    @property
    def today(self) -> date:
        return self.clock.now().date()

    @property
    def calendar(self) -> WorkCalendar:
        """Return the working-day calendar with overrides, read once per event."""
        if self._calendar is None:
            self._calendar = calendar_of(self.session)
        return self._calendar
