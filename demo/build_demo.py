"""Build the demo plans' .ods files from their reviewable TSVs: `python demo/build_demo.py`."""

from __future__ import annotations

import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from storage.sheets import Sheet, read_rows, write_workbook

HERE = Path(__file__).resolve().parent
# 課室 編號 計畫項目 工作內容 承辦人 預定作業時程, twelve months, 執行情形 考核指標
WIDTHS = [10, 6, 16, 40, 14, 16, *[5] * 12, 24, 50]
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the zip's own epoch: a rebuild from the same TSV gives the same bytes


@dataclass(frozen=True)
class DemoPlan:
    """One office's demo plan: the TSV people edit, the .ods it becomes, and the title row naming the office."""

    source: Path
    target: Path
    sheet_name: str
    # The title row above the header names the office, so an import needs no --office.
    title: str


PLANS = (
    DemoPlan(HERE / "wenshan-113.tsv", HERE / "wenshan-113.ods", "工作計畫期程管制一覽表",
             "臺北市文山區戶政事務所113年度工作計畫期程管制一覽表"),
    DemoPlan(HERE / "datong-113.tsv", HERE / "datong-113.ods", "工作計畫作業時程管制表",
             "臺北市大同區公所113年度工作計畫作業時程管制表"),
)


def build(plan: DemoPlan) -> Path:
    """Write the demo plan as one sheet: the title row, the header row of the import layout, the items."""
    header, *rows = read_rows(plan.source)
    sheet = Sheet(name=plan.sheet_name, title=plan.title, header=header, rows=rows, col_widths=WIDTHS)
    write_workbook(plan.target, [sheet])
    _freeze_timestamps(plan.target)
    return plan.target


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
    """Build every demo plan and say where each went."""
    for plan in PLANS:
        path = build(plan)
        print(f"wrote {path.relative_to(HERE.parent)} from {plan.source.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
