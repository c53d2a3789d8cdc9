"""Read the files offices exchange (.csv, .xlsx, .xls, .ods, .odt, .docx) as tables of text cells."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage.sheets.cells import CellBudget, Rows, SheetError, tidy
from storage.sheets.containers import open_package
from storage.sheets.docx import read_docx
from storage.sheets.odf import read_odf
from storage.sheets.spreadsheets import read_text, read_xls, read_xlsx

TEXT_TYPES = (".csv", ".tsv", ".txt")
XLSX_TYPES = (".xlsx", ".xlsm")
DOCUMENT_TYPES = (".odt", ".docx")
READABLE_TYPES = (*TEXT_TYPES, *XLSX_TYPES, ".xls", ".ods", *DOCUMENT_TYPES)


@dataclass
class Table:
    """One table of a file: its sheet name (or 表格N in a document), the text just above it, and its rows."""

    name: str
    caption: str
    rows: Rows


def read_tables(path: str | Path) -> list[Table]:
    """Return every non-empty table of the file; raise SheetError (code and fields) for unusable files."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in READABLE_TYPES:
        raise SheetError("unknown_type", ext=ext or path.name)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise SheetError("missing", name=path.name) from exc
    except OSError as exc:
        raise SheetError("unreadable", name=path.name) from exc
    if size == 0:
        raise SheetError("empty_file")
    try:
        tables = _read(path, ext)
    except (IsADirectoryError, PermissionError) as exc:
        raise SheetError("unreadable", name=path.name) from exc
    area = CellBudget()
    found = [Table(t.name, t.caption, tidy(t.rows, area)) for t in tables]
    found = [t for t in found if t.rows]
    if not found:
        raise SheetError("no_tables" if ext in DOCUMENT_TYPES else "no_rows")
    return found


def _read(path: Path, ext: str) -> list[Table]:
    if ext in TEXT_TYPES:
        return [Table(path.stem, "", read_text(path.read_bytes(), tab=ext == ".tsv"))]
    if ext in XLSX_TYPES:
        return [Table(name, "", rows) for name, rows in read_xlsx(path)]
    if ext == ".xls":
        return [Table(name, "", rows) for name, rows in read_xls(path)]
    kind = ext[1:]
    with open_package(path, kind) as package:
        found = read_docx(package) if kind == "docx" else read_odf(package)
    if kind == "odt":  # a document's tables are named by their place, as in a .docx
        return [Table(f"表格{n}", caption, rows) for n, (_name, caption, rows) in enumerate(found, start=1)]
    return [Table(name, caption, rows) for name, caption, rows in found]


def read_sheets(path: str | Path) -> list[tuple[str, Rows]]:
    """Return (sheet name, rows) for every non-empty table of the file."""
    return [(t.name, t.rows) for t in read_tables(path)]


def read_rows(path: str | Path) -> Rows:
    """Return the rows of the first non-empty table of the file."""
    return read_tables(path)[0].rows
