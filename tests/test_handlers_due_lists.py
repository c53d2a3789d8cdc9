"""今天 / 明天 / 本週 / 下週 / 本月 / 下個月, 逾期 and 我的, per role, on the demo plan (Monday 2024-04-08)."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.chat.due_lists import span
from handlers.core.replies import Text
from tests.handler_fixtures import (
    CHIEF_DATA,
    CHIEF_REG,
    COORDINATOR,
    DIRECTOR,
    STAFF_ADMIN,
    STAFF_DATA,
    STAFF_DATA_2,
    STAFF_REG,
    buttons,
)


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("today", date(2024, 4, 10), date(2024, 4, 10)),
        ("tomorrow", date(2024, 4, 11), date(2024, 4, 11)),
        ("this_week", date(2024, 4, 8), date(2024, 4, 14)),
        ("next_week", date(2024, 4, 15), date(2024, 4, 21)),
        ("this_month", date(2024, 4, 1), date(2024, 4, 30)),
        ("next_month", date(2024, 5, 1), date(2024, 5, 31)),
    ],
)
def test_spans_are_monday_to_sunday_weeks_and_calendar_months(name, first, last):
    assert span(name, date(2024, 4, 10)) == (first, last)


def test_spans_at_the_end_of_the_year():
    assert span("next_month", date(2024, 12, 15)) == (date(2025, 1, 1), date(2025, 1, 31))
    assert span("this_week", date(2024, 12, 31)) == (date(2024, 12, 30), date(2025, 1, 5))


def test_today_lists_my_deadline_with_number_kind_date_and_status(talk):
    text = talk.text(STAFF_DATA, "今天")
    assert text.startswith("今天（4/8（一））你有 1 項作業到期：")
    assert "【4/8（一）】" in text
    assert "・11 門牌指標設置及定期巡查管理｜期限（4/5 遇假日順延）｜⬜未回報" in text


def test_this_week_and_its_synonyms_give_the_same_answer(talk):
    answers = {talk.text(STAFF_DATA, t) for t in ("本週", "這週", "這禮拜", "本 周", "這個禮拜的工作有哪些？")}
    assert len(answers) == 1
    assert "本週（4/8（一）～4/14（日））你有 1 項作業到期" in answers.pop()


def test_this_month_is_grouped_by_day_in_date_order(talk):
    text = talk.text(STAFF_DATA, "本月")
    assert "本月（4/1（一）～4/30（二））你有 4 項作業到期：" in text
    days = [line for line in text.splitlines() if line.startswith("【")]
    assert days == ["【4/8（一）】", "【4/29（一）】", "【4/30（二）】"]
    assert "・6 提供學齡兒童異動名冊｜期限｜⬜未回報" in text
    assert "・12 門牌點位及上傳管理｜4月作業｜⬜未回報" in text


def test_next_month_counts_every_weekly_occurrence(talk):
    text = talk.text(STAFF_DATA, "下個月")
    assert "下個月（5/1（三）～5/31（五））你有 8 項作業到期：" in text
    assert text.count("・6 提供學齡兒童異動名冊") == 4  # every Monday of May from 5/6
    assert "【5/6（一）】" in text and "【5/27（一）】" in text


def test_an_empty_week_says_so_and_names_the_next_due(talk):
    text = talk.text(STAFF_ADMIN, "下週")
    assert text.startswith("下週（4/15（一）～4/21（日））你沒有作業到期。")
    assert "下一項是 4/30（二） 的「公文處理成效檢核：內部公文抽核暨處理成效檢核」" in text


def test_tomorrow_moves_with_the_clock(talk):
    talk.at("2024-04-28 20:00")
    text = talk.text(STAFF_DATA, "明天")
    assert "明天（4/29（一））你有 1 項作業到期" in text and "6 提供學齡兒童異動名冊" in text


def test_a_window_shows_when_it_opened(talk):
    talk.at("2024-04-22 09:00")
    text = talk.text("吳欣穎", "下週")
    assert "・6-2 戶籍清查業務：90歲以上未滿百歲最近1年未使用健保卡者…｜辦理期間 3/1（五） 起" in text
    assert text.startswith("下週（4/29（一）～5/5（日））你有 3 項作業到期") and "【4/30（二）】" in text


def test_reported_status_shows_in_the_list(talk):
    talk.send(STAFF_DATA, "回報 11 4月 完成")
    talk.send(STAFF_DATA, "回報 12 4月 50% 已拍照")
    text = talk.text(STAFF_DATA, "本月")
    assert "・11 門牌指標設置及定期巡查管理｜期限（4/5 遇假日順延）｜✅已完成" in text
    assert "・12 門牌點位及上傳管理｜4月作業｜🔄進行中 50%" in text


def test_overdue_lists_mine_with_days_late(talk):
    text = talk.text(STAFF_DATA, "逾期")
    assert text.startswith("你有 9 項作業逾期未完成（統計至 4/8（一））：")
    assert "・1/5（五） 11 門牌指標設置及定期巡查管理｜期限｜逾 94 天｜未回報" in text
    assert "・3/29（五） 12 門牌點位及上傳管理｜3月作業｜逾 10 天｜未回報" in text


def test_overdue_says_what_was_last_said_with_its_percentage_and_a_taken_back_done_as_unreported(talk):
    talk.text(STAFF_DATA, "回報 12 3月 40%")
    talk.text(STAFF_DATA, "回報 11 1月 完成")
    [ask] = talk.send(STAFF_DATA, "撤銷")
    talk.tap(STAFF_DATA, next(b.data for b in buttons(ask) if b.label == "確定撤銷"))
    text = talk.text(STAFF_DATA, "逾期")
    assert "・3/29（五） 12 門牌點位及上傳管理｜3月作業｜逾 10 天｜進行中 40%" in text
    assert "・1/5（五） 11 門牌指標設置及定期巡查管理｜期限｜逾 94 天｜未回報" in text


def test_overdue_synonyms(talk):
    assert talk.text(STAFF_DATA, "過期") == talk.text(STAFF_DATA, "逾期") == talk.text(STAFF_DATA, "遲交")


def test_done_occurrences_are_no_longer_overdue(talk):
    talk.send(STAFF_DATA, "回報 11 1月 完成")
    text = talk.text(STAFF_DATA, "逾期")
    assert "你有 8 項作業逾期" in text and "1/5（五）" not in text


def test_chief_sees_the_section_overdue_by_person_newest_first_with_a_more_button(talk):
    replies = talk.send(CHIEF_DATA, "逾期 戶籍資料課")
    text = replies[0].text
    assert text.startswith("戶籍資料課有 30 項作業逾期未完成（統計至 4/8（一））：")
    # Whoever has most comes first; each person's newest first, so page 1 never opens with January.
    first = text.split("\n")[2:4]
    assert first[0] == "▍王瑜（12 次）" and first[1].startswith("・3/29（五） ")
    assert "1/5（五）" not in text
    assert "第 1/2 頁，按「更多」看下一頁。" in text
    more = next(b for b in buttons(replies[0]) if b.label == "更多")
    page2 = talk.tap(CHIEF_DATA, more.data)[0].text
    assert "第 2/2 頁" in page2
    assert "▍李冠緯（9 次）\n・3/29（五） 2-6 " in page2
    assert "・1/5（五） 11 門牌指標設置及定期巡查管理｜期限｜逾 94 天｜未回報" in page2
    # 12 has two owners: it shows under each of them; the heading counts each person's own.
    assert page2.index("▍李冠緯") < page2.index("・1/31（三） 12 門牌點位及上傳管理", page2.index("▍李冠緯"))
    assert "・1/31（三） 12 門牌點位及上傳管理" in page2.split("▍李冠緯")[0]


def test_own_overdue_list_is_newest_first(talk):
    text = talk.text(STAFF_DATA, "逾期")
    assert text.index("・3/29（五） 12 ") < text.index("・3/5（二） 11 ") < text.index("・1/5（五） 11 ")


def test_chief_of_another_section_and_staff_are_refused_the_section(talk):
    refused = talk.text(CHIEF_REG, "逾期 戶籍資料課")
    assert "你可以看自己課室（戶籍登記課）的資料" in refused and "門牌" not in refused
    refused = talk.text(STAFF_DATA, "逾期 戶籍資料課")
    assert refused.startswith("抱歉，戶籍資料課的資料只開放給該課課長、研考和主任查看。")
    assert "11 門牌" not in refused


def test_only_coordinator_and_director_see_the_whole_office(talk):
    assert talk.text(CHIEF_DATA, "逾期 全所").startswith("抱歉，全所的資料只開放給研考和主任查看。")
    assert talk.text(STAFF_REG, "逾期 全所").startswith("抱歉，全所的資料只開放給研考和主任查看。")
    for who in (COORDINATOR, DIRECTOR):
        text = talk.text(who, "逾期 全所")
        assert "全所有" in text and "項作業逾期未完成" in text
        assert "【戶籍登記課】" in text


def test_coordinator_sees_any_section(talk):
    text = talk.text(COORDINATOR, "本月 戶籍資料課")
    assert text.startswith("本月（4/1（一）～4/30（二））戶籍資料課有")
    assert "・11 門牌指標設置及定期巡查管理｜期限（4/5 遇假日順延）｜⬜未回報｜李冠緯" in text
    assert "・戶籍資料課 11" in talk.text(COORDINATOR, "本月 全所")


def test_unknown_section_is_named(talk):
    text = talk.text(COORDINATOR, "逾期 民政課")
    assert "找不到「民政課」這個課室" in text and "戶籍資料課" in text


def test_mine_lists_items_with_next_due_and_what_is_left(talk):
    text = talk.text(STAFF_DATA, "我的")
    assert text.startswith("你今年還有 5 個項目要辦（4/8（一） 起）：")
    assert "・11 門牌指標設置及定期巡查管理｜下次 4/8（一） 期限（4/5 遇假日順延）｜⬜未回報｜今年還有 9 次｜⚠️ 3 次逾期" in text
    assert "・1 辦理到校受理國中生初領國民身分證業務｜下次 5/31（五） 3-5月作業｜⬜未回報｜今年還有 1 次" in text


def test_mine_drops_an_item_whose_year_is_done(talk):
    talk.at("2024-06-03 09:00")
    for month in (3, 4, 5):
        talk.send(STAFF_DATA, f"回報 1 {month}月 完成")
    assert "辦理到校受理" not in talk.text(STAFF_DATA, "我的")


def test_a_director_without_items_is_told_so(talk):
    assert talk.text(DIRECTOR, "我的") == "名冊上你目前沒有負責的計畫項目。如有錯誤請洽研考。\n" + " ".join(
        f"[{b.label}]" for b in buttons(talk.send(DIRECTOR, "我的")[0])
    )


def test_list_text_with_trailing_words_is_searched_instead(talk):
    # 本月報表 is not 本月 + something: it is searched as an item name.
    text = talk.text(STAFF_DATA, "本月報表")
    assert not text.startswith("本月（")


def test_lists_carry_navigation_buttons_without_the_current_one(talk):
    reply = talk.send(STAFF_DATA, "本週")[0]
    assert isinstance(reply, Text)
    labels = [b.label for b in reply.quick_replies]
    assert "本週" not in labels and {"今天", "下週", "逾期", "我的"} <= set(labels)


def test_those_who_see_more_get_a_button_for_the_wider_list(talk):
    def labels(who, text):
        return [b.label for b in talk.send(who, text)[0].quick_replies]

    assert labels(CHIEF_DATA, "逾期")[0] == "逾期 戶籍資料課"
    assert labels(COORDINATOR, "本週")[0] == "本週 全所"
    assert labels(DIRECTOR, "下個月")[0] == "下個月 全所"
    assert not any(" " in label for label in labels(STAFF_DATA, "逾期"))


def test_january_before_the_new_plan_names_the_plan_year_not_this_year(talk):
    talk.at("2025-01-02 09:00")
    text = talk.text(STAFF_DATA_2, "我的")
    assert text.startswith("你113年度還有 5 個項目要辦（1/2（四） 起）：")
    assert "今年" not in text and "｜113年度沒有後續作業｜⚠️ 12 次逾期" in text
    assert "114年度的工作計畫還沒匯入" in talk.text(STAFF_DATA_2, "本週")


def test_next_month_in_december_says_the_next_plan_is_not_imported_yet(talk):
    talk.at("2024-12-20 09:00")
    text = talk.text(STAFF_DATA_2, "下個月")
    # 12 門牌點位 is still due 12/31: "nothing left this year" would be false (issue 11, point 6).
    # …and it comes before the month asked about, so it is not called the next one after it.
    assert text.startswith("下個月（1/1（三）～1/31（五））你沒有作業到期。\n在那之前，還有 12/31（二） 的「")
    assert "114年度的工作計畫還沒匯入，這段期間的作業要等匯入後才看得到。" in text
    talk.at("2024-11-20 09:00")
    assert "還沒匯入" not in talk.text(STAFF_DATA_2, "下個月")


# ---------------------------------------------------------------- month words, days and dates (issue 11, point 1)


def test_a_month_word_lists_my_work_due_that_month(talk):
    talk.at("2024-12-02 09:00")
    december = talk.text(STAFF_DATA, "12月")
    assert december.startswith("12月（12/1（日）～12/31（二））你有 3 項作業到期：")
    assert "・11 門牌指標設置及定期巡查管理｜期限｜⬜未回報" in december
    assert "國籍歸化" not in december  # another section's item that 12月 used to open as a card
    assert talk.text(STAFF_DATA, "11月").startswith("11月（11/1（五）～11/30（六））你有 3 項作業到期：")
    assert talk.text(STAFF_DATA, "十一月").startswith("11月（11/1（五）～11/30（六））")
    assert talk.text(STAFF_DATA, "1月的工作").startswith("1月（1/1（一）～1/31（三））你有 ")
    assert talk.text(STAFF_DATA, "上個月").startswith("上個月（11/1（五）～11/30（六））你有 3 項作業到期：")


def test_a_month_word_with_a_section_is_that_sections_month(talk):
    text = talk.text(CHIEF_DATA, "3月 戶籍資料課")
    assert text.startswith("3月（3/1（五）～3/31（日））戶籍資料課有 ")
    assert "本月（" not in text
    assert talk.text(STAFF_DATA, "13月").startswith("抱歉，我看不懂")


def test_the_day_after_tomorrow_and_a_date(talk):
    talk.at("2024-12-02 09:00")
    assert talk.text(STAFF_DATA, "後天").startswith("後天（12/4（三））你沒有作業到期。\n下一項是 12/5（四） 的「門牌指標設置及定期巡查管理」。")
    text = talk.text(STAFF_DATA, "12/5")
    assert text.startswith("12/5（四）你有 1 項作業到期：")
    assert "・11 門牌指標設置及定期巡查管理｜期限｜⬜未回報" in text
    assert talk.text(STAFF_DATA, "２／３１").startswith("沒有 2/31 這一天")


def test_last_month_in_january_is_last_years_december(talk):
    assert span("last_month", date(2025, 1, 15)) == (date(2024, 12, 1), date(2024, 12, 31))
    assert span("day_after_tomorrow", date(2024, 12, 30)) == (date(2025, 1, 1), date(2025, 1, 1))


# ---------------------------------------------------------------- who is answered how (issue 11, point 10)


def test_today_on_a_holiday_says_it_is_one(talk):
    talk.at("2024-10-10 09:00")
    text = talk.text(STAFF_DATA, "今天")
    assert text.startswith("今天（10/10（四））是國慶日，放假。")
    talk.at("2024-10-12 09:00")
    assert talk.text(STAFF_DATA, "今天").startswith("今天（10/12（六））是週末，放假。")
    talk.at("2024-10-11 09:00")
    assert "放假" not in talk.text(STAFF_DATA, "今天")


def test_the_coordinator_is_not_told_to_ask_the_coordinator(talk):
    text = talk.text(COORDINATOR, "我的")
    assert "請洽研考" not in text
    assert text.startswith("名冊上你目前沒有負責的計畫項目。全所的進度可以傳「摘要 全所」或「逾期 全所」查看。")


def test_an_empty_own_overdue_list_mentions_the_wider_one(talk):
    talk.at("2024-12-02 09:00")
    text = talk.text(COORDINATOR, "逾期")
    assert "很好" not in text
    assert text.startswith("你自己目前沒有逾期的作業。全所有 ")
    assert "項作業逾期未完成，傳「逾期 全所」看全部。" in text
    chief = talk.text(CHIEF_REG, "逾期")
    assert "很好" not in chief and "戶籍登記課有 " in chief and "傳「逾期 戶籍登記課」看全部" in chief


def test_more_typed_shows_the_next_page_of_the_last_list(talk):
    first = talk.text(CHIEF_DATA, "逾期 戶籍資料課")
    talk.text(CHIEF_DATA, "查 門牌")  # another message in between: the 更多 button is gone from view
    page2 = talk.text(CHIEF_DATA, "更多")
    assert "第 2/2 頁" in page2 and "3/29（五）" in page2 and page2 != first
    assert talk.text(STAFF_REG, "更多").startswith("目前沒有還沒看完的清單。")


def test_a_late_completion_reads_as_such_in_lists(talk):
    """Lists say the occurrence's one state: done after its date is 逾期完成, never plain 已完成."""
    talk.send(STAFF_DATA, "回報 11 3月 完成")  # due 3/5, reported 4/8
    text = talk.text(STAFF_DATA, "3月")
    line = next(ln for ln in text.splitlines() if ln.startswith("・11 "))
    assert line.endswith("✅逾期完成")
