"""The planbot command as an administrator meets it: help, one-line errors, staff, calendar, import."""

from __future__ import annotations

import json

import click
import pytest

from bot.cli import cli, main
from tests.conftest import DEMO


@pytest.fixture
def run(sqlite_db, monkeypatch, capsys):
    """Run `planbot ARGS` against a fresh SQLite database; return (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)

    def _run(*args: str):
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def _all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,)
        if isinstance(command, click.Group):
            yield from _all_commands(command, prefix + (name,))


def test_every_command_has_help_in_plain_words(run):
    paths = list(_all_commands(cli))
    assert ("import",) in paths and ("calendar", "closure", "add") in paths and ("staff", "invite") in paths
    for path in paths:
        code, out, err = run(*path, "--help")
        assert code == 0, (path, err)
        assert "Usage:" in out and err == ""


@pytest.mark.parametrize(
    "args",
    [
        ("import",),
        ("import", "nope.ods", "--year", "113"),
        ("calendar", "closure", "add", "2024-13-40", "--reason", "x"),
        ("calendar", "show", "abc"),
        ("staff", "invite", "沒有這個人", "--office", "文山"),
        ("due", "--from", "2024-04-01"),
        ("no-such-command",),
        ("staff", "add", "王美玲", "--role", "國王", "--office", "文山"),
    ],
)
def test_bad_arguments_give_one_line_and_non_zero_exit(run, args):
    code, out, err = run(*args)
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("planbot: 錯誤："), err
    assert "Traceback" not in err + out


def test_staff_add_list_and_invite(run):
    assert run("staff", "add", "王美玲", "--section", "戶籍登記課", "--role", "課長", "--office", "文山戶所")[0] == 0
    code, out, _ = run("staff", "list")
    assert code == 0 and "王美玲" in out and "課長" in out and "未綁定" in out
    code, out, _ = run("staff", "invite", "王美玲")
    assert code == 0 and "綁定 " in out and "72" not in out.split("綁定碼：")[0]
    code_line = next(line for line in out.splitlines() if line.startswith("請他在 LINE"))
    assert len(code_line.split("綁定 ")[1]) == 8


def test_calendar_closure_shows_in_the_year(run):
    run("staff", "add", "王美玲", "--office", "文山戶所")
    code, out, _ = run("calendar", "closure", "add", "113/7/25", "--reason", "凱米颱風停止上班")
    assert code == 0 and "7/25（四）" in out
    code, out, _ = run("calendar", "show", "2024")
    assert code == 0
    assert any("7/25（四）" in line and "放假" in line and "凱米颱風" in line for line in out.splitlines())
    assert any("2/17（六）" in line and "上班" in line for line in out.splitlines())


def test_import_demo_plan_then_due_json(run):
    code, out, err = run("import", str(DEMO / "wenshan-113.ods"), "--year", "113")
    assert code == 0, out + err
    assert "已匯入" in out
    code, out, _ = run("due", "--from", "2024-04-01", "--to", "2024-04-30", "--json")
    data = json.loads(out)
    assert data and set(data[0]) == {"item", "section", "title", "kind", "starts", "due", "owners", "key", "state", "said",
                                     "percent", "done_on", "late_days", "late_working_days"}
    dues = [d["due"] for d in data]
    assert dues == sorted(dues) and all("2024-04-01" <= d <= "2024-04-30" for d in dues)


def test_import_dry_run_changes_nothing(run):
    code, out, _ = run("import", str(DEMO / "wenshan-113.ods"), "--year", "2024", "--dry-run")
    assert code == 0 and "試算" in out
    code, out, err = run("plan", "show")
    assert code != 0 and "沒有計畫" in err


def test_typhoon_closure_added_with_the_cli_moves_a_deadline(run):
    run("import", str(DEMO / "wenshan-113.ods"), "--year", "113")

    def due_of_item_11(day: str) -> list[str]:
        code, out, _ = run("due", "--from", day, "--to", "2024-04-12", "--section", "戶籍資料課", "--json")
        return [d["due"] for d in json.loads(out) if d["item"] == "11"]

    # 每月5日前: April 5th is a holiday, so the April report is due Monday 4/8.
    assert due_of_item_11("2024-04-06") == ["2024-04-08"]
    assert run("calendar", "closure", "add", "2024-04-08", "--reason", "颱風停止上班")[0] == 0
    assert due_of_item_11("2024-04-06") == ["2024-04-09"]


def test_database_problems_are_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-migrated.db'}")
    assert main(["staff", "list"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "planbot: 錯誤：資料庫還沒有建立資料表，請先執行：planbot db upgrade"
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert main(["staff", "list"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "無法使用資料庫" in err


def test_reading_commands_never_create_an_office(run):
    assert run("staff", "add", "王美玲", "--office", "文山戶所")[0] == 0
    code, _, err = run("staff", "list", "--office", "不存在的所")
    assert code != 0 and "沒有「不存在的所」這個機關（有：文山戶所）" in err
    code, out, _ = run("staff", "list")
    assert code == 0 and out.startswith("文山戶所")  # still the only office


def test_plan_show_readings_and_problems(run, tmp_path, monkeypatch):
    from datetime import datetime

    from schedules.clock import TAIPEI, FixedClock

    monkeypatch.setattr("bot.runtime.SystemClock", lambda: FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI)))
    header = ["課室", "編號", "計畫項目", "工作內容", "承辦人", "預定作業時程", *(f"{m}月" for m in range(1, 13)), "執行情形", "考核指標"]
    cells = ["每月八日前", "每月八日前", "113.12.31前", "10月2日(星期三)前", "每月5曰前", "每季終了後20日內"]
    lines = [",".join(header)] + [
        ",".join(["戶籍資料課", str(n), f"項目{n}", "內容", "陳怡君", cell, *[""] * 12, "", ""]) for n, cell in enumerate(cells, 1)
    ]
    plan = tmp_path / "plan.csv"
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    assert run("import", str(plan), "--year", "115", "--office", "文山戶所")[0] == 0

    code, out, _ = run("plan", "show", "--readings")
    assert code == 0
    # 3/8/2026 is a Sunday: the March report is due Monday 3/9.
    assert "  每月八日前 → 每月 8 日前（遇假日順延至次一工作日）；下次 3/9（一）" in out.splitlines()
    assert out.count("每月八日前 →") == 1  # each distinct phrase once
    assert "每季終了後20日內 → 3、6、9、12月的次月 20 日前（遇假日順延至次一工作日）；下次 4/20（一）" in out

    code, out, _ = run("plan", "show", "--problems")
    assert code == 0 and "3 個項目的時程需要修正" in out
    assert "項目3（第 4 列，預定作業時程）：113.12.31前 → 這個日期在 113 年，不在 115 年的計畫內" in out
    assert "10月2日(星期三)前 → 10/2 是星期五，不是括號裡的星期三，請確認日期" in out
    assert "每月5曰前 → 看不懂「5曰」" in out and "是否要寫成「每月5日前」？" in out


def test_a_closure_added_with_the_cli_lists_what_it_postpones(run):
    run("import", str(DEMO / "wenshan-113.ods"), "--year", "113")
    code, out, _ = run("calendar", "closure", "add", "2024-05-31", "--reason", "颱風停止上班")
    # Friday 5/31 was May's last working day: May's work is now due Monday 6/3, not Thursday 5/30.
    assert code == 0 and "會移動的期限" in out
    assert "：5/31（五） → 6/3（一）" in out and "→ 5/30" not in out
    code, out, _ = run("calendar", "closure", "add", "2024-12-31", "--reason", "颱風停止上班")
    assert code == 0 and "→ 114/1/2（四）（跨入114年）" in out and "順延到 114 年" in out


def test_a_big5_roster_is_read_as_the_plan_import_reads_big5(run, tmp_path):
    roster = tmp_path / "名冊.csv"
    roster.write_bytes("姓名,課室,角色\n王美玲,戶籍登記課,課長\n陳怡君,戶籍登記課,承辦人\n".encode("big5"))
    code, out, err = run("staff", "import", str(roster), "--office", "文山戶所")
    assert code == 0, err
    code, out, _ = run("staff", "list")
    assert "王美玲" in out and "陳怡君" in out and "戶籍登記課" in out
    garbage = tmp_path / "壞掉.csv"
    garbage.write_bytes(b"\x81\x30\xfe\xff\x81\x30" * 20)
    code, _, err = run("staff", "import", str(garbage), "--office", "文山戶所")
    assert code != 0 and "用 UTF-8（含或不含 BOM）與 Big5（cp950）都讀不通" in err


def test_a_new_section_from_staff_add_is_asked_for_with_the_nearest_name(run):
    assert run("staff", "add", "沈志明", "--section", "戶籍登記課", "--role", "課長", "--office", "文山戶所")[0] == 0
    code, _, err = run("staff", "add", "王美玲", "--section", "戶籍登紀課")
    assert code != 0
    assert "名冊裡還沒有「戶籍登紀課」這個課室（最接近的是「戶籍登記課」），沒有變更任何資料" in err and "--new-section" in err
    assert "王美玲" not in run("staff", "list")[1]
    # The ordinal of a heading is not part of the name: 一、戶籍登記課 is the section already there.
    code, out, _ = run("staff", "add", "王美玲", "--section", "一、戶籍登記課")
    assert code == 0 and "王美玲（戶籍登記課，承辦人）" in out
    code, out, _ = run("staff", "add", "蔡宜臻", "--section", "人事室", "--new-section")
    assert code == 0 and "蔡宜臻（人事室，承辦人）" in out
