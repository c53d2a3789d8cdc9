"""Write sheets to an .xlsx workbook: a merged title, a bold header, bordered wrapped rows, landscape pages."""

from __future__ import annotations

from pathlib import Path

from storage.sheet_layout import _lines_needed, _ncols, _safe, column_widths
from storage.sheet_types import Sheet


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
