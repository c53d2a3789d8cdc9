"""Turn cell values into the text people typed, within limits that guard memory."""

from __future__ import annotations

from datetime import datetime, time, timedelta

# The limits are far above any work plan; they stop a malformed file from exhausting memory.
MAX_ROWS = 100_000
MAX_COLS = 1_024
# Excel sheets sometimes carry formatting down to row 1,048,576; that many blank rows means the data is over.
MAX_BLANK_RUN = 10_000


def _clean(value: str) -> str:
    """Trim a cell and unify line breaks; inner newlines are kept because cells hold lists."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _used_width(row: list[str]) -> int:
    for idx in range(len(row) - 1, -1, -1):
        if row[idx]:
            return idx + 1
    return 0


def _number_text(value: float) -> str:
    """Write a number as people typed it: 3 not 3.0, 0.1 not 0.1000000000000000055."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _datetime_text(value: datetime) -> str:
    if value.time() == time(0):
        return value.date().isoformat()
    # Excel stores times as fractions of a day, so 09:30 can come back as 09:29:59.999999.
    value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
    return value.isoformat(sep=" ")
