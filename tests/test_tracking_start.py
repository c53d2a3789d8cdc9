"""Starting mid-year: the tracking start, back-filling with one message, and the demo's history, at a terminal."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.demo_history import make_history
from handlers.office.imports.plan import import_plan
from schedules.clock import TAIPEI
from schedules.plan_inputs import calendar_of
from storage import queries
from storage.models import Plan, ProgressReport, Status
from tests.conftest import DEMO
from tests.handler_fixtures import COORDINATOR, STAFF_DATA

PLAN = str(DEMO / "wenshan-113.ods")
OCTOBER = "2024-10-08 09:00"


@pytest.fixture
def run(sqlite_db, tmp_path, monkeypatch, capsys):
    """Run `planbot ARGS` on an empty migrated database; return (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)

    def _run(*args: str):
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    _run.db = sqlite_db
    return _run


def imported(run, *tracking: str) -> str:
    code, out, err = run("import", PLAN, "--year", "2024", *tracking)
    assert code == 0, err
    code, _, err = run("staff", "import", str(DEMO / "staff.csv"))
    assert code == 0, err
    return out


def summary(run, at: str, *args: str) -> dict:
    code, out, err = run("summary", "--at", at, "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_nothing_before_the_tracking_start_is_overdue(run):
    out = imported(run, "--tracking-from", "113/10/1")
    assert "追蹤起日：113/10/1（2024-10-01）" in out
    data = summary(run, "2024-10-08")
    assert data["tracking_from"] == "2024-10-01"
    assert data["before_tracking"] > 300  # January to September, never reported
    assert all(d["due"] >= "2024-10-01" for d in data["overdue_items"])
    assert 0 < data["overdue"] <= 5  # only the first week of October

    code, out, _ = run("say", "--as", STAFF_DATA, "--at", OCTOBER, "逾期")
    lines = out.splitlines()
    assert lines[0] == "你有 1 項作業逾期未完成（統計至 10/8（二））："
    assert "・10/7（一） 11 門牌指標設置及定期巡查管理｜期限（10/5 遇假日順延）｜逾 1 天｜未回報" in out
    assert any(ln.startswith("另有 ") and "在追蹤起日 10/1（二）之前到期、沒有回報，不算逾期" in ln for ln in lines)

    # The same plan tracked from January: everything since then is overdue, as before.
    code, _, _ = run("import", PLAN, "--year", "2024", "--tracking-from", "2024-01-01")
    whole = summary(run, "2024-10-08")
    assert whole["before_tracking"] == 0 and whole["overdue"] > 30


def test_lists_and_summary_card_say_how_many_are_before_tracking(run):
    imported(run, "--tracking-from", "2024-10-01")
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", OCTOBER, "我的")
    assert "另有 46 次作業在追蹤起日 10/1（二）之前到期" in out
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", "2024-09-30 09:00", "本月")
    assert "➖追蹤起日前" in out and "⚠️" not in out
    code, out, _ = run("summary", "--at", "2024-10-08")
    assert "追蹤起日 10/1（二）前　" in out and "次未列入" in out


def test_the_coordinators_month_counts_no_occurrence_before_the_tracking_start_as_work_left(run):
    imported(run, "--tracking-from", "2024-10-15")
    code, out, _ = run("say", "--as", COORDINATOR, "--at", "2024-10-21 09:00", "本月")
    untracked = 0
    for section in ("戶籍資料課", "戶籍登記課", "行政庶務課"):
        month = summary(run, "2024-10-21", "--section", section, "--month", "10")
        untracked += month["before_tracking"]  # 11's 10/7 (戶籍資料課): not work left
        left = month["overdue"] + month["not_due"]
        assert f"【{section}】{left} 次（已逾期 {month['overdue']}）" in out
    assert untracked > 0


def test_back_filled_months_count_as_done(run):
    imported(run, "--tracking-from", "2024-10-01")
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", OCTOBER, "回報 11 1-10月 完成")
    assert code == 0
    assert out.splitlines()[:2] == [
        "已回報 戶籍資料課 11 門牌指標設置及定期巡查管理：已完成，共 10 次",
        "1月、2月、3月、4月、5月、6月、7月、8月、9月、10月",
    ]
    with run.db.sessions() as session:
        keys = session.scalars(select(ProgressReport.occurrence_key).where(ProgressReport.status == Status.done)).all()
    assert len(keys) == 10
    # 12 全部: every occurrence opened by today (October's included), none ahead.
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", OCTOBER, "回報 12 全部 完成")
    assert "共 10 次" in out and "11月" not in out.splitlines()[1]

    data = summary(run, "2024-10-08", "--section", "戶籍資料課")
    # Reported before-tracking occurrences count again: 11 and 12 are done for the whole year so far.
    assert data["done_late"] == data["due"] and data["overdue"] == 0 and data["completion"] == 1.0
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", OCTOBER, "逾期")
    assert out.splitlines()[0] == "你目前沒有逾期的作業，很好！"

    # Saying it again records nothing twice.
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", OCTOBER, "回報 11 一至十月 完成")
    assert "原本就是已完成，沒有新的紀錄" in out
    code, out, _ = run("say", "--as", STAFF_DATA, "--at", OCTOBER, "回報 11 1-3月")
    assert out.startswith("一次回報多次作業時，請說狀態")


def test_reimport_keeps_the_tracking_start(run):
    imported(run, "--tracking-from", "2024-10-01")
    code, out, _ = run("import", PLAN, "--year", "2024")
    assert code == 0 and "追蹤起日：113/10/1（2024-10-01）" in out
    assert summary(run, "2024-10-08")["tracking_from"] == "2024-10-01"
    code, _, err = run("import", PLAN, "--year", "2024", "--tracking-from", "2025-01-01")
    assert code != 0 and "不在計畫年度 2024（民國 113 年）內" in err
    assert summary(run, "2024-10-08")["tracking_from"] == "2024-10-01"


def test_default_tracking_start_is_the_first_import_day_within_the_plan_year(sqlite_db):
    with sqlite_db.sessions() as session:
        import_plan(session, PLAN, 2024, datetime(2024, 10, 1, 0, 30, tzinfo=TAIPEI))  # 9/30 in UTC
        import_plan(session, PLAN, 2024, datetime(2024, 11, 5, 9, 0, tzinfo=TAIPEI))
        import_plan(session, PLAN, 2023, datetime(2024, 11, 5, 9, 0, tzinfo=TAIPEI), office_name="臺北市文山區戶政事務所")
        session.commit()
        starts = {p.year: p.tracking_from for p in session.scalars(select(Plan))}
    # A past year imported to try the bot out behaves as if tracked all along.
    assert starts == {2024: date(2024, 10, 1), 2023: date(2023, 1, 1)}


def test_no_reminder_for_before_tracking_occurrences(run):
    imported(run, "--tracking-from", "2024-01-01")
    code, out, _ = run("remind", "--dry-run", "--json", "--at", "2024-10-08T08:30")
    whole = [i for p in json.loads(out) for i in p["items"]]
    assert {(i["item"], i["reason"]) for i in whole if i["due"] == "2024-10-01"} == {("7-2", "overdue")}
    run("import", PLAN, "--year", "2024", "--tracking-from", "2024-10-02")
    code, out, _ = run("remind", "--dry-run", "--json", "--at", "2024-10-08T08:30")
    tracked = [i for p in json.loads(out) for i in p["items"]]
    assert not [i for i in tracked if i["due"] and i["due"] < "2024-10-02"]
    assert [i for i in whole if i["due"] and i["due"] >= "2024-10-02"] == tracked  # the rest is unchanged


@pytest.mark.parametrize("day", [date(2024, 3, 20), date(2024, 12, 2)])
def test_demo_history_looks_like_a_real_office(run, day):
    imported(run, "--tracking-from", "2024-01-01")
    now = datetime(day.year, day.month, day.day, 8, 0, tzinfo=TAIPEI)
    with run.db.sessions() as session:
        plan = queries.plan_for(session, queries.only_office(session).id, 2024)
        history = make_history(session, plan, calendar_of(session), now)
        session.commit()
        reports = session.scalars(select(ProgressReport)).all()
        assert all(r.reported_at <= now for r in reports)
        assert all(r.reported_at.astimezone(TAIPEI).date() >= date(2024, 1, 1) for r in reports)
        assert all(r.staff_id in {o.id for o in r.item.owners} for r in reports)  # by their owners
    assert history.late > 0 and history.in_progress > 0 and history.on_time > 2 * history.late

    data = summary(run, day.isoformat())
    assert data["before_tracking"] == 0
    assert 1 <= data["overdue"] <= 8, data["overdue_items"]
    assert data["done_on_time"] + data["done_late"] >= 0.8 * data["due"]
    assert data["done_on_time"] > 2 * data["done_late"]
    assert all((day - date.fromisoformat(d["due"])).days <= 31 for d in data["overdue_items"])

    # The same day gives the same history; running it again on a database with reports adds nothing.
    with run.db.sessions() as session:
        plan = queries.plan_for(session, queries.only_office(session).id, 2024)
        assert make_history(session, plan, calendar_of(session), now).skipped
