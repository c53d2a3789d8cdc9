"""LINE's monthly message quota: what a send costs and whether a fan-out still fits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

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
