"""Read and write the files offices exchange as tables of text cells.

Reading: `read_tables(path)` gives every non-empty table of a .csv/.tsv, .xlsx, .xls, .ods, .odt or .docx
file (`read_sheets` and `read_rows` are its short forms). Writing: `write_workbook(path, sheets)` writes .ods
or .xlsx, `write_pdf` an A4 landscape PDF and `write_qr_sheet` a printable sheet of QR codes, `write_document`
a text document with tables (.odt, .docx or PDF). Every failure is a `SheetError` whose `code` and `fields` say what is wrong; the words people read
are the handlers' (`handlers/texts/imports.py`). Limits on cells and uncompressed size hold for a whole file.
"""

from storage.sheets.cells import MAX_CELLS, MAX_COLS, MAX_ROWS, MAX_UNPACKED, Rows, Sheet, SheetError
from storage.sheets.documents import DOCUMENT_TYPES, Block, DocTable, Document, write_document
from storage.sheets.pdf import CjkFont, QrCard, find_cjk_font, write_pdf, write_qr_sheet
from storage.sheets.reading import READABLE_TYPES, Table, read_rows, read_sheets, read_tables
from storage.sheets.spreadsheets import decode_text
from storage.sheets.writing import column_widths, sheet_names, text_width, write_workbook

__all__ = [
    "DOCUMENT_TYPES",
    "Block",
    "DocTable",
    "Document",
    "write_document",
    "MAX_CELLS",
    "MAX_COLS",
    "MAX_ROWS",
    "MAX_UNPACKED",
    "CjkFont",
    "QrCard",
    "READABLE_TYPES",
    "Rows",
    "Sheet",
    "SheetError",
    "Table",
    "column_widths",
    "decode_text",
    "find_cjk_font",
    "read_rows",
    "read_sheets",
    "read_tables",
    "sheet_names",
    "text_width",
    "write_pdf",
    "write_qr_sheet",
    "write_workbook",
]
