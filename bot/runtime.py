"""Build the shared parts a process needs (database, clock, calendar) from the environment, once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from schedules.calendar import WorkCalendar
from schedules.clock import Clock, SystemClock
from storage import queries
from storage.db import database_url, make_engine, session_factory


@dataclass
class Runtime:
    """The database, the clock and the settings of one process."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock = field(default_factory=SystemClock)
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, url: str | None = None, clock: Clock | None = None, env: dict[str, str] | None = None) -> Runtime:
        """Create the runtime for DATABASE_URL (or the given URL)."""
        env = dict(os.environ if env is None else env)
        resolved = database_url(url or env.get("DATABASE_URL"))
        engine = make_engine(resolved)
        return cls(resolved, engine, session_factory(engine), clock or SystemClock(), env)

    def calendar(self, session: Session) -> WorkCalendar:
        """Return the working-day calendar with the administrators' overrides as they are now."""
        closures, workdays = queries.calendar_overrides(session)
        return WorkCalendar(closures=closures, workdays=workdays)

    def today(self) -> date:
        return self.clock.now().date()
