"""A fake of LINE's Messaging API: a real threaded HTTP server on 127.0.0.1 for tests.

It answers as LINE documents (bodies, `x-line-request-id`, 409 + `x-line-accepted-request-id` for a
retry key already accepted, 400 `Invalid reply token`), validates every request against
tests/data/line-openapi/messaging-api.yml plus the limits the spec leaves out, records what it
received (`requests`), refused (`rejected`) and delivered (`delivered`, `replied`), and injects
faults before or after delivery so that retry logic can be tested over real sockets.

One fake can serve several channels (a city's offices, each with its own LINE account): given `channels`
(token → channel name), it accepts only those tokens, notes on every request, delivery and reply which
channel's token made it, keeps a monthly quota per channel, and accepts a reply token only from the channel
whose webhook carried it (as LINE does).
"""

from __future__ import annotations

import json
import random
import re
import select
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qs, urlsplit

from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest
from openapi_core.validation.request.exceptions import ParameterValidationError

from .line_limits import limit_errors
from .line_openapi import SpecError, messaging_api, schema_errors
from .line_rich_menus import DATA_HOST_OPERATIONS, RichMenuOps, RichMenuState
from .line_rich_menus import ROUTES as RICH_MENU_ROUTES
from .line_rich_menus import limit_errors as rich_menu_limit_errors

FaultKind = int | Literal["timeout", "drop"]
When = Literal["before", "after"]

INVALID_REPLY_TOKEN = "Invalid reply token"
RETRY_KEY_ACCEPTED = "The retry key is already accepted"
MONTHLY_LIMIT = "You have reached your monthly limit."
AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid."
NOT_FOUND = "Not found"
ERROR_MESSAGES = {
    429: "The API rate limit has been exceeded. Try again later.",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}
# How long a "timeout" fault holds a request whose client never hangs up.
DEFAULT_TIMEOUT_HOLD = 30.0
# A client read timeout for tests with "timeout" faults. The fake never answers a held request, so the
# client's timeout fires on it by design; an answered request takes milliseconds, so it never fires on
# those, however busy the machine. (A timeout shorter than the fake's answers would make tests flaky.)
HELD_REQUEST_TIMEOUT = 1.0
_CURRENT = threading.local()  # the channel of the call a server thread is answering (its rich menus)

API_HOST = "https://api.line.me"
DATA_HOST = "https://api-data.line.me"
RETRY_KEY_OPERATIONS = {"push", "multicast", "broadcast"}
ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/v2/bot/message/reply$"), "reply"),
    ("POST", re.compile(r"^/v2/bot/message/push$"), "push"),
    ("POST", re.compile(r"^/v2/bot/message/multicast$"), "multicast"),
    ("POST", re.compile(r"^/v2/bot/message/broadcast$"), "broadcast"),
    ("GET", re.compile(r"^/v2/bot/message/quota$"), "quota"),
    ("GET", re.compile(r"^/v2/bot/message/quota/consumption$"), "consumption"),
    ("GET", re.compile(r"^/v2/bot/profile/(?P<user_id>[^/]+)$"), "profile"),
    ("GET", re.compile(r"^/v2/bot/message/(?P<message_id>[^/]+)/content$"), "content"),
    *RICH_MENU_ROUTES,
]


@dataclass(frozen=True)
class Fault:
    """One injected failure: an HTTP status, a hold past the client's timeout, or a dropped connection."""

    kind: FaultKind
    when: When = "before"
    retry_after: float | None = None
    delay: float = 0.0
    path: str | None = None


@dataclass
class RecordedRequest:
    """A request as the fake received it, and how it was answered."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any
    body: bytes
    request_id: str
    operation: str | None = None
    status: int | None = None
    fault: Fault | None = None
    data_host: bool = False  # reached the data host (api-data.line.me), not the API host
    channel: str | None = None  # whose token made the call (a fake serving several channels)


class Delivery(NamedTuple):
    """One message batch that reached one recipient through push/multicast/broadcast."""

    recipient: str
    messages: list[dict[str, Any]]
    retry_key: str | None
    channel: str | None = None  # the channel whose token pushed it (a fake serving several channels)


class ReplyDelivery(NamedTuple):
    """One reply that reached the user its token belongs to."""

    reply_token: str
    recipient: str
    messages: list[dict[str, Any]]
    channel: str | None = None  # the channel whose token replied (a fake serving several channels)


@dataclass(frozen=True)
class Rejection:
    """A request the fake refused as malformed (a bug in the caller), with LINE's reason."""

    method: str
    path: str
    status: int
    reason: str
    details: tuple[SpecError, ...] = ()


