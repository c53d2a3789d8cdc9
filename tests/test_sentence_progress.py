"""A 編號 said in Chinese numerals, and a percentage said beside an item's name.

第十二項 is read as 第12項 wherever a 編號 is read (the table of `tests/test_sentences.py` compares each answer with
the command's); here: how the numerals are read, what is not a 編號, and that a percentage said in words is
confirmed first (nothing recorded until the button is pressed) and refused where 回報 refuses it.
"""

from __future__ import annotations

import pytest

from handlers.core.item_lookup import place_in_digits
from handlers.core.replies import Card, plain_text
from handlers.texts import chat as M
from storage import queries
from storage.models import ProgressReport
from tests.handler_fixtures import STAFF_DATA, Talk

S = STAFF_DATA  # owns 11 門牌指標 and 12 門牌點位 in 戶籍資料課

WRITTEN = [
    ("第一項", "第1項"),
    ("第九項", "第9項"),
    ("第十項", "第10項"),
    ("第十二項", "第12項"),
    ("第十二號", "第12號"),
    ("第二十項", "第20項"),
    ("第廿一項", "第21項"),
    ("第卅項", "第30項"),
    ("第九十九項", "第99項"),
    ("第一〇項", "第10項"),
    ("第〇五號", "第5號"),
    ("第零五項", "第5項"),
    ("第 十二 項 完成", "第12項 完成"),
    ("第六之二項", "第6-2項"),
    ("第6之2項", "第6-2項"),
    ("回報 第十一項 3月 完成", "回報 第11項 3月 完成"),
]
# Not a 編號: a month, a quarter, a bare numeral, an ordinal with no 項 or 號, more than 99.
UNCHANGED = ["十二月", "十二月份", "第三季", "十二", "第十二", "第十二月", "第一百項", "十二號", "第12項"]


@pytest.mark.parametrize(("typed", "read"), WRITTEN)
def test_a_number_in_chinese_numerals_between_di_and_xiang_is_read_in_digits(typed, read):
    assert place_in_digits(typed) == read


@pytest.mark.parametrize("typed", UNCHANGED)
def test_numerals_elsewhere_are_left_as_they_are(typed):
    assert place_in_digits(typed) == typed


def reports(talk: Talk) -> int:
    return talk.session.query(ProgressReport).count()


def item_12(talk: Talk):
    plan = queries.only_office(talk.session).plans[0]
    return next(i for i in queries.items_of_plan(talk.session, plan.id) if i.section.name == "戶籍資料課" and i.number == "12")


def undone(talk: Talk, text: str) -> str:
    """Return what the person reads for the text, then undo whatever it recorded."""
    outer = talk.session.begin_nested()
    said = talk.text(S, text)
    outer.rollback()
    return said


def test_a_bare_numeral_is_no_item_number(talk):
    before = reports(talk)
    [reply] = talk.send(S, "十二 完成")
    assert reply.text == M.REPORT_NAME_NOT_FOUND.format(name="十二") and not reply.quick_replies  # no item 12 taken
    assert undone(talk, "第十二項 完成") == undone(talk, "回報 12 完成") != reply.text
    assert reports(talk) == before


def test_the_month_in_chinese_numerals_is_still_the_month(talk):
    assert talk.text(S, "十二月") == talk.text(S, "12月")
    recorded = undone(talk, "回報 第十二項 十二月 完成")
    assert recorded.startswith("已記錄") and "作業：12月" in recorded
    assert recorded == undone(talk, "回報 12 12月 完成")


@pytest.mark.parametrize("typed", ["門牌點位50%", "門牌點位 50%", "門牌點位進度50%", "門牌點位做了50%", "第十二項那個50%"])
def test_a_percentage_beside_a_name_is_confirmed_and_recorded_only_on_the_tap(talk, typed):
    before = reports(talk)
    [reply] = talk.send(S, typed)
    in_progress = M.STATUS_PERCENT.format(status=M.STATUS["in_progress"], percent=50)
    assert reply.text == M.SENTENCE_REPORT_CONFIRM.format(number="12", title="門牌點位及上傳管理", status=in_progress)
    assert [(b.label, b.text) for b in reply.quick_replies] == [(M.BUTTON_SENTENCE_REPORT, "回報 12 50%")]
    assert reports(talk) == before  # nothing recorded until the button is pressed
    tapped = talk.send(S, reply.quick_replies[0].text)
    assert plain_text(tapped[0]) == plain_text(talk.send(S, "回報 12 50%")[0])  # the same question: which month
    month = next(b for b in tapped[0].quick_replies if b.label == "4月")
    talk.tap(S, month.data)
    assert [(r.status.value, r.percent) for r in queries.reports_of_item(talk.session, item_12(talk).id)] == [("in_progress", 50)]


def test_a_hundred_percent_is_done_as_report_reads_it(talk):
    before = reports(talk)
    [reply] = talk.send(S, "門牌點位100%")
    assert reply.text == M.SENTENCE_REPORT_CONFIRM.format(number="12", title="門牌點位及上傳管理", status=M.STATUS["done"])
    assert [b.text for b in reply.quick_replies] == ["回報 12 100%"]
    assert reports(talk) == before
    month = next(b for b in talk.send(S, "回報 12 100%")[0].quick_replies if b.label == "4月")
    talk.tap(S, month.data)
    assert [r.status.value for r in queries.reports_of_item(talk.session, item_12(talk).id)] == ["done"]


def test_a_note_after_the_percentage_rides_in_the_button_as_typed(talk):
    [reply] = talk.send(S, "門牌點位，進度：50%，已完成初稿，待課長核閱")
    assert reply.text.endswith(M.REPORT_NOTE.format(note="已完成初稿，待課長核閱").strip())
    assert [b.text for b in reply.quick_replies] == ["回報 12 50% 已完成初稿，待課長核閱"]


def test_a_percentage_report_refuses_is_refused_and_nothing_is_recorded(talk):
    before = reports(talk)
    [over] = talk.send(S, "門牌點位150%")
    assert over.text == M.REPORT_BAD_PERCENT == plain_text(talk.send(S, "回報 12 150%")[0])
    [zero] = talk.send(S, "門牌點位 0%")
    assert zero.text == M.SENTENCE_REPORT_ZERO_PERCENT
    assert not over.quick_replies and not zero.quick_replies
    assert reports(talk) == before


def test_a_question_about_a_percentage_searches_and_reports_nothing(talk):
    before = reports(talk)
    [card] = talk.send(S, "門牌點位50%了嗎？")
    assert isinstance(card, Card) and card.title == "12 門牌點位及上傳管理"
    assert reports(talk) == before
