"""Talk to LINE's Messaging API: the only module that calls it (replies, pushes, multicasts, profiles, quota).

Pushes and multicasts always carry the caller's `X-Line-Retry-Key` and are retried (timeouts,
dropped connections, 5xx, rate-limit 429) under that same key, so LINE delivers at most once; a
409 carrying `x-line-accepted-request-id` means an earlier attempt was accepted and counts as
delivered. Other 4xx are final and LINE's error message is returned in the result. The waits
between attempts (jittered exponential backoff, or LINE's Retry-After) go through an injected
`sleep`, and every HTTP call is bounded by an injected `timeout`, so tests neither sleep nor race.

Chunking: `multicast` takes at most 500 recipients; `multicast_chunks` splits a longer list with
`chunk_recipients` and sends each chunk under its own retry key, which the caller stores before
the first attempt (one per chunk, in `chunk_recipients` order).

Quota: `QuotaGuard` refuses a fan-out that would take this month's usage past LINE's target limit.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MarkMessagesAsReadByTokenRequest,
    Message,
    MessagingApi,
    MessagingApiBlob,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)

from bot.sender import should_retry

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.line.me"
DEFAULT_DATA_URL = "https://api-data.line.me"  # uploads and downloads (rich-menu images) go to LINE's data host
MAX_RECIPIENTS = 500
MAX_MESSAGES = 5
REQUEST_ID_HEADER = "x-line-request-id"
ACCEPTED_HEADER = "x-line-accepted-request-id"
INVALID_REPLY_TOKEN = "Invalid reply token"
MONTHLY_LIMIT = "You have reached your monthly limit."

__all__ = [
    "ACCEPTED_HEADER",
    "DEFAULT_BASE_URL",
    "INVALID_REPLY_TOKEN",
    "MAX_MESSAGES",
    "MAX_RECIPIENTS",
    "MONTHLY_LIMIT",
    "REQUEST_ID_HEADER",
    "LineApiError",
    "LineSender",
    "Profile",
    "Quota",
    "QuotaGuard",
    "SendKind",
    "SendResult",
    "chunk_recipients",
    "recipients_cost",
]


# -- quota -----------------------------------------------------------------------------------------
SendKind = Literal["reply", "push", "multicast", "broadcast", "narrowcast"]


@dataclass(frozen=True)
class Quota:
    """This month's message quota: limit None means no target limit is set."""

    limit: int | None
    used: int

    @property
    def remaining(self) -> int | None:
        """Return how many more pushes fit this month (None when unlimited)."""
        return None if self.limit is None else max(self.limit - self.used, 0)

    def allows(self, cost: int) -> bool:
        """Return whether cost more messages fit under the limit."""
        return self.limit is None or self.used + cost <= self.limit


def recipients_cost(kind: SendKind, n: int) -> int:
    """Return how many messages of the monthly quota sending to n recipients uses."""
    if n < 0:
        raise ValueError("n must not be negative")
    if kind == "reply":
        return 0  # replies are free
    if kind in ("push", "multicast", "broadcast", "narrowcast"):
        return n  # counted per recipient, however many message objects the request holds
    raise ValueError(f"unknown send kind {kind!r}")


class QuotaGuard:
    """Refuse a fan-out that would take this month's usage past LINE's target limit."""

    def __init__(self, read_quota: Callable[[], Quota], reserve: int = 0) -> None:
        # LINE's consumption figure lags behind sends; `reserve` keeps a margin for that.
        self._read_quota = read_quota
        self.reserve = reserve

    def can_send(self, n_recipients: int, kind: SendKind = "push") -> bool:
        """Return whether sending to n_recipients fits in the quota (reads it from LINE; may raise LineApiError)."""
        cost = recipients_cost(kind, n_recipients)
        if cost == 0:
            return True
        quota = self._read_quota()
        return quota.allows(cost + self.reserve)


