"""Refuse to start a web process whose settings would hand LINE users' identities or download links to strangers."""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)


class ConfigurationError(SettingsError):
    """The web process must not start with these settings; the message says what to change."""


def check_web_settings(settings: Settings, testing: bool = False) -> None:
    """Raise ConfigurationError for a dangerous deployment; warn where http was chosen on purpose."""
    if settings.simulator and settings.access_token and not _is_local_fake(settings.line_api_base or ""):
        raise ConfigurationError(
            "PLANBOT_SIMULATOR=1 with a LINE access token needs LINE_API_BASE to name a fake LINE API on this "
            f"machine (127.0.0.1, ::1 or localhost; now {settings.line_api_base or 'LINE itself'!r}): the simulator "
            "lists every LINE user and lets anyone act as them, with real pushes. Unset PLANBOT_SIMULATOR (or the token)."
        )
    if settings.simulator or testing:
        return  # the demo's links point at the machine it runs on
    public = settings.handlers.public_url
    scheme = urlsplit(public).scheme
    if scheme == "https":
        return
    if scheme == "http" and settings.allow_http:
        log.warning("PUBLIC_URL is %s: download links (the office's control table) travel unencrypted. "
                    "Use https unless this network is private.", public)
        return
    raise ConfigurationError(
        f"PUBLIC_URL must be the https address people reach this web process at (now {public!r}); download "
        "links point there. Set PLANBOT_ALLOW_HTTP=1 to use an http address on purpose."
    )


def _is_local_fake(base: str) -> bool:
    """Say whether the API base is explicitly this machine.

    Recognising LINE's hosts by name is a deny list that `api.line.me.` (a trailing dot) or one of LINE's
    addresses slips through; only a loopback address or `localhost` can never be LINE.
    """
    if not base:
        return False
    host = (urlsplit(base).hostname or "").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
