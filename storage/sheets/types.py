"""The rows read from a sheet, a sheet to write, and the error for a file that cannot be used."""

from __future__ import annotations

from dataclasses import dataclass

Rows = list[list[str]]


class SheetError(Exception):
    """The file cannot be read or written; the message is Traditional Chinese for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """One worksheet to write: a merged title row, a bold header row, then the rows."""

    name: str
    title: str
    header: list[str]
    rows: Rows
    col_widths: list[int] | None = None
