"""Write sheets to a .ods or .xlsx workbook: a merged title, a bold header repeated on every page, bordered rows."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from storage.sheets.cells import Sheet, SheetError


def write_workbook(path: str | Path, sheets: list[Sheet]) -> Path:
    """Write the sheets to a .ods or .xlsx file (chosen by extension), replacing it atomically."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in (".ods", ".xlsx"):
        raise SheetError("unknown_type", ext=ext or path.name)
    if not sheets:
        raise SheetError("no_sheets")
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
        fills=dict(sheet.fills),
        notes=[text(n) for n in sheet.notes],
    )

_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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


def _write_ods(path: Path, sheets: list[Sheet], names: list[str]) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    doc = OpenDocumentSpreadsheet()
    _ods_page_setup(doc)
    styles = _ods_styles(doc)
    for sheet, name in zip(sheets, names, strict=True):
        table = Table(name=name)
        _fill_ods_table(doc, table, sheet, styles)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def _ods_page_setup(doc) -> None:
    """Print on A4 landscape, scaled to one page wide (as many tall as needed); header rows repeat (TableHeaderRows)."""
    from odf.namespaces import LOEXTNS
    from odf.style import MasterPage, PageLayout, PageLayoutProperties

    layout = PageLayout(name="a4landscape")
    props = PageLayoutProperties(pagewidth="29.7cm", pageheight="21cm", printorientation="landscape", margin="1cm")
    # LibreOffice's fit-to-width (1 page wide, any number tall); ODF 1.2 has no attribute for it.
    props.setAttrNS(LOEXTNS, "scale-to-X", "1")
    props.setAttrNS(LOEXTNS, "scale-to-Y", "0")
    layout.addElement(props)
    doc.automaticstyles.addElement(layout)
    doc.masterstyles.addElement(MasterPage(name="Default", pagelayoutname=layout))


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
        "note": cell_style("note", {}, {"verticalalign": "top"}, None),
        "row": row,
        "columns": {},
        "fills": {},
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
    for index, values in enumerate(sheet.rows):
        tr = TableRow(stylename=styles["row"])
        for col in range(ncols):
            fill = sheet.fills.get((index, col))
            style = _ods_fill_style(doc, styles, fill) if fill else styles["body"]
            tr.addElement(_ods_cell(values[col] if col < len(values) else "", style))
        table.addElement(tr)
    for note in sheet.notes:
        tr = TableRow(stylename=styles["row"])
        tr.addElement(_ods_cell(note, styles["note"], span=ncols))
        for _ in range(ncols - 1):
            tr.addElement(CoveredTableCell())
        table.addElement(tr)


def _ods_fill_style(doc, styles: dict, fill: str):
    """Return the body style with a background colour (made once per colour), centred: month cells hold a mark."""
    from odf.style import ParagraphProperties, Style, TableCellProperties

    if fill not in styles["fills"]:
        style = Style(name=f"fill{fill.lstrip('#')}", family="table-cell")
        style.addElement(TableCellProperties(
            wrapoption="wrap", border="0.5pt solid #000000", verticalalign="middle", backgroundcolor=fill,
        ))
        style.addElement(ParagraphProperties(textalign="center"))
        doc.automaticstyles.addElement(style)
        styles["fills"][fill] = style
    return styles["fills"][fill]


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
    centred = Alignment(horizontal="center", vertical="center")
    for index, values in enumerate(sheet.rows):
        row += 1
        lines = 1
        for col in range(1, ncols + 1):
            text = values[col - 1] if col <= len(values) else ""
            cell = _xlsx_text(ws, row, col, text)
            cell.alignment, cell.border = wrap_top, border
            fill = sheet.fills.get((index, col - 1))
            if fill:
                cell.fill, cell.alignment = PatternFill("solid", fgColor=fill.lstrip("#").upper()), centred
            lines = max(lines, _lines_needed(text, widths[col - 1]))
        ws.row_dimensions[row].height = 15 * min(lines, 27)  # Excel caps rows at 409 points
    for note in sheet.notes:
        row += 1
        _xlsx_text(ws, row, 1, note)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    if sheet.header:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _xlsx_text(ws, row: int, col: int, text: str):
    cell = ws.cell(row=row, column=col)
    if text:
        cell.value = _safe(text)
        cell.data_type = "s"  # a cell such as 「=每月」 is text, not a formula
    return cell
