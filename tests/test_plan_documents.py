"""Plans as offices publish them: the tables of .odt and .docx documents, and old .xls workbooks."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from handlers.office.imports.plan import ImportFailed, import_plan
from storage import queries
from tests.conftest import DATA, DEMO
from tests.plan_documents import DocTable, write_docx, write_odt, write_xls

WENSHAN = "臺北市文山區戶政事務所"
WRITERS = {".odt": write_odt, ".docx": write_docx}


def wenshan_tables() -> tuple[list[DocTable], list[list[str]]]:
    """Wenshan's four section tables, each under its heading and without a 課室 column (as in the seed)."""
    header, *rows = list(csv.reader((DEMO / "wenshan-113.tsv").read_text("utf-8").splitlines(keepends=True), delimiter="\t"))
    assert header[:6] == ["課室", "編號", "計畫項目", "工作內容", "承辦人", "預定作業時程"]
    sections: dict[str, list[list[str]]] = {}
    for r in rows:
        sections.setdefault(r[0], []).append(r[1:])
    doc_header = [*header[1:6], "月份", *header[18:]]
    tables = [DocTable(f"{WENSHAN}{name}113年度工作計畫期程管制一覽表", doc_header, body) for name, body in sections.items()]
    return tables, [header, *rows]


def datong_table() -> tuple[DocTable, Path]:
    """Datong's one table with its 課室 column; continuation rows are vertically merged cells."""
    header, *rows = list(csv.reader((DATA / "datong-113.csv").read_text("utf-8").splitlines(keepends=True)))
    assert header[5:17] == [f"{m}月" for m in range(1, 13)]
    return DocTable("", [*header[:5], "月份"], rows, merge={0, 1, 2}), DATA / "datong-113.csv"


def plan_items(session, office: str, year: int = 2024) -> dict[tuple[str, str], tuple]:
    """Return each item of the office's plan by (section, number): title, owners, months, schedule."""
    plan = queries.plan_for(session, queries.find_office(session, office).id, year)
    return {
        (i.section.name, i.number): (i.title, tuple(o.name for o in i.owners), tuple(i.months), i.schedule, i.schedule_text)
        for i in queries.items_of_plan(session, plan.id)
    }


@pytest.mark.parametrize("ext", [".odt", ".docx"])
def test_wenshan_document_sections_come_from_the_headings(session, tmp_path, now, ext):
    tables, _ = wenshan_tables()
    path = WRITERS[ext](tmp_path / f"wenshan{ext}", tables, intro="附件1")

    report = import_plan(session, path, 2024, now)
    session.commit()
    tsv = import_plan(session, DEMO / "wenshan-113.tsv", 2024, now, office_name="對照機關")
    session.commit()

    assert report.office == WENSHAN and not report.problems, report.summary()
    got, expected = plan_items(session, WENSHAN), plan_items(session, "對照機關")
    assert {section for section, _ in got} == {"戶籍登記課", "戶籍資料課", "行政庶務課", "人事室"}
    assert got == expected and report.rows == tsv.rows >= 40


@pytest.mark.parametrize("ext", [".odt", ".docx", ".xls"])
def test_datong_table_with_merged_cells_imports_like_its_csv(session, tmp_path, now, ext):
    table, source = datong_table()
    path = (WRITERS.get(ext) or write_xls)(tmp_path / f"datong{ext}", [table])

    report = import_plan(session, path, 2024, now, office_name="臺北市大同區公所")
    session.commit()
    csv_report = import_plan(session, source, 2024, now, office_name="對照機關")
    session.commit()

    # The same problems on the same rows: a document's header takes two rows (months under 預定作業月份).
    shift = 0 if ext == ".xls" else 1
    found = [(p.row, p.column, p.value, p.message) for p in report.problems]
    assert found == [(p.row + shift, p.column, p.value, p.message) for p in csv_report.problems]
    got, expected = plan_items(session, "臺北市大同區公所"), plan_items(session, "對照機關")
    assert got == expected and len(got) == report.rows >= 10
    assert got[("民政課", "1")][:2] == ("市容查報", ("劉淑敏",))
    army = [key for key in got if key[0] == "兵役課" and key[1].startswith("1-")]
    assert len(army) >= 3 and len({got[k][1] for k in army}) == 1


