"""Reading what people type: width, spaces, synonyms, filler words, status words and mentions."""

from __future__ import annotations

import pytest

from handlers.chat.catalog import COMMANDS
from handlers.core.commands import is_filler, read_status, strip_mention
from handlers.core.scopes import read_scope


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("本週", "this_week", ""),
        ("這週", "this_week", ""),
        ("這禮拜", "this_week", ""),
        ("這 個 禮 拜", "this_week", ""),
        ("本周", "this_week", ""),
        ("下禮拜", "next_week", ""),
        ("下個月", "next_month", ""),
        ("下月", "next_month", ""),
        ("本月", "this_month", ""),
        ("今天", "today", ""),
        ("明天", "tomorrow", ""),
        ("逾期", "overdue", ""),
        ("過期", "overdue", ""),
        ("遲交", "overdue", ""),
        ("逾期 戶籍登記課", "overdue", "戶籍登記課"),
        ("逾期全所", "overdue", "全所"),
        ("我的", "mine", ""),
        ("說明", "help", ""),
        ("幫助", "help", ""),
        ("help", "help", ""),
        ("HELP", "help", ""),
        ("ＨＥＬＰ", "help", ""),
        ("?", "help", ""),
        ("？", "help", ""),
        ("查 門牌", "search", "門牌"),
        ("查門牌", "search", "門牌"),
        ("回報 12 50% 已完成初稿", "report", "12 50% 已完成初稿"),
        ("回報１２　完成", "report", "12 完成"),
        ("摘要 戶籍資料課 3月", "summary", "戶籍資料課 3月"),
        ("匯出", "export", ""),
        ("綁定 ab12cd34", "link", "ab12cd34"),
        ("綁定群組 戶籍資料課", "link_group", "戶籍資料課"),
        ("門牌月報表", "", "門牌月報表"),
        ("helpful hints", "", "helpful hints"),
    ],
)
def test_commands_are_matched_leniently(text, name, args):
    command = COMMANDS.parse(text)
    assert (command.name, command.args) == (name, args)


def test_zero_width_and_full_width_spaces_are_ignored():
    assert COMMANDS.parse("\u200b本\u3000週\ufeff").name == "this_week"
    assert COMMANDS.parse("　回報　１１　完成　").args == "11 完成"


@pytest.mark.parametrize("args", ["", "的", "呢", "的工作有哪些？", "要做什麼", "!", "的事項"])
def test_filler_after_a_list_command_changes_nothing(args):
    assert is_filler(args)


@pytest.mark.parametrize("args", ["報表", "門牌", "戶籍資料課"])
def test_real_words_are_not_filler(args):
    assert not is_filler(args)


@pytest.mark.parametrize(
    ("text", "status", "percent", "note"),
    [
        ("完成", "done", None, ""),
        ("已完成", "done", None, ""),
        ("done", "done", None, ""),
        ("進行中", "in_progress", None, ""),
        ("處理中 等公文", "in_progress", None, "等公文"),
        ("50% 已完成初稿", "in_progress", 50, "已完成初稿"),
        ("５０％已完成初稿", "in_progress", 50, "已完成初稿"),
        ("100%", "done", 100, ""),
        ("延遲 等民政局回函", "delayed", None, "等民政局回函"),
        ("延後：颱風停班", "delayed", None, "颱風停班"),
        ("落後", "delayed", None, ""),
        ("未開始", "not_started", None, ""),
    ],
)
def test_status_words(text, status, percent, note):
    said = read_status(text)
    assert (said.status, said.percent, said.note) == (status, percent, note)


def test_text_without_a_status_word_has_no_status():
    assert read_status("等民政局回函") is None


def test_mentions_and_group_keywords():
    assert strip_mention("@planbot 本週", "planbot") == ("本週", True)
    assert strip_mention("＠ＰＬＡＮＢＯＴ本週", "planbot") == ("本週", True)
    assert strip_mention("本週", "planbot") == ("本週", False)
    assert COMMANDS.starts_with_command("本週有什麼")
    assert not COMMANDS.starts_with_command("大家早")
    assert not COMMANDS.starts_with_command("謝謝大家")  # small talk is never answered in a group


def test_closest_commands_for_what_was_not_understood():
    assert COMMANDS.closest("今天要交什麼報告呀") [0] == "today"
    assert "overdue" in COMMANDS.closest("有沒有逾期的")
    assert COMMANDS.closest("") == []


class _Section:
    def __init__(self, id, name):
        self.id, self.name = id, name


SECTIONS = [_Section(1, "戶籍登記課"), _Section(2, "戶籍資料課"), _Section(3, "行政庶務課"), _Section(4, "人事室")]


@pytest.mark.parametrize(
    ("args", "section", "whole", "month", "rest"),
    [
        ("戶籍資料課", "戶籍資料課", False, None, ""),
        ("戶籍資料課 3月", "戶籍資料課", False, 3, ""),
        ("3月 戶籍資料課", "戶籍資料課", False, 3, ""),
        ("資料課", "戶籍資料課", False, None, ""),
        ("人事", "人事室", False, None, ""),
        ("全所", None, True, None, ""),
        ("全所 十二月", None, True, 12, ""),
        ("", None, False, None, ""),
        ("門牌", None, False, None, "門牌"),
    ],
)
def test_scopes_name_sections_the_office_and_months(args, section, whole, month, rest):
    scope = read_scope(SECTIONS, args)
    assert (scope.section.name if scope.section else None, scope.whole_office, scope.month, scope.rest) == (
        section, whole, month, rest
    )


def test_an_unknown_section_is_named_back():
    assert read_scope(SECTIONS, "民政課").unknown_section == "民政課"
