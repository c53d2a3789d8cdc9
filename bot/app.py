"""The Flask app factory: it builds the app from a runtime and starts nothing (no thread, no connection).

The process that serves the app decides whether it also answers the recorded events: `start_answering(app)`
starts the dispatcher thread (`planbot serve`, `bot.wsgi:app` under gunicorn, `make demo`) unless the
events are answered synchronously or by a separate `planbot events` process (PLANBOT_EVENT_WORKER=separate).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask

from bot.channels import Channels, SendersByOffice, office_channels
from bot.console import bp as console_bp
from bot.event_journal import EventJournal
from bot.events import Dispatcher
from bot.push_budget import push_room, push_room_by_office
from bot.runtime import Runtime
from bot.sender import Sender
from bot.settings import Settings
from bot.simulator import bp as simulator_bp
from bot.simulator_sender import SimulatorSender
from bot.startup_checks import check_web_settings
from bot.webhook import bp as webhook_bp
from handlers.core.incoming import Settings as HandlerSettings

log = logging.getLogger(__name__)


@dataclass
class Services:
    """What the routes need: the runtime, the LINE sender, and the event dispatcher."""

    runtime: Runtime
    sender: Sender
    channel_secret: str | None  # the environment's channel; None when only the offices' own channels are used
    settings: HandlerSettings
    dispatcher: Dispatcher
    journal: EventJournal | None = None
    sync: bool = False
    separate_worker: bool = False
    channels: Channels | None = None  # the offices' own LINE channels (the webhook looks up `destination` here)

    def after_record(self) -> None:
        """Handle what was just recorded: inline in synchronous mode, else wake the background loop."""
        if self.sync:
            self.dispatcher.drain()
        elif not self.separate_worker:
            self.dispatcher.wake()


def create_app(runtime: Runtime | None = None, sender=None, testing: bool = False) -> Flask:
    """Create the planbot web app for the runtime (default: one built from the environment's settings)."""
    runtime = runtime or Runtime.from_settings(Settings.from_env())
    settings = runtime.settings
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.config["TESTING"] = testing
    channels = office_channels(runtime)
    # With offices' own channels stored, the environment's secret is only needed by an office without one.
    quiet = channels.stored and not (settings.simulator or testing)
    secret = settings.channel_secret or (None if quiet else settings.webhook_secret(testing))
    check_web_settings(settings, testing)
    sender = sender or reply_sender(runtime, quiet=channels.stored)
    dispatcher = Dispatcher(runtime.sessions, runtime.clock, sender, settings.handlers, lease=settings.event_lease,
                            threads=settings.event_threads, chat_mode=settings.chat_mode, push_room=push_room(runtime),
                            senders=office_senders(runtime, channels, for_replies=True),
                            office_push_room=push_room_by_office(runtime, channels))
    sync = settings.sync_events
    journal = EventJournal(runtime.engine, runtime.clock.now)
    separate = settings.separate_worker and not sync
    app.extensions["planbot"] = Services(runtime, sender, secret, settings.handlers, dispatcher, journal, sync, separate,
                                         channels)
    app.register_blueprint(webhook_bp)
    app.register_blueprint(console_bp)
    if settings.simulator:
        app.register_blueprint(simulator_bp)
    return app


def start_answering(app: Flask) -> None:
    """Start the dispatcher thread in this process when it answers its own events (call once per process)."""
    svc: Services = app.extensions["planbot"]
    if not svc.sync and not svc.separate_worker:
        svc.dispatcher.start()


def make_dispatcher(runtime: Runtime, poll: float = 0.2) -> Dispatcher:
    """Return a dispatcher for the separate events process, configured like the web app's."""
    settings = runtime.settings
    channels = office_channels(runtime)
    return Dispatcher(runtime.sessions, runtime.clock, reply_sender(runtime, quiet=channels.stored), settings.handlers, poll=poll,
                      lease=settings.event_lease, threads=settings.event_threads, chat_mode=settings.chat_mode,
                      push_room=push_room(runtime), senders=office_senders(runtime, channels, for_replies=True),
                      office_push_room=push_room_by_office(runtime, channels))


def office_senders(runtime: Runtime, channels: Channels, for_replies: bool = False) -> SendersByOffice:
    """Return each office's LINE client (its channel's token); None for an office without a channel of its own."""
    return SendersByOffice(channels, lambda token: runtime.line_client(for_replies=for_replies, token=token))


def reply_sender(runtime: Runtime, quiet: bool = False) -> Sender:
    """Return the LINE client, or the simulator's recording sender when there is no LINE channel.

    quiet: the offices have channels of their own, so no environment token is expected.
    """
    client = runtime.line_client(for_replies=True)
    if client is not None:
        return client
    if not runtime.settings.simulator and not quiet:
        log.warning("LINE_CHANNEL_ACCESS_TOKEN is not set: replies are kept in memory only")
    return SimulatorSender.shared()
