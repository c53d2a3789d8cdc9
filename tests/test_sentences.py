"""Sentences typed the way people here type on LINE get the answer of the command they mean.

Each row is (who, what they typed, the command it means). The test sends both, as the same person at the same
moment, and compares what comes back: the text, the cards and every button. Nothing is compared with a text
written here, so a change of wording in a command changes both sides alike.
"""

from __future__ import annotations

import re

import pytest

from handlers.core.replies import Card, plain_text
from handlers.texts import chat as M
from storage import queries
from storage.models import ProgressReport
from tests.handler_fixtures import (
    CHIEF_REG,
    COORDINATOR,
    DIRECTOR,
    STAFF_DATA,
    STAFF_REG,
    Talk,
    buttons,
)

ONE_TIME = re.compile(r"/files/[\w-]+")
S, R, C, K, D = STAFF_DATA, STAFF_REG, CHIEF_REG, COORDINATOR, DIRECTOR
# The demo's Monday 2024-04-08: 下週三 is 4/17, 這禮拜五 4/12, 上禮拜一 4/1.
ROWS: list[tuple[str, str, str]] = [
    # ---- 今天 / 明天 / 後天
    (S, "今天有什麼要交的嗎？", "今天"),
    (S, "請問今天有要做的事嗎", "今天"),
    (S, "今天要交什麼", "今天"),
    (S, "今天有東西要交嗎?謝謝", "今天"),
    (S, "今日有什麼要辦的", "今天"),
    (S, "今天的工作有哪些呢", "今天"),
    (S, "今天要幹嘛", "今天"),
    (S, "今天有什麼要繳交的", "今天"),
    (R, "今天有沒有到期的", "今天"),
    (R, "今天 有啥要做", "今天"),
    (S, "明天有什麼要交", "明天"),
    (S, "明天要交什麼呀", "明天"),
    (R, "請問明天有到期的嗎。", "明天"),
    (S, "明天的事有哪些", "明天"),
    (S, "後天要交的有哪些", "後天"),
    (R, "後天有什麼事情嗎", "後天"),
    # ---- 本週 / 下週 / 上週
    (S, "請問這禮拜有什麼要做的嗎？謝謝", "本週"),
    (S, "這禮拜有什麼要交", "本週"),
    (S, "這週要交什麼", "本週"),
    (S, "這周有什麼事", "本週"),
    (S, "本週待辦", "本週"),
    (S, "這個禮拜要做什麼呢", "本週"),
    (S, "這星期有哪些要交的", "本週"),
    (R, "我這禮拜有什麼工作", "本週"),
    (R, "這禮拜內有要交的嗎？", "本週"),
    (R, "這裡拜有什麼要交", "本週"),  # 注音 slip: 這裡拜
    (S, "請問一下這週有什麼要處理的？謝謝您", "本週"),
    (S, "下禮拜有什麼要交", "下週"),
    (S, "下週要做什麼", "下週"),
    (S, "下周有什麼事情", "下週"),
    (S, "下個禮拜要交的", "下週"),
    (R, "下星期有什麼要辦", "下週"),
    (R, "請問下週有哪些到期的嗎", "下週"),
    (S, "上禮拜", "上週"),
    (S, "上週", "上週"),
    (S, "上周有什麼要交的", "上週"),
    (R, "上個禮拜有哪些到期", "上週"),
    (R, "上星期的工作", "上週"),
    # ---- 本月 / 下個月 / 上個月 / 月底
    (S, "我這個月還有什麼要交", "本月"),
    (S, "這個月還有什麼要交", "本月"),
    (S, "本月還有什麼要交", "本月"),
    (S, "本越", "本月"),  # 注音 slip: 越 for 月
    (S, "本越有什麼要交", "本月"),
    (S, "這個月有哪些工作", "本月"),
    (S, "這月要交什麼", "本月"),
    (S, "這個月的作業有哪些？", "本月"),
    (S, "月底", "本月"),
    (S, "月底前要交什麼", "本月"),
    (S, "月底有什麼要交嗎", "本月"),
    (R, "這個月底要交的", "本月"),
    (R, "請問本月份有哪些要做的", "本月"),
    (R, "我這個月要交哪幾項", "本月"),
    (R, "這個越有什麼事", "本月"),
    (S, "下個月有什麼要交", "下個月"),
    (S, "下個月要做什麼", "下個月"),
    (S, "下月有哪些", "下個月"),
    (R, "下個月初要交的", "下個月"),
    (R, "下個月底有什麼要交嗎", "下個月"),
    (S, "上個月有什麼到期的", "上個月"),
    (R, "上個月的作業有哪些", "上個月"),
    (K, "這個月還有什麼要交", "本月"),
    (K, "本越全所", "本月 全所"),
    (K, "這個月戶籍登記課還有什麼沒交", "本月 戶籍登記課"),
    (D, "這個月全所還有什麼要交", "本月 全所"),
    (C, "戶籍登記課這個月還有什麼要交", "本月 戶籍登記課"),
    # ---- a day: 下週三, 12月31日, 115/12/31 (this year's plan is 113)
    (S, "下週三", "4/17"),
    (S, "下週三有什麼要交", "4/17"),
    (S, "下禮拜三要交什麼", "4/17"),
    (S, "下星期三有事嗎", "4/17"),
    (R, "請問下周三有要交的嗎？", "4/17"),
    (S, "這禮拜五有什麼要交", "4/12"),
    (S, "週五要交什麼", "4/12"),
    (S, "星期五有什麼事", "4/12"),
    (R, "禮拜五要交的", "4/12"),
    (S, "上禮拜一有什麼到期", "4/1"),
    (S, "下週一要交什麼", "4/15"),
    (S, "12月31日", "12/31"),
    (S, "12月31日有什麼要交", "12/31"),
    (S, "12月31號要交什麼", "12/31"),
    (S, "113/12/31", "12/31"),
    (S, "113年12月31日有什麼到期", "12/31"),
    (S, "2024/12/31", "12/31"),
    (R, "4月29日要交什麼", "4/29"),
    (R, "4/30有什麼要交的", "4/30"),
    (R, "請問4月30日有到期的嗎", "4/30"),
    (S, "4月29號有事嗎", "4/29"),
    # ---- a month
    (S, "5月有什麼要交", "5月"),
    (S, "五月要交什麼", "5月"),
    (S, "12月份有哪些要交的", "12月"),
    (R, "六月的工作有哪些", "6月"),
    (R, "請問7月有什麼要做的嗎", "7月"),
    # ---- 逾期
    (S, "我有沒有逾期的", "逾期"),
    (S, "有逾期的嗎", "逾期"),
    (S, "逾期的有哪些", "逾期"),
    (S, "遇期", "逾期"),  # 注音 slip: 遇 for 逾
    (S, "遇期的有哪些", "逾期"),
    (S, "我有什麼過期的", "逾期"),
    (S, "有沒有遲交的", "逾期"),
    (S, "請問我有逾期的嗎？謝謝", "逾期"),
    (S, "我有哪些已經過了期限", "逾期"),
    (S, "有沒有超過期限的", "逾期"),
    (R, "我逾期的有哪些呢", "逾期"),
    (R, "我有沒有東西遲交了", "逾期"),
    (R, "逾期了哪些", "逾期"),
    (R, "魚期", "逾期"),  # 注音 slip: 魚 for 逾
    (C, "我們課有沒有逾期的", "逾期 戶籍登記課"),
    (C, "我們課這個月還有什麼沒交", "本月 戶籍登記課"),
    (C, "本課逾期的有哪些", "逾期 戶籍登記課"),
    (C, "張書維的進度", "查 張書維"),
    (S, "逾期未完成的有哪些", "逾期"),
    (S, "我有哪些還沒交的逾期案件", "逾期"),
    (S, "我本週有哪些工作要完成", "本週"),
    (S, "11號完成", "回報 11 完成"),
    (R, "查逾期", "逾期"),
    (R, "查本週", "本週"),
    (R, "我還剩什麼沒做", "我的"),
    (K, "查一下陳怡君", "查 陳怡君"),
    (R, "今天ㄉ工作", "今天"),  # 注音 left in
    (R, "這禮拜有要交的嘛", "本週"),
    (C, "戶籍登記課有逾期的嗎", "逾期 戶籍登記課"),
    (C, "登記課逾期的有哪些", "逾期 戶籍登記課"),
    (C, "陳怡君有沒有逾期", "逾期 陳怡君"),
    (C, "陳怡君逾期的有哪些？", "逾期 陳怡君"),
    (K, "全所逾期的有哪些", "逾期 全所"),
    (K, "全所有沒有逾期的", "逾期 全所"),
    (K, "戶籍資料課有什麼逾期", "逾期 戶籍資料課"),
    (K, "請問李冠緯有逾期的嗎", "逾期 李冠緯"),
    (D, "全所遇期", "逾期 全所"),
    (D, "行政庶務課有沒有逾期的項目", "逾期 行政庶務課"),
    # ---- 未回報
    (C, "誰還沒回報", "未回報"),
    (C, "有誰還沒回報的", "未回報"),
    (C, "請問還有誰沒有回報", "未回報"),
    (C, "我們課誰還沒回報？", "未回報 戶籍登記課"),
    (K, "全所誰還沒回報", "未回報 全所"),
    (K, "戶籍登記課誰沒回報", "未回報 戶籍登記課"),
    (D, "有哪些還沒回報的", "未回報"),
    (S, "誰還沒回報", "未回報"),
    # ---- 我的 (what is still to do, no time said)
    (S, "我還有什麼要交", "我的"),
    (S, "我還有哪些還沒完成", "我的"),
    (S, "還有什麼沒做完", "我的"),
    (S, "我有什麼要做的", "我的"),
    (S, "我的待辦事項", "我的"),
    (S, "我負責的有哪些", "我的"),
    (S, "還沒交的有哪些", "我的"),
    (R, "我還有什麼工作", "我的"),
    (R, "請問我還有哪些要交的呢", "我的"),
    (R, "我還有什麼沒交", "我的"),
    (R, "尚未完成的有哪些", "我的"),
    # ---- 摘要, 匯出, 說明
    (C, "我想看摘要", "摘要"),
    (C, "給我本課的統計", "摘要"),
    (K, "全所的摘要", "摘要 全所"),
    (K, "幫我匯出管制表", "匯出"),
    (C, "請幫我匯出", "匯出"),
    (S, "這個要怎麼用", "說明"),
    (S, "你可以做什麼", "說明"),
    # ---- voice typing: commas and full stops wherever the speaker paused
    (S, "請問，我這個月，還有什麼要交？", "本月"),
    (S, "今天有什麼要交的，謝謝。", "今天"),
    (S, "下禮拜三，有沒有，要交的東西。", "4/17"),
    (R, "我有沒有，逾期的，謝謝", "逾期"),
    (R, "請問。這禮拜。有什麼工作。", "本週"),
    (C, "誰還沒回報，謝謝。", "未回報"),
    # ---- reports typed without 回報 (the command's own words, only the keyword missing)
    (S, "11 完成", "回報 11 完成"),
    (S, "完成 11", "回報 11 完成"),
    (S, "12 done", "回報 12 done"),
    (S, "12 Done", "回報 12 Done"),
    (S, "11完成", "回報 11 完成"),
    (S, "第12項 完成", "回報 12 完成"),
    (S, "第１２項完成", "回報 12 完成"),
    (S, "１１　完成", "回報 11 完成"),
    (S, "12 50%", "回報 12 50%"),
    (S, "12 50％ 已完成初稿", "回報 12 50% 已完成初稿"),
    (S, "11 3月 完成", "回報 11 3月 完成"),
    (S, "11 延後 等民政局回函", "回報 11 延後 等民政局回函"),
    (S, "12 進行中", "回報 12 進行中"),
    (S, "12 處理中", "回報 12 處理中"),
    (S, "11 已完成。", "回報 11 已完成。"),
    (S, "完成 12。", "回報 12 完成"),
    (S, "2-6 完成", "回報 2-6 完成"),
    (R, "6-2 完成", "回報 6-2 完成"),
    (R, "6-2 辦理中", "回報 6-2 辦理中"),
    # ---- a 編號 in Chinese numerals, between 第 and 項 or 號, wherever a 編號 is read
    (S, "第十二項 完成", "回報 12 完成"),
    (S, "第十二項 50%", "回報 12 50%"),
    (S, "第十二項50% 已完成初稿", "回報 12 50% 已完成初稿"),
    (S, "第十一號完成", "回報 11 完成"),
    (S, "完成 第十一項", "回報 11 完成"),
    (S, "回報 第十二項 完成", "回報 12 完成"),
    (S, "回報 第 十二 項 4月 完成", "回報 12 4月 完成"),
    (S, "查 第十二項", "查 12"),
    (S, "第十二項", "查 12"),
    (S, "查 第十項", "查 10"),
    (S, "查 第一〇項", "查 10"),
    (R, "第六之三項 完成", "回報 6-3 完成"),
    (R, "回報 第六之三項 辦理中", "回報 6-3 辦理中"),
    (R, "查 第六之二項", "查 6-2"),
    (S, "十二月有什麼要交", "12月"),  # a month stays a month
    (S, "十二月", "12月"),
]

