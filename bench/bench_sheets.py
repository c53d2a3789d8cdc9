"""Read a 5,000-row plan table as .xlsx, .ods and .csv, and an .ods whose repeats span a whole sheet (target: < 5 s each).

Prints the median read time per file; each read is checked to return every row, so a fast wrong
answer cannot pass for a fast reader.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.sheets import Sheet, read_rows, write_workbook  # noqa: E402 - after the path fix so the script runs from anywhere

ROWS = 5000
RUNS = 3
HEADER = ["課室", "編號", "計畫項目", "工作內容", *[f"{m}月" for m in range(1, 13)], "考核指標"]


def body() -> list[list[str]]:
    return [
        ["戶籍資料課", str(i), f"項目{i}", "門牌月報表每月5日前陳報\n報表正確無誤", *["V"] * 12, "民政局考核"]
        for i in range(ROWS)
    ]


def write_files(folder: Path) -> list[Path]:
    rows = body()
    sheet = Sheet("s", "", HEADER, rows)
    files = [write_workbook(folder / "big.xlsx", [sheet]), write_workbook(folder / "big.ods", [sheet])]
    csv = folder / "big.csv"
    csv.write_text("\n".join(",".join(f'"{v}"' for v in values) for values in [HEADER, *rows]), "utf-8")
    return [*files, csv]


def repeats_file(folder: Path) -> Path:
    """An .ods as LibreOffice saves it: blank cells and rows repeated to the sheet's last column and row."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    cells = "".join(f"<table:table-cell><text:p>{v}</text:p></table:table-cell>" for v in ("編號", "計畫項目", "1月"))
    blank = '<table:table-cell table:number-columns-repeated="16381"/>'
    rows = (
        f"<table:table-row>{cells}{blank}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body><office:spreadsheet>'
        f'<table:table table:name="s">{rows}</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    path = folder / "repeats.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
    return path


def timed(path: Path, expected_rows: int) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        got = read_rows(path)
        times.append(time.perf_counter() - started)
        if len(got) < expected_rows:
            raise SystemExit(f"{path.name}: read {len(got)} rows, expected {expected_rows}")
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for path in write_files(folder):
            print(f"read {ROWS} rows of {path.suffix}: {timed(path, ROWS + 1) * 1000:.0f} ms (median of {RUNS})")
        print(f"read an .ods repeated to 1048576 rows x 16384 columns: {timed(repeats_file(folder), 1) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
