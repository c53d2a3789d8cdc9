"""Read and write the spreadsheets offices exchange (.csv, .xlsx, .ods) as plain rows of text."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

# The limits are far above any work plan; they stop a malformed file from exhausting memory.
MAX_ROWS = 100_000
MAX_COLS = 1_024
# Excel sheets sometimes carry formatting down to row 1,048,576; that many blank rows means the data is over.
MAX_BLANK_RUN = 10_000

MSG_UNKNOWN_TYPE = "不支援的檔案類型「{ext}」：請提供 .xlsx、.ods 或 .csv 檔"
MSG_OLD_XLS = "不支援舊版 Excel (.xls) 檔：請在 Excel 另存為 .xlsx 後再匯入"
MSG_MISSING = "找不到檔案「{name}」"
MSG_UNREADABLE = "無法讀取檔案「{name}」"
MSG_EMPTY_FILE = "檔案是空的（0 位元組）"
MSG_NO_ROWS = "檔案裡沒有任何資料列"
MSG_NOT_XLSX = "檔案不是有效的 Excel (.xlsx) 活頁簿"
MSG_NOT_ODS = "檔案不是有效的 OpenDocument 試算表 (.ods)"
MSG_IS_XLSX = "檔案不是有效的 OpenDocument 試算表 (.ods)：內容是 Excel 活頁簿，請把副檔名改為 .xlsx"
MSG_IS_ODS = "檔案不是有效的 Excel (.xlsx) 活頁簿：內容是 OpenDocument 試算表，請把副檔名改為 .ods"
MSG_LOCKED = "檔案設有密碼保護，無法讀取：請先移除密碼再匯入"
MSG_LOCKED_OR_XLS = "檔案設有密碼保護，或是舊版 Excel (.xls) 格式：請移除密碼並另存為 .xlsx 後再匯入"
MSG_CORRUPT = "{kind}已損毀，無法讀取：請重新存檔後再匯入"
MSG_CSV_BINARY = "檔案不是文字格式的 CSV：可能是其他格式的檔案改了副檔名"
MSG_CSV_WORKBOOK = "檔案不是文字格式的 CSV：內容是試算表活頁簿，請把副檔名改為 .xlsx 或 .ods"
MSG_CSV_ENCODING = "無法辨識 CSV 檔的文字編碼：請存成 UTF-8 或 Big5"
MSG_CSV_SYNTAX = "CSV 格式錯誤（第 {row} 列附近）：請檢查引號是否成對"
MSG_TOO_MANY_ROWS = "工作表「{name}」超過 {limit} 列，無法讀取"
MSG_NO_SHEETS = "沒有要寫入的工作表"

KIND_XLSX = "Excel (.xlsx) 活頁簿"
KIND_ODS = "OpenDocument 試算表 (.ods)"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 container: old .xls, or an encrypted .xlsx
TEXT_TYPES = (".csv", ".tsv", ".txt")
XLSX_TYPES = (".xlsx", ".xlsm")

Rows = list[list[str]]


class SheetError(Exception):
    """The file cannot be read or written; the message is Traditional Chinese for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """One worksheet to write: a merged title row, a bold header row, then the rows."""

    name: str
    title: str
    header: list[str]
    rows: Rows
    col_widths: list[int] | None = None


# ---------------------------------------------------------------- reading


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


def _clean(value: str) -> str:
    """Trim a cell and unify line breaks; inner newlines are kept because cells hold lists."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _tidy(rows: Rows) -> Rows:
    """Drop trailing blank rows and pad every row to the same width (the last used column)."""
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((_used_width(r) for r in rows), default=0)
    return [(r + [""] * (width - len(r)))[:width] for r in rows]


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


# -- CSV


def _read_text(data: bytes, tab: bool) -> Rows:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if tab or first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    try:
        for row in reader:
            rows.append([_clean(c) for c in row])
            if len(rows) > MAX_ROWS:
                raise SheetError(MSG_TOO_MANY_ROWS.format(name="CSV", limit=MAX_ROWS))
    except csv.Error as exc:
        raise SheetError(MSG_CSV_SYNTAX.format(row=reader.line_num)) from exc
    return rows


def _decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM (Excel's 「Unicode 文字」), or Big5/CP950."""
    if data.startswith(b"PK\x03\x04") or data.startswith(CFB_MAGIC):
        raise SheetError(MSG_CSV_WORKBOOK)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SheetError(MSG_CSV_ENCODING) from exc
    if b"\x00" in data[:8192]:
        raise SheetError(MSG_CSV_BINARY)
    for encoding in ("utf-8-sig", "cp950", "big5hkscs"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(MSG_CSV_ENCODING)


# -- zip containers (.xlsx and .ods)


# Everything a damaged zip or its XML can raise while being read (zipfile alone raises six kinds).
_BROKEN = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    NotImplementedError,  # unsupported zip version or compression
    RuntimeError,  # an entry that says it is encrypted
    ET.ParseError,
)


