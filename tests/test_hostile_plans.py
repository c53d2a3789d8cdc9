"""Hostile plan files are refused by limits on cells and uncompressed size, in bounded memory, with a clear
message; over-long values are reported by row and column on every database, never as a database error."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from handlers.office.imports.plan import ImportFailed, import_plan
from handlers.office.imports.staff import StaffImportError, import_staff
from storage import queries
from tests.conftest import ROOT
from tests.test_plan_import import row, write_csv
from tests.test_sheets import ODS_NS, cell, make_ods, table
from tests.test_sheets import row as ods_row

PEAK_LIMIT_MB = 300
# Runs the import alone in a fresh interpreter so its peak memory is its own; the address-space cap makes a
# regression fail quickly instead of exhausting the machine. Linux carries ru_maxrss over exec from the
# process that spawned the child (the test process), so the child's own high-water mark (VmHWM) is read first.
CHILD = """
import json, resource, shutil, sys

def peak_mb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

from datetime import datetime
from zoneinfo import ZoneInfo
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024 ** 3, 2 * 1024 ** 3))
from handlers.office.imports.plan import ImportFailed, import_plan
from storage.db import make_engine, session_factory
path, template, db = sys.argv[1:4]
shutil.copy(template, db)
with session_factory(make_engine(f"sqlite:///{db}"))() as session:
    try:
        import_plan(session, path, 2024, datetime(2024, 4, 8, tzinfo=ZoneInfo("Asia/Taipei")), office_name="文山戶所")
        summary = "imported"
    except ImportFailed as exc:
        summary = exc.report.summary()
