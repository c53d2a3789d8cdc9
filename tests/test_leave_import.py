"""Leave and deputies from files and the command line: the whole file or nothing, problems named by row."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.office.imports.staff import StaffImportError, import_staff, read_roster
from storage import leave, queries
from storage.models import Leave, Staff, StaffDeputies

ROSTER = "姓名,課室,角色\n陳怡君,戶籍登記課,承辦人\n黃柏翔,戶籍登記課,承辦人\n林佩蓉,戶籍登記課,承辦人\n沈志明,戶籍登記課,課長\n"


@pytest.fixture
def planbot(db, monkeypatch, capsys, tmp_path):
    """`planbot ARGS` on a fresh database (SQLite and PostgreSQL) with a four-person roster."""
    monkeypatch.setenv("DATABASE_URL", db.url)
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER, encoding="utf-8")

    def run(*args: str):
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("staff", "import", str(roster), "--office", "文山戶所")[0] == 0
    return run


def table(db) -> list[tuple]:
    with db.sessions() as session:
        rows = session.execute(
            select(Staff.name, Leave.kind, Leave.starts, Leave.ends).join(Staff, Staff.id == Leave.staff_id).order_by(Leave.starts, Staff.name)
        )
        return [(n, k, s.isoformat(), e.isoformat()) for n, k, s, e in rows]


def write(tmp_path, text: str, name: str = "leave.csv", encoding: str = "utf-8-sig"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


GOOD = (
    "姓名,假別,起,迄,時數\n"
    "陳怡君,特休,113/12/03 08:30,113/12/05 17:30,24\n"
    "黃柏翔,事假,2024-12-04 13:30,2024-12-04 17:30,4\n"  # a half day counts as the whole day
    "林佩蓉,公假,2024/12/10,2024/12/10,8\n"
)


def test_good_file_is_imported_whole_and_again_changes_nothing(planbot, db, tmp_path):
    path = write(tmp_path, GOOD)
    code, out, err = planbot("leave", "import", str(path))
    assert code == 0, err
    assert "已從 leave.csv 匯入 3 筆請假" in out
    expected = [
        ("陳怡君", "特休", "2024-12-03", "2024-12-05"),
        ("黃柏翔", "事假", "2024-12-04", "2024-12-04"),
        ("林佩蓉", "公假", "2024-12-10", "2024-12-10"),
    ]
    assert table(db) == expected
    assert planbot("leave", "import", str(path))[0] == 0
    assert table(db) == expected, "the same export imported twice is the same leave"


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (GOOD + "王小明,特休,113/12/03,113/12/03\n", ["第 5 列：名冊上沒有「王小明」"]),
        (GOOD + "陳怡君,特休,113/2/31,113/12/03\n林佩蓉,事假,113/12/9,113/12/8\n",
         ["第 5 列 起 欄：「113/2/31」不是日期", "第 6 列：迄 113/12/8 早於起 113/12/9"]),
        (GOOD + ",特休,113/12/03,\n", ["第 5 列：姓名 欄是空的", "第 5 列：迄 欄是空的"]),
        ("姓名,起,迄\n陳怡君,113/12/03,113/12/05\n", ["缺少欄位：假別"]),
    ],
)
def test_bad_file_changes_nothing_and_names_each_problem(planbot, db, tmp_path, text, messages):
    path = write(tmp_path, text)
    code, out, err = planbot("leave", "import", str(path))
    assert code != 0 and out == ""
    for message in messages:
        assert message in err
    assert "沒有匯入任何資料" in err
    assert table(db) == []


@pytest.mark.parametrize("encoding", ["cp950", "utf-8", "utf-8-sig"])
def test_a_file_saved_by_excel_on_a_taiwanese_pc_in_big5_or_as_utf8_is_imported(planbot, db, tmp_path, encoding):
    path = write(tmp_path, GOOD, encoding=encoding)  # Excel on a Taiwanese Windows PC saves CSV as Big5 (cp950)
    code, out, err = planbot("leave", "import", str(path))
    assert code == 0, err
    assert "已從 leave.csv 匯入 3 筆請假" in out
    assert table(db) == [
        ("陳怡君", "特休", "2024-12-03", "2024-12-05"),
        ("黃柏翔", "事假", "2024-12-04", "2024-12-04"),
        ("林佩蓉", "公假", "2024-12-10", "2024-12-10"),
    ]


def test_a_file_neither_utf8_nor_big5_is_refused_naming_the_encodings_tried(planbot, db, tmp_path):
    # Big5 with a user-defined character (造字, 0xFA40) on its third line: no reading of it is right.
    path = tmp_path / "leave.csv"
    path.write_bytes(GOOD.encode("cp950").replace("林佩蓉".encode("cp950"), "林".encode("cp950") + b"\xfa\x40"))
    code, out, err = planbot("leave", "import", str(path))
    assert code != 0 and out == ""
    assert "leave.csv 無法讀取，沒有匯入任何資料" in err
    assert "UTF-8" in err and "Big5（cp950）" in err and "第 4 行" in err
    assert table(db) == []


def test_a_file_read_differently_as_utf8_and_as_big5_is_refused_not_guessed(planbot, db, tmp_path):
    # 羅 and 職 in Big5 are also valid UTF-8 (ù, ¾): two readings, so neither is taken.
    path = tmp_path / "leave.csv"
    path.write_bytes("羅職\n".encode("cp950"))
    code, _out, err = planbot("leave", "import", str(path))
    assert code != 0 and "無法確定是哪一種" in err and "「羅職」" in err and "「ù¾」" in err
    assert table(db) == []


def test_leave_add_list_remove_and_who_covers(planbot, db):
    assert planbot("staff", "deputies", "陳怡君", "黃柏翔", "林佩蓉")[0] == 0
    code, out, _ = planbot("leave", "add", "黃柏翔", "113/12/3", "113/12/3")
    assert code == 0 and "由 沈志明 代理" in out  # he has no deputies: the chief
    code, out, _ = planbot("leave", "add", "陳怡君", "2024-12-03", "2024-12-05", "--reason", "特休")
    assert code == 0 and "已登記 陳怡君 請假 12/3（二）～12/5（四）（3 天）（特休）；由 林佩蓉 代理。" in out
    code, out, _ = planbot("leave", "list", "--at", "2024-12-04")
    assert code == 0 and "陳怡君　12/3（二）～12/5（四）（3 天）（特休）　代理：黃柏翔" in out
    assert planbot("leave", "add", "陳怡君", "2024-12-05", "2024-12-03")[0] != 0
    code, _, err = planbot("leave", "remove", "陳怡君", "2024-12-04")
    assert code != 0 and "沒有 12/4（三） 起的請假" in err
    assert planbot("leave", "remove", "陳怡君", "2024-12-03")[0] == 0
    assert table(db) == [("黃柏翔", "", "2024-12-03", "2024-12-03")]


def test_deputies_from_the_command_line_are_checked(planbot, db):
    assert planbot("staff", "deputies", "陳怡君", "陳怡君")[0] != 0
    code, _out, err = planbot("staff", "deputies", "陳怡君", "王小明")
    assert code != 0 and "王小明" in err
    assert planbot("staff", "deputies", "陳怡君", "黃柏翔")[0] == 0
    with db.sessions() as session:
        person = session.scalar(select(Staff).where(Staff.name == "陳怡君"))
        first, second = leave.deputies_of(session, person.id)
    assert (first.name, second) == ("黃柏翔", None)


def test_roster_with_deputy_columns_and_an_unknown_deputy(db, tmp_path, now):
    good = write(tmp_path, "姓名,課室,角色,第一代理人,第二代理人\n陳怡君,戶籍登記課,承辦人,黃柏翔,林佩蓉\n"
                 "黃柏翔,戶籍登記課,承辦人,陳怡君,\n林佩蓉,戶籍登記課,承辦人,,\n", "roster.csv")
    with db.sessions() as session:
        office = queries.get_or_create_office(session, "文山戶所")
        import_staff(session, office, read_roster(good), now, "roster.csv")
        session.commit()
        ids = {s.name: s.id for s in session.scalars(select(Staff))}
        got = {r.staff_id: (r.first_id, r.second_id) for r in session.scalars(select(StaffDeputies))}
    assert got == {
        ids["陳怡君"]: (ids["黃柏翔"], ids["林佩蓉"]), ids["黃柏翔"]: (ids["陳怡君"], None), ids["林佩蓉"]: (None, None),
    }
    bad = write(tmp_path, "姓名,課室,角色,第一代理人\n沈志明,戶籍登記課,課長,王小明\n", "bad.csv")
    with db.sessions() as session, pytest.raises(StaffImportError, match="第 2 列 第一代理人：名冊上沒有「王小明」"):
        office = queries.get_or_create_office(session, "文山戶所")
        import_staff(session, office, read_roster(bad), now, "bad.csv")


def test_remind_dry_run_json_says_for_whom(planbot, db, tmp_path):
    """The owner is away on 5/15: the deputy's line carries "for"; the other keys are unchanged."""
    plan = tmp_path / "plan.csv"
    header = ["課室", "編號", "計畫項目", "工作內容", "承辦人", "預定作業時程"] + [f"{m}月" for m in range(1, 13)] + ["執行情形", "考核指標"]
    plan.write_text(",".join(header) + "\n" + ",".join(["戶籍登記課", "1", "門牌整編", "", "陳怡君", "每月15日前"] + [""] * 14) + "\n",
                    encoding="utf-8-sig")
    assert planbot("import", str(plan), "--year", "113", "--office", "文山戶所", "--tracking-from", "113/1/1")[0] == 0
    planbot("staff", "deputies", "陳怡君", "黃柏翔")
    planbot("leave", "add", "陳怡君", "2024-05-15", "2024-05-15")
    code, out, err = planbot("remind", "--at", "2024-05-15T08:30", "--dry-run", "--json")
    assert code == 0, err
    assert json.loads(out) == [
        {"to": "黃柏翔", "items": [{"item": "1", "title": "門牌整編", "reason": "due", "due": "2024-05-15", "for": "陳怡君"}]}
    ]
    code, out, _ = planbot("remind", "--at", "2024-05-15T08:30", "--dry-run")
    assert "代理 陳怡君" in out