def _open_zip(path: Path, ext: str) -> zipfile.ZipFile:
    """Open the workbook's zip, turning every way it can be wrong into the matching SheetError."""
    kind_error = MSG_NOT_ODS if ext == ".ods" else MSG_NOT_XLSX
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(CFB_MAGIC):
        raise SheetError(MSG_LOCKED_OR_XLS if ext != ".ods" else MSG_LOCKED)
    try:
        zf = zipfile.ZipFile(path)
    except _BROKEN as exc:
        raise SheetError(kind_error) from exc
    names = set(zf.namelist())
    if any(info.flag_bits & 0x1 for info in zf.infolist()):
        zf.close()
        raise SheetError(MSG_LOCKED)
    is_xlsx = "xl/workbook.xml" in names
    is_ods = "content.xml" in names and _zip_text(zf, "mimetype").endswith("spreadsheet")
    if ext == ".ods" and not is_ods:
        zf.close()
        raise SheetError(MSG_IS_XLSX if is_xlsx else MSG_NOT_ODS)
    if ext != ".ods" and not is_xlsx:
        zf.close()
        raise SheetError(MSG_IS_ODS if is_ods else MSG_NOT_XLSX)
    return zf


def _zip_text(zf: zipfile.ZipFile, name: str) -> str:
    try:
        return zf.read(name).decode("utf-8", "replace").strip()
    except _BROKEN:
        return ""




# -- .xlsx


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


# -- .ods

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELL, _COVERED = _TABLE + "table-cell", _TABLE + "covered-table-cell"


def _read_ods(path: Path) -> list[tuple[str, Rows]]:
    """Stream content.xml (odfpy's DOM load takes seconds and memory per thousand rows; this does not)."""
    with _open_zip(path, ".ods") as zf:
        if "encryption-data" in _zip_text(zf, "META-INF/manifest.xml"):
            raise SheetError(MSG_LOCKED)
        try:
            with zf.open("content.xml") as stream:
                return list(_ods_tables(stream))
        except _BROKEN as exc:
            raise SheetError(MSG_CORRUPT.format(kind=KIND_ODS)) from exc


class _OdsTable:
    """Collect one table's rows, expanding repeats lazily so huge trailing blank runs cost nothing."""

    def __init__(self, name: str):
        self.name = name
        self.rows: Rows = []
        self.blank_rows = 0
        self.cells: list[str] = []
        self.blank_cells = 0

    def add_cell(self, text: str, repeat: int) -> None:
        if not text:
            self.blank_cells += repeat
            return
        room = MAX_COLS - len(self.cells)
        self.cells.extend([""] * max(0, min(self.blank_cells, room)))
        self.blank_cells = 0
        self.cells.extend([text] * max(0, min(repeat, MAX_COLS - len(self.cells))))

    def end_row(self, repeat: int) -> None:
        cells, self.cells, self.blank_cells = self.cells, [], 0
        if not cells:
            self.blank_rows += repeat
            return
        if len(self.rows) + self.blank_rows + repeat > MAX_ROWS:
            raise SheetError(MSG_TOO_MANY_ROWS.format(name=self.name, limit=MAX_ROWS))
        self.rows.extend([] for _ in range(self.blank_rows))
        self.blank_rows = 0
        self.rows.extend(list(cells) for _ in range(repeat))


def _ods_tables(stream) -> Iterator[tuple[str, Rows]]:
    table: _OdsTable | None = None
    cell_depth = 0  # a cell may hold a whole sub-table; only top-level rows and cells count
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag in (_CELL, _COVERED):
                cell_depth += 1
            elif tag == _TABLE + "table" and cell_depth == 0:
                table = _OdsTable(elem.get(_TABLE + "name", ""))
            continue
        if tag in (_CELL, _COVERED):
            cell_depth -= 1
            if cell_depth == 0 and table is not None:
                # A covered cell is hidden under a merge: the user sees it empty even if it kept old text.
                text = _ods_cell_text(elem) if tag == _CELL else ""
                table.add_cell(text, _repeat(elem, "number-columns-repeated"))
                elem.clear()
        elif cell_depth == 0 and tag == _TABLE + "table-row" and table is not None:
            table.end_row(_repeat(elem, "number-rows-repeated"))
            elem.clear()
        elif cell_depth == 0 and tag == _TABLE + "table" and table is not None:
            yield table.name, table.rows
            table = None
            elem.clear()


