"""A sender that keeps what would go to LINE, so the simulator shows replies and pushes.

It also keeps what each person typed or tapped, so the chat is one timeline in the order things happened,
which a reloaded page draws again as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from linebot.v3.messaging import Message


@dataclass
class SentMessage:
    """One message as a LINE user would receive it."""

    seq: int
    to: str
    via: str  # me (what the person sent), reply or push
    message: dict


@dataclass
class SimResult:
    """What the simulator did with a send (a `bot.sender.Result`)."""

    ok: bool = True
    status: int | None = 200
    token_invalid: bool = False
    duplicate: bool = False
    error: str | None = None
    maybe_delivered: bool = False


@dataclass
class SimulatorSender:
    """Records replies and pushes per recipient; reply tokens name their recipient (a `bot.sender.Sender`)."""

    # Not LINE: pushes queued in the deliveries table are shown from there, and the page draws the rich menu.
    live: ClassVar[bool] = False
    messages: list[SentMessage] = field(default_factory=list)
    retry_keys: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    _shared = None

    @classmethod
    def shared(cls) -> SimulatorSender:
        """Return the process-wide instance (the web app and the in-process clock share it)."""
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def _add(self, to: str, via: str, messages: list[Message]) -> None:
        with self._lock:
            self._append(to, via, [m.to_dict() for m in messages])

    def _append(self, to: str, via: str, messages: list[dict]) -> None:
        for m in messages:
            self.messages.append(SentMessage(len(self.messages) + 1, to, via, m))

    def said(self, to: str, text: str) -> None:
        """Keep what the person typed (or the label of the button they tapped) in their chat."""
        with self._lock:
            self._append(to, "me", [{"type": "text", "text": text}])

    def knows(self, retry_key: str) -> bool:
        """Say whether a push under this retry key is already in the chats."""
        with self._lock:
            return retry_key in self.retry_keys

    def adopt(self, to: str, retry_key: str, messages: list[dict]) -> None:
        """Add a push another process made (found in the deliveries table) to the chat, once, where it is now."""
        with self._lock:
            if retry_key not in self.retry_keys:
                self.retry_keys.add(retry_key)
                self._append(to, "push", messages)

    def reply(self, reply_token: str, messages: list[Message]) -> SimResult:
        # Simulated reply tokens are "sim:<userId>:<nonce>".
        parts = reply_token.split(":")
        if len(parts) < 3 or parts[0] != "sim":
            return SimResult(ok=False, status=400, token_invalid=True, error="Invalid reply token")
        self._add(parts[1], "reply", messages)
        return SimResult()

    def push(self, to: str, messages: list[Message], retry_key: str) -> SimResult:
        with self._lock:
            if retry_key in self.retry_keys:
                return SimResult(status=409, duplicate=True)
            self.retry_keys.add(retry_key)
        self._add(to, "push", messages)
        return SimResult()

    def multicast(self, to: list[str], messages: list[Message], retry_key: str) -> SimResult:
        with self._lock:
            if retry_key in self.retry_keys:
                return SimResult(status=409, duplicate=True)
            self.retry_keys.add(retry_key)
        for user in to:
            self._add(user, "push", messages)
        return SimResult()

    def start_loading(self, chat_id: str, seconds: int = 20) -> SimResult:
        """The simulator's chat shows no loading animation: nothing to do."""
        return SimResult()

    def mark_as_read(self, token: str) -> SimResult:
        """The simulator's chat shows no 既讀: nothing to do."""
        return SimResult()

    def profile(self, user_id: str) -> None:
        """The simulator's people have no LINE profile (a 我是 card then says LINE gave no name)."""
        return None

    def call(self, what: str, call: Callable[[], Any], expected: object = ()) -> tuple[SimResult, None]:
        """Refuse other LINE API calls (rich menus): the simulator has no LINE to make them at."""
        return SimResult(ok=False, status=404, error=f"{what}: the simulator has no LINE API"), None

    def since(self, to: str, after: int) -> list[SentMessage]:
        """Return the messages for a recipient after sequence number `after`."""
        with self._lock:
            return [m for m in self.messages if m.to == to and m.seq > after]
