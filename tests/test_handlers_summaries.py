"""摘要: numbers of a section's or the office's period, by role; the same numbers as `planbot summary --json`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from handlers.chat.summaries import period_of, summarize
from handlers.core.replies import Card, Text
from schedules.calendar import WorkCalendar
from storage import queries
from tests.handler_fixtures import (
    CHIEF_DATA,
    CHIEF_REG,
    COORDINATOR,
    DIRECTOR,
    STAFF_DATA,
    STAFF_REG,
    Talk,
    read,
)


def report_march(talk: Talk) -> None:
    talk.send(STAFF_DATA, "回報 12 3月 完成")
    talk.send(STAFF_DATA, "回報 11 3月 完成")
    talk.send(STAFF_DATA, "回報 1 50% 已聯絡學校")
    talk.send("王瑜", "回報 13 3月 進行中")  # still overdue: March is past and it is not done


def rows(card: Card) -> dict[str, str]:
    return {r.label: r.value for r in card.rows}


def overdue_rows(card: Card) -> list:
    """Return the rows under 逾期項目 (one per overdue item)."""
    labels = [r.label for r in card.rows]
    return [r for r in card.rows[labels.index("逾期項目") + 1:] if "・" in r.value]


def test_chief_gets_the_section_month_card(talk):
    report_march(talk)
    [card] = talk.send(CHIEF_DATA, "摘要 3月")
    assert isinstance(card, Card)
    assert card.title == "戶籍資料課 3月進度摘要"
    assert card.subtitle == "3/1（五）～3/31（日）｜統計至 4/8（一）"
    r = rows(card)
    # Counted by occurrence: March's two reports came in April, so both are 逾期完成; 13 said 進行中 and is
    # overdue, not unreported.
    assert (r["應完成"], r["如期完成"], r["逾期完成"], r["逾期"], r["未回報"]) == ("10 次", "0 次", "2 次", "8 次（進行中 1）", "7 次")
    assert r["完成率"] == "20%（2/10），如期 0%"
    assert "14 天內到期" not in r  # March is over: nothing of it is "due in the next 14 days"
    assert r["王瑜"] == "完成 0/4・逾期 4" and r["李冠緯"] == "完成 2/3・逾期 1"
    overdue = overdue_rows(card)
    assert len(overdue) == 8
    assert (overdue[0].label, overdue[0].value) == ("2-2 國民身分證品質控管正確率100%", "3/29（五）・劉宗佑")
    assert any(row.label == "13 到府服務" for row in overdue)
    assert [b.label for b in card.quick_replies] == ["逾期 戶籍資料課"]


def test_the_default_period_is_the_year_so_far(talk):
    [card] = talk.send(CHIEF_DATA, "摘要")
    assert card.title == "戶籍資料課 今年至今進度摘要"
    assert card.subtitle.startswith("1/1（一）～4/8（一）")
    assert rows(card)["應完成"] == "30 次" and rows(card)["14 天內到期"] == "1 項"


def test_chief_cannot_see_another_section_or_the_office(talk):
    assert read(talk.send(CHIEF_REG, "摘要 戶籍資料課")) == "你可以看自己課室（戶籍登記課）的資料；其他課室請洽研考。"
    assert read(talk.send(CHIEF_DATA, "摘要 全所")).startswith("抱歉，全所的資料只開放給研考和主任查看。")


def test_staff_are_refused_politely(talk):
    for text in ("摘要", "摘要 戶籍資料課", "摘要 全所 3月"):
        answer = read(talk.send(STAFF_REG, text))
        assert answer.startswith("抱歉，摘要只提供給課長、研考和主任。") and "項" not in answer.split("。")[0][-3:]


def test_coordinator_is_asked_which_section(talk):
    [ask] = talk.send(COORDINATOR, "摘要 3月")
    assert isinstance(ask, Text) and ask.text.startswith("要看哪個課室的摘要？")
    assert [b.text for b in ask.quick_replies] == ["摘要 全所 3月", "摘要 戶籍登記課 3月", "摘要 戶籍資料課 3月",
                                                  "摘要 行政庶務課 3月", "摘要 人事室 3月"]
    [card] = talk.send(COORDINATOR, ask.quick_replies[2].text)
    assert card.title == "戶籍資料課 3月進度摘要"


def test_whole_office_has_one_line_per_section(talk):
    report_march(talk)
    for who in (COORDINATOR, DIRECTOR):
        [card] = talk.send(who, "摘要 全所 3月")
        r = rows(card)
        assert card.title == "全所 3月進度摘要"
        assert r["戶籍資料課"] == "完成 2/10・逾期 8"
        assert r["人事室"] == "本期沒有排定的作業"
        assert len(card.rows) <= 20
        assert any("還有" in row.label and "逾期 全所" in row.label for row in card.rows)


def test_numbers_add_up_and_match_summarize(talk):
    report_march(talk)
    plan = queries.only_office(talk.session).plans[0]
    cal = WorkCalendar(closures=frozenset(), workdays=frozenset())
    start, end = period_of(2024, 3, date(2024, 4, 8))
    whole = summarize(talk.session, plan, None, start, end, date(2024, 4, 8), cal)
    assert whole.counts.due == sum(s.counts.due for s in whole.sections)
    assert whole.counts.done == sum(s.counts.done for s in whole.sections) == 2
    for s in [whole, *whole.sections]:
        c = s.counts
        assert c.done_on_time + c.done_late + c.overdue == c.due
        assert c.not_reported + c.in_progress + c.delayed + c.not_started == c.overdue
        assert sum(s.overdue_times.values()) == c.overdue


def test_unknown_arguments_get_the_usage(talk):
    assert read(talk.send(CHIEF_DATA, "摘要 民政課")).startswith("找不到「民政課」這個課室")
    assert read(talk.send(CHIEF_DATA, "摘要 門牌")).startswith("請這樣問：摘要、摘要 全所")


def test_overdue_rows_give_how_many_times_and_the_latest(talk):
    talk.at("2024-12-02 09:00")
    [card] = talk.send(CHIEF_DATA, "摘要")
    r = rows(card)
    assert r["未回報"] == "130 次" and r["逾期"] == "130 次" and r["完成率"] == "0%（0/130），如期 0%"
    values = {row.label: row.value for row in overdue_rows(card)}
    assert values["2-2 國民身分證品質控管正確率100%"] == "11 次，最近 11/29（五）・劉宗佑"
    overdue = overdue_rows(card)
    assert "11/" in overdue[0].value  # newest first, never January on top


def test_nothing_due_yet_says_so_instead_of_zero_percent(talk):
    """A plan tracked from today (a mid-year import): nothing has fallen due, so there is no rate to give."""
    from storage.models import Plan

    talk.session.scalar(select(Plan)).tracking_from = date(2024, 4, 8)
    [card] = talk.send(CHIEF_DATA, "摘要")
    r = rows(card)
    assert r["應完成"] == "0 次" and r["完成率"] == "本期還沒有到期的作業" and "0%" not in r["完成率"]
    assert r["追蹤起日 4/8（一）前"].endswith("次未列入")
    plan = queries.only_office(talk.session).plans[0]
    cal = WorkCalendar(closures=frozenset(), workdays=frozenset())
    data = summarize(talk.session, plan, None, date(2024, 1, 1), date(2024, 4, 8), date(2024, 4, 8), cal).to_json()
    assert data["due"] == 0 and data["completion"] is None and data["on_time"] is None


def add_empty_section(talk: Talk) -> str:
    """Add 會計室 with a chief to the roster: the plan has no item of it. Return the chief's name."""
    from storage.models import Role, Staff

    office = queries.only_office(talk.session)
    section = queries.get_or_create_section(talk.session, office, "會計室")
    talk.session.add(Staff(office_id=office.id, name="錢文華", section_id=section.id, role=Role.chief,
                           line_user_id="U" + "7" * 32))
    talk.session.flush()
    return "錢文華"