# -- results ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SendResult:
    """What became of one send after all its attempts."""

    ok: bool
    status: int | None  # last HTTP status; None when the last attempt got no answer
    attempts: int
    request_id: str | None = None
    accepted_request_id: str | None = None  # on a 409: the request LINE accepted earlier
    duplicate: bool = False  # True when ok came from a 409 (already accepted under this key)
    token_invalid: bool = False  # reply only: LINE refused the reply token
    error: str | None = None  # LINE's message and details, or the transport error
    # reply only: an earlier attempt got no clear answer, so a refused token may mean it was used
    # by that attempt and the reply did arrive; falling back to push could then duplicate it.
    maybe_delivered: bool = False
    retry_after: float | None = None  # LINE asked to wait longer than backoff_cap: reschedule


@dataclass(frozen=True)
class Profile:
    """A user's LINE profile."""

    user_id: str
    display_name: str
    picture_url: str | None = None
    status_message: str | None = None
    language: str | None = None


class LineApiError(Exception):
    """A read from LINE (profile, quota) failed after its retries."""

    def __init__(self, what: str, result: SendResult) -> None:
        super().__init__(f"{what} failed: {result.error}")
        self.result = result


@dataclass(frozen=True)
class _Outcome:
    """One HTTP attempt: a status and body, or a transport error (status None)."""

    status: int | None
    headers: Any = None
    body: str = ""
    data: Any = None
    error: str | None = None
    unsent: bool = False  # the connection never opened, so LINE cannot have seen the request

    def header(self, name: str) -> str | None:
        return self.headers.get(name) if self.headers is not None else None

    @property
    def line_message(self) -> str | None:
        try:
            parsed = json.loads(self.body)
        except ValueError:
            return None
        return parsed.get("message") if isinstance(parsed, dict) else None


def _failure(
    outcome: _Outcome, attempts: int, token_invalid: bool = False, maybe_delivered: bool = False
) -> SendResult:
    return SendResult(
        False,
        outcome.status,
        attempts,
        request_id=outcome.header(REQUEST_ID_HEADER),
        token_invalid=token_invalid,
        error=_describe(outcome),
        maybe_delivered=maybe_delivered,
    )


def _describe(outcome: _Outcome) -> str:
    """Return LINE's error message with its details, or the transport error."""
    if outcome.status is None:
        return outcome.error or "no response"
    try:
        parsed = json.loads(outcome.body)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict) or "message" not in parsed:
        return f"HTTP {outcome.status}: {outcome.body[:300]}"
    text = f"HTTP {outcome.status}: {parsed['message']}"
    details = [d for d in parsed.get("details") or [] if isinstance(d, dict)]
    if details:
        text += " (" + "; ".join(f"{d.get('property', '?')}: {d.get('message', '')}" for d in details) + ")"
    return text


# -- the sender --------------------------------------------------------------------------------------
def chunk_recipients(to: Sequence[str], size: int = MAX_RECIPIENTS) -> list[list[str]]:
    """Split recipients into multicast-sized chunks, dropping repeated IDs (order kept)."""
    if size < 1 or size > MAX_RECIPIENTS:
        raise ValueError(f"chunk size must be 1..{MAX_RECIPIENTS}")
    unique = list(dict.fromkeys(to))
    return [unique[i : i + size] for i in range(0, len(unique), size)]


