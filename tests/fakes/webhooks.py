"""Webhook requests as LINE sends them: event builders, the body, and its X-Line-Signature.

Every body is validated against tests/data/line-openapi/webhook.yml (CallbackRequest, with the
Event/Source/MessageContent discriminators enforced), so tests cannot drift from what LINE sends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from .line_openapi import SpecError, compact_json, validate_webhook_body

Mode = Literal["active", "standby"]
Event = dict[str, Any]

DESTINATION = "U" + "d" * 32  # the bot's own user ID, as LINE puts it in `destination`
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class InvalidWebhookBody(ValueError):
    """A built webhook body does not match webhook.yml."""

    def __init__(self, errors: Sequence[SpecError]) -> None:
        super().__init__("; ".join(f"{e.property}: {e.message}" for e in errors))
        self.errors = list(errors)


def new_user_id() -> str:
    """Return a random user ID in LINE's form (U + 32 hex digits)."""
    return "U" + uuid.uuid4().hex


def new_group_id() -> str:
    """Return a random group ID in LINE's form (C + 32 hex digits)."""
    return "C" + uuid.uuid4().hex


def new_reply_token() -> str:
    """Return a random reply token (use FakeLineAPI.issue_reply_token for one the fake accepts)."""
    return uuid.uuid4().hex


def new_webhook_event_id(timestamp_ms: int) -> str:
    """Return a ULID: 48-bit millisecond time then 80 random bits, in 26 Crockford base-32 digits."""
    value = (timestamp_ms & ((1 << 48) - 1)) << 80 | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def to_millis(timestamp: int | datetime | None) -> int:
    """Return epoch milliseconds for an aware datetime or int; None means the wall clock now."""
    if timestamp is None:
        return time.time_ns() // 1_000_000
    if isinstance(timestamp, datetime):
        if timestamp.tzinfo is None:
            raise ValueError("webhook timestamps need an aware datetime")
        return int(timestamp.timestamp() * 1000)
    return int(timestamp)


def source(
    user_id: str | None = None, group_id: str | None = None, room_id: str | None = None
) -> dict[str, str]:
    """Return a user, group or room source object (userId is kept in groups and rooms when given)."""
    if group_id is not None:
        src = {"type": "group", "groupId": group_id}
    elif room_id is not None:
        src = {"type": "room", "roomId": room_id}
    elif user_id is not None:
        return {"type": "user", "userId": user_id}
    else:
        raise ValueError("a source needs a user_id, group_id or room_id")
    if user_id is not None:
        src["userId"] = user_id
    return src


def _event(
    kind: str,
    src: dict[str, str],
    *,
    mode: Mode,
    redelivery: bool,
    timestamp: int | datetime | None,
    event_id: str | None,
    reply_token: str | None | Literal[False],
    **extra: Any,
) -> Event:
    millis = to_millis(timestamp)
    event: Event = {
        "type": kind,
        "source": src,
        "timestamp": millis,
        "mode": mode,
        "webhookEventId": event_id or new_webhook_event_id(millis),
        "deliveryContext": {"isRedelivery": redelivery},
    }
    # LINE gives no reply token in standby mode (another channel answers) nor for events
    # that cannot be replied to (reply_token=False here).
    if reply_token is not False and mode == "active":
        event["replyToken"] = reply_token or new_reply_token()
    event.update(extra)
    return event


def text_event(
    user_id: str,
    text: str,
    *,
    reply_token: str | None = None,
    group_id: str | None = None,
    room_id: str | None = None,
    message_id: str | None = None,
    quote_token: str | None = None,
    mark_as_read_token: str | None = None,
    mode: Mode = "active",
    redelivery: bool = False,
    timestamp: int | datetime | None = None,
    event_id: str | None = None,
) -> Event:
    """Return a text message event from a user (in a group or room when its ID is given)."""
    message = {
        "type": "text",
        "id": message_id or str(secrets.randbelow(9 * 10**17) + 10**17),
        "text": text,
        "quoteToken": quote_token or secrets.token_urlsafe(48),
    }
    if mark_as_read_token is not None:
        message["markAsReadToken"] = mark_as_read_token
    return _event(
        "message",
        source(user_id, group_id, room_id),
        mode=mode,
        redelivery=redelivery,
        timestamp=timestamp,
        event_id=event_id,
        reply_token=reply_token,
        message=message,
    )


