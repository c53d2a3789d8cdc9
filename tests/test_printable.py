"""The printable control table: one A4 landscape page per section of up to 25 items, the report log after it."""

from __future__ import annotations

import re

import pytest

from handlers.documents.printable import PAGE_ITEMS, print_sheets
from storage import queries
from storage.sheets import SheetError, write_pdf, write_workbook
from storage.sheets.pdf import find_cjk_font
from tests.handler_fixtures import STAFF_DATA


def pages(path) -> int:
    return int(re.search(rb"/Count (\d+)", path.read_bytes()).group(1))


def font_or_skip():
    try:
        return find_cjk_font()
    except SheetError:
        pytest.skip("no Chinese font (Debian: fonts-noto-cjk)")


def printed(talk):
    talk.at("2024-03-04 10:00")
    talk.send(STAFF_DATA, "回報 11 3月 完成 已陳報")
    talk.at("2024-12-02 09:00")
    talk.send(STAFF_DATA, "回報 12 11月 50% 拍照中")
    plan = queries.only_office(talk.session).plans[0]
    ctx = talk.context()
    return plan, print_sheets(talk.session, plan, None, ctx.calendar, ctx.today)


def test_each_section_prints_on_one_page_per_25_items_with_the_log_after_it(talk, tmp_path):
    font = font_or_skip()
    plan, sheets = printed(talk)
    *tables, log = sheets
    assert log.name == "回報紀錄" and len(log.rows) == 2
    assert log.rows[0][3:7] == ["3月", "已完成", "3/4（一）", STAFF_DATA]
    sizes = {s.name: sum(1 for i in plan.items if i.section_id == s.id) for s in queries.sections_of(talk.session, plan.office_id)}
    assert len(tables) == sum(-(-n // PAGE_ITEMS) for n in sizes.values() if n)
    assert all(len(t.rows) <= PAGE_ITEMS for t in tables)
    for n, table in enumerate(tables):  # each printed table is one A4 landscape page, legend included
        assert pages(write_pdf(tmp_path / f"t{n}.pdf", [table], font)) == 1, table.name
    whole = write_pdf(tmp_path / "all.pdf", sheets, font)
    assert pages(whole) <= len(tables) + 2


def test_the_printed_row_is_the_latest_status_with_marks(talk, tmp_path):
    _, sheets = printed(talk)
    rows = {r[0]: r for t in sheets[:-1] if t.name.startswith("戶籍資料課") for r in t.rows}
    eleven, twelve = rows["11"], rows["12"]
    # 11: March done on time, the rest of the year to 11月 overdue; the latest overdue one is named.
    assert eleven[4:16][:3] == ["×", "×", "✓"] and eleven[15] == "○"
    assert eleven[16] == "逾期 10 次，最近 11月：逾期未回報"
    assert twelve[16].startswith("逾期 11 次，最近 11月：逾期 3 天，進行中 50%，拍照中")  # due 11/29
    table = next(t for t in sheets if t.name.startswith("戶籍資料課"))
    assert table.notes[0].startswith("圖例：✓ 如期完成")
    path = write_workbook(tmp_path / "print.ods", sheets)
    assert path.read_bytes().startswith(b"PK")


def test_every_state_mark_is_in_the_chinese_font():
    """A mark the PDF font lacks prints as a blank: every state's mark must be drawable."""
    from fontTools.ttLib import TTCollection, TTFont

    from handlers.texts.words import STATE_MARK

    font = font_or_skip()
    face = TTCollection(font.path).fonts[font.index] if font.path.endswith(".ttc") else TTFont(font.path)
    cmap = face.getBestCmap()
    assert [ch for mark in STATE_MARK.values() for ch in mark if ord(ch) not in cmap] == []
