"""Build demo/wenshan-113.ods from the reviewable demo/wenshan-113.tsv: `python demo/build_demo.py`."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from storage.sheets import Sheet, read_rows, write_workbook

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "wenshan-113.tsv"
TARGET = HERE / "wenshan-113.ods"
SHEET_NAME = "工作計畫期程管制一覽表"
# The title row above the header names the office, so an import needs no --office.
TITLE = "臺北市文山區戶政事務所113年度工作計畫期程管制一覽表"
# 課室 編號 計畫項目 工作內容 承辦人 預定作業時程, twelve months, 執行情形 考核指標
WIDTHS = [10, 6, 16, 40, 14, 16, *[5] * 12, 24, 50]
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip's own epoch: a rebuild from the same TSV gives the same bytes


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    """Write the demo plan as one sheet: the title row, the header row of the import layout, the items."""
    header, *rows = read_rows(source)
    write_workbook(target, [Sheet(name=SHEET_NAME, title=TITLE, header=header, rows=rows, col_widths=WIDTHS)])
    _freeze_timestamps(target)
    return target


def _freeze_timestamps(path: Path) -> None:
    """Rewrite the zip with fixed entry times so the committed file only changes when the TSV does."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            dst.writestr(fixed, data)


def main() -> int:
    """Build the demo file and say where it went."""
    path = build()
    print(f"wrote {path.relative_to(HERE.parent)} from {SOURCE.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