print(json.dumps({"summary": summary, "peak_mb": peak_mb()}))
"""


def import_alone(path: Path, sqlite_template: Path, tmp_path: Path) -> tuple[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(sqlite_template), str(tmp_path / "child.db")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["summary"], result["peak_mb"]


def zip_parts(path: Path, parts: dict[str, bytes | tuple[bytes, bytes, int]]) -> Path:
    """Write a zip; a part given as (head, filler, count) is streamed so the test never holds it whole."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if isinstance(data, bytes):
                zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
                continue
            head, filler, count = data
            per_write = max(1, (1 << 20) // len(filler))
            with zf.open(name, "w", force_zip64=True) as fh:
                fh.write(head)
                for done in range(0, count, per_write):
                    fh.write(filler * min(per_write, count - done))
    return path


def ods_of_repeats(path: Path, tables: int, cols: int, rows: int) -> Path:
    return make_ods(path, "".join(table(f"表{n}", ods_row(cell("●", repeat=cols), repeat=rows)) for n in range(tables)))


def odt_of_repeats(path: Path, tables: int, cols: int, rows: int) -> Path:
    body = "".join(
        f'<text:h>戶籍登記課{n}</text:h><table:table table:name="T{n}"><table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{cols}"><text:p>●</text:p></table:table-cell></table:table-row></table:table>'
        for n in range(tables)
    )
    content = f'<?xml version="1.0"?><office:document-content {ODS_NS}><office:body><office:text>{body}</office:text></office:body></office:document-content>'
    return zip_parts(path, {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": content.encode()})


def docx_of_cells(path: Path, rows: int, cols: int) -> Path:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    head = f"<?xml version='1.0'?><w:document {w}><w:body><w:tbl>".encode()
    filler = ("<w:tr>" + "<w:tc/>" * cols + "</w:tr>").encode()
    return zip_parts(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": (head, filler, rows)})


def xlsx_with_shared_strings(path: Path, strings: int, text: bytes) -> Path:
    s = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    return zip_parts(path, {
        "[Content_Types].xml": b"<Types/>",
        "xl/workbook.xml": b"<workbook/>",
        "xl/sharedStrings.xml": (s, b"<si><t>" + text + b"</t></si>", strings),
    })


def zip_bomb(path: Path, kind: str) -> Path:
    """Half a megabyte on disk, one text of 512 MB unpacked: parsed, it alone would pass the memory limit."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    text = (b"x" * (1 << 20), 512)
    if kind == "ods":
        head = f"<office:document-content {ODS_NS}><office:body><office:spreadsheet><table:table><table:table-row>"
        return zip_parts(path, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                "content.xml": ((head + "<table:table-cell><text:p>").encode(), *text)})
    if kind == "docx":
        head = f"<w:document {w}><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>"
        return zip_parts(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": (head.encode(), *text)})
    return zip_parts(path, {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                            "xl/sharedStrings.xml": (b"<sst><si><t>", *text)})


def ods_with_one_wide_row(path: Path) -> Path:
    """99,000 rows of one cell and one row reaching column 1024: small as read, huge once rows are padded."""
    wide = ods_row(cell(repeat=1023), cell("●"))
    return make_ods(path, table("表", ods_row(cell("●"), repeat=99_000) + wide))


def xls_of_far_cells(path: Path) -> Path:
    """Sheets with a cell at A1 and one at IV65536: a reader holding each sheet's range takes a gigabyte each."""
    import xlwt

    wb = xlwt.Workbook()
    for n in range(3):
        ws = wb.add_sheet(f"s{n}")
        ws.write(0, 0, "編號")
        ws.write(65535, 255, "●")
    wb.save(str(path))
    return path


def xlsx_of_far_cells(path: Path) -> Path:
    """A 5 KB workbook with cells at A1 and BXX200000 (python-calamine aborts the process on it)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "編號"
    wb.active.cell(row=200_000, column=2_000, value="●")
    wb.save(path)
    return path


TOO_MANY_CELLS = "儲存格超過"
TOO_BIG = "解壓縮後超過"
BOMBS = {
    "repeated-cells.ods": (lambda p: ods_of_repeats(p, 1, 16384, 1048576), TOO_MANY_CELLS),
    # Each table alone is under the limit; together they are over: the limit is the file's, not a table's.
    "twenty-tables.ods": (lambda p: ods_of_repeats(p, 20, 100, 600), TOO_MANY_CELLS),
    "repeated-cells.odt": (lambda p: odt_of_repeats(p, 20, 1024, 1048576), TOO_MANY_CELLS),
    "many-cells.docx": (lambda p: docx_of_cells(p, 1100, 1000), TOO_MANY_CELLS),
    "shared-strings.xlsx": (lambda p: xlsx_with_shared_strings(p, 1_500_000, b""), TOO_MANY_CELLS),
    "huge-strings.xlsx": (lambda p: xlsx_with_shared_strings(p, 1_000_000, b"x" * 100), TOO_BIG),
    "wide-row.ods": (ods_with_one_wide_row, TOO_MANY_CELLS),
    "far-cells.xls": (xls_of_far_cells, "找不到表頭"),
    "far-cells.xlsx": (xlsx_of_far_cells, "找不到表頭"),
    "zip-bomb.ods": (lambda p: zip_bomb(p, "ods"), TOO_BIG),
    "zip-bomb.xlsx": (lambda p: zip_bomb(p, "xlsx"), TOO_BIG),
    "zip-bomb.docx": (lambda p: zip_bomb(p, "docx"), TOO_BIG),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(BOMBS))
def test_hostile_file_is_refused_in_bounded_memory(name, sqlite_template, tmp_path):
    build, refusal = BOMBS[name]
    path = build(tmp_path / name)
    assert path.stat().st_size < 2 * 1024 * 1024

    summary, peak_mb = import_alone(path, sqlite_template, tmp_path)

    assert refusal in summary and "匯入失敗：資料庫沒有任何變動" in summary, summary
    assert peak_mb < PEAK_LIMIT_MB, f"{name}: peak {peak_mb:.0f} MB"


def test_over_long_values_are_reported_by_row_and_column(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [
        row(),
        row(number="1" * 21, title="清查"),
        row(number="3", title="長" * 201),
        row(section="課" * 51, number="4"),
        row(number="5", owners="名" * 51),
    ])

    with pytest.raises(ImportFailed) as caught:
        import_plan(session, path, 2024, now, office_name="文山戶所")

    found = {(p.row, p.column) for p in caught.value.report.fatal}
    assert found == {(3, "編號"), (4, "計畫項目"), (5, "課室"), (6, "承辦人")}
    summary = caught.value.report.summary()
    assert "第 4 列［計畫項目］" in summary and "最多 200 個字，這裡有 201 個字" in summary
    assert queries.only_office(session) is None


def test_over_long_office_name_is_reported_not_a_database_error(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [row()])

    with pytest.raises(ImportFailed) as caught:
        import_plan(session, path, 2024, now, office_name="所" * 101)

    assert "機關最多 100 個字" in caught.value.report.summary()
    assert queries.only_office(session) is None


def test_over_long_roster_values_are_refused_with_their_row(session, now):
    office = queries.get_or_create_office(session, "文山戶所")
    roster = [{"姓名": "王美玲", "課室": "人事室", "角色": "課長"}, {"姓名": "王" * 51, "課室": "人事室", "角色": "承辦人"}]

    with pytest.raises(StaffImportError, match="第 3 列［姓名］太長了"):
        import_staff(session, office, roster, now, "staff.csv")
