"""Read and write the spreadsheets offices exchange (.csv, .xlsx, .ods) as plain rows of text.

The public names live here; the work is in `sheet_reading` (with `sheet_csv_reading`,
`sheet_xlsx_reading`, `sheet_ods_reading`, `sheet_zip`, `sheet_cells`), `sheet_writing` (with
`sheet_xlsx_writing`, `sheet_ods_writing`, `sheet_layout`), `sheet_types` and `sheet_messages`.
"""

from storage.sheet_cells import MAX_BLANK_RUN, MAX_COLS, MAX_ROWS
from storage.sheet_layout import column_widths, sheet_names, text_width
from storage.sheet_messages import (
    KIND_ODS,
    KIND_XLSX,
    MSG_CORRUPT,
    MSG_CSV_BINARY,
    MSG_CSV_ENCODING,
    MSG_CSV_SYNTAX,
    MSG_CSV_WORKBOOK,
    MSG_EMPTY_FILE,
    MSG_IS_ODS,
    MSG_IS_XLSX,
    MSG_LOCKED,
    MSG_LOCKED_OR_XLS,
    MSG_MISSING,
    MSG_NO_ROWS,
    MSG_NO_SHEETS,
    MSG_NOT_ODS,
    MSG_NOT_XLSX,
    MSG_OLD_XLS,
    MSG_TOO_MANY_ROWS,
    MSG_UNKNOWN_TYPE,
    MSG_UNREADABLE,
)
from storage.sheet_reading import TEXT_TYPES, XLSX_TYPES, read_rows, read_sheets
from storage.sheet_types import Rows, Sheet, SheetError
from storage.sheet_writing import write_workbook
from storage.sheet_zip import CFB_MAGIC

__all__ = [
    "CFB_MAGIC",
    "KIND_ODS",
    "KIND_XLSX",
    "MAX_BLANK_RUN",
    "MAX_COLS",
    "MAX_ROWS",
    "MSG_CORRUPT",
    "MSG_CSV_BINARY",
    "MSG_CSV_ENCODING",
    "MSG_CSV_SYNTAX",
    "MSG_CSV_WORKBOOK",
    "MSG_EMPTY_FILE",
    "MSG_IS_ODS",
    "MSG_IS_XLSX",
    "MSG_LOCKED",
    "MSG_LOCKED_OR_XLS",
    "MSG_MISSING",
    "MSG_NO_ROWS",
    "MSG_NO_SHEETS",
    "MSG_NOT_ODS",
    "MSG_NOT_XLSX",
    "MSG_OLD_XLS",
    "MSG_TOO_MANY_ROWS",
    "MSG_UNKNOWN_TYPE",
    "MSG_UNREADABLE",
    "TEXT_TYPES",
    "XLSX_TYPES",
    "Rows",
    "Sheet",
    "SheetError",
    "column_widths",
    "read_rows",
    "read_sheets",
    "sheet_names",
    "text_width",
    "write_workbook",
]