# Reports from sentences: confirmed with one tap, whose button sends the command meant.
REPORT_ROWS: list[tuple[str, str, list[str]]] = [
    (S, "門牌那個做完了", ["回報 11 完成", "回報 12 完成"]),
    (S, "門牌點位那個做完了", ["回報 12 完成"]),
    (S, "門牌點位做好了", ["回報 12 完成"]),
    (S, "門牌指標已經弄好了喔", ["回報 11 完成"]),
    (S, "學齡兒童名冊交了", ["回報 6 完成"]),
    (S, "門牌點位還在做", ["回報 12 進行中"]),
    (S, "門牌指標來不及", ["回報 11 延後"]),
    (S, "12那個做完了", ["回報 12 完成"]),
    (S, "第11項辦完了", ["回報 11 完成"]),
    (S, "12號做完", ["回報 12 完成"]),
    (S, "門牌點位 延後 等民政局回函", ["回報 12 延後 等民政局回函"]),
    (R, "助您好孕那個辦好了", ["回報 3 完成"]),
    (R, "助您好孕專案已經送出了", ["回報 3 完成"]),
    (S, "第十二項做完了", ["回報 12 完成"]),
    (S, "第十一號那個做好了", ["回報 11 完成"]),
    (R, "第六之三項辦好了", ["回報 6-3 完成"]),
    (R, "6-4那個做完了", ["回報 6-4 完成"]),
    # a percentage beside an item's name (as 回報 reads it: 100% is 完成)
    (S, "門牌點位50%", ["回報 12 50%"]),
    (S, "門牌點位 50%", ["回報 12 50%"]),
    (S, "門牌點位進度50%", ["回報 12 50%"]),
    (S, "門牌點位做了50%", ["回報 12 50%"]),
    (S, "門牌點位目前進度 30％", ["回報 12 30%"]),
    (S, "門牌點位100%", ["回報 12 100%"]),
    (S, "門牌點位50% 已完成初稿", ["回報 12 50% 已完成初稿"]),
    (S, "門牌點位，進度：50%，已完成初稿", ["回報 12 50% 已完成初稿"]),
    (S, "門牌那個做到80%了", ["回報 11 80%", "回報 12 80%"]),
    (R, "助您好孕專案進度60%", ["回報 3 60%"]),
]


