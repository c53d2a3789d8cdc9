"""The composition root of a process: its settings, database, clock and LINE client, built once where it starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.line_api import LineSender
from bot.settings import Settings
from schedules.calendar import WorkCalendar
from schedules.clock import Clock, SystemClock
from schedules.plan_inputs import calendar_of
from storage.db import database_url, make_engine, session_factory


@dataclass
class Runtime:
    """The database, the clock and the settings of one process."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock = field(default_factory=SystemClock)
    settings: Settings = field(default_factory=Settings)

    @classmethod
    def from_settings(cls, settings: Settings, url: str | None = None, clock: Clock | None = None) -> Runtime:
        """Create the runtime for the settings' database (or the given URL)."""
        resolved = database_url(url or settings.database_url)
        engine = make_engine(resolved)
        return cls(resolved, engine, session_factory(engine), clock or SystemClock(), settings)

    def line_client(self, for_replies: bool = False, token: str | None = None) -> LineSender | None:
        """Return a LINE client for replies and pushes, or None without LINE_CHANNEL_ACCESS_TOKEN.

        for_replies: sized for LINE's one-minute reply token, every attempt timing out still gives up
        well within it (the answer is then pushed). token: an office's own channel (bot/channels.py)
        instead of the environment's.
        """
        s = self.settings
        token = token or s.access_token
        if not token:
            return None
        if for_replies:
            return LineSender(token, base_url=s.line_api_base, timeout=min(s.push_timeout, 10.0),
                              max_attempts=3, backoff_cap=5.0, data_url=s.line_api_data_base)
        return LineSender(token, base_url=s.line_api_base, timeout=s.push_timeout, data_url=s.line_api_data_base)

    def calendar(self, session: Session) -> WorkCalendar:
        """Return the working-day calendar, with its overrides as they are now, of the office the session is scoped to
        (or of the database's only office)."""
        return calendar_of(session)

    def today(self) -> date:
        return self.clock.now().date()
