"""Fit sheets to workbook rules: legal sheet names, XML-safe text, column widths and row heights."""

from __future__ import annotations

import re
import unicodedata

from storage.sheet_types import Sheet

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