def answer(talk: Talk, who: str, text: str) -> list[tuple]:
    """Return what the person sees: each reply's kind, its text and every button (label and what it sends).

    A download link's one-time token differs on every 匯出, so it is compared as a token.
    """
    return [
        (type(r).__name__, ONE_TIME.sub("/files/TOKEN", plain_text(r)), [(b.label, b.text, b.data, b.uri) for b in buttons(r)])
        for r in talk.send(who, text)
    ]


def test_the_table_is_large_and_says_things_many_ways():
    assert len(ROWS) + len(REPORT_ROWS) >= 150
    assert len({(w, s) for w, s, _c in ROWS}) == len(ROWS)


@pytest.mark.parametrize(("who", "sentence", "command"), ROWS, ids=[f"{s}" for _w, s, _c in ROWS])
def test_a_sentence_gets_the_answer_of_the_command_it_means(talk, who, sentence, command):
    outer = talk.session.begin_nested()  # a command that writes (回報) is undone before it is compared
    said = answer(talk, who, sentence)
    outer.rollback()
    outer = talk.session.begin_nested()
    meant = answer(talk, who, command)
    outer.rollback()
    assert said == meant
    assert not said[0][1].startswith(M.NOT_UNDERSTOOD.format(text="")[:6])


@pytest.mark.parametrize(("who", "sentence", "commands"), REPORT_ROWS, ids=[s for _w, s, _c in REPORT_ROWS])
def test_a_report_in_a_sentence_is_confirmed_with_one_tap_before_it_is_recorded(talk, who, sentence, commands):
    before = talk.session.query(ProgressReport).count()
    [reply] = talk.send(who, sentence)
    assert talk.session.query(ProgressReport).count() == before  # nothing recorded yet
    assert [b.text for b in reply.quick_replies] == commands
    for sent in commands:  # each button's command is one the report handler takes (records or asks which month)
        outer = talk.session.begin_nested()
        tapped = plain_text(talk.send(who, sent)[0])
        outer.rollback()
        assert tapped.startswith(("已記錄", "「")) and "抱歉" not in tapped, tapped


