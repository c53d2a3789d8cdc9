"""查 and free text: fuzzy search over titles and content, item cards, and who sees an item's progress."""

from __future__ import annotations

import pytest

from handlers.core.replies import Card, Text, plain_text
from handlers.texts import chat as M
from tests.handler_fixtures import (
    CHIEF_DATA,
    CHIEF_REG,
    COORDINATOR,
    DIRECTOR,
    STAFF_DATA,
    STAFF_DATA_2,
    STAFF_REG,
    buttons,
    read,
)


def test_a_unique_match_shows_the_item_card(talk):
    [card] = talk.send(STAFF_DATA, "門牌月報表")
    assert isinstance(card, Card)
    assert card.title == "11 門牌指標設置及定期巡查管理" and card.subtitle == "戶籍資料課"
    rows = {r.label: r.value for r in card.rows}
    assert rows["預定時程"] == "每月5日前"
    assert rows["系統讀法"] == "每月 5 日前（遇假日順延至次一工作日）"
    assert rows["接下來"] == "4月：4/8（一）截止（4/5 遇假日順延）\n5月：5/6（一）截止（5/5 遇假日順延）\n6月：6/5（三）截止"
    assert rows["承辦人"] == "李冠緯"
    assert rows["考核指標"].startswith("民政局考核： *門牌月報表項目")
    assert rows["本次作業"] == "4月：4/8（一）截止（4/5 遇假日順延）｜⬜未回報"
    assert rows["最新狀況"] == "未回報"
    assert [b.label for b in card.buttons] == ["完成", "進行中", "延後", "說明落後原因"]  # an earlier month is overdue


def test_several_matches_offer_buttons_to_pick_one(talk):
    [reply] = talk.send(STAFF_DATA, "查 門牌")
    assert isinstance(reply, Text)
    assert reply.text.startswith("有 3 個項目和「門牌」有關，請選一項：")
    assert "1. 戶籍資料課 11 門牌指標設置及定期巡查管理" in reply.text
    assert "2. 戶籍資料課 12 門牌點位及上傳管理" in reply.text
    assert [b.label for b in reply.quick_replies][:2] == ["11 門牌指標設置及定期巡查管理", "12 門牌點位及上傳管理"]
    [card] = talk.tap(STAFF_DATA, reply.quick_replies[1].data)
    assert isinstance(card, Card) and card.title == "12 門牌點位及上傳管理"


def test_sub_items_are_told_apart_by_their_content(talk):
    [reply] = talk.send(STAFF_REG, "查 戶籍清查")
    assert reply.text.startswith("有 8 個項目和「戶籍清查」有關")
    assert "6-2 戶籍清查業務：90歲以上未滿百歲最近1年未使用健保卡者" in reply.text
    assert reply.quick_replies[0].label.startswith("6-1 致贈百歲人瑞金鎖片")


def test_search_synonyms_and_spacing(talk):
    expected = read(talk.send(STAFF_DATA, "查 門牌"))
    for text in ("查門牌", "查詢 門牌", "搜尋　門牌", "找 門牌", "門牌"):
        assert read(talk.send(STAFF_DATA, text)) == expected


def test_search_by_number_prefers_my_own_item(talk):
    [card] = talk.send(STAFF_DATA, "查 11")
    assert card.title == "11 門牌指標設置及定期巡查管理"
    [card] = talk.send("楊凱", "查 11")  # 行政庶務課: their section's 11
    assert card.title == "11 預防措施安全狀況檢查"


def test_a_number_in_several_sections_asks_which(talk):
    [reply] = talk.send(STAFF_REG, "查 11")
    assert reply.text.startswith("編號 11 在好幾個課室都有，請選一項：")
    assert "戶籍資料課 11 門牌指標設置及定期巡查管理" in reply.text and "行政庶務課 11 預防措施安全狀況檢查" in reply.text


def test_a_section_qualified_number_is_exact(talk):
    [card] = talk.send(STAFF_REG, "查 戶籍資料課 11")
    assert card.title == "11 門牌指標設置及定期巡查管理"
    [card] = talk.send(STAFF_DATA, "查 行政庶務課 11")
    assert card.title == "11 預防措施安全狀況檢查"


def test_public_details_for_anyone_progress_only_for_owners_chiefs_coordinator_director(talk):
    talk.send(STAFF_DATA, "回報 11 4月 完成 已陳報民政局")
    seen = {}
    for who in (STAFF_DATA, STAFF_DATA_2, STAFF_REG, CHIEF_DATA, CHIEF_REG, COORDINATOR, DIRECTOR):
        [card] = talk.send(who, "查 戶籍資料課 11")
        rows = {r.label: r.value for r in card.rows}
        assert rows["預定時程"] == "每月5日前" and rows["承辦人"] == "李冠緯"
        seen[who] = rows.get("最新狀況")
    assert seen[STAFF_DATA] == seen[CHIEF_DATA] == seen[COORDINATOR] == seen[DIRECTOR] == "4月：已完成（李冠緯，4/8（一））"
    assert seen[STAFF_DATA_2] is None and seen[STAFF_REG] is None and seen[CHIEF_REG] is None


