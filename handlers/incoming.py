"""What reaches a handler: the message, and the context it runs in (data access, clock, settings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from schedules.calendar import WorkCalendar
from schedules.clock import Clock
from storage import queries


@dataclass(frozen=True)
class Incoming:
    """One thing a person did in the chat: sent text, tapped a postback button, or followed the bot."""

    kind: str  # text, postback, follow
    line_user_id: str
    text: str = ""
    data: str = ""
    group_id: str | None = None


@dataclass
class Settings:
    """What handlers need to know about the deployment."""

    public_url: str = "http://127.0.0.1:5000"
    export_dir: str = "instance/exports"
    bot_name: str = "planbot"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Read PUBLIC_URL and PLANBOT_EXPORT_DIR (the web, events and clock processes agree on them)."""
        return cls(
            public_url=(env.get("PUBLIC_URL") or cls.public_url).rstrip("/"),
            export_dir=env.get("PLANBOT_EXPORT_DIR") or cls.export_dir,
        )


@dataclass
class Context:
    """The data access, clock and settings a handler works with."""

    session: Session
    clock: Clock
    settings: Settings = field(default_factory=Settings)
    _calendar: WorkCalendar | None = None

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
            closures, workdays = queries.calendar_overrides(self.session)
            self._calendar = WorkCalendar(closures=closures, workdays=workdays)
        return self._calendar
