"""Send replies, pushes and multicasts to LINE and read profiles and the quota: the LineSender."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Sequence

from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    Message,
    MessagingApi,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
)

from bot.line_quota import Quota
from bot.line_results import LineApiError, Profile, SendResult
from bot.line_retry import _RetryLoop

DEFAULT_BASE_URL = "https://api.line.me"
MAX_RECIPIENTS = 500
MAX_MESSAGES = 5


def chunk_recipients(to: Sequence[str], size: int = MAX_RECIPIENTS) -> list[list[str]]:
    """Split recipients into multicast-sized chunks, dropping repeated IDs (order kept)."""
    if size < 1 or size > MAX_RECIPIENTS:
        raise ValueError(f"chunk size must be 1..{MAX_RECIPIENTS}")
    unique = list(dict.fromkeys(to))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


class LineSender(_RetryLoop):
    """Send replies, pushes and multicasts through line-bot-sdk with retries that never duplicate.

    base_url replaces https://api.line.me (the app passes env LINE_API_BASE; tests, the fake's URL).
    timeout bounds every HTTP call (the SDK has none by default). A retryable failure waits a
    jittered min(backoff_cap, backoff_base * 2**(n-1)) seconds, or LINE's Retry-After, through
    `sleep`, for at most max_attempts attempts. rng and wall_clock are injectable for tests.
    Safe to share between threads (urllib3's pool is).
    """

    def __init__(
        self,
        access_token: str,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_attempts: int = 6,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        wall_clock: Callable[[], float] = time.time,
        pool_maxsize: int = 10,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        config = Configuration(access_token=access_token, host=(base_url or DEFAULT_BASE_URL).rstrip("/"))
        # urllib3 would otherwise retry on its own, uncounted; every attempt is decided here.
        config.retries = False
        # Pushes fan out from several threads; a pool smaller than that churns connections.
        config.connection_pool_maxsize = pool_maxsize
        self._client = ApiClient(config)
        self._api = MessagingApi(self._client)
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._wall_clock = wall_clock  # only to read an HTTP-date Retry-After

    def close(self) -> None:
        """Close pooled connections."""
        self._client.rest_client.pool_manager.clear()
        self._client.close()

    def __enter__(self) -> LineSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sending -----------------------------------------------------------------------------------
    def reply(
        self, reply_token: str, messages: Sequence[Message], notification_disabled: bool = False
    ) -> SendResult:
        """Reply to a webhook event; token_invalid=True tells the caller to fall back to push."""
        _check_messages(messages)
        request = ReplyMessageRequest(
            reply_token=reply_token, messages=list(messages), notification_disabled=notification_disabled
        )
        return self._send(
            "reply",
            lambda: self._api.reply_message_with_http_info(request, _request_timeout=self.timeout),
            retry_key=None,
        )

    def push(
        self, to: str, messages: Sequence[Message], retry_key: str, notification_disabled: bool = False
    ) -> SendResult:
        """Push messages to one user, group or room under the caller's stored retry key."""
        _check_messages(messages)
        _check_retry_key(retry_key)
        request = PushMessageRequest(
            to=to, messages=list(messages), notification_disabled=notification_disabled
        )
        return self._send(
            "push",
            lambda: self._api.push_message_with_http_info(
                request, x_line_retry_key=retry_key, _request_timeout=self.timeout
            ),
            retry_key=retry_key,
        )

    def multicast(
        self,
        to: Sequence[str],
        messages: Sequence[Message],
        retry_key: str,
        notification_disabled: bool = False,
    ) -> SendResult:
        """Send the same messages to up to 500 users under one retry key."""
        if not 1 <= len(to) <= MAX_RECIPIENTS:
            raise ValueError(f"multicast takes 1..{MAX_RECIPIENTS} recipients, got {len(to)}: chunk them")
        _check_messages(messages)
        _check_retry_key(retry_key)
        request = MulticastRequest(
            to=list(to), messages=list(messages), notification_disabled=notification_disabled
        )
        return self._send(
            "multicast",
            lambda: self._api.multicast_with_http_info(
                request, x_line_retry_key=retry_key, _request_timeout=self.timeout
            ),
            retry_key=retry_key,
        )

    def multicast_chunks(
        self, to: Sequence[str], messages: Sequence[Message], retry_keys: Sequence[str]
    ) -> list[SendResult]:
        """Multicast to any number of users: one request per `chunk_recipients(to)` chunk, keyed by retry_keys[i]."""
        chunks = chunk_recipients(to)
        if len(retry_keys) != len(chunks):
            raise ValueError(f"{len(chunks)} chunks need {len(chunks)} retry keys, got {len(retry_keys)}")
        # A failed chunk does not stop the others: each is independent and separately retryable.
        return [self.multicast(chunk, messages, key) for chunk, key in zip(chunks, retry_keys, strict=True)]

    # -- reading -----------------------------------------------------------------------------------
    def profile(self, user_id: str) -> Profile | None:
        """Return the user's profile, or None when LINE does not know them (404: not a friend)."""
        result, data = self._read(
            "profile",
            lambda: self._api.get_profile_with_http_info(user_id, _request_timeout=self.timeout),
            expected={404},
        )
        if result.status == 404:
            return None
        if not result.ok:
            raise LineApiError("profile", result)
        return Profile(
            user_id=data.user_id,
            display_name=data.display_name,
            picture_url=data.picture_url,
            status_message=data.status_message,
            language=data.language,
        )

    def quota(self) -> Quota:
        """Return this month's target limit and usage (GET quota and quota/consumption)."""
        limit_result, limit = self._read(
            "quota", lambda: self._api.get_message_quota_with_http_info(_request_timeout=self.timeout)
        )
        if not limit_result.ok:
            raise LineApiError("quota", limit_result)
        used_result, used = self._read(
            "quota consumption",
            lambda: self._api.get_message_quota_consumption_with_http_info(_request_timeout=self.timeout),
        )
        if not used_result.ok:
            raise LineApiError("quota consumption", used_result)
        quota_type = getattr(limit.type, "value", limit.type)
        return Quota(
            limit=None if quota_type == "none" else int(limit.value or 0), used=int(used.total_usage)
        )


def _check_messages(messages: Sequence[Message]) -> None:
    if not 1 <= len(messages) <= MAX_MESSAGES:
        raise ValueError(f"LINE takes 1..{MAX_MESSAGES} messages per request, got {len(messages)}")


def _check_retry_key(retry_key: str) -> None:
    # LINE refuses a key that is not a hex UUID; better to fail before the first attempt.
    try:
        uuid.UUID(retry_key)
    except (TypeError, ValueError, AttributeError):
        raise ValueError(f"retry_key must be a UUID, got {retry_key!r}") from None