def test_report_buttons_only_for_those_who_may_report(talk):
    def labels(who):
        [card] = talk.send(who, "查 戶籍資料課 11")
        return [b.label for b in card.buttons]

    assert labels(STAFF_DATA) == labels(CHIEF_DATA) == labels(COORDINATOR) == ["完成", "進行中", "延後", "說明落後原因"]
    assert labels(STAFF_DATA_2) == labels(CHIEF_REG) == labels(DIRECTOR) == []


def test_card_postbacks_stay_inside_the_office_and_are_checked(talk):
    assert read(talk.tap(STAFF_DATA, "a=card&i=999999")) == "這個按鈕已經失效了，請重新輸入指令（例如「本週」或「說明」）。"
    assert "失效" in read(talk.tap(STAFF_DATA, "a=card&i=abc"))


def test_nothing_found_says_so(talk):
    assert read(talk.send(STAFF_DATA, "查 xyzzy")) == "找不到和「xyzzy」有關的項目。可以換個關鍵字，或用編號查，例如：查 11"
    assert read(talk.send(STAFF_DATA, "查")).startswith("請在「查」後面加上關鍵字或編號")


def test_free_text_that_matches_nothing_is_not_understood_with_suggestions(talk):
    [reply] = talk.send(STAFF_DATA, "咖啡機 xyzzy")
    assert reply.text.startswith("抱歉，我看不懂「咖啡機 xyzzy」。")
    assert reply.quick_replies[-1].label == "說明"
    [reply] = talk.send(STAFF_DATA, "謝謝")
    assert reply.text == "不客氣！有需要隨時找我。"


def test_a_card_shows_the_items_points_and_every_owner(sqlite_db, now, tmp_path):
    """Plans like 大同區公所's give 配分 and several owners in the title (市容查報 (2分/劉淑敏))."""
    from sqlalchemy import select

    from handlers.core.incoming import Settings
    from handlers.office.imports.plan import import_plan
    from schedules.clock import FixedClock
    from storage.models import Role, Staff
    from tests.handler_fixtures import Talk, write_plan_csv

    path = write_plan_csv(tmp_path / "plan.csv", [
        ("民政課", "1", "市容查報 (2分/劉淑敏)", "", "", "每月"),
        ("兵役課", "1", "兵調體檢業務 (10.5分/郭珊青、丁國梅)", "", "", "5-6月"),
    ])
    with sqlite_db.sessions() as session:
        import_plan(session, path, 2024, now, office_name="臺北市大同區公所")
        staff = session.scalar(select(Staff).where(Staff.name == "丁國梅"))
        staff.line_user_id, staff.role = "Uding", Role.staff
        session.commit()
        talk = Talk(session, FixedClock(now), Settings())
        [card] = talk.send("Uding", "查 兵調體檢")
        rows = {r.label: r.value for r in card.rows}
        assert rows["配分"] == "10.5 分" and rows["承辦人"] == "郭珊青、丁國梅"
        [asked] = talk.send("Uding", "市容查報")  # 民政課's item, not hers: asked, then opened on a tap
        assert asked.text.startswith(M.SEARCH_MAYBE) and len(asked.quick_replies) == 1
        [card] = talk.tap("Uding", asked.quick_replies[0].data)
        assert {r.label: r.value for r in card.rows}["配分"] == "2 分"


@pytest.mark.parametrize("word", ["上週", "上周", "月底", "本月", "下週三", "這禮拜", "逾期", "本越", "遇期"])
def test_time_and_command_words_never_open_an_item(talk, word):
    """7-2's 工作內容 says 上周 and 2-6's 月底: a time word typed alone is the span, never those items."""
    replies = talk.send(STAFF_DATA, word)
    assert not any(isinstance(r, Card) for r in replies)
    assert not any(getattr(b, "data", None) and "a=card" in b.data for r in replies for b in buttons(r))


def test_a_near_miss_asks_instead_of_opening_a_card(talk):
    [reply] = talk.send(STAFF_DATA, "門牌點位上傳")  # no item says this whole: 12 門牌點位及上傳管理 is asked about
    assert reply.text.startswith(M.SEARCH_MAYBE)
    [card] = talk.tap(STAFF_DATA, reply.quick_replies[0].data)
    assert card.title.endswith("門牌點位及上傳管理") or "門牌點位及上傳管理" in plain_text(card)
    [card] = talk.send(STAFF_DATA, "門牌點位")  # found whole in the title of an item of her own section: the card
    assert isinstance(card, Card)


def test_another_sections_item_is_asked_about_for_staff_but_opened_for_chiefs(talk):
    [reply] = talk.send(STAFF_DATA, "勞資會議")  # 行政庶務課 15, and 李冠緯 is in 戶籍資料課
    assert isinstance(reply, Text) and reply.text.startswith(M.SEARCH_MAYBE)
    assert [b.label for b in reply.quick_replies] == ["15 勞資會議"]
    [card] = talk.send(CHIEF_DATA, "勞資會議")
    assert isinstance(card, Card)


