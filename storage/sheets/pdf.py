"""Write PDFs for printing and filing: the control table (A4 landscape) and a sheet of QR codes (A4 portrait).

Chinese needs a CJK font: Debian's fonts-noto-cjk (Noto Sans CJK TC) is looked for first, then a few other
usual places; without one, `SheetError("no_cjk_font")` says so before anything is written.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from storage.sheets.cells import Sheet, SheetError

# (file, the family to pick inside a collection or None)
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK TC"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK TC"),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "Noto Sans CJK TC"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", None),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", None),
)
FONT = "cjk"


@dataclass(frozen=True)
class CjkFont:
    path: str
    index: int


def find_cjk_font(candidates=FONT_CANDIDATES) -> CjkFont:
    """Return the first installed CJK font (PLANBOT_CJK_FONT wins); SheetError("no_cjk_font") when none is."""
    chosen = os.environ.get("PLANBOT_CJK_FONT")
    for path, family in ((chosen, None),) if chosen else candidates:
        if path and Path(path).is_file():
            return CjkFont(path, _index_of(path, family))
    raise SheetError("no_cjk_font", tried=", ".join(p for p, _ in candidates))


@lru_cache(maxsize=8)
def _index_of(path: str, family: str | None) -> int:
    if not path.lower().endswith((".ttc", ".otc")) or family is None:
        return 0
    from fontTools.ttLib import TTCollection

    names = [f["name"].getDebugName(1) for f in TTCollection(path, lazy=True).fonts]
    return names.index(family) if family in names else 0


def _document(orientation: str, font: CjkFont, title: str):
    from fpdf import FPDF

    class Document(FPDF):
        heading = title
        body_size = 9.0

        def header(self) -> None:  # the title on every page
            self.set_font(FONT, size=11)
            self.cell(0, 7, self.heading, new_x="LMARGIN", new_y="NEXT", align="C")
            self.ln(1)
            self.set_font(FONT, size=self.body_size)

        def footer(self) -> None:
            self.set_y(-10)
            self.set_font(FONT, size=7)
            self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="C")

    pdf = Document(orientation=orientation, format="A4")
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_font(FONT, fname=font.path, collection_font_number=font.index)
    # Noto CJK's outlines are CFF: recomputing every kept glyph's bounds when the subset is saved is most
    # of a PDF's time, and the subset's glyphs are the original ones, so their boxes stay right.
    for loaded in pdf.fonts.values():
        if getattr(loaded, "ttfont", None) is not None:
            loaded.ttfont.recalcBBoxes = False
    pdf.set_title(title)
    return pdf


def _save(pdf, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        pdf.output(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_pdf(path: str | Path, sheets: list[Sheet], font: CjkFont | None = None) -> Path:
    """Write the sheets as one A4 landscape PDF: each sheet's title and header row repeated on every page."""
    from fpdf.fonts import FontFace

    if not sheets:
        raise SheetError("no_sheets")
    font = font or find_cjk_font()
    pdf = None
    for sheet in sheets:
        if pdf is None:
            pdf = _document("L", font, sheet.title)
            pdf.body_size = 6.5
        pdf.heading = sheet.title
        pdf.add_page()
        pdf.set_font(FONT, size=6.5)
        widths = sheet.col_widths or [1] * len(sheet.header)
        widths = (list(widths) + [widths[-1]] * len(sheet.header))[: len(sheet.header)]
        with pdf.table(
            col_widths=widths, width=pdf.epw, line_height=3.2, repeat_headings=1, text_align="LEFT",
            headings_style=FontFace(emphasis=None, fill_color=(225, 225, 225)),
        ) as table:
            table.row([str(h) for h in sheet.header])
            for index, row in enumerate(sheet.rows):
                cells = [("" if v is None else str(v)) for v in row]
                line = table.row()
                for col, text in enumerate((cells + [""] * len(sheet.header))[: len(sheet.header)]):
                    fill = sheet.fills.get((index, col))
                    if fill:
                        line.cell(text, align="C", style=FontFace(fill_color=_rgb(fill)))
                    else:
                        line.cell(text)
        for note in sheet.notes:  # a legend under the table
            pdf.ln(1)
            pdf.multi_cell(0, 3.2, note, new_x="LMARGIN", new_y="NEXT")
    return _save(pdf, Path(path))


