"""Write a text document (a title, paragraphs, headed sections and tables) as .odt, .docx or PDF.

Government offices file editable documents in ODF (.odt); .docx and PDF are for those who ask for them.
Landscape A4, tables with a bold shaded header, each cell's lines kept as lines.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from storage.sheets.cells import SheetError

DOCUMENT_TYPES = (".odt", ".docx", ".pdf")
MIMETYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}


@dataclass
class DocTable:
    header: list[str]
    rows: list[list[str]]
    widths: list[int] | None = None  # relative column widths


@dataclass
class Block:
    """A heading (may be empty), its paragraphs, then an optional table."""

    heading: str = ""
    paragraphs: list[str] = field(default_factory=list)
    table: DocTable | None = None


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)


def write_document(path: str | Path, doc: Document, font=None) -> Path:
    """Write the document to `path`, its type chosen by the suffix (.odt, .docx or .pdf), replacing it atomically."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in DOCUMENT_TYPES:
        raise SheetError("unknown_type", ext=ext or path.name)
    if ext == ".pdf":
        from storage.sheets.pdf import write_document_pdf

        return write_document_pdf(path, doc, font)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=ext, dir=path.parent)
    os.close(fd)
    try:
        (_write_odt if ext == ".odt" else _write_docx)(Path(tmp), doc)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _write_odt(path: Path, doc: Document) -> None:
    from odf import teletype
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        MasterPage,
        PageLayout,
        PageLayoutProperties,
        ParagraphProperties,
        Style,
        TableCellProperties,
        TableColumnProperties,
        TableProperties,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import H, P

    odt = OpenDocumentText()
    layout = PageLayout(name="landscape")
    layout.addElement(PageLayoutProperties(pagewidth="29.7cm", pageheight="21cm", printorientation="landscape",
                                           margin="1.5cm"))
    odt.automaticstyles.addElement(layout)
    odt.masterstyles.addElement(MasterPage(name="Standard", pagelayoutname=layout))
    bold = {"fontweight": "bold", "fontweightasian": "bold", "fontweightcomplex": "bold"}

    def style(name: str, family: str, *props) -> Style:
        s = Style(name=name, family=family)
        for p in props:
            s.addElement(p)
        odt.automaticstyles.addElement(s)
        return s

    title = style("title", "paragraph", ParagraphProperties(textalign="center"),
                  TextProperties(fontsize="16pt", fontsizeasian="16pt", **bold))
    center = style("sub", "paragraph", ParagraphProperties(textalign="center"))
    head = style("head", "paragraph", TextProperties(fontsize="12pt", fontsizeasian="12pt", **bold))
    small = style("small", "paragraph", TextProperties(fontsize="9pt", fontsizeasian="9pt"))
    small_bold = style("smallb", "paragraph", ParagraphProperties(textalign="center"),
                       TextProperties(fontsize="9pt", fontsizeasian="9pt", **bold))
    cell = style("cell", "table-cell", TableCellProperties(border="0.5pt solid #000000", padding="0.05cm"))
    head_cell = style("hcell", "table-cell", TableCellProperties(border="0.5pt solid #000000", padding="0.05cm",
                                                                 backgroundcolor="#d9d9d9"))

    def para(text: str, st) -> P:
        p = P(stylename=st)
        teletype.addTextToElement(p, text)
        return p

    odt.text.addElement(para(doc.title, title))
    if doc.subtitle:
        odt.text.addElement(para(doc.subtitle, center))
    for n, block in enumerate(doc.blocks):
        if block.heading:
            h = H(outlinelevel=1, stylename=head)
            teletype.addTextToElement(h, block.heading)
            odt.text.addElement(h)
        for line in block.paragraphs:
            odt.text.addElement(para(line, None))
        if block.table is None:
            continue
        t = block.table
        widths = _widths(t)
        total = 26.7
        table = Table(name=f"表{n + 1}", stylename=style(f"t{n}", "table", TableProperties(width=f"{total}cm", align="center")))
        for c, w in enumerate(widths):
            table.addElement(TableColumn(stylename=style(f"t{n}c{c}", "table-column",
                                                         TableColumnProperties(columnwidth=f"{total * w / sum(widths):.2f}cm"))))
        header = TableHeaderRows()
        row = TableRow()
        for text in t.header:
            tc = TableCell(stylename=head_cell, valuetype="string")
            tc.addElement(para(text, small_bold))
            row.addElement(tc)
        header.addElement(row)
        table.addElement(header)
        for values in t.rows:
            row = TableRow()
            for c in range(len(t.header)):
                tc = TableCell(stylename=cell, valuetype="string")
                for line in (values[c] if c < len(values) else "").split("\n"):
                    tc.addElement(para(line, small))
                row.addElement(tc)
            table.addElement(row)
        odt.text.addElement(table)
    odt.save(str(path))


def _widths(t: DocTable) -> list[int]:
    given = list(t.widths or [])
    return (given + [10] * len(t.header))[: len(t.header)]


def _write_docx(path: Path, doc: Document) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    section = d.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc.title)
    run.bold, run.font.size = True, Pt(16)
    if doc.subtitle:
        d.add_paragraph(doc.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in doc.blocks:
        if block.heading:
            d.add_heading(block.heading, level=2)
        for line in block.paragraphs:
            d.add_paragraph(line)
        if block.table is None:
            continue
        t = block.table
        widths = _widths(t)
        table = d.add_table(rows=1, cols=len(t.header))
        table.style = "Table Grid"
        for c, text in enumerate(t.header):
            cell = table.rows[0].cells[c]
            cell.text = ""
            r = cell.paragraphs[0].add_run(text)
            r.bold, r.font.size = True, Pt(9)
            shade = OxmlElement("w:shd")
            shade.set(qn("w:fill"), "D9D9D9")
            cell._tc.get_or_add_tcPr().append(shade)
        repeat = OxmlElement("w:tblHeader")  # the header row again on every page
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for values in t.rows:
            cells = table.add_row().cells
            for c in range(len(t.header)):
                lines = (values[c] if c < len(values) else "").split("\n")
                cells[c].text = ""
                p = cells[c].paragraphs[0]
                for k, line in enumerate(lines):
                    if k:
                        p = cells[c].add_paragraph()
                    p.add_run(line).font.size = Pt(9)
        for c, w in enumerate(widths):
            for row in table.rows:
                row.cells[c].width = Cm(26.7 * w / sum(widths))
    d.save(str(path))
