"""Write sheets to a .ods or .xlsx workbook, replacing the file atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from storage.sheet_layout import sheet_names
from storage.sheet_messages import MSG_NO_SHEETS, MSG_UNKNOWN_TYPE
from storage.sheet_ods_writing import _write_ods
from storage.sheet_types import Sheet, SheetError
from storage.sheet_xlsx_writing import _write_xlsx


def write_workbook(path: str | Path, sheets: list[Sheet]) -> Path:
    """Write the sheets to a .ods or .xlsx file (chosen by extension), replacing it atomically."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in (".ods", ".xlsx"):
        raise SheetError(MSG_UNKNOWN_TYPE.format(ext=ext or path.name))
    if not sheets:
        raise SheetError(MSG_NO_SHEETS)
    names = sheet_names([s.name for s in sheets])
    sheets = [_as_text(s) for s in sheets]
    fd, tmp = tempfile.mkstemp(suffix=ext, dir=path.parent)
    os.close(fd)
    try:
        if ext == ".ods":
            _write_ods(Path(tmp), sheets, names)
        else:
            _write_xlsx(Path(tmp), sheets, names)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; an export is an ordinary document
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _as_text(sheet: Sheet) -> Sheet:
    """Return the sheet with every cell a string (callers may hand over None or numbers)."""

    def text(value: object) -> str:
        return "" if value is None else str(value)

    return Sheet(
        name=sheet.name,
        title=text(sheet.title),
        header=[text(v) for v in sheet.header],
        rows=[[text(v) for v in row] for row in sheet.rows],
        col_widths=sheet.col_widths,
    )
