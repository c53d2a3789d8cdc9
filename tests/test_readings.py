"""A schedule read back in plain Chinese, and each problem worded with what to write instead."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.texts.readings import problem_text, reading, reading_line, suggest
from schedules.calendar import WorkCalendar
from schedules.phrases import ScheduleError, parse_schedule

CAL = WorkCalendar()


def read(text: str, year: int = 2026, months: frozenset[int] | None = None) -> str:
    return reading(parse_schedule(text, months, year))


def problem(text: str, year: int = 2026) -> str:
    with pytest.raises(ScheduleError) as exc:
        parse_schedule(text, None, year)
    return problem_text(exc.value, year)


def test_the_line_a_coordinator_checks():
    # 3/8/2026 is a Sunday, so the March report is due Monday 3/9.
    line = reading_line(parse_schedule("每月八日前", None, 2026), 2026, CAL, date(2026, 3, 2))
    assert line == "每月八日前 → 每月 8 日前（遇假日順延至次一工作日）；下次 3/9（一）"
    line = reading_line(parse_schedule("年底前", None, 2026), 2026, CAL, date(2026, 12, 31))
    assert line == "年底前 → 12/31 前（遇假日順延至次一工作日）；下次 12/31（四）"
    assert reading_line(parse_schedule("3/17~19", None, 2026), 2026, CAL, date(2026, 4, 1)).endswith("今年已無")
    line = reading_line(parse_schedule("翌年1月20日前", None, 2026), 2026, CAL, date(2026, 3, 2))
    assert line.endswith("下次 116/1/20（三）")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每月第1個工作日", "每月第 1 個工作日"),
        ("次月10日前", "次月 10 日前（遇假日順延至次一工作日）"),
        ("每季終了後20日內", "3、6、9、12月的次月 20 日前（遇假日順延至次一工作日）"),
        ("每半年終了後2個月內", "6、12月後第 2 個月月底前（遇假日順延至次一工作日）"),
        ("每月月底", "每月月底前（遇假日順延至次一工作日）"),
        ("每季", "每季（期限為期末最後一個工作日）"),
        ("上半年", "上半年（期限為期末最後一個工作日）"),
        ("3月、6月、9月及隔年1月", "3月、6月、9月、翌年1月（期限為期末最後一個工作日）"),
        ("3/17~19", "3/17 至 3/19（迄日遇假日順延）"),
        ("4/25-8/31每週一", "4/25 至 8/31 每週一前（遇假日順延至次一工作日）"),
        ("每週三", "每週三（遇假日停辦）"),  # the card says a holiday Wednesday has no service
        ("每月第2及第4個星期五", "每月第 2、4 個星期五（遇假日停辦）"),
        ("2/28 紀念活動", "2/28 當天"),
        ("每週三、每月5日前", "每月 5 日前（遇假日順延至次一工作日）、每週三（遇假日停辦）"),
    ],
)
def test_readings(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("113.12.31前", "這個日期在 113 年，不在 115 年的計畫內"),
        ("10月2日(星期三)前", "10/2 是星期五，不是括號裡的星期三，請確認日期"),
        ("每月第2週", "第幾週沒有說是星期幾，請寫成例如「每月第2個星期三」"),
        ("於2月初", "沒有說是哪一天（例如月初、3月前），請寫出日期，例如「3月31日前」"),
        ("3月1日起", "只有開始日，沒有結束日，請寫成例如「3月1日至3月31日」"),
        ("11/11-11/15、1/13-1/20", "日期往前跳（例如 11 月之後寫 1 月），看不出是今年還是明年；明年的請寫「翌年1月」"),
        ("每月5曰前", "看不懂「5曰」，請寫出日期，例如「每月5日前」「3月31日前」「5/6-5/8」；是否要寫成「每月5日前」？"),
    ],
)
def test_problems_say_what_was_not_understood(text, expected):
    assert problem(text) == expected


def test_a_near_miss_is_reported_with_the_nearest_wording_that_reads():
    # Read as a bare 每季 it would lose its deadline; it is reported with the wording that is read.
    assert problem("每季終了候20日內") == (
        "看不懂「20日內」，請寫出日期，例如「每月5日前」「3月31日前」「5/6-5/8」；是否要寫成「每季終了後20日內」？"
    )
    assert suggest("請依規定辦理", 2026) is None


def test_a_limited_monthly_cadence_reads_as_its_month_range():
    assert "1至6月每月 5 日前" in reading(parse_schedule("1-6月每月5日前", None, 2025))


def test_month_marks_that_disagree_with_the_written_range_are_named():
    with pytest.raises(ScheduleError) as exc:
        parse_schedule("1-6月每月5日前", frozenset({1, 2, 3}), 2025)
    assert problem_text(exc.value, 2025) == "時程寫「1~6月」，但月份欄勾的是 1、2、3 月，請確認是哪幾個月"


def test_months_left_out_are_named_as_left_out():
    assert reading(parse_schedule("每月10日前(1、7月免報)", None, 2025)).startswith("每月（1、7月除外） 10 日前")
