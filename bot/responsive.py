"""Around each answered event: mark the message read (chat mode), start LINE's loading animation before a slow
answer, and afterwards push the notices the event queued and switch rich menus that no longer fit a role."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot import deliveries
from bot.rich_menus import sync_quietly
from bot.sender import Result, Sender
from handlers.chat.pace import takes_a_while

log = logging.getLogger(__name__)
LOADING_SECONDS = 20  # LINE ends it at the answer anyway; 5–60 in steps of 5


def before_answer(sender: Sender, event: dict, chat_mode: bool) -> None:
    """Mark the message read (when the account has chat mode on) and start the loading animation for a slow answer."""
    if event.get("type") != "message":
        return
    message = event.get("message") or {}
    source = event.get("source") or {}
    token = message.get("markAsReadToken")
    if chat_mode and token:
        _quietly("mark as read", lambda: sender.mark_as_read(token))
    one_to_one = source.get("type") == "user" and source.get("userId")
    if one_to_one and message.get("type") == "text" and takes_a_while(str(message.get("text") or "")):
        _quietly("loading", lambda: sender.start_loading(source["userId"], LOADING_SECONDS))


def after_answer(sessions: sessionmaker[Session], sender: Sender, now: Callable[[], datetime]) -> None:
    """Push what the event queued for others (notices) and give linked accounts their role's rich menu."""
    # Without LINE (the simulator) the outbox keeps them: the simulator shows pushes from the deliveries table.
    client = sender if sender.live else deliveries.LogOutbox()
    try:
        deliveries.send_notices(sessions, deliveries.pushing_through(client), now)
    except Exception:  # noqa: BLE001 - unsent notices stay queued for the next event
        log.exception("sending notices failed")
    sync_quietly(sender, sessions, now())


def _quietly(what: str, call: Callable[[], Result]) -> None:
    try:
        result = call()
    except Exception:  # noqa: BLE001 - a nicety: the answer itself must not wait on it
        log.exception("%s failed", what)
        return
    if not result.ok:
        log.info("%s refused: %s", what, result.error or "")
