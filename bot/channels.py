"""Each office's own LINE channel: the secret and token kept encrypted, the webhook's lookup by `destination`, and
the LINE client of each office.

A city runs one service for many offices, each with its own LINE official account. The webhook finds the
office by the body's `destination` (the receiving bot's user ID), checks the signature with that office's
secret, and every answer, push and quota read goes out with that office's token. With no channel rows the
environment's LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN serve the one office, as before.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import SettingsError
from storage.channels import stored_channels

log = logging.getLogger(__name__)

BOT_USER_ID = re.compile(r"^U[0-9a-f]{32}$")
MAKE_KEY = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
CACHE_SECONDS = 5.0  # a channel added with `planbot office channel` answers within this long in every process


class ChannelKeyError(SettingsError):
    """PLANBOT_SECRET_KEY is missing, is not a Fernet key, or does not open the stored channels (`kind` says which)."""

    def __init__(self, message: str, kind: str, office: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind  # missing, malformed, wrong
        self.office = office  # wrong: the office whose channel it does not open


def cipher(key: str) -> Fernet:
    """Return the cipher of PLANBOT_SECRET_KEY; ChannelKeyError (saying how to make one) when it is missing or malformed."""
    if not key:
        raise ChannelKeyError(f"PLANBOT_SECRET_KEY is not set: the offices' LINE channels are stored encrypted with it. "
                              f"Make one with: {MAKE_KEY}", "missing")
    try:
        return Fernet(key.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ChannelKeyError(f"PLANBOT_SECRET_KEY is not a Fernet key ({exc}). Make one with: {MAKE_KEY}",
                              "malformed") from exc


@dataclass(frozen=True)
class Channel:
    """One office's LINE channel, decrypted (the secret and the token never appear in a repr or a log)."""

    office_id: int
    office_name: str
    bot_user_id: str
    secret: str = field(repr=False)
    token: str = field(repr=False)


def read_channels(session: Session, key: str) -> list[Channel]:
    """Return every office's channel, decrypted; ChannelKeyError when the key cannot open them."""
    rows = stored_channels(session)
    if not rows:
        return []
    fernet = cipher(key)
    out = []
    for row in rows:
        try:
            out.append(Channel(row.office_id, row.office_name, row.bot_user_id,
                               fernet.decrypt(row.secret_enc.encode()).decode(), fernet.decrypt(row.token_enc.encode()).decode()))
        except InvalidToken as exc:
            raise ChannelKeyError(f"PLANBOT_SECRET_KEY does not open the LINE channel of {row.office_name} "
                                  f"(stored with another key?); set the key it was stored with", "wrong", row.office_name) from exc
    return out


class Channels:
    """The offices' channels as this process knows them: read from the database at most every few seconds.

    The webhook asks for every request; a database round trip each time would cost more than the rest of
    the request, so the whole table (one row per office) is kept and reread after `ttl` seconds.
    """

    def __init__(self, sessions: sessionmaker[Session], key: str, ttl: float = CACHE_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.sessions = sessions
        self.key = key
        self.ttl = ttl
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._read_at: float | None = None
        self._by_destination: dict[str, Channel] = {}
        self._by_office: dict[int, Channel] = {}

    def check(self) -> int:
        """Read the channels now (a process's start): ChannelKeyError when the key cannot open them; return how many."""
        channels = self._read()
        return len(channels)

    @property
    def stored(self) -> bool:
        """Whether channels were read and there are some (without reading again)."""
        return bool(self._by_office)

    def _read(self) -> list[Channel]:
        with self.sessions() as session:
            channels = read_channels(session, self.key)
        with self._lock:
            self._by_destination = {c.bot_user_id: c for c in channels}
            self._by_office = {c.office_id: c for c in channels}
            self._read_at = self._monotonic()
        return channels

    def _fresh(self) -> None:
        read_at = self._read_at
        if read_at is not None and self._monotonic() - read_at < self.ttl:
            return
        try:
            self._read()
        except ChannelKeyError:
            # Checked at start; a row stored later under another key must not fail every request: keep what we had.
            log.exception("could not read the offices' LINE channels; keeping the ones read before")
            with self._lock:
                self._read_at = self._monotonic()

    def any(self) -> bool:
        """Whether any office has a channel of its own (else the environment's channel serves the one office)."""
        self._fresh()
        return bool(self._by_office)

    def by_destination(self, destination: str) -> Channel | None:
        """Return the channel whose bot user ID the webhook's `destination` is."""
        self._fresh()
        return self._by_destination.get(destination)

    def of_office(self, office_id: int | None) -> Channel | None:
        """Return the office's channel (None: the office has none, or no office was given)."""
        if office_id is None:
            return None
        self._fresh()
        return self._by_office.get(office_id)

    def all(self) -> list[Channel]:
        """Return every office's channel."""
        self._fresh()
        return list(self._by_office.values())


def office_channels(runtime) -> Channels:
    """Return the offices' channels, read once now: a PLANBOT_SECRET_KEY that cannot open them stops the process here.

    A database not there yet (or not migrated) is no reason to stop: the channels are read when first asked for.
    """
    channels = Channels(runtime.sessions, runtime.settings.secret_key)
    try:
        channels.check()
    except DBAPIError as exc:
        log.warning("could not read the offices' LINE channels yet (%s)", str(exc.orig or exc).splitlines()[0][:200])
    return channels


class SendersByOffice:
    """The LINE client of each office: its channel's token, else (no office, or an office without a channel) `default`.

    Clients are made once per office and token and kept (each holds a connection pool).
    """

    def __init__(self, channels: Channels, make: Callable[[str], object], default=None) -> None:
        self.channels = channels
        self.make = make
        self.default = default
        self._lock = threading.Lock()
        self._clients: dict[tuple[int, str], object] = {}

    def __call__(self, office_id: int | None):
        channel = self.channels.of_office(office_id)
        if channel is None:
            return self.default
        key = (channel.office_id, channel.token)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._clients[key] = self.make(channel.token)
            return client
