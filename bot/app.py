"""The Flask app factory: configuration is read here, when the app is made, never at import."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field

from flask import Flask

from bot.event_journal import EventJournal
from bot.events import Dispatcher
from bot.runtime import Runtime
from handlers.incoming import Settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What the routes need: the runtime, the LINE sender, and the event dispatcher."""

    runtime: Runtime
    sender: object
    channel_secret: str
    settings: Settings
    dispatcher: Dispatcher
    journal: EventJournal | None = None
    sync: bool = False
    separate_worker: bool = False
    extras: dict = field(default_factory=dict)

    def after_record(self) -> None:
        """Handle what was just recorded: inline in synchronous mode, else wake the background loop."""
        if self.sync:
            self.dispatcher.drain()
        elif not self.separate_worker:
            self.dispatcher.wake()


def create_app(config: dict | None = None) -> Flask:
    """Create the planbot web app from the environment, overridden by `config`."""
    config = dict(config or {})
    env = {**os.environ, **{k: str(v) for k, v in config.items() if isinstance(v, str | int)}}
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.config.update({k: v for k, v in config.items() if k.isupper()})
    runtime = config.get("runtime") or Runtime.from_env(env.get("DATABASE_URL"), clock=config.get("clock"), env=env)
    simulator = env.get("PLANBOT_SIMULATOR") == "1"
    secret = env.get("LINE_CHANNEL_SECRET") or ""
    if not secret:
        if not simulator and not config.get("testing"):
            log.warning("LINE_CHANNEL_SECRET is not set: every webhook will be refused")
        secret = secrets.token_hex(16)  # the simulator signs with whatever secret the app holds
    sender = config.get("sender") or _make_sender(env, simulator)
    settings = Settings.from_env(env)
    dispatcher = Dispatcher(runtime.sessions, runtime.clock, sender, settings)
    sync = bool(config.get("sync_events", env.get("PLANBOT_SYNC_EVENTS") == "1"))
    journal = EventJournal(runtime.engine, runtime.clock.now)
    # PLANBOT_EVENT_WORKER=separate: this process only records and acknowledges; `planbot events` answers.
    separate = env.get("PLANBOT_EVENT_WORKER") == "separate" and not sync
    app.extensions["planbot"] = Services(runtime, sender, secret, settings, dispatcher, journal, sync, separate)
    if not sync and not separate:
        dispatcher.start()

    from bot.webhook import bp

    app.register_blueprint(bp)
    if simulator:
        from bot.simulator import bp as simulator_bp

        app.register_blueprint(simulator_bp)
    return app


def make_dispatcher(runtime: Runtime, env: dict | None = None, poll: float = 0.2) -> Dispatcher:
    """Return a dispatcher for the separate events process, configured like the web app's."""
    env = dict(os.environ if env is None else env)
    settings = Settings.from_env(env)
    sender = _make_sender(env, env.get("PLANBOT_SIMULATOR") == "1")
    return Dispatcher(runtime.sessions, runtime.clock, sender, settings, poll=poll)


def _make_sender(env: dict, simulator: bool):
    """Return the LINE sender, or the simulator's recording sender when there is no LINE channel."""
    token = env.get("LINE_CHANNEL_ACCESS_TOKEN")
    if token:
        from bot.line_api import LineSender

        return LineSender(token, base_url=env.get("LINE_API_BASE") or None)
    from bot.simulator_sender import SimulatorSender

    if not simulator:
        log.warning("LINE_CHANNEL_ACCESS_TOKEN is not set: replies are kept in memory only")
    return SimulatorSender.shared()
