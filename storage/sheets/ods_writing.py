"""Write sheets to an .ods spreadsheet: a merged title, a bold header repeated on every page, bordered rows."""

from __future__ import annotations

from pathlib import Path

from storage.sheet_layout import _ncols, _safe, column_widths
from storage.sheet_types import Sheet


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
