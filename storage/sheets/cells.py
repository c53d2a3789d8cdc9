"""Tables of text cells, the error for a file that cannot be used, and the limits that guard memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

Rows = list[list[str]]

# The limits are far above any work plan (the 5,000-row plan has 85,000 cells and 4 MB of XML); they hold for
# the whole file, not per table, so twenty hostile tables cost no more than one.
MAX_ROWS = 100_000
MAX_COLS = 1_024
MAX_CELLS = 1_000_000
# Uncompressed bytes of the parts a reader decompresses (XML of sheets, shared strings, document text).
MAX_UNPACKED = 32 * 1024 * 1024
# XML elements parsed before one of them is read and dropped (a cell, a row, a paragraph): styles and one
# cell's paragraphs need a few thousand; more is a bomb, not a plan.
MAX_HELD = 200_000
# Excel sheets sometimes carry formatting down to row 1,048,576; that many blank rows means the data is over.
MAX_BLANK_RUN = 10_000


class SheetError(Exception):
    """The file cannot be read or written: `code` names what is wrong, `fields` fill in the details."""

    def __init__(self, code: str, **fields: object):
        super().__init__(code, fields)
        self.code = code
        self.fields = fields

    def __str__(self) -> str:
        details = ", ".join(f"{k}={v}" for k, v in self.fields.items())
        return f"{self.code} ({details})" if details else self.code


@dataclass
class Sheet:
    """One worksheet to write: a merged title row, a bold header row, then the rows."""

    name: str
    title: str
    header: list[str]
    rows: Rows
    col_widths: list[int] | None = None
    # Background colours of body cells, by (row index in `rows`, column index), as #RRGGBB.
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # lines printed under the table (a legend)


class CellBudget:
    """Count cells and rows across every table of one file, refusing the file once a limit is passed."""

    def __init__(self) -> None:
        self.cells = 0

    def take(self, cells: int, rows: int, table: str) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise SheetError("too_many_cells", limit=MAX_CELLS)
        if rows > MAX_ROWS:
            raise SheetError("too_many_rows", name=table, limit=MAX_ROWS)


def clean(value: str) -> str:
    """Trim a cell and unify line breaks; inner newlines are kept because cells hold lists."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def used_width(row: list[str]) -> int:
    """Return the index after the last non-empty cell."""
    for idx in range(len(row) - 1, -1, -1):
        if row[idx]:
            return idx + 1
    return 0


def number_text(value: float) -> str:
    """Write a number as people typed it: 3 not 3.0, 0.1 not 0.1000000000000000055."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def datetime_text(value: datetime) -> str:
    """Write a date as 2024-04-08 and a date with a time to the second."""
    if value.time() == time(0):
        return value.date().isoformat()
    # Excel stores times as fractions of a day, so 09:30 can come back as 09:29:59.999999.
    value = (value + timedelta(microseconds=500_000)).replace(microsecond=0)
    return value.isoformat(sep=" ")


def tidy(rows: Rows, budget: CellBudget) -> Rows:
    """Drop trailing blank rows and pad every row to the same width (the last used column).

    The padded table is what is kept, so its area counts against the file's cells: one wide row over many
    narrow ones must not turn a small file into a hundred million empty cells.
    """
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((used_width(r) for r in rows), default=0)
    budget.take(width * len(rows), len(rows), "")
    return [(r + [""] * (width - len(r)))[:width] for r in rows]