@pytest.mark.parametrize("ext", [".odt", ".docx"])
def test_document_without_a_plan_table_changes_nothing(session, tmp_path, now, ext):
    path = WRITERS[ext](tmp_path / f"letter{ext}", [DocTable("會議紀錄", ["日期", "出席"], [["4/8", "王美玲"]])], intro="開會通知")

    with pytest.raises(ImportFailed) as caught:
        import_plan(session, path, 2024, now, office_name="文山戶所")

    assert "找不到表頭" in caught.value.report.summary()
    assert queries.only_office(session) is None


@pytest.mark.parametrize("ext", [".odt", ".docx", ".xls"])
def test_damaged_document_is_reported_and_changes_nothing(session, tmp_path, now, ext):
    tables, _ = wenshan_tables()
    whole = (WRITERS.get(ext) or write_xls)(tmp_path / f"whole{ext}", tables[:1])
    damaged = tmp_path / f"damaged{ext}"
    damaged.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])

    with pytest.raises(ImportFailed) as caught:
        import_plan(session, damaged, 2024, now, office_name="文山戶所")

    summary = caught.value.report.summary()
    assert "損毀" in summary or "不是有效的" in summary, summary
    assert queries.only_office(session) is None


@pytest.mark.parametrize("ext", [".odt", ".docx"])
def test_ordinal_headings_are_not_part_of_the_section_names(session, tmp_path, now, ext):
    from handlers.office.imports.staff import import_staff, read_roster

    import_staff(session, queries.get_or_create_office(session, WENSHAN), read_roster(DEMO / "staff.csv"), now, "staff.csv")
    tables, _ = wenshan_tables()
    headings = ["一、戶籍登記課", "(二)戶籍資料課", "參、行政庶務課", "4.人事室"]
    numbered = [DocTable(heading, t.header, t.rows) for heading, t in zip(headings, tables, strict=True)]
    assert [t.caption for t in tables][0].endswith("戶籍登記課113年度工作計畫期程管制一覽表")
    path = WRITERS[ext](tmp_path / f"wenshan{ext}", numbered, intro=f"{WENSHAN}113年度工作計畫")

    report = import_plan(session, path, 2024, now)
    session.commit()

    # Every section is the roster's: each chief finds their section's items, and nothing is reported.
    assert {section for section, _ in plan_items(session, WENSHAN)} == {"戶籍登記課", "戶籍資料課", "行政庶務課", "人事室"}
    assert not report.problems, report.summary()


def test_sections_nobody_is_in_and_chiefs_without_items_are_reported_with_the_nearest_name(session, tmp_path, now):
    from handlers.office.imports.staff import import_staff, read_roster

    import_staff(session, queries.get_or_create_office(session, WENSHAN), read_roster(DEMO / "staff.csv"), now, "staff.csv")
    tables, _ = wenshan_tables()
    typo = [DocTable("一、戶籍登紀課" if n == 0 else t.caption, t.header, t.rows) for n, t in enumerate(tables)]
    path = write_odt(tmp_path / "typo.odt", typo)

    report = import_plan(session, path, 2024, now, dry_run=True)

    lines = report.summary()
    assert "［課室］「戶籍登紀課」：名冊裡沒有人屬於這個課室，課長與同仁會看不到這些項目；名冊裡最接近的是「戶籍登記課」" in lines
    # One line for the section, its chief first: they would otherwise read 「本期項目 0 項」 without knowing why.
    assert ("［課室］「戶籍登記課」：這個課室在這份計畫裡沒有任何項目：課長 沈志明、承辦人 陳怡君、承辦人 黃柏翔、"
            "承辦人 林佩蓉、承辦人 張書維、承辦人 吳欣穎 會查不到自己課室的作業；計畫裡最接近的是「戶籍登紀課」") in lines
    assert "江淑惠" not in lines  # her section has its items
    assert all(not p.fatal for p in report.problems)
    with pytest.raises(ImportFailed):
        import_plan(session, path, 2024, now, strict=True)
