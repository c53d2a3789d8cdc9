"""Read every table of an .ods spreadsheet as rows of text, streaming its content.xml."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from storage.sheet_cells import MAX_COLS, MAX_ROWS, _clean, _datetime_text, _number_text
from storage.sheet_messages import KIND_ODS, MSG_CORRUPT, MSG_LOCKED, MSG_TOO_MANY_ROWS
from storage.sheet_types import Rows, SheetError
from storage.sheet_zip import _BROKEN, _open_zip, _zip_text

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
