"""匯出: the control table files, their one-time 24-hour links, and who may take them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from handlers.core.replies import FileLink, Text
from handlers.documents import exports
from handlers.office.imports.plan import import_plan
from storage import queries
from storage.models import ExportFile
from storage.sheets import read_sheets
from tests.conftest import make_sqlite_db
from tests.handler_fixtures import (
    CHIEF_DATA,
    COORDINATOR,
    DIRECTOR,
    OFFICE,
    STAFF_DATA,
    STAFF_REG,
    Talk,
    read,
)

MONTHS = [f"{m}月" for m in range(1, 13)]


def links(talk: Talk, who: str, text: str = "匯出") -> list[FileLink]:
    replies = talk.send(who, text)
    assert isinstance(replies[0], Text), read(replies)
    return [r for r in replies if isinstance(r, FileLink)]


def exported(talk: Talk, link: FileLink, folder: Path) -> Path:
    """Write the file behind a link (as the web would send it) to the folder, without using the link up."""
    download = exports.usable(talk.session, link.url.rsplit("/", 1)[-1], talk.clock.now())
    path = folder / download.filename
    path.write_bytes(download.content)
    return path


def test_chief_gets_ods_and_xlsx_links_of_the_section(talk, tmp_path):
    talk.send(STAFF_DATA, "回報 12 4月 50% 已拍照上傳一半")
    replies = talk.send(CHIEF_DATA, "匯出")
    assert replies[0].text == "管制表已產生（戶籍資料課），執行情形已填入最新回報。下載連結只能用一次，24 小時內有效。"
    ods, xlsx, pdf = replies[1:]
    assert (ods.filename, xlsx.filename, pdf.filename) == (
        f"{OFFICE}113年度工作計畫期程管制一覽表_戶籍資料課_20240408.ods",
        f"{OFFICE}113年度工作計畫期程管制一覽表_戶籍資料課_20240408.xlsx",
        f"{OFFICE}113年度工作計畫期程管制一覽表_戶籍資料課_20240408.pdf",
    )
    assert pdf.title == "戶籍資料課 管制表（PDF）"
    download = exports.usable(talk.session, pdf.url.rsplit("/", 1)[-1], talk.clock.now())
    assert download.mime_type == "application/pdf" and download.content.startswith(b"%PDF")
    assert ods.url.startswith("https://planbot.example.tw/files/") and ods.url != xlsx.url
    assert ods.expires_text == "4/9（二） 09:00 前有效，只能下載一次"
    for link in (ods, xlsx):
        [(name, rows)] = read_sheets(exported(talk, link, tmp_path))
        assert name == "戶籍資料課"
        assert rows[0][0] == f"{OFFICE}戶籍資料課113年度工作計畫期程管制一覽表"
        assert rows[1][:5] == ["編號", "計畫項目", "工作內容", "承辦人", "預定作業時程"]
        assert rows[1][5:17] == MONTHS and rows[1][17:20] == ["執行情形", "考核指標", "時程讀法"]
        by_number = {r[0]: r for r in rows[2:]}
        # Each month carries its occurrence's state: × 逾期 (January to March, never reported), ○ 未到期.
        assert by_number["12"][3] == "李冠緯、劉宗佑" and by_number["12"][5:17] == ["×"] * 3 + ["○"] * 9
        assert by_number["12"][17] == "\n".join(
            [f"{m}月：逾期未回報" for m in (1, 2, 3)] + ["4月：進行中 50%，已拍照上傳一半（4/8（一） 李冠緯）"]
        )
        assert by_number["1"][5:17] == ["", "", "○", "○", "○"] + [""] * 7  # 3-5月, open and not yet due
        assert rows[-2][0] == "圖例：✓ 如期完成　✓! 逾期完成　× 逾期　○ 未到期　－ 追蹤前"
        assert rows[-1][0] == "狀態統計至 4/8（一）"
        # the reading beside the phrase as written, in the last column
        assert by_number["11"][4] == "每月5日前" and by_number["11"][19] == "每月 5 日前（遇假日順延至次一工作日）"
        assert len(rows) - 4 == 15


def test_coordinator_gets_one_sheet_per_section(talk, tmp_path):
    ods = links(talk, COORDINATOR)[0]
    assert ods.title == "全所 管制表（ODS）"
    assert [name for name, _ in read_sheets(exported(talk, ods, tmp_path))] == ["戶籍登記課", "戶籍資料課", "行政庶務課", "人事室"]


def test_a_month_keeps_only_items_scheduled_then(talk, tmp_path):
    xlsx = links(talk, COORDINATOR, "匯出 戶籍資料課 12月")[1]
    [(name, rows)] = read_sheets(exported(talk, xlsx, tmp_path))
    assert rows[0][0].endswith("113年度工作計畫期程管制一覽表（12月）")
    numbers = [r[0] for r in rows[2:]]
    assert "2-1" in numbers and "1" not in numbers and "6" not in numbers  # 12月 only; 3-5月 and 4/25-8/31 out
    assert xlsx.filename.endswith("_戶籍資料課_12月_20240408.xlsx")


def test_director_may_export_staff_may_not(talk):
    assert len(links(talk, DIRECTOR)) == 3  # .ods, .xlsx and PDF
    for who in (STAFF_DATA, STAFF_REG):
        assert read(talk.send(who, "匯出")) == "抱歉，管制表只開放課長、研考和主任下載。"
    assert talk.session.scalars(select(ExportFile)).all().__len__() == 3


def test_a_chief_cannot_export_another_section(talk):
    assert read(talk.send(CHIEF_DATA, "匯出 戶籍登記課")) == "你可以看自己課室（戶籍資料課）的資料；其他課室請洽研考。"


def test_links_work_once_and_for_24_hours(talk_any):
    talk = talk_any
    ods, xlsx, _pdf = links(talk, CHIEF_DATA)
    token = ods.url.rsplit("/", 1)[-1]
    now = talk.clock.now()
    first = exports.take(talk.session, token, now + timedelta(hours=1))
    assert first is not None and first.content.startswith(b"PK") and first.filename.endswith(".ods")
    assert exports.take(talk.session, token, now + timedelta(hours=1, minutes=1)) is None
    late = xlsx.url.rsplit("/", 1)[-1]
    assert exports.take(talk.session, late, now + timedelta(hours=24)) is None
    assert exports.take(talk.session, "no-such-token", now) is None
    assert exports.take(talk.session, "", now) is None


def test_the_exported_table_imports_again(talk, sqlite_template, tmp_path, now):
    xlsx = links(talk, COORDINATOR)[1]
    (tmp_path / "again").mkdir()
    again = make_sqlite_db(sqlite_template, tmp_path / "again")
    with again.sessions() as session:
        report = import_plan(session, exported(talk, xlsx, tmp_path), 2024, now)
        assert report.office == OFFICE and report.rows == 69 and not report.fatal
        plan = queries.only_office(session).plans[0]
        assert {i.number for i in queries.items_of_plan(session, plan.id)} >= {"11", "12", "6-2"}


def test_the_status_cell_reads_as_one_sentence_per_occurrence(talk, tmp_path):
    """執行情形: status, then the note after a comma, then who reported when — never a note after the bracket."""
    talk.send(STAFF_DATA, "回報 12 4月 50% 已完成初稿\n  待校對")
    talk.send(STAFF_DATA, "回報 11 4月 完成")
    [(_, rows)] = read_sheets(exported(talk, links(talk, CHIEF_DATA)[1], tmp_path))
    by_number = {r[0]: r for r in rows[2:]}
    assert by_number["12"][17].splitlines()[-1] == "4月：進行中 50%，已完成初稿 待校對（4/8（一） 李冠緯）"
    assert by_number["11"][17].splitlines()[-1] == "4月：已完成（4/8（一） 李冠緯）"


def test_status_names_every_overdue_and_late_occurrence_with_marks(talk, tmp_path):
    """執行情形 and the month cells as of the day of export: on time, late (how late), overdue (how late, last said)."""
    talk.at("2024-01-03 10:00")
    talk.send(STAFF_DATA, "回報 11 1月 完成")
    talk.at("2024-02-20 10:00")
    talk.send(STAFF_DATA, "回報 11 2月 完成")
    talk.at("2024-03-10 10:00")
    talk.send(STAFF_DATA, "回報 11 3月 50% 等民政局回函")
    talk.at("2024-04-08 09:00")
    [(_, rows)] = read_sheets(exported(talk, links(talk, CHIEF_DATA)[1], tmp_path))
    eleven = {r[0]: r for r in rows[2:]}["11"]
    assert eleven[17].splitlines() == [
        "1月：已完成（1/3（三） 李冠緯）",
        "2月：逾期完成（逾 15 天，2/20（二） 李冠緯）",
        "3月：逾期 34 天，進行中 50%，等民政局回函（3/10（日） 李冠緯）",
    ]
    assert eleven[5:10] == ["✓", "✓!", "×", "○", "○"]


def test_month_cells_are_filled_with_the_state_colour(talk, tmp_path):
    from openpyxl import load_workbook

    talk.send(STAFF_DATA, "回報 11 4月 完成")
    path = exported(talk, links(talk, CHIEF_DATA)[1], tmp_path)
    ws = load_workbook(path)["戶籍資料課"]
    row = next(r for r in ws.iter_rows(min_row=3) if r[0].value == "11")
    fills = [c.fill.fgColor.rgb[-6:] for c in row[5:9]]
    assert fills == ["F2A3A3", "F2A3A3", "F2A3A3", "B7E1B0"]  # 逾期 ×3, 4月 如期完成
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_rows == "$2:$2"  # the header row repeats on every page
