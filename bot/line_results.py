"""What a call to LINE came to: one attempt's outcome, the final SendResult, a profile, LINE's error text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

REQUEST_ID_HEADER = "x-line-request-id"


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
