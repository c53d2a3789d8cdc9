"""Print how long a 5,000-row plan takes to read and import in each format, and compare the readers.

The readers of storage.sheets (openpyxl read-only for .xlsx, streamed content.xml for .ods, xlrd for .xls)
are timed against python-calamine on the same files and their cells compared; then the peak memory of each
.xls reader on a 6 KB workbook with cells at A1 and IV65536 in 20 sheets. calamine would be kept only where
it is faster, gives the same cells and stays within bounded memory.
Run: .venv/bin/python bench/bench_import.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.office.imports.plan import import_plan  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.sheets import Sheet, read_sheets, write_workbook  # noqa: E402
from tests.plan_documents import DocTable, write_docx, write_odt, write_xls  # noqa: E402

ROWS = 5000
HEADER = ["課室", "編號", "計畫項目", "工作內容", "承辦人", "預定作業時程", *[f"{m}月" for m in range(1, 13)], "考核指標"]


def plan_rows() -> list[list[str]]:
    return [
        [f"第{n % 5}課", str(n), f"項目{n}", "門牌月報表每月5日前陳報\n報表正確無誤", f"人員{n % 40}", "每月5日前",
         *["●" if m % 3 == n % 3 else "" for m in range(1, 13)], "民政局考核 50%"]
        for n in range(ROWS)
    ]


def calamine_rows(path: Path) -> list[tuple[str, list[list[str]]]]:
    from python_calamine import CalamineWorkbook

    from storage.sheets.cells import CellBudget, clean, datetime_text, number_text, tidy

    def text(value: object) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int | float):
            return number_text(value)
        if isinstance(value, datetime):
            return datetime_text(value)
        return clean(str(value))

    wb = CalamineWorkbook.from_path(str(path))
    out = []
    for name in wb.sheet_names:
        rows = [[text(v) for v in row] for row in wb.get_sheet_by_name(name).iter_rows()]
        out.append((name, tidy(rows, CellBudget())))
    return out


def timed(fn, *args) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(3):
        started = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    rows = plan_rows()
    files = {
        ".csv": None,
        ".xlsx": write_workbook(tmp / "plan.xlsx", [Sheet("計畫", "", HEADER, rows)]),
        ".ods": write_workbook(tmp / "plan.ods", [Sheet("計畫", "", HEADER, rows)]),
        ".xls": write_xls(tmp / "plan.xls", [DocTable("計畫", HEADER, rows)]),
    }
    doc = DocTable("", [*HEADER[:6], "月份", HEADER[-1]], [r[:6] + r[6:18] + r[18:] for r in rows])
    files[".odt"] = write_odt(tmp / "plan.odt", [doc])
    files[".docx"] = write_docx(tmp / "plan.docx", [doc])
    import csv

    with (tmp / "plan.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    files[".csv"] = tmp / "plan.csv"

    print(f"reading a {ROWS}-row plan (best of 3)")
    print(f"{'format':8}{'storage.sheets':>16}{'calamine':>12}  same cells")
    for ext, path in files.items():
        if path is None:
            continue
        ours, got = timed(read_sheets, path)
        if ext in (".xlsx", ".ods", ".xls"):
            theirs, other = timed(calamine_rows, path)
            same = got == other
            diff = "" if same else _first_difference(got, other)
            print(f"{ext:8}{ours:>15.2f}s{theirs:>11.2f}s  {'yes' if same else 'no: ' + diff}")
        else:
            print(f"{ext:8}{ours:>15.2f}s{'-':>12}")

    far_cells_memory(tmp)

    print(f"\nimporting a {ROWS}-row plan into SQLite (read, check, parse schedules, write)")
    for ext, path in files.items():
        url = f"sqlite:///{tmp / ('db' + ext.replace('.', '_'))}.db"
        upgrade(url)
        sessions = session_factory(make_engine(url))
        with sessions() as session:
            started = time.perf_counter()
            report = import_plan(session, path, 2024, datetime(2024, 4, 8, tzinfo=ZoneInfo("Asia/Taipei")), office_name="大機關")
            session.commit()
            print(f"{ext:8}{time.perf_counter() - started:>8.2f}s  {report.created} items, {len(report.problems)} problems")


MEMORY_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))  # fail fast instead of swapping
sys.path.insert(0, sys.argv[3])
if sys.argv[1] == "calamine":
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(sys.argv[2])
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name)
else:
    from storage.sheets import read_tables
    read_tables(sys.argv[2])
# ru_maxrss carries over exec from the bench process; VmHWM is this interpreter's own high-water mark.
print(next(int(line.split()[1]) // 1024 for line in open("/proc/self/status") if line.startswith("VmHWM:")))
"""


def far_cells_memory(tmp: Path) -> None:
    """Peak memory of each reader on tiny workbooks with one cell at A1 and one far away."""
    import subprocess

    import xlwt
    from openpyxl import Workbook

    xls = xlwt.Workbook()
    xls.add_sheet("s").write(0, 0, "x")
    xls.get_sheet(0).write(65535, 255, "y")
    xls.save(str(tmp / "far.xls"))
    xlsx = Workbook()
    xlsx.active["A1"] = "x"
    xlsx.active.cell(row=200_000, column=2_000, value="y")
    xlsx.save(tmp / "far.xlsx")
    root = str(Path(__file__).resolve().parent.parent)
    print("\npeak memory reading a workbook with one cell at A1 and one far away (address space capped at 2 GB)")
    for name, far in (("A1 + IV65536", tmp / "far.xls"), ("A1 + BXX200000", tmp / "far.xlsx")):
        for reader in ("calamine", "storage.sheets"):
            done = subprocess.run([sys.executable, "-c", MEMORY_CHILD, reader, str(far), root],
                                  capture_output=True, text=True, check=False)
            last = (done.stderr.strip().splitlines() or [""])[0][:70]
            shown = f"{done.stdout.strip()} MB" if done.returncode == 0 else f"failed ({last})"
            print(f"{far.suffix:6}{far.stat().st_size // 1024:>3} KB {name:16}{reader:16}{shown}")


def _first_difference(a, b) -> str:
    for (_, rows_a), (_, rows_b) in zip(a, b, strict=False):
        for n, (ra, rb) in enumerate(zip(rows_a, rows_b, strict=False), start=1):
            if ra != rb:
                cell = next(i for i, (x, y) in enumerate(zip(ra + [""] * 99, rb + [""] * 99, strict=False)) if x != y)
                return f"row {n} col {cell + 1}: {ra[cell]!r} vs {rb[cell] if cell < len(rb) else ''!r}"
    return "different number of rows or sheets"


if __name__ == "__main__":
    main()
