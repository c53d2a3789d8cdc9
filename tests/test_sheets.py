"""Reading and writing .csv, .xlsx, .xls and .ods, and the tables of .odt and .docx: round trips, repeats, merges, bad files."""

from __future__ import annotations

import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from handlers.texts.imports import sheet_error
from storage.sheets import (
    Sheet,
    SheetError,
    column_widths,
    read_rows,
    read_sheets,
    read_tables,
    sheet_names,
    write_workbook,
)
from tests.sizes import size

MSG_NOT_XLSX = "檔案不是有效的 Excel (.xlsx) 活頁簿"
DEMO = Path(__file__).resolve().parent.parent / "demo"
TITLE = "臺北市文山區戶政事務所戶籍登記課113年度工作計畫期程管制一覽表"
HEADER = ["編號", "計畫項目", "工作內容", "1月", "2月", "執行情形", "考核指標"]
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def sample_rows(n: int) -> list[list[str]]:
    rows = []
    for i in range(1, n + 1):
        content = f"戶籍清查第{i}項\n1. 每月第1個工作日填報\n2. 次月2日前（以工作日計算）"
        rows.append([str(i), "戶籍清查業務", content, "●" if i % 2 else "", "", "", "評鑑：完成清查率100%"])
    return rows


def make_ods(path: Path, tables_xml: str, manifest_extra: str = "") -> Path:
    """Write a minimal .ods by hand, shaped like LibreOffice's (repeats, merges, several text:p)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables_xml}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}'
        "</manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def cell(text: str = "", repeat: int = 1, extra: str = "") -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if not text:
        return f"<table:table-cell{rep}{extra}/>"
    paras = "".join(f"<text:p>{line}</text:p>" for line in text.split("\n"))
    return f'<table:table-cell office:value-type="string"{rep}{extra}>{paras}</table:table-cell>'


def row(*cells: str, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{''.join(cells)}</table:table-row>"


def table(name: str, *rows: str) -> str:
    return f'<table:table table:name="{name}"><table:table-column table:number-columns-repeated="16384"/>{"".join(rows)}</table:table>'


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("ext", [".ods", ".xlsx"])
def test_round_trip_keeps_text_newlines_and_empty_cells(tmp_path, ext):
    rows = sample_rows(1000)
    rows[3] = ["", "", "  續列：前後空白會去掉  ", "", "", "", ""]
    rows[4] = ["5", "空白格在中間", "", "", "V", "", ""]
    path = write_workbook(tmp_path / f"plan{ext}", [Sheet("戶籍登記課", TITLE, HEADER, rows, None)])

    got = read_rows(path)

    assert got[0] == [TITLE] + [""] * (len(HEADER) - 1)
    assert got[1] == HEADER
    assert got[2] == rows[0]
    assert got[2][2] == "戶籍清查第1項\n1. 每月第1個工作日填報\n2. 次月2日前（以工作日計算）"
    assert got[5] == ["", "", "續列：前後空白會去掉", "", "", "", ""]
    assert got[6] == ["5", "空白格在中間", "", "", "V", "", ""]
    assert len(got) == 1002
    assert got[-1] == rows[-1]


@pytest.mark.parametrize("ext", [".ods", ".xlsx"])
def test_round_trip_several_sheets_with_unsafe_names(tmp_path, ext):
    sheets = [
        Sheet("戶籍登記課", TITLE, HEADER, [["1", "助您好孕專案", "", "", "", "", ""]]),
        Sheet("人事室/113年:[考核]?*", "", ["編號", "計畫項目"], [["1", "員工考核作業"]], [6, 30]),
        Sheet("x" * 40, "", ["a"], [["=每月"], ["0012"]]),
    ]
    path = write_workbook(tmp_path / f"plan{ext}", sheets)

    got = read_sheets(path)

    assert [name for name, _ in got] == ["戶籍登記課", "人事室_113年__考核___", "x" * 31]
    assert got[1][1] == [["編號", "計畫項目"], ["1", "員工考核作業"]]
    assert got[2][1] == [["a"], ["=每月"], ["0012"]]  # text that looks like a formula or a number stays text


def test_header_row_comes_first_without_a_title(tmp_path):
    path = write_workbook(tmp_path / "plan.ods", [Sheet("計畫", "", HEADER, [["1", "x", "", "", "", "", ""]])])

    assert read_rows(path)[0] == HEADER


def test_xlsx_title_is_merged_header_bold_and_widths_set(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", [Sheet("戶籍登記課", TITLE, HEADER, sample_rows(3), [6, 20])])

    ws = load_workbook(path).active
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:G1"]
    assert ws["A2"].font.bold and not ws["A3"].font.bold
    assert ws["C3"].alignment.wrap_text
    assert ws.column_dimensions["A"].width == 6
    assert ws.column_dimensions["B"].width == 20
    assert ws.freeze_panes == "A3"


def test_ods_title_spans_the_columns_and_header_is_bold(tmp_path):
    path = write_workbook(tmp_path / "plan.ods", [Sheet("戶籍登記課", TITLE, HEADER, sample_rows(2))])

    content = zipfile.ZipFile(path).read("content.xml").decode()
    assert 'table:number-columns-spanned="7"' in content
    assert content.count("<table:covered-table-cell/>") == 6
    assert 'style:font-weight-asian="bold"' in content  # Chinese text needs the Asian weight to look bold
    assert "<table:table-header-rows>" in content


def test_column_widths_fit_text_and_cap_long_columns():
    sheet = Sheet("s", "", ["編號", "工作內容", "1月"], [["3", "很長的工作內容" * 20, "●"]])

    widths = column_widths(sheet)

    assert widths[0] == 6 and widths[2] == 6
    assert widths[1] == 42


def test_sheet_names_are_unique_short_and_clean():
    assert sheet_names(["a/b", "a\\b", "", "'引號'"]) == ["a_b", "a_b(2)", "工作表3", "引號"]
    assert all(len(n) <= 31 for n in sheet_names(["長" * 40, "長" * 40]))


def test_written_file_is_an_ordinary_readable_document(tmp_path):
    path = write_workbook(tmp_path / "plan.ods", [Sheet("s", "", ["a"], [["b"]])])

    assert path.stat().st_mode & 0o044 == 0o044
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ods"]  # no temporary file left behind


# ---------------------------------------------------------------- .xlsx values


def test_xlsx_numbers_dates_and_percentages_come_back_as_people_wrote_them(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["編號", "日期", "時間", "比率", "小數", "真假", "公式"])
    ws.append([3, date(2024, 1, 5), datetime(2024, 4, 8, 9, 30), 0.6, 2.5, True, None])
    ws["D2"].number_format = "0%"
    ws.append([4.0, datetime(2024, 12, 31), None, None, 1e20, False, None])
    wb.save(tmp_path / "values.xlsx")

    got = read_rows(tmp_path / "values.xlsx")

    assert got[1] == ["3", "2024-01-05", "2024-04-08 09:30:00", "60%", "2.5", "TRUE", ""]
    assert got[2] == ["4", "2024-12-31", "", "", "1e+20", "FALSE", ""]


def test_xlsx_every_sheet_and_skips_empty_ones(tmp_path):
    wb = Workbook()
    wb.active.title = "戶籍登記課"
    wb.active.append(["編號", "計畫項目"])
    wb.create_sheet("空白")
    wb.create_sheet("人事室").append(["1", "員工考核作業"])
    wb.save(tmp_path / "book.xlsx")

    assert [name for name, _ in read_sheets(tmp_path / "book.xlsx")] == ["戶籍登記課", "人事室"]


def test_xlsx_wrong_dimension_does_not_hide_rows(tmp_path):
    wb = Workbook()
    for i in range(10):
        wb.active.append([str(i), f"項目{i}"])
    wb.save(tmp_path / "dim.xlsx")
    rewritten = tmp_path / "dim-bad.xlsx"
    with zipfile.ZipFile(tmp_path / "dim.xlsx") as src, zipfile.ZipFile(rewritten, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B10"/>', b'<dimension ref="A1"/>')
            dst.writestr(info, data)

    assert len(read_rows(rewritten)) == 10


# ---------------------------------------------------------------- .ods structure


def test_ods_repeated_columns_and_rows_expand_without_blowing_up(tmp_path):
    path = make_ods(
        tmp_path / "repeats.ods",
        table(
            "戶籍登記課",
            row(cell("編號"), cell("計畫項目"), cell("1月"), cell("2月"), cell("3月"), cell(repeat=16379)),
            row(cell("1"), cell("勞資會議"), cell("●", repeat=3), cell(repeat=16379)),
            row(cell(repeat=16384), repeat=2),
            row(cell("2"), cell(repeat=2), cell("V"), cell(repeat=16380)),
            row(cell("同列"), cell("重複"), repeat=2),
            row(cell(repeat=16384), repeat=1048570),
        ),
    )
    tracemalloc.start()
    try:
        got = read_rows(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    # Expanding the repeats (a million rows of 16,384 cells) would take gigabytes; the reader stays small.
    assert peak < 10_000_000, peak
    assert got == [
        ["編號", "計畫項目", "1月", "2月", "3月"],
        ["1", "勞資會議", "●", "●", "●"],
        ["", "", "", "", ""],
        ["", "", "", "", ""],
        ["2", "", "", "V", ""],
        ["同列", "重複", "", "", ""],
        ["同列", "重複", "", "", ""],
    ]


def test_ods_cell_text_paragraphs_spaces_and_values(tmp_path):
    rich = (
        '<table:table-cell office:value-type="string"><text:p>1. 送審案件<text:s text:c="2"/>登錄</text:p>'
        "<text:p>2. <text:span>文件</text:span>備妥<text:line-break/>3. 調查</text:p>"
        "<office:annotation><text:p>這是註解，不是內容</text:p></office:annotation></table:table-cell>"
    )
    number = '<table:table-cell office:value-type="float" office:value="3"><text:p>3.00</text:p></table:table-cell>'
    fraction = '<table:table-cell office:value-type="float" office:value="0.25"><text:p>0.3</text:p></table:table-cell>'
    day = '<table:table-cell office:value-type="date" office:date-value="2024-12-31"><text:p>113/12/31</text:p></table:table-cell>'
    moment = '<table:table-cell office:value-type="date" office:date-value="2024-04-08T09:30:00"><text:p>x</text:p></table:table-cell>'
    percent = '<table:table-cell office:value-type="percentage" office:value="0.6"><text:p>60%</text:p></table:table-cell>'
    path = make_ods(tmp_path / "values.ods", table("s", row(rich, number, fraction, day, moment, percent)))

    assert read_rows(path) == [
        ["1. 送審案件  登錄\n2. 文件備妥\n3. 調查", "3", "0.25", "2024-12-31", "2024-04-08 09:30:00", "60%"]
    ]


def test_ods_merged_cells_keep_their_columns_and_read_once(tmp_path):
    hidden = '<table:covered-table-cell office:value-type="string"><text:p>合併時藏起來的字</text:p></table:covered-table-cell>'
    path = make_ods(
        tmp_path / "merged.ods",
        table(
            "s",
            row(cell(TITLE, extra=' table:number-columns-spanned="3"'), "<table:covered-table-cell table:number-columns-repeated=\"2\"/>"),
            row(cell("6", extra=' table:number-rows-spanned="2"'), cell("戶籍清查業務"), cell("1/1-2/28")),
            row(hidden, cell(), cell("3/1-4/30")),
        ),
    )

    assert read_rows(path) == [[TITLE, "", ""], ["6", "戶籍清查業務", "1/1-2/28"], ["", "", "3/1-4/30"]]


def test_ods_reads_every_table(tmp_path):
    path = make_ods(tmp_path / "two.ods", table("戶籍登記課", row(cell("a"))) + table("空白", row(cell())) + table("人事室", row(cell("b"))))

    assert read_sheets(path) == [("戶籍登記課", [["a"]]), ("人事室", [["b"]])]


# ---------------------------------------------------------------- .csv


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950", "utf-16"])
def test_csv_encodings_taiwanese_offices_export(tmp_path, encoding):
    text = '編號,計畫項目,工作內容\r\n3,助您好孕專案,"1. 60日內通知\r\n2. 10日內匯入"\r\n4,國籍歸化案件,\r\n'
    (tmp_path / "plan.csv").write_bytes(text.encode(encoding))

    assert read_rows(tmp_path / "plan.csv") == [
        ["編號", "計畫項目", "工作內容"],
        ["3", "助您好孕專案", "1. 60日內通知\n2. 10日內匯入"],
        ["4", "國籍歸化案件", ""],
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950"])
def test_a_tsv_saved_as_big5_or_utf8_reads_the_same(tmp_path, encoding):
    (tmp_path / "plan.tsv").write_bytes("課室\t編號\t計畫項目\r\n戶籍登記課\t1\t門牌整編\r\n".encode(encoding))

    assert read_rows(tmp_path / "plan.tsv") == [["課室", "編號", "計畫項目"], ["戶籍登記課", "1", "門牌整編"]]


def unreadable(tmp_path, data: bytes) -> str:
    (tmp_path / "plan.csv").write_bytes(data)
    with pytest.raises(SheetError) as caught:
        read_rows(tmp_path / "plan.csv")
    return sheet_error(caught.value)


def test_a_csv_both_utf8_and_big5_read_differently_is_refused_showing_both_readings(tmp_path):
    # 簡 and 簽 in Big5 are the bytes of ² and ñ in UTF-8: either could be meant, so neither is taken.
    said = unreadable(tmp_path, "no,name\n1,簡簽\n".encode("cp950"))

    assert "第 2 行" in said and "UTF-8 讀成「1,²ñ」" in said and "Big5 讀成「1,簡簽」" in said and "無法確定" in said


def test_a_csv_neither_utf8_nor_big5_is_refused_naming_both_and_where_it_stopped(tmp_path):
    # A user-defined Big5 character (造字, 0xFA40) on line 3: a Hong Kong reading would silently give another character.
    data = "課室,承辦人\n民政課,王小明\n民政課,林".encode("cp950") + b"\xfa\x40\n"
    said = unreadable(tmp_path, data)

    assert "UTF-8（含或不含 BOM）與 Big5（cp950）都讀不通" in said and "第 3 行" in said


def test_a_csv_marked_utf8_that_is_not_is_refused_not_read_as_big5(tmp_path):
    data = b"\xef\xbb\xbf" + "課室,承辦人\n".encode() + "民政課,王小明\n".encode("cp950")

    assert "標示為 UTF-8 編碼，第 2 行卻有不是 UTF-8 的字" in unreadable(tmp_path, data)


def test_an_ascii_csv_reads_the_same_either_way(tmp_path):
    (tmp_path / "plan.csv").write_bytes(b"no,title\n1,abc\n")

    assert read_rows(tmp_path / "plan.csv") == [["no", "title"], ["1", "abc"]]


def test_tab_separated_text_is_read_as_columns(tmp_path):
    (tmp_path / "plan.tsv").write_text("課室\t編號\t計畫項目\n人事室\t1\t員工考核作業\n", encoding="utf-8")
    (tmp_path / "plan.csv").write_text("課室\t編號\n人事室\t1\n", encoding="utf-8")

    assert read_rows(tmp_path / "plan.tsv")[1] == ["人事室", "1", "員工考核作業"]
    assert read_rows(tmp_path / "plan.csv")[1] == ["人事室", "1"]


# ---------------------------------------------------------------- bad files


def zip_with_encrypted_flag(path: Path) -> Path:
    """Write a zip whose entries say they are encrypted (zipfile cannot encrypt, so set the flag bit)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(sig, start)) != -1:
            data[start + offset] |= 0x1
            start += 4
    path.write_bytes(bytes(data))
    return path


