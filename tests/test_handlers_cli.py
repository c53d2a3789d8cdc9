"""`planbot say`, `planbot summary` and `planbot export` on the demo database, as a person at a terminal."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.cli import main
from storage import queries
from storage.models import ProgressReport, Status
from storage.sheets import read_sheets
from tests.handler_fixtures import COORDINATOR, STAFF_DATA
from tests.test_handlers_router import EXAMPLES

AT = "2024-04-08 09:00"


@pytest.fixture
def run(demo_db, tmp_path, monkeypatch, capsys):
    """Run `planbot ARGS` on a copy of the demo database; return (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    monkeypatch.setenv("PUBLIC_URL", "https://planbot.example.tw/")

    def _run(*args: str):
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    _run.db = demo_db
    return _run


def test_say_prints_what_the_person_reads(run):
    code, out, err = run("say", "--as", STAFF_DATA, "--at", AT, "本週")
    assert code == 0, err
    assert out.splitlines()[0] == "本週（4/8（一）～4/14（日））你有 1 項作業到期："
    assert "・11 門牌指標設置及定期巡查管理｜期限（4/5 遇假日順延）｜⬜未回報" in out
    assert "[今天] [下週]" in out


def test_say_as_a_line_user_id(run):
    code, out, _ = run("say", "--as", "Uc9ddfa5feb57b5495dee133c0884f8e0", "--at", "113/4/8", "摘要 全所 3月")
    assert code == 0 and out.startswith("【全所 3月進度摘要】")


def test_say_commits_a_report(run):
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", AT, "回報 12 4月 50% 已完成初稿")
    assert code == 0 and "進度：進行中 50%" in out
    with run.db.sessions() as session:
        row = session.scalars(select(ProgressReport)).one()
        assert (row.occurrence_key, row.status, row.percent, row.note) == ("2024-04", Status.in_progress, 50, "已完成初稿")
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", "2024-04-09 10:00", "本月")
    assert "・12 門牌點位及上傳管理｜4月作業｜🔄進行中 50%" in out


def test_say_json_prints_the_reply_objects(run):
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", AT, "--json", "查 門牌")
    [reply] = json.loads(out)
    assert reply["type"] == "text" and reply["text"].startswith("有 3 個項目和「門牌」有關")
    assert reply["quick_replies"][0]["data"].startswith("a=card&i=")
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", AT, "--postback", reply["quick_replies"][0]["data"])
    assert out.startswith("【11 門牌指標設置及定期巡查管理】")


def test_say_as_someone_unknown_shows_the_linking_answer(run):
    code, out, err = run("say", "--as", "王小明", "--at", AT, "本週")
    assert code == 0 and "還沒有綁定同仁資料" in out and "王小明" in err
    code, out, _ = run("say", "--as", "U" + "0" * 32, "--follow")
    assert "綁定 你的綁定碼" in out


def test_say_in_a_group(run):
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", AT, "--group", "Cgroup", "大家好")
    assert out.strip() == "（小幫手沒有回應）"


def test_say_errors_are_one_line(run):
    code, _, err = run("say", "--as", STAFF_DATA)
    assert code != 0 and err.count("\n") == 1 and "請給要傳的訊息" in err
    code, _, err = run("say", "--as", STAFF_DATA, "--at", "next tuesday", "本週")
    assert code != 0 and "看不懂的時間" in err


@pytest.mark.parametrize("who", [STAFF_DATA, "江淑惠", COORDINATOR, "游振昌"])
def test_every_command_works_through_say(run, who):
    for text in [t for t in EXAMPLES if t]:
        code, out, err = run("say", "--as", who, "--at", AT, text)
        assert code == 0, (text, err)
        assert out.strip() and "出了問題" not in out, text


def test_summary_json_has_the_card_numbers(run):
    run("say", "--as", STAFF_DATA, "--at", AT, "回報 12 3月 完成")
    code, out, err = run("summary", "--section", "戶籍資料課", "--month", "3", "--at", "2024-04-08", "--json")
    assert code == 0, err
    data = json.loads(out)
    wanted = ("section", "due", "done_on_time", "done_late", "overdue", "not_reported", "in_progress", "due_next_14_days")
    assert {k: data[k] for k in wanted} == {
        "section": "戶籍資料課", "due": 10, "done_on_time": 0, "done_late": 1, "overdue": 9, "not_reported": 9,
        "in_progress": 0, "due_next_14_days": None,  # March is over
    }
    assert data["completion"] == 0.1 and data["on_time"] == 0.0
    eleven = next(o for o in data["overdue_items"] if o["item"] == "11")
    assert eleven == {"item": "11", "section": "戶籍資料課", "title": "門牌指標設置及定期巡查管理", "due": "2024-03-05",
                      "overdue_times": 1, "owners": ["李冠緯"]}
    assert data["overdue_items"][0]["due"] == "2024-03-29"  # newest first
    assert sum(o["overdue_times"] for o in data["overdue_items"]) == data["overdue"]


def test_summary_of_the_office_lists_sections(run):
    code, out, _ = run("summary", "--at", "2024-04-08", "--json")
    data = json.loads(out)
    assert data["section"] == "全所" and data["start"] == "2024-01-01" and data["end"] == "2024-04-08"
    assert [s["section"] for s in data["sections"]] == ["戶籍登記課", "戶籍資料課", "行政庶務課", "人事室"]
    for field in ("due", "done_on_time", "done_late", "overdue", "not_reported", "not_due"):
        assert data[field] == sum(s[field] for s in data["sections"])
    code, out, _ = run("summary", "--at", "2024-04-08", "--month", "三月")
    assert out.startswith("【全所 3月進度摘要】")
    code, _, err = run("summary", "--section", "民政課", "--at", "2024-04-08")
    assert code != 0 and "沒有「民政課」這個課室" in err


def test_export_writes_the_control_table(run, tmp_path):
    run("say", "--as", STAFF_DATA, "--at", AT, "回報 11 4月 完成 已陳報")
    path = tmp_path / "管制表.xlsx"
    code, out, err = run("export", str(path), "--section", "戶籍資料課", "--month", "4", "--at", "2024-04-08")
    assert code == 0, err
    [(name, rows)] = read_sheets(path)
    assert name == "戶籍資料課" and rows[0][0].endswith("戶籍資料課113年度工作計畫期程管制一覽表（4月）")
    row = next(r for r in rows if r[0] == "11")
    assert row[17] == "4月：已完成，已陳報（4/8（一） 李冠緯）"
    code, _, err = run("export", str(tmp_path / "x.pdf"))
    assert code != 0 and ".ods 或 .xlsx" in err
    code, out, _ = run("export", str(tmp_path / "all.ods"), "--at", "2024-04-08")
    assert code == 0 and [n for n, _ in read_sheets(tmp_path / "all.ods")] == ["戶籍登記課", "戶籍資料課", "行政庶務課", "人事室"]


def test_summary_of_a_section_without_items_says_so_instead_of_zeros(run):
    with run.db.sessions() as session:
        office = queries.only_office(session)
        queries.get_or_create_section(session, office, "會計室")
        session.commit()
    code, out, err = run("summary", "--section", "會計室", "--at", "2024-04-08")
    assert code == 0, err
    assert out.startswith("【會計室 今年至今進度摘要】")
    assert "會計室在 113 年度工作計畫裡沒有任何項目" in out and "請核對計畫裡的課室名稱" in out
    assert "0 次" not in out and "完成率" not in out
    code, out, _ = run("summary", "--section", "會計室", "--at", "2024-04-08", "--json")
    data = json.loads(out)
    assert data["items_in_plan"] == 0 and data["due"] == 0 and data["completion"] is None
    code, out, _ = run("summary", "--section", "戶籍資料課", "--at", "2024-04-08", "--json")
    assert json.loads(out)["items_in_plan"] > 0