class LineSender:
    """Send replies, pushes and multicasts through line-bot-sdk with retries that never duplicate.

    base_url replaces https://api.line.me (the app passes env LINE_API_BASE; tests, the fake's URL).
    timeout bounds every HTTP call (the SDK has none by default). A retryable failure waits a
    jittered min(backoff_cap, backoff_base * 2**(n-1)) seconds, or LINE's Retry-After, through
    `sleep`, for at most max_attempts attempts. rng and wall_clock are injectable for tests; so is the HTTP
    transport (a urllib3 pool manager, as httpx takes a transport), used for both LINE hosts and closed with
    the sender.
    Safe to share between threads (urllib3's pool is).
    """

    live = True  # reaches LINE (or the fake LINE server): see bot/sender.py

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
        data_url: str | None = None,
        transport: urllib3.PoolManager | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        config = Configuration(access_token=access_token, host=(base_url or DEFAULT_BASE_URL).rstrip("/"))
        # urllib3 would otherwise retry on its own, uncounted; every attempt is decided here.
        config.retries = False
        # Pushes fan out from several threads; a pool smaller than that churns connections.
        config.connection_pool_maxsize = pool_maxsize
        self._client = ApiClient(config)
        if transport is not None:
            self._client.rest_client.pool_manager = transport
        self._api = MessagingApi(self._client)
        self.api = self._api  # for bot/rich_menus.py, through `call`
        # The SDK sends every call to Configuration.host, so the data host needs a client of its own.
        data = Configuration(access_token=access_token, host=_data_host(base_url, data_url))
        data.retries = False
        self._data_client = ApiClient(data)
        if transport is not None:
            self._data_client.rest_client.pool_manager = transport
        self.blob = MessagingApiBlob(self._data_client)
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._wall_clock = wall_clock  # only to read an HTTP-date Retry-After

    def close(self) -> None:
        """Close pooled connections."""
        for client in (self._client, self._data_client):
            client.rest_client.pool_manager.clear()
            client.close()

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

    def call(self, what: str, call: Callable[[], Any], expected: Collection[int] = ()) -> tuple[SendResult, Any]:
        """Run one other API call (rich menus…) with the same retries; return its result and data."""
        return self._read(what, call, expected)

    def start_loading(self, chat_id: str, seconds: int = 20) -> SendResult:
        """Show the loading animation in a one-to-one chat (one attempt: it only helps while it is quick)."""
        request = ShowLoadingAnimationRequest(chat_id=chat_id, loading_seconds=seconds)
        return self._once("loading", lambda: self._api.show_loading_animation_with_http_info(
            request, _request_timeout=min(self.timeout, 3.0)))

    def mark_as_read(self, token: str) -> SendResult:
        """Mark the user's messages up to the webhook's markAsReadToken as read (chat mode; one attempt)."""
        request = MarkMessagesAsReadByTokenRequest(mark_as_read_token=token)
        return self._once("mark as read", lambda: self._api.mark_messages_as_read_by_token_with_http_info(
            request, _request_timeout=min(self.timeout, 3.0)))

    def _once(self, what: str, call: Callable[[], Any]) -> SendResult:
        outcome = self._attempt(call)
        result = self._judge(outcome, 1, False, False) or _failure(outcome, 1)
        self._log_result(what, None, result)
        return result

    # -- the retry loop ------------------------------------------------------------------------------
    def _read(
        self, what: str, call: Callable[[], Any], expected: Collection[int] = ()
    ) -> tuple[SendResult, Any]:
        outcome, result = self._loop(what, call, retry_key=None, reply=False, expected=expected)
        return result, outcome.data

    def _send(self, what: str, call: Callable[[], Any], retry_key: str | None) -> SendResult:
        return self._loop(what, call, retry_key=retry_key, reply=what == "reply")[1]

    def _loop(
        self,
        what: str,
        call: Callable[[], Any],
        retry_key: str | None,
        reply: bool,
        expected: Collection[int] = (),
    ) -> tuple[_Outcome, SendResult]:
        """Attempt call until it succeeds, fails for good, or max_attempts; `expected` statuses are not logged as errors."""
        unclear = False  # some attempt may have reached LINE without us seeing the answer
        attempt = 0
        while True:
            attempt += 1
            outcome = self._attempt(call)
            result = self._judge(outcome, attempt, reply, unclear)
            if result is not None:
                if result.status not in expected:
                    self._log_result(what, retry_key, result)
                return outcome, result
            unclear = unclear or _unclear(outcome)
            retry_after = _retry_after(outcome, self._wall_clock)
            too_long = retry_after is not None and retry_after > self.backoff_cap
            if attempt >= self.max_attempts or too_long:
                result = _failure(outcome, attempt, maybe_delivered=reply and unclear)
                if too_long:
                    # Blocking a worker for that long helps nobody: hand the wait to the caller.
                    result = replace(result, retry_after=retry_after)
                self._log_result(what, retry_key, result)
                return outcome, result
            wait = retry_after if retry_after is not None else self._backoff(attempt)
            log.warning(
                "LINE %s attempt %d/%d failed (%s); retrying in %.2fs under retry key %s",
                what,
                attempt,
                self.max_attempts,
                _describe(outcome),
                wait,
                retry_key,
            )
            self._sleep(wait)

    def _attempt(self, call: Callable[[], Any]) -> _Outcome:
        try:
            response = call()
        except ApiException as exc:
            if not exc.status:
                # The SDK reports TLS failures as status 0: no answer from LINE.
                return _Outcome(None, error=f"{type(exc).__name__}: {exc.reason}")
            return _Outcome(exc.status, exc.headers, exc.body or "")
        except (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError) as exc:
            return _Outcome(None, error=f"{type(exc).__name__}: {exc}", unsent=True)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return _Outcome(None, error=f"{type(exc).__name__}: {exc}")
        return _Outcome(response.status_code, response.headers, response.raw_data or "", response.data)

    def _judge(self, outcome: _Outcome, attempt: int, reply: bool, unclear: bool) -> SendResult | None:
        """Return the final result for this outcome, or None when it should be retried."""
        status = outcome.status
        request_id = outcome.header(REQUEST_ID_HEADER)
        if status is not None and 200 <= status < 300:
            return SendResult(True, status, attempt, request_id=request_id)
        if status == 409 and outcome.header(ACCEPTED_HEADER):
            return SendResult(
                True,
                status,
                attempt,
                request_id=request_id,
                accepted_request_id=outcome.header(ACCEPTED_HEADER),
                duplicate=True,
            )
        if _retryable(outcome):
            return None
        token_invalid = reply and status == 400 and outcome.line_message == INVALID_REPLY_TOKEN
        return _failure(
            outcome, attempt, token_invalid=token_invalid, maybe_delivered=token_invalid and unclear
        )

    def _backoff(self, attempt: int) -> float:
        """Return the wait after failed attempt number `attempt` when LINE did not say how long."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        # "Equal jitter": never less than half the step, so retries stay spaced, yet spread out.
        return self._rng.uniform(ceiling / 2, ceiling)

    def _log_result(self, what: str, retry_key: str | None, result: SendResult) -> None:
        if result.ok:
            if result.duplicate:
                log.info(
                    "LINE %s already accepted under retry key %s (request %s); not sent again",
                    what,
                    retry_key,
                    result.accepted_request_id,
                )
            return
        log.error(
            "LINE %s failed after %d attempt(s): status=%s request_id=%s retry_key=%s error=%s",
            what,
            result.attempts,
            result.status,
            result.request_id,
            retry_key,
            result.error,
        )


def _retryable(outcome: _Outcome) -> bool:
    # The monthly limit is a 429 too, but waiting seconds will not lift it: not worth this call's backoff.
    return should_retry(outcome.status) and not (outcome.status == 429 and outcome.line_message == MONTHLY_LIMIT)


def _unclear(outcome: _Outcome) -> bool:
    """Return whether LINE may have acted on this attempt although we saw no success."""
    if outcome.status is None:
        return not outcome.unsent
    return outcome.status >= 500


def _retry_after(outcome: _Outcome, wall_clock: Callable[[], float]) -> float | None:
    value = outcome.header("Retry-After")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - wall_clock(), 0.0)


def _data_host(base_url: str | None, data_url: str | None) -> str:
    """Return where uploads go: data_url, else the base URL when it is not LINE's own (a test fake), else LINE's data host."""
    if data_url:
        return data_url.rstrip("/")
    if base_url and base_url.rstrip("/") != DEFAULT_BASE_URL:
        return base_url.rstrip("/")
    return DEFAULT_DATA_URL


def _check_messages(messages: Sequence[Message]) -> None:
    if not 1 <= len(messages) <= MAX_MESSAGES:
        raise ValueError(f"LINE takes 1..{MAX_MESSAGES} messages per request, got {len(messages)}")


def _check_retry_key(retry_key: str) -> None:
    # LINE refuses a key that is not a hex UUID; better to fail before the first attempt.
    try:
        uuid.UUID(retry_key)
    except (TypeError, ValueError, AttributeError):
        raise ValueError(f"retry_key must be a UUID, got {retry_key!r}") from None
