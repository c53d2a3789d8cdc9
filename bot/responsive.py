"""Around each answered event: perform what the answer pipeline decided to show first (mark read, the loading
animation) through the `Sender`, and afterwards push the notices the event queued and switch rich menus that no
longer fit a role."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot import deliveries
from bot.rich_menus import sync_quietly
from bot.sender import Result, Sender
from handlers.chat.pace import Courtesy

log = logging.getLogger(__name__)


def show(sender: Sender, courtesy: Courtesy) -> None:
    """Mark the message read and start the loading animation, as the pipeline decided; failures only get logged."""
    if courtesy.mark_read:
        _quietly("mark as read", lambda: sender.mark_as_read(courtesy.mark_read))
    if courtesy.loading_for:
        _quietly("loading", lambda: sender.start_loading(courtesy.loading_for, courtesy.loading_seconds))


def after_answer(sessions: sessionmaker[Session], sender: Sender, now: Callable[[], datetime],
                 senders: Callable[[int | None], Sender] | None = None, office_id: int | None = None) -> None:
    """Push what the event queued for others (notices) and give linked accounts their role's rich menu.

    `senders`: each office's LINE account (a notice goes out through its own office's); default `sender`.
    `office_id`: the office whose own LINE account `sender` is (its menus); None: the environment's channel.
    """

    def through(office_id: int | None) -> deliveries.PushReplies:
        client = (senders(office_id) if senders is not None else None) or sender
        # Without LINE (the simulator) the outbox keeps them: the simulator shows pushes from the deliveries table.
        return deliveries.pushing_through(client if client.live else deliveries.LogOutbox())

    try:
        deliveries.send_notices(sessions, deliveries.ByOffice(through), now)
    except Exception:  # noqa: BLE001 - unsent notices stay queued for the next event
        log.exception("sending notices failed")
    sync_quietly(sender, sessions, now(), office_id)


def _quietly(what: str, call: Callable[[], Result]) -> None:
    try:
        result = call()
    except Exception:  # noqa: BLE001 - a nicety: the answer itself must not wait on it
        log.exception("%s failed", what)
        return
    if not result.ok:
        log.info("%s refused: %s", what, result.error or "")
