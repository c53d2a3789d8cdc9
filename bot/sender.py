"""What every way of talking to LINE offers (`Sender`), what a send returns (`Result`), and the one retry rule.

`bot/line_api.LineSender` speaks LINE's Messaging API over HTTP (to api.line.me, or to the fake LINE server the
tests run); `bot/simulator_sender.SimulatorSender` keeps the messages for the simulator's chat. Callers hold a
`Sender` and call it; none asks which one it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from linebot.v3.messaging import Message

TOO_MANY_REQUESTS = 429


def should_retry(status: int | None) -> bool:
    """Whether a send that failed with this HTTP status is worth trying again under the same retry key.

    No answer at all (None), a rate limit or a server error may pass later; LINE refused anything else for good.
    """
    return status is None or status == TOO_MANY_REQUESTS or status >= 500


class Result(Protocol):
    """What became of one send after its attempts (LineSender's `SendResult`, the simulator's `SimResult`)."""

    ok: bool
    status: int | None  # the last HTTP status; None when the last attempt got no answer
    duplicate: bool  # ok because LINE accepted this retry key earlier (409)
    token_invalid: bool  # reply only: LINE refused the reply token
    maybe_delivered: bool  # reply only: an earlier attempt got no clear answer, so the token may have been used
    error: str | None


class Pusher(Protocol):
    """The part of a `Sender` the outbox needs (also met by the log outbox used without a LINE token)."""

    def push(self, to: str, messages: Sequence[Message], retry_key: str) -> Result: ...


class Profile(Protocol):
    """A user's LINE profile, as far as a 我是 card needs it."""

    display_name: str
    picture_url: str | None


@runtime_checkable
class Sender(Protocol):
    """Reply, push, multicast, the loading animation, mark as read, profiles and rich menus.

    `live` says whether the sender reaches LINE: the simulator's does not, so it shows queued pushes from the
    deliveries table and draws each person's rich menu itself (`rich_menus` is then never called).
    """

    live: bool

    def reply(self, reply_token: str, messages: Sequence[Message]) -> Result: ...

    def push(self, to: str, messages: Sequence[Message], retry_key: str) -> Result: ...

    def multicast(self, to: Sequence[str], messages: Sequence[Message], retry_key: str) -> Result: ...

    def start_loading(self, chat_id: str, seconds: int = 20) -> Result: ...

    def mark_as_read(self, token: str) -> Result: ...

    def profile(self, user_id: str) -> Profile | None: ...

    def call(self, what: str, call: Any, expected: Any = ()) -> tuple[Result, Any]:
        """Run one other API call (the rich menus of `bot/rich_menus.py`) with the sender's retries."""
        ...
