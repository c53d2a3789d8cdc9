"""Read the tables of a Word (.docx) document by streaming word/document.xml.

python-docx loads the whole document tree before the first table can be read (unbounded for a hostile file);
streaming keeps memory within the file's cell budget. Merged cells read as in a spreadsheet: the text in the
first cell, the cells it covers empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree as ET

from storage.sheets.cells import MAX_COLS, MAX_HELD, CellBudget, Rows, SheetError, clean
from storage.sheets.containers import BROKEN, Package

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TBL, _TR, _TC, _P = _W + "tbl", _W + "tr", _W + "tc", _W + "p"


def read_docx(package: Package) -> list[tuple[str, str, Rows]]:
    """Return (table name, text just above it, rows) for every top-level table of the document."""
    try:
        with package.open("word/document.xml") as stream:
            return list(_tables(stream, CellBudget()))
    except BROKEN as exc:
        raise SheetError("corrupt", kind=package.kind) from exc


def _tables(stream, budget: CellBudget) -> Iterator[tuple[str, str, Rows]]:
    rows: Rows | None = None
    row: list[str] = []
    above = ""
    depth = 0  # tables nested in a cell are part of that cell's text
    held = 0  # elements parsed since the last one was read and dropped
    count = 0
    stack: list[ET.Element] = []
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            stack.append(elem)
            if (held := held + 1) > MAX_HELD:
                raise SheetError("too_many_cells", limit=MAX_HELD)
            if tag == _TBL:
                depth += 1
                if depth == 1:
                    rows = []
            elif depth == 1 and tag == _TR:
                row = []
            continue
        stack.pop()
        if tag == _TBL:
            depth -= 1
            if depth == 0 and rows is not None:
                count += 1
                yield f"表格{count}", above, rows
                rows, above = None, ""
            elif depth:
                continue
        elif depth > 1 or (depth == 1 and tag not in (_TC, _TR)):
            continue  # cell content is read when its cell ends
        elif tag == _TC:
            row.extend(_cell(elem))
            del row[MAX_COLS:]
        elif tag == _TR and rows is not None:
            row = [""] * _grid_before(elem) + row
            budget.take(len(row), len(rows) + 1, f"表格{count + 1}")
            rows.append(row)
        elif tag == _P and depth == 0:
            above = clean("".join(_texts(elem))) or above
        else:
            continue
        if stack:
            stack[-1].remove(elem)  # read: drop it so a long document stays small
            held = 0


def _cell(tc: ET.Element) -> list[str]:
    """Return the grid cells this cell covers: its text first, then empties for a horizontal span."""
    props = tc.find(_W + "tcPr")
    span = _grid_value(props.find(_W + "gridSpan") if props is not None else None)
    merge = props.find(_W + "vMerge") if props is not None else None
    continues = merge is not None and merge.get(_W + "val", "continue") == "continue"
    text = "" if continues else clean("\n".join("".join(_texts(p)) for p in tc.iter(_P)))
    return [text] + [""] * (span - 1)


def _grid_before(tr: ET.Element) -> int:
    """Return how many grid columns a row skips before its first cell (Word's w:gridBefore)."""
    props = tr.find(_W + "trPr")
    skipped = props.find(_W + "gridBefore") if props is not None else None
    return _grid_value(skipped) if skipped is not None else 0


def _grid_value(elem: ET.Element | None) -> int:
    if elem is None:
        return 1
    try:
        return min(MAX_COLS, max(1, int(elem.get(_W + "val", "1"))))
    except ValueError:
        return 1


def _texts(p: ET.Element) -> Iterator[str]:
    """Yield a paragraph's visible text: runs, tabs and breaks, not deleted revisions."""
    for node in p.iter():
        if node.tag == _W + "t" and node.text:
            yield node.text
        elif node.tag == _W + "tab":
            yield "\t"
        elif node.tag in (_W + "br", _W + "cr"):
            yield "\n"
