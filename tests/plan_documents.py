"""Build .odt, .docx and .xls plan documents from table rows, the way offices lay them out.

Each table is (caption, header, rows): the caption is written as a heading just above the table, the header
may name a column that spans the twelve month columns (a second header row holds 1月…12月), and a blank cell
under a filled one in a `merge` column becomes a vertically merged cell, as in the published plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MONTHS = [f"{m}月" for m in range(1, 13)]


@dataclass
class DocTable:
    caption: str
    header: list[str]  # "月份" marks the twelve month columns (a spanning header over 1月…12月)
    rows: list[list[str]]
    merge: set[int] = field(default_factory=set)  # columns whose blank cells continue the cell above

    def grid(self) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
        """Return the cell grid and its merges (row, col, rows spanned, cols spanned)."""
        spans: list[tuple[int, int, int, int]] = []
        top, below = [], []
        for name in self.header:
            if name == "月份":
                spans.append((0, len(top), 1, 12))
                top += ["預定作業月份"] + [""] * 11
                below += MONTHS
            else:
                spans.append((0, len(top), 2, 1))
                top.append(name)
                below.append("")
        grid = [top, below, *[list(r) for r in self.rows]]
        for col in self.merge:
            start = None
            for r in [*range(2, len(grid)), len(grid)]:
                if r == len(grid) or grid[r][col]:
                    if start is not None and r - start > 1:
                        spans.append((start, col, r - start, 1))
                    start = r
        return grid, spans


def write_odt(path: Path, tables: list[DocTable], intro: str = "") -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    doc = OpenDocumentText()
    if intro:
        doc.text.addElement(P(text=intro))
    for n, t in enumerate(tables):
        if t.caption:
            doc.text.addElement(H(outlinelevel=2, text=t.caption))
        grid, spans = t.grid()
        starts = {(r, c): (h, w) for r, c, h, w in spans}
        covered = {(r + i, c + j) for r, c, h, w in spans for i in range(h) for j in range(w) if i or j}
        table = Table(name=f"Table{n + 1}")
        table.addElement(TableColumn(numbercolumnsrepeated=len(grid[0])))
        for r, values in enumerate(grid):
            tr = TableRow()
            for c, value in enumerate(values):
                if (r, c) in covered:
                    tr.addElement(CoveredTableCell())
                    continue
                h, w = starts.get((r, c), (1, 1))
                attrs = {"valuetype": "string"}
                if h > 1:
                    attrs["numberrowsspanned"] = h
                if w > 1:
                    attrs["numbercolumnsspanned"] = w
                cell = TableCell(**attrs)
                for line in value.split("\n") if value else []:
                    cell.addElement(P(text=line))
                tr.addElement(cell)
            table.addElement(tr)
        doc.text.addElement(table)
    doc.save(str(path))
    return path


def write_docx(path: Path, tables: list[DocTable], intro: str = "") -> Path:
    from docx import Document

    doc = Document()
    if intro:
        doc.add_paragraph(intro)
    for t in tables:
        if t.caption:
            doc.add_heading(t.caption, level=2)
        grid, spans = t.grid()
        table = doc.add_table(rows=len(grid), cols=len(grid[0]))
        for tr, values in zip(table.rows, grid, strict=True):  # table.rows[r] walks the rows each time
            cells = tr.cells
            for c, value in enumerate(values):
                if value:
                    cells[c].text = value
        for r, c, h, w in spans:
            if h > 1 or w > 1:
                table.cell(r, c).merge(table.cell(r + h - 1, c + w - 1))
    doc.save(str(path))
    return path


def write_xls(path: Path, tables: list[DocTable]) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for n, t in enumerate(tables):
        ws = wb.add_sheet(t.caption[:31] or f"Sheet{n + 1}")
        header = [h for name in t.header for h in (MONTHS if name == "月份" else [name])]
        for r, values in enumerate([header, *t.rows]):
            for c, value in enumerate(values):
                if value:
                    ws.write(r, c, value)
    wb.save(str(path))
    return path
