"""The deployment's settings, read from the environment once, where a process starts.

Every process (the web app, `planbot events`, `planbot clock`, the other `planbot` commands) builds one
`Settings` with `Settings.from_env()` and hands it on inside its `Runtime`; nothing else reads os.environ.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from handlers.core.incoming import Settings as HandlerSettings

# Where `make demo` notes the address it serves on, beside its database (see `_demo_address`).
DEMO_DATABASE = "instance/planbot.db"
DEMO_ADDRESS = Path(__file__).resolve().parent.parent / "instance" / "demo-address"


class SettingsError(RuntimeError):
    """A setting is missing or wrong: the process must not start."""


CLOSURE_FEED_URL = "https://alerts.ncdr.nat.gov.tw/JSONAtomFeed.ashx?AlertType=33"


def _feed_url(value: str | None) -> str | None:
    value = (value or "").strip()
    if value.lower() == "off":
        return None
    return value or CLOSURE_FEED_URL


@dataclass(frozen=True)
class Settings:
    """What a planbot process is told by its environment."""

    database_url: str | None = None  # DATABASE_URL; None: the SQLite file under instance/
    channel_secret: str = ""  # LINE_CHANNEL_SECRET: checks each webhook's signature
    access_token: str = ""  # LINE_CHANNEL_ACCESS_TOKEN: without it replies and pushes stay in this process
    line_api_base: str | None = None  # LINE_API_BASE: LINE's API host (tests point it at a local fake)
    line_api_data_base: str | None = None  # LINE_API_DATA_BASE: LINE's data host (rich-menu images)
    chat_mode: bool = False  # PLANBOT_CHAT_MODE=1: the account has chat mode on; messages are marked as read
    push_timeout: float = 10.0  # PLANBOT_PUSH_TIMEOUT: seconds for one call to LINE
    quota_reserve: int = 0  # PLANBOT_QUOTA_RESERVE: pushes of the monthly quota kept back
    monthly_quota: int | None = None  # LINE_MONTHLY_QUOTA: the channel's pushes a month (else LINE's quota endpoint)
    simulator: bool = False  # PLANBOT_SIMULATOR=1: the browser simulator at /simulator (never in production)
    separate_worker: bool = False  # PLANBOT_EVENT_WORKER=separate: `planbot events` answers, not the web process
    sync_events: bool = False  # PLANBOT_SYNC_EVENTS=1: answer each webhook's events before acknowledging it
    log_level: str = "INFO"  # PLANBOT_LOG_LEVEL
    event_lease: float = 30.0  # PLANBOT_EVENT_LEASE: seconds a worker holds a conversation unrenewed
    event_threads: int = 4  # PLANBOT_EVENT_THREADS: conversations one worker answers at once
    allow_http: bool = False  # PLANBOT_ALLOW_HTTP=1: an http PUBLIC_URL chosen on purpose
    # PLANBOT_CLOSURE_FEED_URL: the DGPA's closure announcements (NCDR alert type 33); "off" reads none
    closure_feed_url: str | None = CLOSURE_FEED_URL
    closure_feed_key: str = ""  # PLANBOT_CLOSURE_FEED_KEY: NCDR's member key, sent as apikey= (optional)
    secret_key: str = ""  # PLANBOT_SECRET_KEY: the Fernet key the offices' channel secrets and tokens are stored under
    handlers: HandlerSettings = field(default_factory=HandlerSettings)  # PUBLIC_URL, LINE_BOT_BASIC_ID

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from `env` (default: os.environ)."""
        env = os.environ if env is None else env
        default = HandlerSettings()
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            channel_secret=env.get("LINE_CHANNEL_SECRET") or "",
            access_token=env.get("LINE_CHANNEL_ACCESS_TOKEN") or "",
            line_api_base=env.get("LINE_API_BASE") or None,
            line_api_data_base=env.get("LINE_API_DATA_BASE") or None,
            chat_mode=env.get("PLANBOT_CHAT_MODE") == "1",
            push_timeout=float(env.get("PLANBOT_PUSH_TIMEOUT") or 10),
            quota_reserve=int(env.get("PLANBOT_QUOTA_RESERVE") or 0),
            monthly_quota=int(env["LINE_MONTHLY_QUOTA"]) if env.get("LINE_MONTHLY_QUOTA") else None,
            simulator=env.get("PLANBOT_SIMULATOR") == "1",
            separate_worker=env.get("PLANBOT_EVENT_WORKER") == "separate",
            sync_events=env.get("PLANBOT_SYNC_EVENTS") == "1",
            log_level=env.get("PLANBOT_LOG_LEVEL") or "INFO",
            event_lease=_positive(float(env.get("PLANBOT_EVENT_LEASE") or 30), "PLANBOT_EVENT_LEASE"),
            event_threads=int(_positive(int(env.get("PLANBOT_EVENT_THREADS") or 4), "PLANBOT_EVENT_THREADS")),
            allow_http=env.get("PLANBOT_ALLOW_HTTP") == "1",
            closure_feed_url=_feed_url(env.get("PLANBOT_CLOSURE_FEED_URL")),
            closure_feed_key=(env.get("PLANBOT_CLOSURE_FEED_KEY") or "").strip(),
            secret_key=(env.get("PLANBOT_SECRET_KEY") or "").strip(),
            handlers=HandlerSettings(
                public_url=(env.get("PUBLIC_URL") or _demo_address(env) or default.public_url).rstrip("/"),
                line_bot_basic_id=(env.get("LINE_BOT_BASIC_ID") or "").strip(),
            ),
        )

    def webhook_secret(self, testing: bool = False) -> str:
        """Return the channel secret; outside the simulator and tests a missing one stops the web process."""
        if self.channel_secret:
            return self.channel_secret
        if self.simulator or testing:
            return secrets.token_hex(16)  # the simulator signs with whatever secret the app holds
        raise SettingsError("LINE_CHANNEL_SECRET is not set: the web process cannot check webhooks (set it, or PLANBOT_SIMULATOR=1 for the demo)")


def _demo_address(env: Mapping[str, str]) -> str | None:
    """Return where `make demo` serves (PORT=5101 make demo), for a command run beside it on its database."""
    database = env.get("DATABASE_URL") or ""
    if env.get("PORT") or (database and not database.endswith(DEMO_DATABASE)):
        return None
    try:
        return DEMO_ADDRESS.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _positive(value, name: str):
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {value}")
    return value
