"""Importing control tables: layouts of the seeds, problems reported by row, nothing written on error."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from handlers.office.imports.plan import ImportFailed, import_plan
from handlers.office.imports.staff import import_staff, read_roster
from schedules.calendar import WorkCalendar
from schedules.occurrences import expand
from schedules.phrases import Schedule
from storage import queries
from storage.models import ProgressReport, Role, Status
from tests.conftest import DATA, DEMO
from tests.sizes import size

HEADER = ["課室", "編號", "計畫項目", "工作內容", "承辦人", "預定作業時程"] + [f"{m}月" for m in range(1, 13)] + ["執行情形", "考核指標"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def row(section="戶籍資料課", number="11", title="門牌指標設置及定期巡查管理", content="門牌月報表依限報局", owners="陳怡君",
        schedule="每月5日前", months=(), kpi="月報表皆依限報局") -> list[str]:
    marks = ["●" if m in months else "" for m in range(1, 13)]
    return [section, number, title, content, owners, schedule, *marks, "", kpi]


def test_imports_items_owners_and_parsed_schedule(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [
        row(),
        row(number="6", title="戶籍清查業務", content="百歲人瑞清查", owners="林志明、王美玲", schedule="1/1-2/28"),
        row(number="15", title="勞資會議", content="協調勞資關係", owners="張家豪", schedule="每3個月召開1次", months=(3, 6, 9, 12)),
    ])
    report = import_plan(session, path, 2024, now, office_name="文山戶所")
    session.commit()
    assert (report.created, report.updated, report.rows) == (3, 0, 3)
    assert sorted(report.staff_created) == sorted(["林志明", "張家豪", "王美玲", "陳怡君"])
    office = queries.only_office(session)
    plan = queries.plan_for(session, office.id, 2024)
    items = {i.number: i for i in queries.items_of_plan(session, plan.id)}
    assert [o.name for o in items["6"].owners] == ["林志明", "王美玲"]
    assert items["15"].months == [3, 6, 9, 12]
    assert items["11"].schedule is not None and items["11"].schedule_problem is None
    assert items["6"].section.name == "戶籍資料課"


@pytest.mark.parametrize("name", ["plan.csv", "plan.tsv"])
def test_a_plan_saved_as_big5_by_excel_imports_as_its_utf8_copy(session, tmp_path, now, name):
    rows = [row(), row(number="6", title="戶籍清查業務", owners="林志明、王美玲", schedule="1/1-2/28")]
    utf8 = write_csv(tmp_path / "utf8.csv", rows).read_text(encoding="utf-8-sig")
    if name.endswith(".tsv"):
        utf8 = utf8.replace(",", "\t")
    (tmp_path / name).write_bytes(utf8.encode("cp950"))  # what Excel on a Taiwanese Windows PC writes
    report = import_plan(session, tmp_path / name, 2024, now, office_name="文山戶所")
    assert (report.created, report.rows) == (2, 2)
    items = {i.number: i for i in queries.items_of_plan(session, queries.plan_for(session, queries.only_office(session).id, 2024).id)}
    assert items["6"].title == "戶籍清查業務" and [o.name for o in items["6"].owners] == ["林志明", "王美玲"]


def test_roc_year_and_ad_year_give_the_same_plan(session, tmp_path, now):
    from schedules.dates import parse_year

    assert parse_year("113") == parse_year("2024") == 2024


def test_unknown_schedule_phrase_is_kept_and_flagged_not_guessed(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [row(schedule="每逢佳節倍思親")])
    report = import_plan(session, path, 2024, now, office_name="文山戶所")
    session.commit()
    assert report.committed and len(report.warnings) == 1
    problem = report.warnings[0]
    assert (problem.row, problem.column, problem.value) == (2, "預定作業時程", "每逢佳節倍思親")
    item = queries.items_of_plan(session, queries.only_office(session).plans[0].id)[0]
    assert item.schedule is None and "每逢佳節" in (item.schedule_problem or "")


def test_the_import_report_says_what_was_not_understood_and_suggests_a_wording(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [
        row(number="1", schedule="113.12.31前"),
        row(number="2", title="戶籍登記抽查", schedule="每月5曰前"),
    ])
    report = import_plan(session, path, 2026, now, office_name="文山戶所")
    session.commit()
    other_year, typo = (p.message for p in report.warnings)
    assert "這個日期在 113 年，不在 115 年的計畫內" in other_year
    assert "每月5日前" in typo  # the nearest wording that is read
    assert "113 年" in report.summary()
    items = queries.items_of_plan(session, queries.only_office(session).plans[0].id)
    assert [i.schedule for i in items] == [None, None]  # neither cell is guessed


def test_strict_turns_a_problem_into_failure_and_writes_nothing(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [row(), row(number="12", schedule="每逢佳節")])
    before = queries.count_rows(session)
    with pytest.raises(ImportFailed) as failed:
        import_plan(session, path, 2024, now, office_name="文山戶所", strict=True)
    session.rollback()
    assert "第 3 列" in failed.value.report.summary()
    assert queries.count_rows(session) == before


def test_dry_run_reports_but_writes_nothing(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [row(), row(number="12", title="門牌點位")])
    before = queries.count_rows(session)
    report = import_plan(session, path, 2024, now, office_name="文山戶所", dry_run=True)
    session.commit()
    assert report.created == 2 and not report.committed
    assert queries.count_rows(session) == before


BAD_FILES = {
    "empty.csv": b"",
    "noheader.csv": "甲,乙,丙\n1,2,3\n".encode(),
    "binary.xlsx": b"\x00\x01\x02not a zip at all" * 20,
    "binary.ods": b"PK\x03\x04broken" * 10,
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_reported_and_change_nothing(session, tmp_path, now, name):
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    before = queries.count_rows(session)
    with pytest.raises(ImportFailed) as failed:
        import_plan(session, path, 2024, now, office_name="文山戶所")
    session.rollback()
    summary = failed.value.report.summary()
    assert "匯入失敗" in summary and failed.value.report.fatal
    assert queries.count_rows(session) == before


def test_duplicate_number_in_one_section_fails_with_both_rows(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [row(), row(title="另一個項目")])
    before = queries.count_rows(session)
    with pytest.raises(ImportFailed) as failed:
        import_plan(session, path, 2024, now, office_name="文山戶所")
    session.rollback()
    problem = failed.value.report.fatal[0]
    assert (problem.row, problem.column, problem.value) == (3, "編號", "11") and "第 2 列" in problem.message
    assert queries.count_rows(session) == before


def test_unknown_month_mark_fails_with_its_cell(session, tmp_path, now):
    bad = row(schedule="")
    bad[6 + 2] = "待定"  # 3月
    path = write_csv(tmp_path / "plan.csv", [bad])
    with pytest.raises(ImportFailed) as failed:
        import_plan(session, path, 2024, now, office_name="文山戶所")
    problem = failed.value.report.fatal[0]
    assert (problem.column, problem.value) == ("3月", "待定")


def test_stray_whitespace_and_full_width_are_cleaned(session, tmp_path, now):
    messy = row(section=" 戶籍資料課 ", number="１１", title="  門牌指標設置及定期巡查管理\u3000", owners=" 陳怡君 ／ 林志明 ",
                schedule="每月５日前")
    path = write_csv(tmp_path / "plan.csv", [messy], header=[f" {h} " for h in HEADER])
    import_plan(session, path, 2024, now, office_name="文山戶所")
    session.commit()
    item = queries.items_of_plan(session, queries.only_office(session).plans[0].id)[0]
    assert (item.section.name, item.number, item.title) == ("戶籍資料課", "11", "門牌指標設置及定期巡查管理")
    assert [o.name for o in item.owners] == ["陳怡君", "林志明"]
    assert item.schedule is not None


def test_continuation_rows_become_numbered_sub_items(session, tmp_path, now):
    path = write_csv(tmp_path / "plan.csv", [
        row(number="6", title="戶籍清查業務", content="百歲人瑞(1/1-2/28)", schedule="1/1-2/28"),
        row(number="", title="", content="90歲以上(3/1-4/30)", schedule="3/1-4/30"),
        row(number="7", title="跨機關通報服務", content="每月第1個工作日填報", schedule="每月第1個工作日"),
    ])
    import_plan(session, path, 2024, now, office_name="文山戶所")
    session.commit()
    items = queries.items_of_plan(session, queries.only_office(session).plans[0].id)
    assert [(i.number, i.title) for i in items] == [("6-1", "戶籍清查業務"), ("6-2", "戶籍清查業務"), ("7", "跨機關通報服務")]


def test_reimport_updates_in_place_and_keeps_progress_history(session, tmp_path, now):
    first = write_csv(tmp_path / "v1.csv", [row(), row(number="12", title="門牌點位及上傳管理", schedule="每月")])
    import_plan(session, first, 2024, now, office_name="文山戶所")
    session.commit()
    plan_id = queries.only_office(session).plans[0].id
    item = {i.number: i for i in queries.items_of_plan(session, plan_id)}["11"]
    session.add(ProgressReport(item_id=item.id, occurrence_key="2024-03", status=Status.done, note="已陳報", reported_at=now))
    session.commit()
    second = write_csv(tmp_path / "v2.csv", [row(content="門牌月報表每月5日前陳報民政局"), row(number="12", title="門牌點位及上傳管理", schedule="每月")])
    report = import_plan(session, second, 2024, now, office_name="文山戶所")
    session.commit()
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    again = {i.number: i for i in queries.items_of_plan(session, plan_id)}["11"]
    assert again.id == item.id and again.content == "門牌月報表每月5日前陳報民政局"
    assert [r.note for r in queries.reports_of_item(session, again.id)] == ["已陳報"]


def test_datong_layout_with_points_and_several_owners(session, now):
    path = DATA / "datong-113.csv"
    if not path.exists():
        pytest.fail("tests/data/datong-113.csv is missing")
    report = import_plan(session, path, 113 + 1911, now, office_name="臺北市大同區公所")
    session.commit()
    plan = queries.plan_for(session, queries.only_office(session).id, 2024)
    items = queries.items_of_plan(session, plan.id)
    assert report.rows == len(items) >= 10
    first = next(i for i in items if i.title == "市容查報")
    assert first.points == 2 and [o.name for o in first.owners] == ["劉淑敏"] and first.section.name == "民政課"
    assert any(len(i.owners) >= 2 for i in items), "Datong has items with several owners"
    shared = next(i for i in items if i.title == "災害防救暨救濟物資整備與督考")
    assert shared.points == 15 and [o.name for o in shared.owners] == ["洪源孝", "古鵬生"]
    assert {s.name for s in queries.sections_of(session, plan.office_id)} >= {"民政課", "社會課"}


def test_demo_plan_imports_every_section_without_problems(session, now):
    report = import_plan(session, DEMO / "wenshan-113.ods", 2024, now)
    session.commit()
    assert report.office == "臺北市文山區戶政事務所"
    assert not report.problems, report.summary()
    office = queries.only_office(session)
    assert {s.name for s in queries.sections_of(session, office.id)} == {"戶籍登記課", "戶籍資料課", "行政庶務課", "人事室"}
    assert report.rows >= 40


def test_second_demo_office_imports_next_to_the_first(session, now):
    """The Datong demo plan and roster load beside Wenshan's: every schedule read, every owner on its own roster."""
    wenshan = import_plan(session, DEMO / "wenshan-113.ods", 2024, now)
    import_staff(session, queries.only_office(session), read_roster(DEMO / "staff.csv"), now, "staff.csv")
    datong = queries.get_or_create_office(session, "臺北市大同區公所")
    import_staff(session, datong, read_roster(DEMO / "staff-datong.csv"), now, "staff-datong.csv")

    report = import_plan(session, DEMO / "datong-113.ods", 2024, now, office_name="臺北市大同區公所")
    session.commit()

    assert not report.problems, report.summary()
    assert report.staff_created == [], "every 承辦人 of the plan is on demo/staff-datong.csv"
    assert {s.name for s in queries.sections_of(session, datong.id)} >= {"民政課", "社會課", "經建課", "兵役課", "人文課"}
    items = queries.items_of_plan(session, queries.plan_for(session, datong.id, 2024).id)
    assert len(items) == report.rows and all(i.schedule_problem is None for i in items)
    assert all(i.owners and {o.office_id for o in i.owners} == {datong.id} for i in items)
    assert any(len(i.owners) >= 2 for i in items), "Datong's plan has items with several owners"
    people = queries.staff_of_office(session, datong.id)
    roles = {p.role for p in people}
    assert {Role.director, Role.coordinator, Role.chief, Role.staff} <= roles
    planned = {i.section.name for i in items}
    assert planned <= {p.section.name for p in people if p.role is Role.chief}, "a chief for every section"
    wenshan_office = queries.find_office(session, "臺北市文山區戶政事務所")
    assert not {p.name for p in people} & {p.name for p in queries.staff_of_office(session, wenshan_office.id)}
    assert len(queries.items_of_plan(session, queries.plan_for(session, wenshan_office.id, 2024).id)) == wenshan.rows


