"""Open the zip containers of .xlsx and .ods files, telling wrong, locked and damaged ones apart."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

from storage.sheet_messages import (
    MSG_IS_ODS,
    MSG_IS_XLSX,
    MSG_LOCKED,
    MSG_LOCKED_OR_XLS,
    MSG_NOT_ODS,
    MSG_NOT_XLSX,
)
from storage.sheet_types import SheetError

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 container: old .xls, or an encrypted .xlsx


# Everything a damaged zip or its XML can raise while being read (zipfile alone raises six kinds).
_BROKEN = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    NotImplementedError,  # unsupported zip version or compression
    RuntimeError,  # an entry that says it is encrypted
    ET.ParseError,
)


def _open_zip(path: Path, ext: str) -> zipfile.ZipFile:
    """Open the workbook's zip, turning every way it can be wrong into the matching SheetError."""
    kind_error = MSG_NOT_ODS if ext == ".ods" else MSG_NOT_XLSX
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(CFB_MAGIC):
        raise SheetError(MSG_LOCKED_OR_XLS if ext != ".ods" else MSG_LOCKED)
    try:
        zf = zipfile.ZipFile(path)
    except _BROKEN as exc:
        raise SheetError(kind_error) from exc
    names = set(zf.namelist())
    if any(info.flag_bits & 0x1 for info in zf.infolist()):
        zf.close()
        raise SheetError(MSG_LOCKED)
    is_xlsx = "xl/workbook.xml" in names
    is_ods = "content.xml" in names and _zip_text(zf, "mimetype").endswith("spreadsheet")
    if ext == ".ods" and not is_ods:
        zf.close()
        raise SheetError(MSG_IS_XLSX if is_xlsx else MSG_NOT_ODS)
    if ext != ".ods" and not is_xlsx:
        zf.close()
        raise SheetError(MSG_IS_ODS if is_ods else MSG_NOT_XLSX)
    return zf


def _zip_text(zf: zipfile.ZipFile, name: str) -> str:
    try:
        return zf.read(name).decode("utf-8", "replace").strip()
    except _BROKEN:
        return ""
