"""Retry a call to LINE under one retry key: decide what is final, what to retry, and how long to wait."""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any

import urllib3
from linebot.v3.messaging import ApiException

from bot.line_results import REQUEST_ID_HEADER, SendResult, _describe, _failure, _Outcome

# Named as before the split into modules, so log records keep the logger name they always had.
log = logging.getLogger("bot.line_client")

INVALID_REPLY_TOKEN = "Invalid reply token"
MONTHLY_LIMIT = "You have reached your monthly limit."
ACCEPTED_HEADER = "x-line-accepted-request-id"


class _RetryLoop:
    """Attempt a call to LINE until it succeeds, fails for good, or runs out of attempts.

    The retry loop of LineSender, which sets what it reads: max_attempts, backoff_base, backoff_cap,
    _sleep, _rng and _wall_clock.
    """

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
    if outcome.status is None:
        return True
    if outcome.status == 429:
        # The monthly limit is a 429 too, but waiting minutes will not lift it.
        return outcome.line_message != MONTHLY_LIMIT
    return outcome.status >= 500


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
