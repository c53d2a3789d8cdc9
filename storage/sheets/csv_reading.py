"""Read a text sheet (.csv, .tsv, .txt) as rows, decoding UTF-8, UTF-16 or Big5."""

from __future__ import annotations

import csv
import io

from storage.sheet_cells import MAX_ROWS, _clean
from storage.sheet_messages import (
    MSG_CSV_BINARY,
    MSG_CSV_ENCODING,
    MSG_CSV_SYNTAX,
    MSG_CSV_WORKBOOK,
    MSG_TOO_MANY_ROWS,
)
from storage.sheet_types import Rows, SheetError
from storage.sheet_zip import CFB_MAGIC


def _read_text(data: bytes, tab: bool) -> Rows:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if tab or first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    try:
        for row in reader:
            rows.append([_clean(c) for c in row])
            if len(rows) > MAX_ROWS:
                raise SheetError(MSG_TOO_MANY_ROWS.format(name="CSV", limit=MAX_ROWS))
    except csv.Error as exc:
        raise SheetError(MSG_CSV_SYNTAX.format(row=reader.line_num)) from exc
    return rows


def _decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM (Excel's 「Unicode 文字」), or Big5/CP950."""
    if data.startswith(b"PK\x03\x04") or data.startswith(CFB_MAGIC):
        raise SheetError(MSG_CSV_WORKBOOK)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SheetError(MSG_CSV_ENCODING) from exc
    if b"\x00" in data[:8192]:
        raise SheetError(MSG_CSV_BINARY)
    for encoding in ("utf-8-sig", "cp950", "big5hkscs"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError(MSG_CSV_ENCODING)