def _rgb(colour: str) -> tuple[int, int, int]:
    """Return #RRGGBB as an (r, g, b) triple."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@dataclass(frozen=True)
class QrCard:
    """One person's card on the sheet: what the QR code holds and the lines printed beside it."""

    payload: str
    lines: list[str]


def write_qr_sheet(path: str | Path, title: str, cards: list[QrCard], font: CjkFont | None = None) -> Path:
    """Write an A4 portrait PDF of cards, eight a page: a QR code and its lines (name, section, code) beside it."""
    import segno

    if not cards:
        raise SheetError("no_sheets")
    font = font or find_cjk_font()
    pdf = _document("P", font, title)
    per_page, card_w, card_h, qr_size = 8, 95, 66, 44
    for n, card in enumerate(cards):
        if n % per_page == 0:
            pdf.add_page()
        col, row = n % 2, (n % per_page) // 2
        x, y = 10 + col * card_w, 20 + row * card_h
        pdf.set_draw_color(170, 170, 170)
        pdf.set_dash_pattern(dash=1, gap=1)
        pdf.rect(x, y, card_w - 2, card_h - 2)
        pdf.set_dash_pattern()
        _draw_qr(pdf, segno.make(card.payload, error="m", micro=False), x + 3, y + 3, qr_size)
        pdf.set_xy(x + qr_size + 6, y + 5)
        for i, line in enumerate(card.lines):
            pdf.set_font(FONT, size=15 if i == 0 else 9)
            pdf.set_x(x + qr_size + 6)
            pdf.multi_cell(card_w - qr_size - 10, 7 if i == 0 else 4.6, line, new_x="LMARGIN", new_y="NEXT")
    return _save(pdf, Path(path))


def _draw_qr(pdf, qr, x: float, y: float, size: float) -> None:
    """Draw the QR code's dark modules as filled squares (crisp at any printer resolution)."""
    matrix = [list(r) for r in qr.matrix]
    border = 2
    modules = len(matrix) + 2 * border
    unit = size / modules
    pdf.set_fill_color(0, 0, 0)
    for r, cells in enumerate(matrix):
        c = 0
        while c < len(cells):
            if cells[c] & 1:
                start = c
                while c < len(cells) and cells[c] & 1:
                    c += 1
                pdf.rect(x + (start + border) * unit, y + (r + border) * unit, (c - start) * unit, unit, style="F")
            else:
                c += 1


def write_document_pdf(path: str | Path, doc, font: CjkFont | None = None) -> Path:
    """Write a `storage.sheets.documents.Document` as an A4 landscape PDF (tables repeat their header)."""
    from fpdf.fonts import FontFace

    font = font or find_cjk_font()
    pdf = _document("L", font, doc.title)
    pdf.add_page()
    if doc.subtitle:
        pdf.set_font(FONT, size=9)
        pdf.cell(0, 5, doc.subtitle, new_x="LMARGIN", new_y="NEXT", align="C")
    for block in doc.blocks:
        if block.heading:
            pdf.ln(2)
            pdf.set_font(FONT, size=11)
            pdf.multi_cell(0, 6, block.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=8.5)
        for line in block.paragraphs:
            pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
        if block.table is None:
            continue
        t = block.table
        widths = (list(t.widths or []) + [10] * len(t.header))[: len(t.header)]
        pdf.set_font(FONT, size=7)
        with pdf.table(
            col_widths=widths, width=pdf.epw, line_height=3.4, repeat_headings=1, text_align="LEFT",
            headings_style=FontFace(emphasis=None, fill_color=(225, 225, 225)),
        ) as table:
            table.row(list(t.header))
            for values in t.rows:
                table.row(([str(v) for v in values] + [""] * len(t.header))[: len(t.header)])
    return _save(pdf, Path(path))