def test_the_confirmation_records_what_the_command_records(talk):
    [reply] = talk.send(S, "門牌點位那個做完了")
    assert reply.text == M.SENTENCE_REPORT_CONFIRM.format(number="12", title="門牌點位及上傳管理", status=M.STATUS["done"])
    tapped = answer(talk, S, reply.quick_replies[0].text)
    assert tapped[0][1] == plain_text(talk.send(S, "回報 12 完成")[0])  # the same question: which month
    month = next(b for b in talk.send(S, reply.quick_replies[0].text)[0].quick_replies if b.label == "4月")
    talk.tap(S, month.data)
    item = next(i for i in queries.items_of_plan(talk.session, queries.only_office(talk.session).plans[0].id)
                if i.section.name == "戶籍資料課" and i.number == "12")
    assert [r.status.value for r in queries.reports_of_item(talk.session, item.id)] == ["done"]


def test_a_question_about_an_item_opens_it_and_reports_nothing(talk):
    before = talk.session.query(ProgressReport).count()
    [card] = talk.send(S, "門牌點位做好了嗎？")
    assert isinstance(card, Card) and card.title == "12 門牌點位及上傳管理"
    assert talk.session.query(ProgressReport).count() == before


def test_a_date_of_another_year_says_so(talk):
    [reply] = talk.send(S, "115/12/31")
    assert reply.text == M.SENTENCE_OTHER_YEAR.format(year=115)


def test_a_nod_is_answered_as_one(talk):
    for text in ("收到", "好的", "了解", "辛苦了", "ok", "👍"):
        assert plain_text(talk.send(S, text)[0]) == M.ACKNOWLEDGED, text


def test_manners_alone_are_never_searched_as_items(talk):
    for text in ("請問", "不好意思", "麻煩您了"):
        [reply] = talk.send(S, text)
        assert reply.text.startswith(M.NOT_UNDERSTOOD.format(text=text)), text
