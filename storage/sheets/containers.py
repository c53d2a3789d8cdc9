"""Open the zip containers of .xlsx, .ods, .docx and .odt files, telling wrong, locked, damaged and bombs apart."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from storage.sheets.cells import MAX_UNPACKED, SheetError

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 container: old .xls, or an encrypted Office file

# Everything a damaged zip or its XML can raise while being read (zipfile alone raises six kinds).
BROKEN = (
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

# What marks each kind of package, so a file with the wrong extension is named for what it is.
_ODF_MIMETYPES = {"ods": "spreadsheet", "odt": "text"}
_OOXML_PARTS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}


class Package:
    """An opened zip package whose parts are read within one uncompressed-size budget for the whole file."""

    def __init__(self, zf: zipfile.ZipFile, kind: str):
        self.zf, self.kind = zf, kind
        self.unpacked = 0

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zf.close()

    def names(self) -> set[str]:
        return set(self.zf.namelist())

    def open(self, name: str) -> IO[bytes]:
        """Open a part for streaming, counting its declared size (zipfile never yields more than that)."""
        info = self.zf.getinfo(name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2 and lzma decompress a whole chunk at once, unbounded; office files never use them.
            raise SheetError("corrupt", kind=self.kind)
        self.unpacked += info.file_size
        if self.unpacked > MAX_UNPACKED:
            raise SheetError("too_big", limit_mb=MAX_UNPACKED // (1024 * 1024))
        return self.zf.open(info)

    def text(self, name: str) -> str:
        """Return a small part as text, or '' when it is missing or unreadable."""
        try:
            with self.open(name) as fh:
                return fh.read().decode("utf-8", "replace").strip()
        except BROKEN:
            return ""


def open_package(path: Path, kind: str) -> Package:
    """Open the file as a package of `kind` (xlsx, ods, docx, odt), raising the matching SheetError."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(CFB_MAGIC):
        raise SheetError("locked_or_xls" if kind == "xlsx" else "locked")
    try:
        zf = zipfile.ZipFile(path)
    except BROKEN as exc:
        raise SheetError("not_" + kind) from exc
    package = Package(zf, kind)
    try:
        if any(info.flag_bits & 0x1 for info in zf.infolist()):
            raise SheetError("locked")
        actual = _kind_of(package)
        if actual != kind:
            raise SheetError(f"is_{actual}", kind=kind) if actual else SheetError("not_" + kind)
        if kind in _ODF_MIMETYPES and "encryption-data" in package.text("META-INF/manifest.xml"):
            raise SheetError("locked")
    except BaseException:
        zf.close()
        raise
    return package


def _kind_of(package: Package) -> str | None:
    names = package.names()
    for kind, part in _OOXML_PARTS.items():
        if part in names:
            return kind
    if "content.xml" in names:
        mimetype = package.text("mimetype")
        for kind, suffix in _ODF_MIMETYPES.items():
            if mimetype.endswith(suffix):
                return kind
    return None