def empty_months(talk: Talk, section_name: str) -> list[int]:
    """The months in which the section has no occurrence due (read from the status model, not assumed)."""
    plan = queries.only_office(talk.session).plans[0]
    section = queries.find_section(talk.session, plan.office_id, section_name)
    cal = WorkCalendar()
    empty = []
    for month in range(1, 13):
        start, end = period_of(plan.year, month, date(2024, 4, 8))
        c = summarize(talk.session, plan, section, start, end, date(2024, 4, 8), cal).counts
        if not (c.due or c.not_due or c.before_tracking):
            empty.append(month)
    return empty


def test_a_chief_whose_section_has_nothing_due_in_the_month_is_told_so_not_shown_zeros(talk):
    [month, *_] = empty_months(talk, "人事室")  # 人事室 has items, none due that month
    [card] = talk.send("范素貞", f"摘要 {month}月")
    said = read([card])
    assert card.title == f"人事室 {month}月進度摘要"
    assert "人事室在工作計畫裡，這段期間沒有排定要完成的作業。" in said
    assert "0 次" not in said and "完成率" not in said and "應完成" not in said
    assert "研考" not in said  # the section has items: nothing to ask about


def test_a_chief_whose_section_has_no_items_in_the_plan_is_told_so_and_to_ask_the_coordinator(talk):
    chief = add_empty_section(talk)
    for text in ("摘要", "摘要 3月"):
        [card] = talk.send(chief, text)
        said = read([card])
        assert "會計室在 113 年度工作計畫裡沒有任何項目" in said
        assert f"請洽研考（{COORDINATOR}）" in said
        assert "0 次" not in said and "完成率" not in said and "0 項" not in said


def test_the_coordinator_asking_about_a_section_without_items_is_told_to_check_the_names_not_to_ask_herself(talk):
    add_empty_section(talk)
    said = talk.text(COORDINATOR, "摘要 會計室")
    assert "會計室在 113 年度工作計畫裡沒有任何項目" in said
    assert "請核對計畫裡的課室名稱" in said and "請洽研考" not in said and "0 次" not in said
