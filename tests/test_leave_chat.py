"""請假, 銷假 and 停班 through `planbot say` on the demo plan, for every role, with the refusals.

Monday 2024-04-08. 陳怡君 (戶籍登記課) has deputies 黃柏翔 then 林佩蓉; 沈志明 is the chief of 戶籍登記課,
江淑惠 of 戶籍資料課; 簡心怡 is the coordinator, 游振昌 the director.
"""

from __future__ import annotations

import re

import pytest
from fakes.line_api import FakeLineAPI
from sqlalchemy import select

from bot.cli import main
from storage.models import AuditLog, CalendarOverride, CoveredReport, Delivery, Leave, ProgressReport, Staff

AT = "2024-04-08 09:00"


@pytest.fixture
def planbot(demo_db, monkeypatch, capsys):
    """Run `planbot ARGS` on a copy of the demo database; return (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", demo_db.url)

    def run(*args: str, env: dict[str, str] | None = None):
        code = main(list(args), env=env)
        out = capsys.readouterr()
        return code, out.out, out.err

    assert run("staff", "deputies", "陳怡君", "黃柏翔", "林佩蓉")[0] == 0
    return run


def say(planbot, who: str, text: str, at: str = AT, **kw) -> str:
    code, out, err = planbot("say", "--as", who, "--at", at, text, **kw)
    assert code == 0, err
    return out


def leaves(db) -> list[tuple[str, str, str]]:
    with db.sessions() as session:
        rows = session.execute(select(Staff.name, Leave.starts, Leave.ends).join(Staff, Staff.id == Leave.staff_id).order_by(Leave.id))
        return [(n, s.isoformat(), e.isoformat()) for n, s, e in rows]


def test_staff_records_their_own_leave_and_hears_who_covers(planbot, demo_db):
    out = say(planbot, "陳怡君", "請假 4/10-4/12")
    assert "已登記 陳怡君 請假：4/10（三）～4/12（五）（3 天）" in out
    assert "由 黃柏翔 代理（第一代理人）" in out
    # Without deputies the chief covers.
    out = say(planbot, "黃柏翔", "請假 明天")
    assert "黃柏翔 請假：4/9（二）" in out and "由 沈志明 代理（課長）" in out
    # On 4/10 黃柏翔 is back, so he covers 陳怡君; 4/9 he is away himself, so 林佩蓉 would.
    code, out, _ = planbot("leave", "list", "--at", "2024-04-10")
    assert code == 0 and "陳怡君　4/10（三）～4/12（五）（3 天）　代理：黃柏翔" in out
    assert leaves(demo_db) == [("陳怡君", "2024-04-10", "2024-04-12"), ("黃柏翔", "2024-04-09", "2024-04-09")]


def test_staff_may_not_set_someone_elses_leave(planbot, demo_db):
    out = say(planbot, "陳怡君", "請假 黃柏翔 4/15")
    assert "只有課長（本課同仁）和研考可以替別人登記請假" in out
    out = say(planbot, "陳怡君", "銷假 黃柏翔")
    assert "只有課長（本課同仁）和研考可以替別人銷假" in out
    assert leaves(demo_db) == []


def test_chief_sets_leave_in_their_section_only(planbot, demo_db):
    out = say(planbot, "沈志明", "請假 張書維 4/15-4/16")
    assert "已登記 張書維 請假：4/15（一）～4/16（二）（2 天）" in out
    out = say(planbot, "江淑惠", "請假 陳怡君 4/15")
    assert "陳怡君 不是你課內的同仁，不能替他登記請假。" in out
    out = say(planbot, "江淑惠", "銷假 張書維")
    assert "只有課長（本課同仁）和研考可以替別人銷假" in out
    assert leaves(demo_db) == [("張書維", "2024-04-15", "2024-04-16")]


def test_coordinator_sets_anyones_leave_and_director_only_their_own(planbot, demo_db):
    out = say(planbot, "簡心怡", "請假 李冠緯 4/15")
    assert "已登記 李冠緯 請假：4/15（一）" in out and "由 劉宗佑 代理（第一代理人）" in out  # the demo roster names his deputies
    out = say(planbot, "游振昌", "請假 陳怡君 4/15")
    assert "只有課長（本課同仁）和研考可以替別人登記請假" in out
    out = say(planbot, "游振昌", "請假 4/22")
    assert "已登記 游振昌 請假：4/22（一）" in out
    assert leaves(demo_db) == [("李冠緯", "2024-04-15", "2024-04-15"), ("游振昌", "2024-04-22", "2024-04-22")]


def test_dates_are_never_guessed(planbot, demo_db):
    assert "「2/31」不是看得懂的日期，沒有登記" in say(planbot, "陳怡君", "請假 2/31")
    assert "4/1（一） 已經過去，沒有登記" in say(planbot, "陳怡君", "請假 4/1")
    assert "結束日 4/10（三） 早於開始日 4/12（五）" in say(planbot, "陳怡君", "請假 113/4/12-113/4/10")
    assert "請假請寫日期" in say(planbot, "陳怡君", "請假")
    assert leaves(demo_db) == []


def test_back_from_leave_ends_it_today_or_takes_back_one_not_begun(planbot, demo_db):
    say(planbot, "陳怡君", "請假 4/8-4/12")
    say(planbot, "陳怡君", "請假 4/22")
    out = say(planbot, "陳怡君", "銷假", at="2024-04-10 09:00")
    assert "已銷假：陳怡君 4/8（一）～4/12（五）（5 天） 的請假自今天起取消" in out
    out = say(planbot, "陳怡君", "銷假", at="2024-04-10 09:05")
    assert "4/22（一） 的請假已取消" in out
    assert "陳怡君 目前沒有登記請假" in say(planbot, "陳怡君", "銷假", at="2024-04-10 09:10")
    assert leaves(demo_db) == [("陳怡君", "2024-04-08", "2024-04-09")]


def test_a_deputy_reports_on_covered_items_on_behalf_of_the_owner(planbot, demo_db):
    say(planbot, "陳怡君", "請假 4/10-4/12")
    # 6-8 戶籍清查業務 belongs to 吳欣穎 and 陳怡君; 黃柏翔 covers 陳怡君 on 4/10, 林佩蓉 does not.
    out = say(planbot, "林佩蓉", "回報 6-8 4月 完成", at="2024-04-10 09:00")
    assert "只有承辦人、所屬課長和研考可以回報" in out
    out = say(planbot, "黃柏翔", "回報 6-8 4月 進行中 已聯絡", at="2024-04-10 09:00")
    assert "代理 陳怡君 回報" in out
    with demo_db.sessions() as session:
        rows = session.execute(
            select(ProgressReport.occurrence_key, Staff.name, CoveredReport.owner_id)
            .join(CoveredReport, CoveredReport.report_id == ProgressReport.id)
            .join(Staff, Staff.id == ProgressReport.staff_id)
        ).all()
        owner = session.scalar(select(Staff.id).where(Staff.name == "陳怡君"))
    assert [(k, n, o) for k, n, o in rows] == [("2024-04", "黃柏翔", owner)]
    # Once she is back, 黃柏翔 is no deputy any more.
    out = say(planbot, "黃柏翔", "回報 6-8 4月 完成", at="2024-04-15 09:00")
    assert "只有承辦人、所屬課長和研考可以回報" in out


def test_only_the_coordinator_announces_a_closure(planbot, demo_db):
    for who in ("陳怡君", "沈志明", "游振昌"):
        assert "只有研考可以設定停班日" in say(planbot, who, "停班 明天", at="2024-04-07 20:00")
    with demo_db.sessions() as session:
        assert session.scalars(select(CalendarOverride)).all() == []


CONFIRM = "a=closure&op=close&f=2024-04-08&t=2024-04-08"


def test_closure_from_chat_end_to_end(planbot, demo_db):
    """停班 明天 on Sunday evening: confirmation listing the moved date, one push per owner, repeat is a no-op."""
    with FakeLineAPI() as fake:
        env = {"LINE_CHANNEL_ACCESS_TOKEN": "test-token", "LINE_API_BASE": fake.base_url, "PLANBOT_LOG_LEVEL": "WARNING"}
        # 11 門牌指標 (李冠緯) is due 每月八日前: Monday 4/8 moves to Tuesday 4/9.
        ask = say(planbot, "簡心怡", "停班 明天 颱風停止上班", at="2024-04-07 20:00", env=env)
        assert "要把 4/8（一） 設為停止上班日嗎？（原因：颱風停止上班）" in ask
        assert "・11 門牌指標設置及定期巡查管理（4月）：4/8（一） → 4/9（二）" in ask
        assert "[確定] [不用了]" in ask
        code, json_out, _ = planbot("say", "--as", "簡心怡", "--at", "2024-04-07 20:00", "停班 明天 颱風停止上班", "--json", env=env)
        assert code == 0 and CONFIRM in json_out
        with demo_db.sessions() as session:
            assert session.scalars(select(CalendarOverride)).all() == [], "nothing is set before the confirmation"
        assert fake.delivered == []

        done = planbot("say", "--as", "簡心怡", "--at", "2024-04-07 20:01", "--postback", CONFIRM, env=env)[1]
        assert "已設定 4/8（一） 停班。已通知 1 位承辦人期限異動。" in done
        li = "U1921d3b535234efae97ee64a93fb1111"  # 李冠緯
        assert [d.recipient for d in fake.delivered] == [li]
        pushed = fake.delivered[0].messages[0]["text"]
        assert pushed == "📅 4/8（一） 停止上班，你的期限順延：\n・門牌指標設置及定期巡查管理（4月）：4/8（一） → 4/9（二）"

        # Twice: the same closure changes nothing and tells nobody again.
        again = planbot("say", "--as", "簡心怡", "--at", "2024-04-07 20:02", "--postback", CONFIRM, env=env)[1]
        assert "4/8（一） 已經是停班日，不用再設定。" in again
        assert "已經是停班日" in say(planbot, "簡心怡", "停班 4/8", at="2024-04-07 20:03", env=env)
        assert len(fake.delivered) == 1
    with demo_db.sessions() as session:
        closures = session.scalars(select(CalendarOverride.day)).all()
        notices = session.scalars(select(Delivery).where(Delivery.key.startswith("notice:"))).all()
        audit = session.scalars(select(AuditLog.action).where(AuditLog.action == "calendar.closure")).all()
    assert [d.isoformat() for d in closures] == ["2024-04-08"]
    assert [(n.recipient, n.sent_at is not None) for n in notices] == [(li, True)]
    assert audit == ["calendar.closure"]
    code, out, _ = planbot("due", "--from", "2024-04-08", "--to", "2024-04-09", "--owner", "李冠緯")
    assert code == 0 and "4/9（二）" in out and "門牌指標設置及定期巡查管理" in out and "4/8（一）  戶籍資料課" not in out


def test_closure_of_two_days_and_its_cancellation(planbot, demo_db):
    ask = say(planbot, "簡心怡", "停班 4/29-4/30 豪雨", at="2024-04-26 18:00")
    assert "要把 4/29（一）～4/30（二） 設為停止上班日嗎？" in ask
    # 6 提供學齡兒童異動名冊 (李冠緯) was due Monday 4/29: now the next working day, Wednesday 5/1 (civil
    # servants work on Labour Day); a month's work (月份) ends on the month's last working day, Tuesday 4/30:
    # closed, it too moves on to 5/1, never back to Friday 4/26, which is over when the closure is announced.
    assert "・6 提供學齡兒童異動名冊（4/29（一））：4/29（一） → 5/1（三）" in ask
    assert "・8 戶政行動化服務（4月）：4/30（二） → 5/1（三）" in ask and "…另有 27 項" in ask
    assert "→ 4/26" not in ask
    planbot("say", "--as", "簡心怡", "--at", "2024-04-26 18:01", "--postback", "a=closure&op=close&f=2024-04-29&t=2024-04-30")
    code, out, _ = planbot("due", "--from", "2024-04-29", "--to", "2024-05-02", "--owner", "李冠緯", "--json")
    assert '"due": "2024-05-01"' in out and '"due": "2024-04-29"' not in out
    ask = say(planbot, "簡心怡", "取消停班 4/30", at="2024-04-26 18:05")
    assert "要取消 4/30（二） 的停班嗎？" in ask
    done = planbot("say", "--as", "簡心怡", "--at", "2024-04-26 18:06", "--postback", "a=closure&op=open&f=2024-04-30&t=2024-04-30")[1]
    assert "已取消 4/30（二） 的停班。" in done
    assert "4/30（二） 沒有設定停班，不用取消。" in say(planbot, "簡心怡", "取消停班 4/30", at="2024-04-26 18:07")
    with demo_db.sessions() as session:
        assert [d.isoformat() for d in session.scalars(select(CalendarOverride.day))] == ["2024-04-29"]
    assert "好，沒有變更行事曆" in planbot("say", "--as", "簡心怡", "--postback", "a=closure&op=drop", "--at", "2024-04-26 18:08")[1]


def _closures(db) -> list[str]:
    with db.sessions() as session:
        return [d.isoformat() for d in session.scalars(select(CalendarOverride.day))]


def _pushes_queued(db) -> int:
    with db.sessions() as session:
        return len(session.scalars(select(Delivery.id)).all())


def test_a_past_day_is_never_closed_from_the_chat_nor_by_a_forged_confirmation(planbot, demo_db):
    before = _pushes_queued(demo_db)
    # December: 停班 3/3 is a day long gone (this year's March), not a preview of moved due dates.
    asked = say(planbot, "簡心怡", "停班 3/3", at="2024-12-02 09:00")
    assert "3/3（日） 已經過去，行事曆沒有變更" in asked and "確定" not in asked
    assert "12/2（一） 已經過去" in say(planbot, "簡心怡", "停班 12/2-12/4", at="2024-12-03 09:00")
    # A postback forged (or kept since March) for a past working day with due dates on it.
    forged = planbot("say", "--as", "簡心怡", "--at", "2024-12-02 09:01", "--postback",
                     "a=closure&op=close&f=2024-04-08&t=2024-04-08")[1]
    assert "4/8（一） 已經過去，行事曆沒有變更" in forged
    assert _closures(demo_db) == [] and _pushes_queued(demo_db) == before
    # Today itself may still be closed (a typhoon announced in the morning).
    assert "要把 12/2（一） 設為停止上班日嗎？" in say(planbot, "簡心怡", "停班 今天 颱風停止上班", at="2024-12-02 06:00")


def test_a_past_closure_is_not_cancelled_either(planbot, demo_db):
    planbot("say", "--as", "簡心怡", "--at", "2024-04-26 18:01", "--postback", "a=closure&op=close&f=2024-04-29&t=2024-04-29")
    assert _closures(demo_db) == ["2024-04-29"]
    assert "已經過去" in say(planbot, "簡心怡", "取消停班 4/29", at="2024-05-02 09:00")
    planbot("say", "--as", "簡心怡", "--at", "2024-05-02 09:00", "--postback", "a=closure&op=open&f=2024-04-29&t=2024-04-29")
    assert _closures(demo_db) == ["2024-04-29"]


def test_a_closure_on_new_years_eve_postpones_into_the_next_year_and_says_so(planbot, demo_db):
    # 12/31/2024 is a Tuesday, 1/1 a holiday: what was due that day (the year's last working day) is due
    # Thursday 1/2/2025, never Monday 12/30, which would be overdue the moment the closure is announced.
    ask = say(planbot, "簡心怡", "停班 12/31 颱風停止上班", at="2024-12-30 18:00")
    assert "要把 12/31（二） 設為停止上班日嗎？" in ask
    assert "→ 12/30" not in ask and "→ 12/27" not in ask
    assert "：12/31（二） → 114/1/2（四）（跨入114年）" in ask
    count = int(ask.split("會移動的期限（")[1].split(" 項")[0])
    assert f"其中 {count} 項順延到 114 年，已跨出原本的年度。" in ask
    planbot("say", "--as", "簡心怡", "--at", "2024-12-30 18:01", "--postback", "a=closure&op=close&f=2024-12-31&t=2024-12-31")
    with demo_db.sessions() as session:
        pushes = [d.payload for d in session.scalars(select(Delivery).where(Delivery.key.contains("calendar:close")))]
    assert pushes and all("→ 114/1/2（四）（跨入114年）" in str(p) for p in pushes)
    code, out, _ = planbot("due", "--from", "2024-12-27", "--to", "2025-01-03", "--json")
    assert '"due": "2024-12-31"' not in out and '"due": "2024-12-30"' not in out and '"due": "2025-01-02"' in out


def test_a_closure_from_chat_asks_for_its_reason_and_keeps_it(planbot, demo_db):
    ask = say(planbot, "簡心怡", "停班 明天", at="2024-04-07 20:00")
    assert "4/8（一） 停班要記下原因" in ask and "停班 明天 颱風停止上班" in ask
    assert "[颱風停止上班] [豪雨停止上班]" in ask
    code, json_out, _ = planbot("say", "--as", "簡心怡", "--at", "2024-04-07 20:00", "停班 明天", "--json")
    assert code == 0 and '"text": "停班 明天 颱風停止上班"' in json_out and "a=closure" not in json_out
    code, json_out, _ = planbot("say", "--as", "簡心怡", "--at", "2024-04-07 20:01", "停班 明天 凱米颱風", "--json")
    confirm = re.search(r'"data": "(a=closure&op=close[^"]+)"', json_out).group(1)
    planbot("say", "--as", "簡心怡", "--at", "2024-04-07 20:02", "--postback", confirm)
    with demo_db.sessions() as session:
        assert [(c.day.isoformat(), c.reason) for c in session.scalars(select(CalendarOverride))] == [("2024-04-08", "凱米颱風")]


def notices(db) -> list[tuple[str, str]]:
    """Return the leave notices queued, as (recipient's name, text)."""
    with db.sessions() as session:
        rows = session.execute(
            select(Staff.name, Delivery.payload).join(Staff, Staff.id == Delivery.staff_id)
            .where(Delivery.key.like("notice:leave:%")).order_by(Delivery.id)
        )
        return [(name, payload["replies"][0]["text"]) for name, payload in rows]


def test_leave_tells_the_deputy_what_they_cover_until_when_and_tells_the_chief(planbot, demo_db):
    out = say(planbot, "陳怡君", "請假 4/10-4/12")
    assert "已通知：" in out and "黃柏翔" in out and "沈志明" in out
    told = dict(notices(demo_db))
    assert set(told) == {"黃柏翔", "沈志明"}
    assert "陳怡君 請假 4/10（三）～4/12（五）（3 天），期間由你代理（第一代理人）" in told["黃柏翔"]
    assert "到 4/12（五） 為止" in told["黃柏翔"]
    assert told["沈志明"] == "本課 陳怡君 請假 4/10（三）～4/12（五）（3 天），期間由 黃柏翔 代理。"


def test_the_chief_recording_a_leave_is_not_told_what_they_just_did(planbot, demo_db):
    say(planbot, "沈志明", "請假 陳怡君 4/15")
    assert [name for name, _t in notices(demo_db)] == ["黃柏翔"]


def test_leave_recorded_by_the_cli_and_the_csv_import_tells_them_too(planbot, demo_db, tmp_path):
    code, out, err = planbot("leave", "add", "陳怡君", "2024-04-10", "2024-04-10")
    assert code == 0, err
    assert sorted(name for name, _t in notices(demo_db)) == ["沈志明", "黃柏翔"]
    sheet = tmp_path / "leave.csv"
    sheet.write_text("姓名,假別,起,迄\n陳怡君,特休,2024-04-22,2024-04-23\n", encoding="utf-8")
    code, _out, err = planbot("leave", "import", str(sheet))
    assert code == 0, err
    assert sorted(name for name, _t in notices(demo_db)) == ["沈志明", "沈志明", "黃柏翔", "黃柏翔"]


def test_back_with_two_leaves_says_exactly_what_remains(planbot, demo_db):
    say(planbot, "陳怡君", "請假 4/10")
    say(planbot, "陳怡君", "請假 4/22-4/23")
    out = say(planbot, "陳怡君", "銷假")
    assert "4/10（三） 的請假已取消" in out
    assert "仍登記的請假：4/22（一）～4/23（二）（2 天）" in out
    assert leaves(demo_db) == [("陳怡君", "2024-04-22", "2024-04-23")]
    out = say(planbot, "陳怡君", "銷假")
    assert "仍登記的請假" not in out and leaves(demo_db) == []


def test_leave_on_a_rest_day_says_it_is_a_rest_day_and_records_nothing(planbot, demo_db):
    out = say(planbot, "陳怡君", "請假 今天", at="2024-04-13 09:00")  # a Saturday
    assert "4/13（六） 是休息日" in out
    out = say(planbot, "陳怡君", "請假 4/4-4/7", at="2024-04-03 09:00")  # 兒童節、清明 and the weekend
    assert "是休息日" in out
    assert leaves(demo_db) == [] and notices(demo_db) == []
