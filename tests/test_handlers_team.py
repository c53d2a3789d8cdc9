"""What team leads ask about people, per role, on the demo plan (Monday 2024-04-08): 未回報, 逾期 姓名, 綁定碼."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import AuditLog
from tests.handler_fixtures import (
    CHIEF_DATA,
    CHIEF_REG,
    COORDINATOR,
    DIRECTOR,
    STAFF_DATA,
    STAFF_REG,
    STRANGER,
    buttons,
)

# ---------------------------------------------------------------- 未回報


def test_chief_sees_own_section_unreported_by_person_overdue_first(talk):
    text = talk.text(CHIEF_DATA, "未回報")
    assert text.startswith("戶籍資料課有 11 次作業還沒有人回報（3/1（五）以來到期的，和正在辦理期間的），共 4 位同仁：")
    assert "▍李冠緯（4 次）" in text
    mine = text.split("▍李冠緯（4 次）\n")[1].split("\n\n")[0].splitlines()
    # Overdue first (newest first, marked), then what is due today; a date a rest day moved says so.
    assert mine[0].startswith("・3/29（五） 2-6 ") and mine[0].endswith("⚠️")
    assert mine[2] == "・3/5（二） 11 門牌指標設置及定期巡查管理｜期限⚠️"
    assert mine[3] == "・4/8（一） 11 門牌指標設置及定期巡查管理｜期限（4/5 遇假日順延）"
    assert "5/31" not in text  # a period not yet due is nobody's 未回報
    assert "1/5（五）" not in text  # before last month: that is 逾期's business
    assert "戶籍登記課" not in text and "張書維" not in text
    assert talk.text(CHIEF_DATA, "誰還沒回報") == text


def test_a_report_takes_the_occurrence_off_the_unreported_list(talk):
    talk.send(STAFF_DATA, "回報 11 3月 未開始")
    text = talk.text(CHIEF_DATA, "未回報")
    assert "▍李冠緯（3 次）" in text and "3/5（二） 11 " not in text


def test_unreported_pages_through_everyone_once(talk):
    [reply] = talk.send(COORDINATOR, "未回報")
    more = next(b for b in buttons(reply) if b.label == "更多")
    page2 = talk.tap(COORDINATOR, more.data)[0].text
    assert "第 2/3 頁" in page2
    page3 = talk.send(COORDINATOR, "更多")[0].text
    assert "第 3/3 頁" in page3 and talk.send(COORDINATOR, "更多")[0].text == page3


def test_coordinator_and_director_see_the_office_by_section_or_one_section(talk):
    for who in (COORDINATOR, DIRECTOR):
        text = talk.text(who, "未回報")
        assert text.startswith("全所有 48 次作業還沒有人回報") and "共 13 位同仁" in text
        assert text.split("\n")[2:4] == ["【戶籍登記課】", "▍張書維（7 次）"]
        assert talk.text(who, "未回報 全所") == text
    one = talk.text(COORDINATOR, "未回報 戶籍資料課")
    assert one == talk.text(CHIEF_DATA, "未回報")


def test_staff_and_other_sections_are_refused_unreported(talk):
    for who in (STAFF_DATA, STAFF_REG):
        text = talk.text(who, "未回報")
        assert text == "抱歉，誰還沒回報只提供給課長、研考和主任。你可以傳「逾期」或「我的」查看自己負責的項目。"
    assert talk.text(CHIEF_DATA, "未回報 全所").startswith("抱歉，全所的資料只開放給研考和主任查看。")
    refused = talk.text(CHIEF_REG, "未回報 戶籍資料課")
    assert "你可以看自己課室（戶籍登記課）的資料" in refused and "李冠緯" not in refused
    assert talk.text(CHIEF_DATA, "未回報 戶籍資料課") == talk.text(CHIEF_DATA, "未回報")


def test_unreported_with_words_it_does_not_take_says_how_to_ask(talk):
    text = talk.text(CHIEF_DATA, "未回報 3月")
    assert text.startswith("請這樣問：未回報、未回報 全所、未回報 戶籍資料課。") and "戶籍登記課" in text


# ---------------------------------------------------------------- 逾期 姓名 / 查 姓名


def test_chief_asks_about_one_person_in_own_section(talk):
    text = talk.text(CHIEF_DATA, "逾期 李冠緯")
    assert text.startswith("李冠緯（戶籍資料課）逾期未完成 9 次，30 天內還有 6 次要辦（統計至 4/8（一））：")
    late = text.split("【逾期，最近的在前】\n")[1].split("\n\n")[0].splitlines()
    assert late[0].startswith("・3/29（五） ") and late[-1] == "・1/5（五） 11 門牌指標設置及定期巡查管理｜期限｜逾 94 天｜未回報"
    assert "【30 天內到期】\n・4/8（一） 11 門牌指標設置及定期巡查管理｜期限（4/5 遇假日順延）｜⬜未回報" in text
    assert talk.text(CHIEF_DATA, "查 李冠緯") == text
    assert talk.text(STAFF_DATA, "逾期 李冠緯") == text  # one's own work


def test_coordinator_and_director_ask_about_anyone(talk):
    for who in (COORDINATOR, DIRECTOR):
        text = talk.text(who, "查 張書維")
        assert text.startswith("張書維（戶籍登記課）逾期未完成 19 次")
        assert "……還有 4 次" in text  # 15 shown, the rest counted


def test_asking_about_another_sections_person_or_a_colleague_is_refused(talk):
    refused = talk.text(CHIEF_DATA, "逾期 張書維")
    assert refused == "張書維不是你課室（戶籍資料課）的同仁；其他課室同仁的工作請洽研考。"
    refused = talk.text(STAFF_DATA, "查 劉宗佑")
    assert refused.startswith("抱歉，劉宗佑的工作只開放給本人、所屬課長、研考和主任查看。")
    assert "門牌" not in refused


def test_a_name_nobody_has_is_still_an_item_search(talk):
    assert "門牌" in talk.text(CHIEF_DATA, "查 門牌")
    assert talk.text(CHIEF_DATA, "逾期 戶籍資料課").startswith("戶籍資料課有 30 項")


def test_a_person_with_nothing_assigned(talk):
    text = talk.text(COORDINATOR, f"查 {COORDINATOR}")
    assert text == f"名冊上{COORDINATOR}（行政庶務課）目前沒有負責的計畫項目。"


# ---------------------------------------------------------------- 綁定碼


def test_coordinator_issues_a_binding_code_that_links(talk):
    text = talk.text(COORDINATOR, "綁定碼 張書維")
    code = text.split("的綁定碼：")[1].split("\n")[0]
    assert len(code) == 8
    assert f"請張書維私訊我傳「綁定 {code}」。" in text
    assert "4/11（四） 09:00 前有效，只能用一次" in text
    assert "目前已綁定 LINE 帳號" in text  # 張書維 is linked on the demo database
    linked = talk.text(STRANGER, f"綁定 {code}")
    assert linked.startswith("綁定成功！張書維（戶籍登記課・承辦人）你好。")
    actors = talk.session.scalars(select(AuditLog.actor).where(AuditLog.action == "staff.invite")).all()
    assert actors == [f"line:{talk.line_id(COORDINATOR)}"]


def test_a_new_code_replaces_the_last_one(talk):
    first = talk.text(COORDINATOR, "綁定碼 張書維").split("的綁定碼：")[1].split("\n")[0]
    talk.text(COORDINATOR, "綁定碼 張書維")
    assert talk.text(STRANGER, f"綁定 {first}").startswith("綁定碼不正確")


def test_binding_codes_are_the_coordinators_alone(talk):
    for who in (CHIEF_DATA, STAFF_DATA, DIRECTOR):
        assert talk.text(who, "綁定碼 張書維") == "抱歉，綁定碼只能由研考發給同仁。"
    assert talk.session.scalars(select(AuditLog).where(AuditLog.action == "staff.invite")).all() == []


def test_binding_code_usage_and_unknown_names(talk):
    assert talk.text(COORDINATOR, "綁定碼").startswith("請寫出同仁的姓名")
    assert talk.text(COORDINATOR, "綁定碼 王大明").startswith("名冊上找不到「王大明」")


# ---------------------------------------------------------------- 本月 for those who see the office


def test_coordinator_this_month_is_what_the_office_still_has_to_hand_in(talk):
    for who in (COORDINATOR, DIRECTOR):
        [reply] = talk.send(who, "本月")
        text = reply.text
        assert text.startswith("本月（4/1（一）～4/30（二））全所還有 45 次作業還沒完成，依課室和承辦人：")
        assert "【戶籍資料課】11 次（已逾期 0）\n李冠緯 4、王瑜 4、劉宗佑 3、蔡宜臻 3" in text
        assert "【戶籍登記課】17 次（已逾期 2）" in text
        assert "本月 戶籍資料課" in [b.label for b in buttons(reply)]
    talk.send(STAFF_DATA, "回報 11 4月 完成")
    assert "【戶籍資料課】10 次（已逾期 0）\n王瑜 4、劉宗佑 3、李冠緯 3、蔡宜臻 3" in talk.text(COORDINATOR, "本月")


def test_this_month_stays_personal_for_owners_and_a_named_section(talk):
    assert talk.text(CHIEF_DATA, "本月").startswith("本月（4/1（一）～4/30（二））你")
    assert talk.text(COORDINATOR, "本月 戶籍資料課").startswith("本月（4/1（一）～4/30（二））戶籍資料課有")