def test_a_number_in_two_sections_names_the_section_on_each_button(talk):
    [reply] = talk.send(CHIEF_DATA, "查 6-2")  # 6-2 is in 戶籍登記課 and 行政庶務課, neither hers
    assert reply.text.splitlines()[2:] == [
        "1. 戶籍登記課 6-2 戶籍清查業務：90歲以上未滿百歲最近1年未使用健保卡者(3/1-4…",
        "2. 行政庶務課 6-2 績優人員提報：2. 每半年提報民政團隊優良志願服務人員",
    ]
    assert [b.label for b in reply.quick_replies] == ["登記課 6-2 90歲以上未滿百歲最近…", "庶務課 6-2 每半年提報民政團隊優良…"]
    [card] = talk.tap(CHIEF_DATA, reply.quick_replies[1].data)
    assert card.title == "6-2 績優人員提報" and card.subtitle == "行政庶務課"


def test_same_named_sub_items_are_told_apart_by_their_schedule(sqlite_db, now, tmp_path):
    """大同區公所's 兵役課 1-1…1-8 are all 兵調體檢業務 with no 工作內容 of their own."""
    from sqlalchemy import select

    from handlers.core.incoming import Settings
    from handlers.office.imports.plan import import_plan
    from schedules.clock import FixedClock
    from storage.models import Role, Staff
    from tests.conftest import DATA
    from tests.handler_fixtures import Talk

    with sqlite_db.sessions() as session:
        import_plan(session, DATA / "datong-113.csv", 2024, now, office_name="臺北市大同區公所")
        staff = session.scalar(select(Staff).where(Staff.name == "丁國梅"))
        staff.line_user_id, staff.role = "Uding", Role.staff
        session.commit()
        talk = Talk(session, FixedClock(now), Settings())
        [reply] = talk.send("Uding", "查 兵調")
        lines = reply.text.splitlines()[2:]
        assert lines[:3] == [
            "1. 兵役課 1-1 兵調體檢業務：實地(5-6 月)",
            "2. 兵役課 1-2 兵調體檢業務：書面(7-8 月)",
            "3. 兵役課 1-3 兵調體檢業務：實地(至體檢場查核體檢現場…",
        ]
        labels = [b.label for b in reply.quick_replies]
        assert labels[:3] == ["1-1 兵調體檢業務：實地(5-6 月)", "1-2 兵調體檢業務：書面(7-8 月)", "1-3 兵調體檢業務：實地(至體檢場查…"]
        assert len(set(lines)) == len(lines) == 8 and all(len(label) <= 20 for label in labels)
        [pick] = talk.send("Uding", "回報 1 完成")
        assert "・兵役課 1-1 兵調體檢業務：實地(5-6 月)" in pick.text
        assert pick.quick_replies[0].label == "1-1 兵調體檢業務：實地(5-6 月)"


def test_words_typed_by_sound_find_the_item(talk):
    # Zhuyin input slips: 們牌 and 門排 sound like 門牌 (issue 11, point 8).
    for typo in ("們牌", "查 門排"):
        [choice] = talk.send(STAFF_DATA, typo)
        assert isinstance(choice, Text) and "門牌指標設置及定期巡查管理" in choice.text, typo
        assert "門牌點位及上傳管理" in choice.text
    [asked] = talk.send(STAFF_DATA, "門牌點爲")  # a guess by sound is asked about, one tap opens it
    assert asked.text.startswith(M.SEARCH_MAYBE) and [b.label for b in asked.quick_replies] == ["12 門牌點位及上傳管理"]
    [card] = talk.tap(STAFF_DATA, asked.quick_replies[0].data)
    assert isinstance(card, Card) and card.title == "12 門牌點位及上傳管理"


def test_undo_words_are_commands_not_searches(talk):
    for word in ("撤銷", "取消"):
        [reply] = talk.send(STAFF_DATA, word)
        assert isinstance(reply, Text) and reply.text.startswith("你在 24 小時內沒有可以撤銷的回報"), word


def test_a_card_says_why_a_schedule_is_not_read(talk):
    from storage import queries

    office = queries.only_office(talk.session)
    plan = queries.latest_plan(talk.session, office.id, 2024)
    item = next(i for i in queries.items_of_plan(talk.session, plan.id) if i.number == "11" and i.section.name == "戶籍資料課")
    item.schedule_text, item.schedule_problem, item.schedule = "112.12.31前", "看不懂的時程：「112.12.31前」", None
    talk.session.flush()
    [card] = talk.send(STAFF_DATA, "查 戶籍資料課 11")
    rows = {r.label: r.value for r in card.rows}
    assert rows["預定時程"] == "時程待確認：這個日期在 112 年，不在 113 年的計畫內\n112.12.31前"
    assert "系統讀法" not in rows