@dataclass
class _ReplyToken:
    recipient: str
    used: bool = False
    expired: bool = False
    channel: str | None = None  # the channel whose webhook carried it: only its token may reply


@dataclass
class _Accepted:
    request_id: str
    sent_messages: list[dict[str, str]]


@dataclass
class _RandomFaults:
    ratio: float
    kinds: tuple[FaultKind, ...]
    whens: tuple[When, ...]
    rng: random.Random
    retry_after: float | None
    path: str | None


@dataclass
class _Pause:
    let_through: int
    path: str | None
    holding: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)


@dataclass
class _Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"


class FakeLineAPI(RichMenuOps):
    """LINE's Messaging API on 127.0.0.1 at a free port (its data host on another); a context manager or start()/stop()."""

    def __init__(self, access_token: str | None = None, timeout_hold: float = DEFAULT_TIMEOUT_HOLD,
                 channels: dict[str, str] | None = None) -> None:
        self.access_token = access_token
        self.channels = dict(channels or {})  # token -> channel name; when given, only these tokens are accepted
        self._channel_quota: dict[str, list] = {name: [None, 0] for name in self.channels.values()}
        self.timeout_hold = timeout_hold
        self.requests: list[RecordedRequest] = []
        self.rejected: list[Rejection] = []
        self.delivered: list[Delivery] = []
        self.replied: list[ReplyDelivery] = []
        self.faults_injected: list[tuple[RecordedRequest, Fault]] = []
        self.quota_limit: int | None = None
        self.consumption = 0
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._faults: deque[Fault] = deque()
        self._random: _RandomFaults | None = None
        self._holds: list[tuple[threading.Event, str | None, str | None]] = []
        self.held: list[RecordedRequest] = []
        self._pause: _Pause | None = None
        self._accepted: dict[str, _Accepted] = {}
        self._tokens: dict[str, _ReplyToken] = {}
        self._profiles: dict[str, dict[str, str]] = {}
        self._contents: dict[str, tuple[bytes, str]] = {}
        self._rich_states: dict[str | None, RichMenuState] = {None: RichMenuState()}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._data_server: _Server | None = None
        self._data_thread: threading.Thread | None = None

    @property
    def rich(self) -> RichMenuState:
        """The rich menus of the channel whose call is being answered (from the test: the one channel's)."""
        return self.rich_of(getattr(_CURRENT, "channel", None))

    def rich_of(self, channel: str | None) -> RichMenuState:
        """The rich menus of one channel: LINE keeps each channel's menus, aliases and links apart."""
        with self._lock:
            return self._rich_states.setdefault(channel, RichMenuState())

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FakeLineAPI:
        """Bind 127.0.0.1 on a free port and serve in a background thread."""
        if self._server is not None:
            return self
        _warm_validator()
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
            name="fake-line-api",
        )
        self._thread.start()
        self._data_server = _Server(("127.0.0.1", 0), _Handler, self, data_host=True)
        self._data_thread = threading.Thread(
            target=self._data_server.serve_forever,
            kwargs={"poll_interval": 0.01},
            daemon=True,
            name="fake-line-api-data",
        )
        self._data_thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end held requests and close every open connection."""
        if self._server is None:
            return
        self._stopping.set()
        for server, thread in ((self._server, self._thread), (self._data_server, self._data_thread)):
            if server is None:
                continue
            server.shutdown()
            server.close_all_connections()
            server.server_close()
            if thread is not None:
                thread.join(timeout=5)
        self._server = self._data_server = None
        self._thread = self._data_thread = None

    def __enter__(self) -> FakeLineAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """Return the URL to give the client instead of https://api.line.me."""
        if self._server is None:
            raise RuntimeError("FakeLineAPI is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def data_url(self) -> str:
        """Return the URL to give the client instead of https://api-data.line.me (uploads)."""
        if self._data_server is None:
            raise RuntimeError("FakeLineAPI is not started")
        host, port = self._data_server.server_address[:2]
        return f"http://{host}:{port}"

    def _answer_of(self, status: int, body: Any = None, content_type: str = "application/json") -> _Answer:
        return _Answer(status, {} if body is None else body, content_type=content_type)

    def _fail_of(self, status: int, message: str) -> _Answer:
        return _error(status, message)

    # -- test set-up -----------------------------------------------------------------------------
    def issue_reply_token(self, recipient: str = "U" + "0" * 32, *, expired: bool = False,
                          channel: str | None = None) -> str:
        """Create a single-use reply token for recipient, as a webhook event would carry (to `channel`'s webhook)."""
        token = uuid.uuid4().hex
        with self._lock:
            self._tokens[token] = _ReplyToken(recipient, expired=expired, channel=channel)
        return token

    def expire_reply_token(self, token: str) -> None:
        """Make token expired, as LINE does a while after the webhook."""
        with self._lock:
            self._tokens[token].expired = True

    def add_user(
        self,
        user_id: str,
        display_name: str = "測試使用者",
        *,
        picture_url: str | None = None,
        status_message: str | None = None,
        language: str | None = None,
    ) -> None:
        """Make user_id a friend whose profile the API returns."""
        profile = {"displayName": display_name, "userId": user_id}
        for key, value in (
            ("pictureUrl", picture_url),
            ("statusMessage", status_message),
            ("language", language),
        ):
            if value is not None:
                profile[key] = value
        with self._lock:
            self._profiles[user_id] = profile

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        """Store what GET /v2/bot/message/{message_id}/content returns."""
        with self._lock:
            self._contents[message_id] = (data, content_type)

    def set_quota(self, limit: int | None, used: int | None = None, channel: str | None = None) -> None:
        """Set the monthly target limit (None = no limit) and optionally the usage so far (of one channel's)."""
        with self._lock:
            if channel is not None:
                self._channel_quota[channel][0] = limit
                if used is not None:
                    self._channel_quota[channel][1] = used
                return
            self.quota_limit = limit
            if used is not None:
                self.consumption = used

    def fail_next(
        self,
        n: int = 1,
        status: FaultKind = 500,
        *,
        retry_after: float | None = None,
        delay: float = 0.0,
        when: When = "before",
        path: str | None = None,
    ) -> None:
        """Fail the next n requests (whose path contains `path`, if given).

        status is an HTTP status, "timeout" (hold the request until the client gives up) or "drop"
        (close the connection without an answer). when="after" processes the request first (a push
        is delivered) and then fails, as when LINE accepted it but the answer was lost.
        """
        with self._lock:
            self._faults.extend(Fault(status, when, retry_after, delay, path) for _ in range(n))

    def fail_randomly(
        self,
        ratio: float,
        kinds: Sequence[FaultKind] = (500, 429, "timeout", "drop"),
        seed: int = 0,
        *,
        when: Sequence[When] = ("before", "after"),
        retry_after: float | None = None,
        path: str | None = None,
    ) -> None:
        """Fail about ratio of the requests with a kind and moment drawn from a seeded RNG (0 turns it off).

        A 429 is always "before": LINE rate-limits a request instead of processing it. The draws
        repeat for the same seed when requests come one at a time; concurrent callers race for them.
        """
        with self._lock:
            self._random = (
                _RandomFaults(ratio, tuple(kinds), tuple(when), random.Random(seed), retry_after, path)
                if ratio > 0
                else None
            )

    def hold(self, until: threading.Event, *, path: str | None = None, recipient: str | None = None) -> None:
        """Leave matching requests unanswered until the test sets `until` (or the fake stops): a hanging LINE.

        recipient matches a push's `to` or the user a reply token was issued for. Held requests are listed
        in `held` as they arrive, so a test can wait for one instead of sleeping. A request whose client
        hung up (a killed process) while it was held is dropped unprocessed, as if it never reached LINE.
        """
        with self._lock:
            self._holds.append((until, path, recipient))

    def _hold_for(self, record: RecordedRequest) -> threading.Event | None:
        body = record.json if isinstance(record.json, dict) else {}
        with self._lock:
            token = self._tokens.get(str(body.get("replyToken")))
            who = token.recipient if token is not None else body.get("to")
            for until, path, recipient in self._holds:
                if until.is_set():
                    continue  # released: requests pass from then on
                if (path is None or path in record.path) and (recipient is None or recipient == who):
                    self.held.append(record)
                    return until
        return None
    def pause_after(self, n: int, path: str | None = None) -> threading.Event:
        """Let the next n requests (whose path contains `path`) through, then hold the rest until `resume()`.

        Returns an event set once a request is held: from then on the caller is certainly in the
        middle of its work (it waits for an answer), which no sleep or polling could promise.
        """
        with self._lock:
            self._pause = _Pause(n, path)
            return self._pause.holding

    def resume(self) -> None:
        """Answer the held requests (as LINE would, late) and stop pausing."""
        with self._lock:
            pause, self._pause = self._pause, None
        if pause is not None:
            pause.released.set()

    # -- inspection ------------------------------------------------------------------------------
    def delivered_by_key(self) -> dict[str | None, list[Delivery]]:
        """Group deliveries by retry key."""
        out: dict[str | None, list[Delivery]] = {}
        with self._lock:
            for delivery in self.delivered:
                out.setdefault(delivery.retry_key, []).append(delivery)
        return out

    def accepted_request_id(self, retry_key: str) -> str | None:
        """Return the request id of the request that was accepted under retry_key."""
        with self._lock:
            accepted = self._accepted.get(retry_key)
        return accepted.request_id if accepted else None

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Return the recorded requests whose path contains path."""
        with self._lock:
            return [r for r in self.requests if path in r.path]

    # -- request handling (called from server threads) -------------------------------------------
    def _record(
        self, method: str, path: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> RecordedRequest:
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        record = RecordedRequest(
            method=method,
            path=path,
            headers={k.lower(): v for k, v in headers},
            json=parsed,
            body=body,
            request_id=str(uuid.uuid4()),
        )
        with self._lock:
            self.requests.append(record)
        return record

    def _wait_if_paused(self, record: RecordedRequest) -> None:
        with self._lock:
            pause = self._pause
            if pause is None or (pause.path is not None and pause.path not in record.path):
                return
            if pause.let_through > 0:
                pause.let_through -= 1
                return
            pause.holding.set()
        while not pause.released.wait(0.05) and not self._stopping.is_set():
            pass

    def _take_fault(self, record: RecordedRequest) -> Fault | None:
        with self._lock:
            queued = [f for f in self._faults if f.path is None or f.path in record.path]
            if queued:
                fault: Fault | None = queued[0]
                self._faults.remove(queued[0])
            else:
                fault = self._draw_random(record)
            if fault is not None:
                record.fault = fault
                self.faults_injected.append((record, fault))
            return fault

    def _draw_random(self, record: RecordedRequest) -> Fault | None:
        spec = self._random
        if spec is None or (spec.path is not None and spec.path not in record.path):
            return None
        if spec.rng.random() >= spec.ratio:
            return None
        kind = spec.rng.choice(spec.kinds)
        when = "before" if kind == 429 else spec.rng.choice(spec.whens)
        return Fault(kind, when, spec.retry_after if kind == 429 else None)

    def _reject(
        self, record: RecordedRequest, status: int, reason: str, details: Sequence[SpecError] = ()
    ) -> _Answer:
        with self._lock:
            self.rejected.append(Rejection(record.method, record.path, status, reason, tuple(details)))
        return _error(status, reason, details)

    def _answer(self, record: RecordedRequest) -> _Answer:
        auth = record.headers.get("authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        if self.channels:
            record.channel = self.channels.get(token)
            if record.channel is None:
                return self._reject(record, 401, AUTH_FAILED)
        elif not token.strip() or (self.access_token is not None and token != self.access_token):
            return self._reject(record, 401, AUTH_FAILED)
        split = urlsplit(record.path)
        route = _route(record.method, split.path)
        if route is None:
            return self._reject(record, 404, NOT_FOUND)
        operation, params = route
        record.operation = operation
        if (operation in DATA_HOST_OPERATIONS) != record.data_host and operation != "content":
            return self._reject(record, 404, NOT_FOUND)  # uploads live on api-data.line.me, the rest on api.line.me
        problem = self._validate(record, operation, split.path, split.query)
        if problem is not None:
            return problem
        handler = getattr(self, f"_op_{operation}")
        _CURRENT.channel = record.channel
        try:
            return handler(record, **params)
        finally:
            _CURRENT.channel = None

    def _validate(self, record: RecordedRequest, operation: str, path: str, query: str) -> _Answer | None:
        if record.body and record.json is None and operation not in DATA_HOST_OPERATIONS:
            return self._reject(record, 400, "The request body could not be parsed as JSON")
        request = MockRequest(
            DATA_HOST if operation == "content" or operation in DATA_HOST_OPERATIONS else API_HOST,
            record.method,
            path,
            args={k: v[-1] for k, v in parse_qs(query).items()},
            headers=record.headers,
            data=record.body or None,
            content_type=record.headers.get("content-type", "application/json"),
        )
        try:
            messaging_api().validate_request(request)
        except ParameterValidationError as exc:
            return self._reject(record, 400, f"The value for the '{exc.name}' {exc.location} is invalid")
        except OpenAPIError as exc:
            details = schema_errors(exc)
            return self._reject(record, 400, f"The request body has {len(details)} error(s)", details)
        details = limit_errors(operation, record.json) + [
            SpecError(prop, message) for prop, message in rich_menu_limit_errors(operation, record.json)
        ]
        if details:
            return self._reject(record, 400, f"The request body has {len(details)} error(s)", details)
        if "x-line-retry-key" in record.headers and operation not in RETRY_KEY_OPERATIONS:
            return self._reject(record, 400, "The retry key is not supported for this API")
        return None

    # -- operations --------------------------------------------------------------------------------
    def _op_reply(self, record: RecordedRequest) -> _Answer:
        body = record.json
        with self._lock:
            token = self._tokens.get(body["replyToken"])
            if token is None or token.used or token.expired or (token.channel is not None and token.channel != record.channel):
                return _error(400, INVALID_REPLY_TOKEN)
            token.used = True
            self.replied.append(ReplyDelivery(body["replyToken"], token.recipient, body["messages"], record.channel))
        return _Answer(200, {"sentMessages": _sent_messages(body["messages"])})

    def _op_push(self, record: RecordedRequest) -> _Answer:
        return self._send(record, [record.json["to"]], with_sent=True)

    def _op_multicast(self, record: RecordedRequest) -> _Answer:
        return self._send(record, list(record.json["to"]), with_sent=False)

    def _op_broadcast(self, record: RecordedRequest) -> _Answer:
        with self._lock:
            friends = list(self._profiles)
        return self._send(record, friends, with_sent=False)

    def _send(self, record: RecordedRequest, recipients: list[str], *, with_sent: bool) -> _Answer:
        key = record.headers.get("x-line-retry-key")
        messages = record.json["messages"]
        # One lock around check-and-accept: two racing retries under one key must deliver once.
        with self._lock:
            if key is not None and key in self._accepted:
                accepted = self._accepted[key]
                body: dict[str, Any] = {"message": RETRY_KEY_ACCEPTED}
                if with_sent:
                    body["sentMessages"] = accepted.sent_messages
                return _Answer(409, body, {"x-line-accepted-request-id": accepted.request_id})
            quota = self._channel_quota.get(record.channel) if record.channel is not None else None
            limit, used = (quota[0], quota[1]) if quota is not None else (self.quota_limit, self.consumption)
            if limit is not None and used + len(recipients) > limit:
                return _error(429, MONTHLY_LIMIT)
            sent = _sent_messages(messages)
            self.delivered.extend(Delivery(r, messages, key, record.channel) for r in recipients)
            if quota is not None:
                quota[1] += len(recipients)
            self.consumption += len(recipients)
            if key is not None:
                self._accepted[key] = _Accepted(record.request_id, sent)
        return _Answer(200, {"sentMessages": sent} if with_sent else {})

    def _op_quota(self, record: RecordedRequest) -> _Answer:
        with self._lock:
            quota = self._channel_quota.get(record.channel) if record.channel is not None else None
            limit = quota[0] if quota is not None else self.quota_limit
        return _Answer(200, {"type": "none"} if limit is None else {"type": "limited", "value": limit})

    def _op_consumption(self, record: RecordedRequest) -> _Answer:
        with self._lock:
            quota = self._channel_quota.get(record.channel) if record.channel is not None else None
            return _Answer(200, {"totalUsage": quota[1] if quota is not None else self.consumption})

    def _op_profile(self, record: RecordedRequest, user_id: str) -> _Answer:
        with self._lock:
            profile = self._profiles.get(user_id)
        return _Answer(200, profile) if profile else _error(404, NOT_FOUND)

    def _op_content(self, record: RecordedRequest, message_id: str) -> _Answer:
        with self._lock:
            content = self._contents.get(message_id)
        if content is None:
            return _error(404, NOT_FOUND)
        return _Answer(200, content[0], content_type=content[1])


@cache
def _warm_validator() -> None:
    """Load the spec and run one validation, so the first real request is not slowed by either.

    openapi-core builds its validators lazily; left to the first request, that cold start can
    outlast a short client timeout on a busy machine and turn into a spurious retry.
    """
    request = MockRequest(
        API_HOST,
        "post",
        "/v2/bot/message/push",
        headers={"Authorization": "Bearer warm-up", "Content-Type": "application/json"},
        data=json.dumps({"to": "U" + "0" * 32, "messages": [{"type": "text", "text": "warm-up"}]}).encode(),
    )
    messaging_api().validate_request(request)


def _route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    for route_method, pattern, operation in ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            return operation, match.groupdict()
    return None


def _error(status: int, message: str, details: Sequence[SpecError] = ()) -> _Answer:
    body: dict[str, Any] = {"message": message}
    if details:
        body["details"] = [{"message": d.message, "property": d.property} for d in details]
    return _Answer(status, body)


def _sent_messages(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    sent = []
    for message in messages:
        item = {"id": str(random.randrange(10**17, 10**18))}
        if message.get("type") in ("text", "textV2", "sticker", "image", "video"):
            item["quoteToken"] = uuid.uuid4().hex
        sent.append(item)
    return sent


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 overflows when retries reconnect from many threads at once, and a
    # refused connect is a failure LINE would not cause.
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], fake: FakeLineAPI,
        data_host: bool = False,
    ) -> None:
        self.fake = fake
        self.data_host = data_host
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def close_all_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for conn in connections:
            _hang_up(conn)


def _hang_up(conn: socket.socket) -> None:
    try:
        conn.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive like LINE, so the client's connection reuse is exercised too.
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle + delayed ACK add 40 ms to each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests read `requests`, not stderr."""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _handle(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        record = fake._record(self.command, self.path, self.headers.items(), raw)
        record.data_host = self.server.data_host
        until = fake._hold_for(record)
        while until is not None and not until.wait(0.05) and not fake._stopping.is_set():
            pass
        if until is not None and self._client_gone():
            # The caller died while its request was held: it never reached LINE.
            record.status = None
            self.close_connection = True
            return
        fake._wait_if_paused(record)
        fault = fake._take_fault(record)
        if fault is not None and fault.when == "before":
            self._fail(record, fault)
            return
        answer = fake._answer(record)
        if fault is not None:
            self._fail(record, fault)
            return
        self._write(record, answer)

    def _fail(self, record: RecordedRequest, fault: Fault) -> None:
        fake = self.server.fake
        if fault.delay and fake._stopping.wait(fault.delay):
            fault = Fault("drop")
        if fault.kind == "timeout":
            self._hold_until_client_leaves(fake.timeout_hold)
        if fault.kind in ("timeout", "drop"):
            self.close_connection = True
            _hang_up(self.connection)
            return
        answer = _error(int(fault.kind), ERROR_MESSAGES.get(int(fault.kind), "Error"))
        if fault.retry_after is not None:
            answer.headers["Retry-After"] = f"{fault.retry_after:g}"
        self._write(record, answer)

    def _client_gone(self) -> bool:
        """Say whether the client closed its end (a killed process's sockets are closed by the kernel)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _hold_until_client_leaves(self, limit: float) -> None:
        """Answer nothing until the client hangs up (its timeout), the limit passes, or the fake stops."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and not self.server.fake._stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.02)
            if readable:
                # EOF (the client closed) or anything else it sends: stop holding either way.
                return

    def _write(self, record: RecordedRequest, answer: _Answer) -> None:
        if isinstance(answer.body, bytes):
            payload = answer.body
        else:
            payload = json.dumps(answer.body, ensure_ascii=False).encode("utf-8")
        record.status = answer.status
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("x-line-request-id", record.request_id)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
        except OSError:
            # The client already gave up (its timeout); what it missed is recorded anyway.
            self.close_connection = True