def _repeat(elem: ET.Element, attr: str) -> int:
    try:
        return max(1, int(elem.get(_TABLE + attr, "1")))
    except ValueError:
        return 1


def _ods_cell_text(cell: ET.Element) -> str:
    kind = cell.get(_OFFICE + "value-type")
    try:
        if kind == "float" and cell.get(_OFFICE + "value"):
            return _number_text(float(cell.get(_OFFICE + "value")))
        if kind == "date" and cell.get(_OFFICE + "date-value"):
            return _datetime_text(datetime.fromisoformat(cell.get(_OFFICE + "date-value")))
    except ValueError:
        pass  # an odd stored value: fall back to the text the user sees
    return _clean("\n".join(_paragraphs(cell)))


def _paragraphs(elem: ET.Element) -> Iterator[str]:
    """Yield the cell's paragraphs; comments (office:annotation) are not cell text."""
    for child in elem:
        if child.tag in (_TEXT + "p", _TEXT + "h"):
            yield "".join(_inline(child))
        elif child.tag in (_TEXT + "list", _TEXT + "list-item"):
            yield from _paragraphs(child)


def _inline(elem: ET.Element) -> Iterator[str]:
    if elem.text:
        yield elem.text
    for child in elem:
        if child.tag == _TEXT + "s":
            yield " " * _repeat_text(child)
        elif child.tag == _TEXT + "tab":
            yield "\t"
        elif child.tag == _TEXT + "line-break":
            yield "\n"
        elif child.tag not in (_OFFICE + "annotation", _TEXT + "note"):
            yield from _inline(child)
        if child.tail:
            yield child.tail


def _repeat_text(elem: ET.Element) -> int:
    try:
        return min(1_000, max(1, int(elem.get(_TEXT + "c", "1"))))  # a run of spaces, not a memory bomb
    except ValueError:
        return 1


# ---------------------------------------------------------------- writing

_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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


def sheet_names(wanted: list[str]) -> list[str]:
    """Return unique sheet names of at most 31 characters without []:*?/\\ (Excel's rules)."""
    out: list[str] = []
    for n, name in enumerate(wanted, start=1):
        base = _FORBIDDEN_IN_SHEET_NAME.sub("_", _ILLEGAL_XML.sub("", name)).strip().strip("'") or f"工作表{n}"
        candidate, k = base[:31], 2
        while candidate.casefold() in (o.casefold() for o in out):
            suffix = f"({k})"
            candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
        out.append(candidate)
    return out


def text_width(text: str) -> int:
    """Return the display width of the longest line, counting CJK characters as two columns."""
    widths = [sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.split("\n")]
    return max(widths, default=0)


def column_widths(sheet: Sheet) -> list[int]:
    """Return each column's width in characters: the sheet's own, else fitted to its text (wrapped past 40)."""
    ncols = _ncols(sheet)
    given = list(sheet.col_widths or [])
    widths: list[int] = []
    for col in range(ncols):
        if col < len(given) and given[col] > 0:
            widths.append(given[col])
            continue
        cells = [sheet.header[col] if col < len(sheet.header) else ""]
        cells += [row[col] for row in sheet.rows if col < len(row)]
        widths.append(min(40, max(4, max(text_width(c) for c in cells))) + 2)
    return widths


def _ncols(sheet: Sheet) -> int:
    return max([len(sheet.header), 1, *(len(r) for r in sheet.rows)])


def _safe(text: str) -> str:
    return _ILLEGAL_XML.sub("", text or "")


