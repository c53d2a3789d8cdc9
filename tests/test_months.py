"""One month reader: a month written as people write it reads the same in the chat, the CLI and the console."""

from __future__ import annotations

import pytest

from bot.cli.common import CliError, month_option
from handlers.chat.due_lists import MONTH_ASKED
from handlers.core.scopes import read_scope
from schedules.dates import read_month

WRITTEN = {
    "3": 3, "03": 3, "3月": 3, "３月": 3, "3 月": 3, "三月": 3, "三月份": 3, "十月": 10, "十一": 11, "12月份": 12, "十二月": 12,
}
NOT_A_MONTH = ["", "0", "13", "13月", "0月", "十三月", "3月5日", "3/5", "月", "三十月", "上個月"]


@pytest.mark.parametrize(("text", "month"), WRITTEN.items())
def test_a_month_reads_the_same_wherever_it_is_written(text, month):
    assert read_month(text) == month
    assert month_option(text) == month  # planbot talk --month, planbot due --month
    if text.endswith(("月", "月份")) and " " not in text and "３" not in text:
        assert read_scope([], text).month == month  # 摘要 3月, 逾期 十二月
        assert MONTH_ASKED.match(text)  # 12月 asked alone


@pytest.mark.parametrize("text", NOT_A_MONTH)
def test_what_is_not_one_month_is_refused_with_what_was_written(text):
    assert read_month(text) is None
    with pytest.raises(CliError) as refused:
        month_option(text)
    assert f"「{text}」" in str(refused.value)
