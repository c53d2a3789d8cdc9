"""Read the tables of OpenDocument files (.ods sheets, .odt documents) by streaming content.xml.

odfpy and odfdo build a DOM of the whole document first (seconds and hundreds of megabytes for a large plan,
unbounded for a hostile one); streaming with repeats expanded lazily keeps memory within the file's cell budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from xml.etree import ElementTree as ET

from storage.sheets.cells import (
    MAX_COLS,
    MAX_HELD,
    CellBudget,
    Rows,
    SheetError,
    clean,
    datetime_text,
    number_text,
)
from storage.sheets.containers import BROKEN, Package

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELL, _COVERED = _TABLE + "table-cell", _TABLE + "covered-table-cell"
_ROW, _TAB = _TABLE + "table-row", _TABLE + "table"
_PARAGRAPHS = (_TEXT + "p", _TEXT + "h")


def read_odf(package: Package) -> list[tuple[str, str, Rows]]:
    """Return (table name, text just above it, rows) for every top-level table of content.xml."""
    try:
        with package.open("content.xml") as stream:
            return list(_tables(stream, CellBudget()))
    except BROKEN as exc:
        raise SheetError("corrupt", kind=package.kind) from exc


class _Table:
    """Collect one table's rows, expanding repeats lazily so huge blank runs cost nothing."""

    def __init__(self, name: str, caption: str, budget: CellBudget):
        self.name, self.caption, self.budget = name, caption, budget
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
        self.budget.take(len(cells) * repeat, len(self.rows) + self.blank_rows + repeat, self.name)
        self.rows.extend([] for _ in range(self.blank_rows))
        self.blank_rows = 0
        self.rows.extend(list(cells) for _ in range(repeat))


def _tables(stream, budget: CellBudget) -> Iterator[tuple[str, str, Rows]]:
    table: _Table | None = None
    above = ""  # the last paragraph or heading outside any table: a document table's caption
    cell_depth = 0  # a cell may hold a whole sub-table; only top-level rows and cells count
    held = 0  # elements parsed since the last one was read and dropped
    stack: list[ET.Element] = []
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            stack.append(elem)
            if (held := held + 1) > MAX_HELD:
                raise SheetError("too_many_cells", limit=MAX_HELD)
            if tag in (_CELL, _COVERED):
                cell_depth += 1
            elif tag == _TAB and cell_depth == 0 and table is None:
                table = _Table(elem.get(_TABLE + "name", ""), above, budget)
            continue
        stack.pop()
        if tag in (_CELL, _COVERED):
            cell_depth -= 1
            if cell_depth == 0 and table is not None:
                # A covered cell is hidden under a merge: the user sees it empty even if it kept old text.
                text = _cell_text(elem) if tag == _CELL else ""
                table.add_cell(text, _repeat(elem, "number-columns-repeated"))
            elif cell_depth:
                continue
        elif cell_depth:
            continue  # cell content is read when its cell ends
        elif tag == _ROW and table is not None:
            table.end_row(_repeat(elem, "number-rows-repeated"))
        elif tag == _TAB and table is not None:
            yield table.name, table.caption, table.rows
            table, above = None, ""
        elif tag in _PARAGRAPHS and table is None:
            above = clean("".join(_inline(elem))) or above
        else:
            continue
        if stack:
            stack[-1].remove(elem)  # read: drop it so a long document stays small
            held = 0


def _repeat(elem: ET.Element, attr: str) -> int:
    try:
        return max(1, int(elem.get(_TABLE + attr, "1")))
    except ValueError:
        return 1


def _cell_text(cell: ET.Element) -> str:
    kind = cell.get(_OFFICE + "value-type")
    try:
        if kind == "float" and cell.get(_OFFICE + "value"):
            return number_text(float(cell.get(_OFFICE + "value")))
        if kind == "date" and cell.get(_OFFICE + "date-value"):
            return datetime_text(datetime.fromisoformat(cell.get(_OFFICE + "date-value")))
    except ValueError:
        pass  # an odd stored value: fall back to the text the user sees
    return clean("\n".join(_paragraphs(cell)))


def _paragraphs(elem: ET.Element) -> Iterator[str]:
    """Yield the cell's paragraphs; comments (office:annotation) are not cell text."""
    for child in elem:
        if child.tag in _PARAGRAPHS:
            yield "".join(_inline(child))
        elif child.tag in (_TEXT + "list", _TEXT + "list-item", _TEXT + "section"):
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