def _lines_needed(text: str, width: int) -> int:
    """Estimate how many lines wrapped text takes in a column (for row heights Excel won't compute)."""
    return sum(max(1, -(-text_width(line) // max(1, width - 1))) for line in text.split("\n")) if text else 1


# -- .xlsx


def _write_xlsx(path: Path, sheets: list[Sheet], names: list[str]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet, name in zip(sheets, names, strict=True):
        _fill_xlsx_sheet(wb.create_sheet(name), sheet)
    wb.save(path)


def _fill_xlsx_sheet(ws, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ncols, widths = _ncols(sheet), column_widths(sheet)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    row = 1
    if sheet.title:
        cell = ws.cell(row=1, column=1, value=_safe(sheet.title))
        cell.font, cell.alignment = Font(bold=True, size=14), Alignment(horizontal="center", vertical="center", wrap_text=True)
        if ncols > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.row_dimensions[1].height = 24
        row = 2
    header_row = row
    for col, text in enumerate(sheet.header, start=1):
        cell = _xlsx_text(ws, row, col, text)
        cell.font, cell.border = Font(bold=True), border
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in sheet.rows:
        row += 1
        lines = 1
        for col in range(1, ncols + 1):
            text = values[col - 1] if col <= len(values) else ""
            cell = _xlsx_text(ws, row, col, text)
            cell.alignment, cell.border = wrap_top, border
            lines = max(lines, _lines_needed(text, widths[col - 1]))
        ws.row_dimensions[row].height = 15 * min(lines, 27)  # Excel caps rows at 409 points
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    if sheet.header:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _xlsx_text(ws, row: int, col: int, text: str):
    cell = ws.cell(row=row, column=col)
    if text:
        cell.value = _safe(text)
        cell.data_type = "s"  # a cell such as 「=每月」 is text, not a formula
    return cell


# -- .ods


def _write_ods(path: Path, sheets: list[Sheet], names: list[str]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    doc = OpenDocumentSpreadsheet()
    styles = _ods_styles(doc)
    for sheet, name in zip(sheets, names, strict=True):
        table = Table(name=name)
        _fill_ods_table(doc, table, sheet, styles)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def _ods_styles(doc) -> dict:
    from odf.style import ParagraphProperties, Style, TableCellProperties, TableRowProperties, TextProperties

    def cell_style(name: str, text: dict, cell: dict, align: str | None) -> Style:
        style = Style(name=name, family="table-cell")
        if text:
            style.addElement(TextProperties(**text))
        style.addElement(TableCellProperties(wrapoption="wrap", **cell))
        if align:
            style.addElement(ParagraphProperties(textalign=align))
        doc.automaticstyles.addElement(style)
        return style

    bold = {"fontweight": "bold", "fontweightasian": "bold", "fontweightcomplex": "bold"}
    border = {"border": "0.5pt solid #000000"}
    row = Style(name="row", family="table-row")
    row.addElement(TableRowProperties(useoptimalrowheight="true"))
    doc.automaticstyles.addElement(row)
    return {
        "title": cell_style("title", {**bold, "fontsize": "14pt", "fontsizeasian": "14pt"}, {"verticalalign": "middle"}, "center"),
        "header": cell_style("header", bold, {**border, "backgroundcolor": "#d9d9d9", "verticalalign": "middle"}, "center"),
        "body": cell_style("body", {}, {**border, "verticalalign": "top"}, None),
        "row": row,
        "columns": {},
    }


def _ods_column_style(doc, styles: dict, width: int):
    from odf.style import Style, TableColumnProperties

    if width not in styles["columns"]:
        style = Style(name=f"col{width}", family="table-column")
        # One character of Excel width is about 0.19 cm of the default font.
        style.addElement(TableColumnProperties(columnwidth=f"{width * 0.19 + 0.1:.2f}cm"))
        doc.automaticstyles.addElement(style)
        styles["columns"][width] = style
    return styles["columns"][width]


def _fill_ods_table(doc, table, sheet: Sheet, styles: dict) -> None:
    from odf.table import CoveredTableCell, TableColumn, TableHeaderRows, TableRow

    ncols = _ncols(sheet)
    for width in column_widths(sheet):
        table.addElement(TableColumn(stylename=_ods_column_style(doc, styles, width)))
    if sheet.title:
        tr = TableRow(stylename=styles["row"])
        tr.addElement(_ods_cell(sheet.title, styles["title"], span=ncols))
        for _ in range(ncols - 1):
            tr.addElement(CoveredTableCell())
        table.addElement(tr)
    if sheet.header:
        tr = TableRow(stylename=styles["row"])
        for col in range(ncols):
            tr.addElement(_ods_cell(sheet.header[col] if col < len(sheet.header) else "", styles["header"]))
        header_rows = TableHeaderRows()  # printed again at the top of every page
        header_rows.addElement(tr)
        table.addElement(header_rows)
    for values in sheet.rows:
        tr = TableRow(stylename=styles["row"])
        for col in range(ncols):
            tr.addElement(_ods_cell(values[col] if col < len(values) else "", styles["body"]))
        table.addElement(tr)


def _ods_cell(text: str, style, span: int = 1):
    from odf import teletype
    from odf.table import TableCell
    from odf.text import P

    attrs = {"stylename": style}
    if span > 1:
        attrs["numbercolumnsspanned"] = span
    text = _safe(text)
    if not text:
        return TableCell(**attrs)
    cell = TableCell(valuetype="string", **attrs)
    for line in text.split("\n"):  # one text:p per line, as LibreOffice writes a cell with line breaks
        p = P()
        teletype.addTextToElement(p, line)
        cell.addElement(p)
    return cell
