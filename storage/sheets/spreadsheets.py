"""Read text sheets (.csv, .tsv, .txt) and workbooks (.xlsx with openpyxl, .xls with xlrd) as rows."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree as ET

from storage.sheets.cells import (
    MAX_BLANK_RUN,
    MAX_CELLS,
    MAX_COLS,
    MAX_UNPACKED,
    CellBudget,
    Rows,
    SheetError,
    clean,
    datetime_text,
    number_text,
    used_width,
)
from storage.sheets.containers import BROKEN, CFB_MAGIC, Package, open_package

# An .xls is not compressed: its size bounds its cells (xlrd skips blank cells unless asked for formatting).
MAX_XLS_BYTES = 8 * 1024 * 1024


def read_text(data: bytes, tab: bool) -> Rows:
    """Read CSV or TSV text, guessing the delimiter from the first line when the extension does not say."""
    text = decode_text(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if tab or first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    budget = CellBudget()
    try:
        for row in reader:
            rows.append([clean(c) for c in row[:MAX_COLS]])
            budget.take(len(rows[-1]), len(rows), "CSV")
    except csv.Error as exc:
        raise SheetError("csv_syntax", row=reader.line_num) from exc
    return rows


def decode_text(data: bytes) -> str:
    """Decode a text sheet (every CSV and TSV importer reads through here), by what decodes cleanly.

    A byte-order mark decides: UTF-8, or UTF-16 (Excel's 「Unicode 文字」). Without one the file is read as
    UTF-8 and as Big5 (cp950, what Excel saves on a Taiwanese Windows PC): the one reading that works is the
    file's. When neither works, or both do and read differently, nothing is guessed (SheetError): a wrong
    reading would import wrong names and dates without a word.
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(CFB_MAGIC):
        raise SheetError("csv_workbook")
    for bom, codec, name in ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                             (codecs.BOM_UTF16_BE, "utf-16", "UTF-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise SheetError("csv_marked", encoding=name, line=_line(exc.object, exc.start, codec)) from exc
    if b"\x00" in data[:8192]:
        raise SheetError("csv_binary")
    readings: dict[str, str] = {}
    stopped: list[int] = []  # where each failed reading stopped, as a line of the file
    for codec in TEXT_CODECS:
        try:
            readings[codec] = data.decode(codec)
        except UnicodeDecodeError as exc:
            stopped.append(_line(exc.object, exc.start, codec))
    if not readings:
        raise SheetError("csv_encoding", line=max(stopped))
    texts = set(readings.values())
    if len(texts) > 1:
        utf8, big5 = (readings[codec].splitlines() for codec in TEXT_CODECS)
        n = next((i for i, (a, b) in enumerate(zip(utf8, big5, strict=False)) if a != b), 0)
        raise SheetError("csv_ambiguous", line=n + 1, utf8=_part(utf8, n), big5=_part(big5, n))
    return texts.pop()


# The readings of a text sheet without a byte-order mark, in the order SheetError's fields name them.
TEXT_CODECS = ("utf-8", "cp950")


def _part(lines: list[str], n: int) -> str:
    """The start of line n, to show where two readings differ."""
    return lines[n][:30] if n < len(lines) else ""


def _line(data: bytes, at: int, codec: str) -> int:
    """The line (from 1) where byte `at` of the decoded bytes (after a byte-order mark) is."""
    return data[:at].decode(codec, "replace").count("\n") + 1


def read_xlsx(path: Path) -> list[tuple[str, Rows]]:
    """Read every worksheet; the parts openpyxl will load are measured first, so a bomb is refused unread."""
    from openpyxl import load_workbook

    with open_package(path, "xlsx") as package:
        _check_xlsx_parts(package)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises its own and many built-in types for a damaged package
        raise SheetError("corrupt", kind="xlsx") from exc
    budget = CellBudget()
    try:
        return [(ws.title, _xlsx_rows(ws, budget)) for ws in wb.worksheets]
    except BROKEN as exc:
        raise SheetError("corrupt", kind="xlsx") from exc
    finally:
        wb.close()


def _check_xlsx_parts(package: Package) -> None:
    """Refuse more XML than the budget, and more shared strings than cells (openpyxl keeps them all)."""
    infos = [i for i in package.zf.infolist() if i.filename.endswith((".xml", ".rels"))]
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise SheetError("too_big", limit_mb=MAX_UNPACKED // (1024 * 1024))
    if "xl/sharedStrings.xml" not in package.names():
        return
    strings = 0
    try:
        with package.open("xl/sharedStrings.xml") as stream:
            parser = ET.iterparse(stream, events=("start", "end"))
            _, root = next(parser)
            for event, elem in parser:
                if event == "end" and elem.tag.endswith("}si"):
                    strings += 1
                    if strings > MAX_CELLS:
                        raise SheetError("too_many_cells", limit=MAX_CELLS)
                    root.clear()
    except BROKEN as exc:
        raise SheetError("corrupt", kind="xlsx") from exc


def _xlsx_rows(ws, budget: CellBudget) -> Rows:
    ws.reset_dimensions()  # read-only mode trusts the file's <dimension>, which some writers get wrong
    rows: Rows = []
    blank_run = 0
    for row in ws.iter_rows():
        values = [_xlsx_value(c) for c in row[:MAX_COLS]]
        del values[used_width(values) :]
        blank_run = blank_run + 1 if not values else 0
        if blank_run > MAX_BLANK_RUN:
            break
        rows.append(values)
        budget.take(len(values), len(rows), ws.title)
    return rows


def _xlsx_value(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            return number_text(round(value * 100, 10)) + "%"
        return number_text(value)
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return clean(str(value))


def read_xls(path: Path) -> list[tuple[str, Rows]]:
    """Read every sheet of an old Excel 97-2003 workbook.

    xlrd keeps each row only as long as its last cell (ragged rows); python-calamine, faster, holds each
    sheet's whole used range, so a 6 KB file with two cells at A1 and IV65536 took 1 GB (see bench_import.py).
    """
    import xlrd

    with path.open("rb") as fh:
        head = fh.read(8)
    if not head.startswith(CFB_MAGIC):
        raise SheetError("not_xls")
    if path.stat().st_size > MAX_XLS_BYTES:
        raise SheetError("too_big", limit_mb=MAX_XLS_BYTES // (1024 * 1024))
    try:
        # formatting_info: a percentage (0.6 shown as 60%) is known only by its cell's number format.
        wb = xlrd.open_workbook(str(path), ragged_rows=True, on_demand=True, formatting_info=True)
    except xlrd.XLRDError as exc:
        raise SheetError("locked" if "encrypt" in str(exc).lower() else "corrupt", kind="xls") from exc
    except (xlrd.compdoc.CompDocError, *BROKEN) as exc:
        raise SheetError("corrupt", kind="xls") from exc
    budget = CellBudget()
    try:
        return [(name, _xls_sheet(wb, name, budget)) for name in wb.sheet_names()]
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, *BROKEN) as exc:
        raise SheetError("corrupt", kind="xls") from exc
    finally:
        wb.release_resources()


def _xls_sheet(wb, name: str, budget: CellBudget) -> Rows:
    """Read one sheet and let xlrd forget it, so a workbook of many sheets costs one sheet at a time."""
    try:
        return _xls_rows(wb, wb.sheet_by_name(name), budget)
    finally:
        wb.unload_sheet(name)


def _xls_rows(wb, sheet, budget: CellBudget) -> Rows:
    rows: Rows = []
    blank_run = 0
    for r in range(sheet.nrows):
        values = [_xls_value(wb, c) for c in sheet.row_slice(r, 0, min(sheet.row_len(r), MAX_COLS))]
        del values[used_width(values) :]
        blank_run = blank_run + 1 if not values else 0
        if blank_run > MAX_BLANK_RUN:
            break
        rows.append(values)
        budget.take(len(values), len(rows), sheet.name)
    return rows


def _xls_format(wb, cell) -> str:
    """Return the cell's number format string ("0%", "General"), or "" where the workbook names none."""
    try:
        fmt = wb.format_map.get(wb.xf_list[cell.xf_index].format_key)
    except (IndexError, TypeError, AttributeError):
        return ""
    return fmt.format_str if fmt is not None else ""


def _xls_value(wb, cell) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        if "%" in _xls_format(wb, cell):
            return number_text(round(cell.value * 100, 10)) + "%"
        return number_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return datetime_text(xlrd.xldate_as_datetime(cell.value, wb.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return number_text(cell.value)
    return clean(str(cell.value))
