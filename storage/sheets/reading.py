"""Read the .csv, .xlsx and .ods files offices exchange as plain rows of text."""

from __future__ import annotations

from pathlib import Path

from storage.sheet_cells import _used_width
from storage.sheet_csv_reading import _read_text
from storage.sheet_messages import (
    MSG_EMPTY_FILE,
    MSG_MISSING,
    MSG_NO_ROWS,
    MSG_OLD_XLS,
    MSG_UNKNOWN_TYPE,
    MSG_UNREADABLE,
)
from storage.sheet_ods_reading import _read_ods
from storage.sheet_types import Rows, SheetError
from storage.sheet_xlsx_reading import _read_xlsx

TEXT_TYPES = (".csv", ".tsv", ".txt")
XLSX_TYPES = (".xlsx", ".xlsm")


def read_rows(path: str | Path) -> Rows:
    """Return the rows of the first non-empty sheet of a .csv, .xlsx or .ods file."""
    return read_sheets(path)[0][1]


def read_sheets(path: str | Path) -> list[tuple[str, Rows]]:
    """Return (sheet name, rows) for every non-empty sheet; raise SheetError for unusable files."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".xls":
        raise SheetError(MSG_OLD_XLS)
    if ext not in (*TEXT_TYPES, *XLSX_TYPES, ".ods"):
        raise SheetError(MSG_UNKNOWN_TYPE.format(ext=ext or path.name))
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise SheetError(MSG_MISSING.format(name=path.name)) from exc
    except OSError as exc:
        raise SheetError(MSG_UNREADABLE.format(name=path.name)) from exc
    if size == 0:
        raise SheetError(MSG_EMPTY_FILE)
    try:
        if ext in TEXT_TYPES:
            sheets = [(path.stem, _read_text(path.read_bytes(), tab=ext == ".tsv"))]
        elif ext in XLSX_TYPES:
            sheets = _read_xlsx(path)
        else:
            sheets = _read_ods(path)
    except (IsADirectoryError, PermissionError) as exc:
        raise SheetError(MSG_UNREADABLE.format(name=path.name)) from exc
    found = [(name, _tidy(rows)) for name, rows in sheets]
    found = [(name, rows) for name, rows in found if rows]
    if not found:
        raise SheetError(MSG_NO_ROWS)
    return found


def _tidy(rows: Rows) -> Rows:
    """Drop trailing blank rows and pad every row to the same width (the last used column)."""
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((_used_width(r) for r in rows), default=0)
    return [(r + [""] * (width - len(r)))[:width] for r in rows]