def postback_event(
    user_id: str,
    data: str,
    *,
    params: dict[str, str] | None = None,
    reply_token: str | None = None,
    group_id: str | None = None,
    room_id: str | None = None,
    mode: Mode = "active",
    redelivery: bool = False,
    timestamp: int | datetime | None = None,
    event_id: str | None = None,
) -> Event:
    """Return a postback event (params carries a datetime picker's `date`/`time`/`datetime`)."""
    postback: dict[str, Any] = {"data": data}
    if params is not None:
        postback["params"] = params
    return _event(
        "postback",
        source(user_id, group_id, room_id),
        mode=mode,
        redelivery=redelivery,
        timestamp=timestamp,
        event_id=event_id,
        reply_token=reply_token,
        postback=postback,
    )


def follow_event(
    user_id: str,
    *,
    unblocked: bool = False,
    reply_token: str | None = None,
    mode: Mode = "active",
    redelivery: bool = False,
    timestamp: int | datetime | None = None,
    event_id: str | None = None,
) -> Event:
    """Return a follow event: the user added the bot as a friend (or unblocked it)."""
    return _event(
        "follow",
        source(user_id),
        mode=mode,
        redelivery=redelivery,
        timestamp=timestamp,
        event_id=event_id,
        reply_token=reply_token,
        follow={"isUnblocked": unblocked},
    )


def unfollow_event(
    user_id: str,
    *,
    mode: Mode = "active",
    redelivery: bool = False,
    timestamp: int | datetime | None = None,
    event_id: str | None = None,
) -> Event:
    """Return an unfollow event: the user blocked the bot (no reply token)."""
    return _event(
        "unfollow",
        source(user_id),
        mode=mode,
        redelivery=redelivery,
        timestamp=timestamp,
        event_id=event_id,
        reply_token=False,
    )


def join_event(
    group_id: str,
    *,
    reply_token: str | None = None,
    mode: Mode = "active",
    redelivery: bool = False,
    timestamp: int | datetime | None = None,
    event_id: str | None = None,
) -> Event:
    """Return a join event: the bot was added to a group."""
    return _event(
        "join",
        source(group_id=group_id),
        mode=mode,
        redelivery=redelivery,
        timestamp=timestamp,
        event_id=event_id,
        reply_token=reply_token,
    )


def leave_event(
    group_id: str,
    *,
    mode: Mode = "active",
    redelivery: bool = False,
    timestamp: int | datetime | None = None,
    event_id: str | None = None,
) -> Event:
    """Return a leave event: the bot was removed from a group (no reply token)."""
    return _event(
        "leave",
        source(group_id=group_id),
        mode=mode,
        redelivery=redelivery,
        timestamp=timestamp,
        event_id=event_id,
        reply_token=False,
    )


def redelivered(event: Event) -> Event:
    """Return event as LINE redelivers it: same webhookEventId, isRedelivery true."""
    return {**event, "deliveryContext": {"isRedelivery": True}}


def body(destination: str, events: Sequence[Event]) -> bytes:
    """Return the webhook request body for events; raise InvalidWebhookBody if it breaks webhook.yml."""
    payload = compact_json({"destination": destination, "events": list(events)})
    errors = validate_webhook_body(payload)
    if errors:
        raise InvalidWebhookBody(errors)
    return payload


def sign(channel_secret: str, body: bytes) -> str:
    """Return X-Line-Signature for body: base64 of HMAC-SHA256 keyed by the channel secret."""
    digest = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_request(
    channel_secret: str, events: Sequence[Event], destination: str = DESTINATION
) -> tuple[bytes, dict[str, str]]:
    """Return (body, headers) of a webhook POST as LINE sends it, signed with channel_secret."""
    payload = body(destination, events)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Line-Signature": sign(channel_secret, payload),
        "User-Agent": "LineBotWebhook/2.0",
    }
    return payload, headers