@pytest.mark.parametrize("roc", [113, 114, 115, 116])
@pytest.mark.parametrize("demo_plan", ["wenshan-113.ods", "datong-113.ods"])
def test_demo_plan_imports_without_problems_in_any_year(session, now, roc, demo_plan):
    """The demo is imported as this year's plan whatever the year: its dates follow the plan year."""
    year = roc + 1911
    report = import_plan(session, DEMO / demo_plan, year, now)
    session.commit()
    assert not report.problems, report.summary()
    plan = queries.latest_plan(session, queries.only_office(session).id, year)
    items = queries.items_of_plan(session, plan.id)
    assert items and all(i.schedule_problem is None for i in items)
    for item in items:
        for o in expand(Schedule.from_json(item.schedule), year, WorkCalendar()):
            assert date(year, 1, 1) <= o.due <= date(year + 1, 2, 28), (item.schedule_text, o)


@pytest.mark.slow
def test_large_plan_imports_in_one_go(sqlite_db, tmp_path, now):
    # More rows than SQLite takes parameters in one statement (999 in older builds), even in a quick run.
    count = size(5000, 1200)
    rows = [row(section=f"第{n % 5}課", number=str(n), title=f"項目{n}", owners=f"人員{n % 40}") for n in range(count)]
    path = write_csv(tmp_path / "big.csv", rows)
    with sqlite_db.sessions() as session:
        report = import_plan(session, path, 2024, now, office_name="大機關")
        session.commit()
        assert report.created == count and not report.problems


