"""Wait for what another thread or process will do: a condition, with a deadline only a hung peer reaches.

Used where draining is impossible (a separate `planbot events`, gunicorn, a reply held at the fake LINE
API on another thread). The deadline is generous on purpose: it bounds a hang, it never measures speed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
DEADLINE = 120.0
POLL = 0.02


def wait_for(predicate: Callable[[], T], what: str = "the bot", timeout: float = DEADLINE) -> T:
    """Return the predicate's first truthy value; fail naming `what` if none comes before the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(POLL)
    raise AssertionError(f"timed out waiting for {what}")
