"""Read every worksheet of an .xlsx workbook as rows of text."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from storage.sheet_cells import (
    MAX_BLANK_RUN,
    MAX_COLS,
    MAX_ROWS,
    _clean,
    _datetime_text,
    _number_text,
    _used_width,
)
from storage.sheet_messages import KIND_XLSX, MSG_CORRUPT, MSG_TOO_MANY_ROWS
from storage.sheet_types import Rows, SheetError
from storage.sheet_zip import _BROKEN, _open_zip


def _read_xlsx(path: Path) -> list[tuple[str, Rows]]:
    from openpyxl import load_workbook

    _open_zip(path, ".xlsx").close()
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises its own and many built-in types for a damaged package
        raise SheetError(MSG_CORRUPT.format(kind=KIND_XLSX)) from exc
    try:
        return [(ws.title, _xlsx_rows(ws)) for ws in wb.worksheets]
    except _BROKEN as exc:
        raise SheetError(MSG_CORRUPT.format(kind=KIND_XLSX)) from exc
    finally:
        wb.close()


def _xlsx_rows(ws) -> Rows:
    ws.reset_dimensions()  # read-only mode trusts the file's <dimension>, which some writers get wrong
    rows: Rows = []
    blank_run = 0
    for row in ws.iter_rows():
        values = [_xlsx_value(c) for c in row[:MAX_COLS]]
        del values[_used_width(values) :]
        blank_run = blank_run + 1 if not values else 0
        if blank_run > MAX_BLANK_RUN:
            break
        rows.append(values)
        if len(rows) > MAX_ROWS:
            raise SheetError(MSG_TOO_MANY_ROWS.format(name=ws.title, limit=MAX_ROWS))
    return rows


def _xlsx_value(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            return _number_text(round(value * 100, 10)) + "%"
        return _number_text(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return _clean(str(value))
