"""How big the slow tests run: full size in CI, smaller in a developer's `make test`.

CI (CI=true) and PLANBOT_FULL_TESTS=1 run every slow test (`-m slow`) at the size that gives its
guarantee; otherwise the same tests run with fewer people, kills or examples, so `make test` stays
within a few minutes on a busy laptop and still exercises every path.
"""

from __future__ import annotations

import os


def full_size() -> bool:
    """Return whether this run uses the full sizes (CI, or PLANBOT_FULL_TESTS=1)."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or os.environ.get("PLANBOT_FULL_TESTS") == "1"


def size(full: int, quick: int) -> int:
    """Return `full` in a full run, else `quick`."""
    return full if full_size() else quick