@pytest.mark.parametrize("ext", [".xlsx", ".ods"])
def test_spreadsheets_import_like_csv_with_seed_header_variants(session, tmp_path, now, ext):
    from storage.sheets import Sheet, write_workbook

    # Shilin/Wanhua-style headers: 項次, 執行單位, 實施項目, 具體推動作法, 實施期程.
    header = ["項次", "執行單位", "實施項目", "具體推動作法", "承辦人", "實施期程", "考核指標"]
    rows = [
        ["1", "第一課", "戶籍登記", "每月召開主管會議", "王小明／李大華", "97.01~12", "無缺失"],
        ["2", "第二課", "戶籍資料", "年度清查", "陳美玲", "97.12.31 前", ""],
    ]
    path = write_workbook(tmp_path / f"plan{ext}", [Sheet("計畫", "臺北市士林區戶政事務所97年度具體作法一覽表", header, rows)])
    report = import_plan(session, path, 97 + 1911, now)
    session.commit()
    assert report.office == "臺北市士林區戶政事務所" and (report.created, report.problems) == (2, [])
    items = {i.number: i for i in queries.items_of_plan(session, queries.only_office(session).plans[0].id)}
    assert [o.name for o in items["1"].owners] == ["王小明", "李大華"] and items["1"].section.name == "第一課"
    assert items["2"].schedule_text == "97.12.31 前" and items["2"].schedule is not None


def test_continuation_rows_without_owners_keep_the_items_owners(session, now):
    report = import_plan(session, DATA / "datong-113.csv", 2024, now, office_name="臺北市大同區公所")
    session.commit()
    plan = queries.plan_for(session, queries.only_office(session).id, 2024)
    army = [i for i in queries.items_of_plan(session, plan.id) if i.section.name == "兵役課" and i.number.startswith("1-")]
    assert len(army) >= 3 and report.rows
    owners = {tuple(o.name for o in i.owners) for i in army}
    assert len(owners) == 1 and owners != {()}


def test_a_problem_with_the_whole_file_names_the_file_not_a_row_zero(session, tmp_path, now):
    path = tmp_path / "binary.xlsx"
    path.write_bytes(BAD_FILES["binary.xlsx"])
    with pytest.raises(ImportFailed) as failed:
        import_plan(session, path, 2024, now, office_name="文山戶所")
    session.rollback()
    summary = failed.value.report.summary()
    assert "第 0 列" not in summary
    assert "整個檔案［檔案］「binary.xlsx」" in summary