def bad_files(tmp: Path) -> list[tuple[Path, str]]:
    valid = write_workbook(tmp / "valid.xlsx", [Sheet("s", "", ["a"], [["b"]])])
    ods = write_workbook(tmp / "valid.ods", [Sheet("s", "", ["a"], [["b"]])])
    cases = {
        "report.pdf": (b"%PDF-1.4", "不支援的檔案類型「.pdf」"),
        "old.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "舊版 Excel (.xls) 活頁簿已損毀"),
        "renamed.xls": (b"%PDF-1.4" + b"\0" * 100, "不是有效的舊版 Excel (.xls)"),
        "empty.xlsx": (b"", "檔案是空的"),
        "empty.csv": (b"", "檔案是空的"),
        "empty.ods": (b"", "檔案是空的"),
        "photo.xlsx": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, MSG_NOT_XLSX),
        "photo.ods": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "檔案不是有效的 OpenDocument 試算表 (.ods)"),
        "locked.xlsx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "密碼保護"),
        "truncated.xlsx": (valid.read_bytes()[:300], MSG_NOT_XLSX),
        "ods-named.xlsx": (ods.read_bytes(), "請把副檔名改為 .ods"),
        "xlsx-named.ods": (valid.read_bytes(), "請把副檔名改為 .xlsx"),
        "book.csv": (valid.read_bytes(), "請把副檔名改為 .xlsx 或 .ods"),
        "binary.csv": (b"abc\x00\x01\x02" * 50, "不是文字格式的 CSV"),
        "blank.csv": (b" , ,\r\n,,\r\n", "沒有任何資料列"),
        "quote.csv": (b'a,"b\nc,d\n' + b"x" * 200_000, "CSV 格式錯誤"),
    }
    out = []
    for name, (data, message) in cases.items():
        (tmp / name).write_bytes(data)
        out.append((tmp / name, message))
    out.append((zip_with_encrypted_flag(tmp / "zip-locked.xlsx"), "密碼保護"))
    out.append((make_ods(tmp / "locked.ods", table("s", row(cell("x"))), "<manifest:encryption-data/>"), "密碼保護"))
    out.append((make_ods(tmp / "nothing.ods", table("s", row(cell(repeat=1024), repeat=1048576))), "沒有任何資料列"))
    broken = tmp / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types")
        zf.writestr("xl/workbook.xml", "not xml at all")
    out.append((broken, "Excel (.xlsx) 活頁簿已損毀"))
    broken_ods = tmp / "broken.ods"
    with zipfile.ZipFile(broken_ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content><unclosed>")
    out.append((broken_ods, "OpenDocument 試算表 (.ods)已損毀"))
    wb = Workbook()
    wb.save(tmp / "blank.xlsx")
    out.append((tmp / "blank.xlsx", "沒有任何資料列"))
    out.append((tmp / "missing.xlsx", "找不到檔案"))
    return out


def test_every_bad_file_raises_sheet_error_in_chinese(tmp_path):
    for path, message in bad_files(tmp_path):
        with pytest.raises(SheetError) as caught:
            read_sheets(path)
        shown = sheet_error(caught.value)
        assert message in shown, (path.name, shown)


def test_binary_renamed_xlsx_gives_the_exact_message(tmp_path):
    (tmp_path / "plan.xlsx").write_bytes(b"MZ\x90\x00" + bytes(500))

    with pytest.raises(SheetError) as caught:
        read_rows(tmp_path / "plan.xlsx")
    assert sheet_error(caught.value) == MSG_NOT_XLSX


def test_write_rejects_unknown_type(tmp_path):
    with pytest.raises(SheetError) as caught:
        write_workbook(tmp_path / "plan.pdf", [Sheet("s", "", ["a"], [])])
    assert "不支援的檔案類型「.pdf」" in sheet_error(caught.value)


# ---------------------------------------------------------------- size


@pytest.mark.slow
def test_thousands_of_rows_read_whole(tmp_path):
    """Every row of a large table arrives (how fast: bench/bench_sheets.py)."""
    n = size(5000, 1000)
    header = ["課室", "編號", "計畫項目", "工作內容", *[f"{m}月" for m in range(1, 13)], "考核指標"]
    body = [["戶籍資料課", str(i), f"項目{i}", "門牌月報表每月5日前陳報\n報表正確無誤", *["V"] * 12, "民政局考核"] for i in range(n)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    for values in [header, *body]:
        ws.append(values)
    wb.save(tmp_path / "big.xlsx")
    cells = "".join(row(*(cell(v) for v in values)) for values in [header, *body])
    make_ods(tmp_path / "big.ods", table("s", cells))
    (tmp_path / "big.csv").write_text("\n".join(",".join(f'"{v}"' for v in values) for values in [header, *body]), "utf-8")

    for name in ("big.xlsx", "big.ods", "big.csv"):
        got = read_rows(tmp_path / name)
        assert len(got) == n + 1 and got[-1][1] == str(n - 1), name
        assert got[-1][3] == "門牌月報表每月5日前陳報\n報表正確無誤", name


# ---------------------------------------------------------------- the demo plan


@pytest.mark.parametrize(("name", "title"), [
    ("wenshan-113", "臺北市文山區戶政事務所113年度工作計畫期程管制一覽表"),
    ("datong-113", "臺北市大同區公所113年度工作計畫作業時程管制表"),
])
def test_demo_ods_is_built_from_the_tsv(name, title):
    tsv, ods = DEMO / f"{name}.tsv", DEMO / f"{name}.ods"
    if not tsv.exists():
        pytest.skip("demo plan not present")

    first, *table = read_rows(ods)
    assert first[0] == title
    assert table == read_rows(tsv), f"demo/{name}.ods is stale: run demo/build_demo.py"


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize("ext", [".odt", ".docx"])
def test_document_tables_carry_the_text_above_them_and_merges_read_blank(tmp_path, ext):
    from tests.plan_documents import DocTable, write_docx, write_odt

    tables = [
        DocTable("戶籍登記課", ["編號", "計畫項目"], [["1", "勞資會議"], ["", "續辦"]], merge={0}),
        DocTable("人事室113年度工作計畫期程管制一覽表", ["編號", "月份"], [["2", *["●"] + [""] * 11]]),
    ]
    path = (write_odt if ext == ".odt" else write_docx)(tmp_path / f"plan{ext}", tables, intro="附件1")

    got = read_tables(path)

    assert [(t.name, t.caption) for t in got] == [("表格1", "戶籍登記課"), ("表格2", "人事室113年度工作計畫期程管制一覽表")]
    # Header cells span two rows and 預定作業月份 spans twelve columns: covered cells read empty.
    assert got[0].rows == [["編號", "計畫項目"], ["", ""], ["1", "勞資會議"], ["", "續辦"]]
    assert got[1].rows[0] == ["編號", "預定作業月份", *[""] * 11]
    assert got[1].rows[1] == ["", *[f"{m}月" for m in range(1, 13)]]
    assert got[1].rows[2] == ["2", "●", *[""] * 11]


def test_document_without_tables_says_so(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("只有文字，沒有表格")
    doc.save(tmp_path / "letter.docx")

    with pytest.raises(SheetError) as caught:
        read_tables(tmp_path / "letter.docx")
    assert sheet_error(caught.value) == "文件裡沒有任何表格"


def test_xls_percentages_come_back_as_people_wrote_them(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("考核")
    ws.write(0, 0, "考核指標")
    ws.write(0, 1, "達成率")
    ws.write(1, 0, "完成清查")
    ws.write(1, 1, 0.95, xlwt.easyxf(num_format_str="0%"))
    ws.write(2, 1, 0.5)
    wb.save(str(tmp_path / "values.xls"))

    got = read_rows(tmp_path / "values.xls")

    assert got[1] == ["完成清查", "95%"]
    assert got[2] == ["", "0.5"]
