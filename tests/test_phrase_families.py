"""Each family of phrases offices write, dated by hand on the official 2025/2026 calendars (114/115)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from handlers.core.due_text import rolled
from handlers.texts.readings import reading
from schedules.calendar import WorkCalendar
from schedules.occurrences import expand
from schedules.phrases import ScheduleError, parse_schedule

CAL = WorkCalendar()


def dues(text: str, year: int = 2025, months: frozenset[int] | None = None) -> list[tuple[str, date | None, date]]:
    return [(o.kind, o.starts, o.due) for o in expand(parse_schedule(text, months, year), year, CAL)]


def due_dates(text: str, year: int = 2025, months: frozenset[int] | None = None) -> list[date]:
    return [due for _, _, due in dues(text, year, months)]


def problem(text: str, year: int = 2025, months: frozenset[int] | None = None):
    with pytest.raises(ScheduleError) as exc:
        parse_schedule(text, months, year)
    return exc.value.problems[0]


D = date


# --- Chinese numerals ------------------------------------------------------------------------------


def test_chinese_day_numbers_every_month():
    # 2/15, 3/15, 6/15 and 11/15 of 2025 are rest days: the deadline moves to the next working day.
    assert due_dates("每月十五日前") == [
        D(2025, 1, 15), D(2025, 2, 17), D(2025, 3, 17), D(2025, 4, 15), D(2025, 5, 15), D(2025, 6, 16),
        D(2025, 7, 15), D(2025, 8, 15), D(2025, 9, 15), D(2025, 10, 15), D(2025, 11, 17), D(2025, 12, 15),
    ]  # fmt: skip
    # 1/25 falls in the Lunar New Year days off (to 2/2); 10/25 and 12/25 are holidays.
    assert due_dates("每月二十五日前") == [
        D(2025, 2, 3), D(2025, 2, 25), D(2025, 3, 25), D(2025, 4, 25), D(2025, 5, 26), D(2025, 6, 25),
        D(2025, 7, 25), D(2025, 8, 25), D(2025, 9, 25), D(2025, 10, 27), D(2025, 11, 25), D(2025, 12, 26),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每年元月卅一日以前", [("deadline", None, D(2025, 2, 3))]),  # 1/31 is in the New Year days off
        ("三月卅一日及九月卅日前", [("deadline", None, D(2025, 3, 31)), ("deadline", None, D(2025, 9, 30))]),
        ("七月至八月", [("period", D(2025, 7, 1), D(2025, 8, 29))]),  # 8/30-31 a weekend
        ("第三季", [("period", D(2025, 7, 1), D(2025, 9, 30))]),
        ("正月廿日前", [("deadline", None, D(2025, 1, 20))]),
        # a list of months written in numerals: both months, not the last one alone
        ("每年七、八月", [("period", D(2025, 7, 1), D(2025, 7, 31)), ("period", D(2025, 8, 1), D(2025, 8, 29))]),
    ],
)
def test_chinese_numerals_in_dates(text, expected):
    assert dues(text) == expected


# --- parts of periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每年九月底前", [D(2025, 9, 30)]),
        ("每年十月底前", [D(2025, 10, 31)]),
        ("每年年中與年底各辦理1次", [D(2025, 6, 30), D(2025, 12, 31)]),
        ("本(3)月底前", [D(2025, 3, 31)]),
        ("年底前", [D(2025, 12, 31)]),
        ("10月中旬前", [D(2025, 10, 20)]),
    ],
)
def test_parts_of_periods_as_deadlines(text, expected):
    assert due_dates(text) == expected
    assert {kind for kind, _, _ in dues(text)} == {"deadline"}


def test_month_starts_are_first_working_days():
    # 1/1 a holiday; 2/1-2 and 3/1-2 weekends.
    assert due_dates("每月月初")[:3] == [D(2025, 1, 2), D(2025, 2, 3), D(2025, 3, 3)]


def test_month_ends_follow_the_marked_months_or_are_reported():
    assert due_dates("月底前", months=frozenset({3, 9})) == [D(2025, 3, 31), D(2025, 9, 30)]
    assert problem("月底前").code == "vague"
    assert problem("於2月初完成").code == "vague"


def test_early_part_of_a_month_is_a_window():
    assert dues("3月上旬") == [("window", D(2025, 3, 1), D(2025, 3, 10))]


# --- offsets after a period ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 4/20 and 7/20 are Sundays
        ("每季終了後20日內", [D(2025, 4, 21), D(2025, 7, 21), D(2025, 10, 20), D(2026, 1, 20)]),
        ("每季結束後25日內", [D(2025, 4, 25), D(2025, 7, 25), D(2025, 10, 27), D(2026, 1, 26)]),
        ("每半年終了後2個月內", [D(2025, 9, 1), D(2026, 3, 2)]),  # 8/31 a Sunday, 2/28 a holiday
        ("每季第2個月20日前", [D(2025, 2, 20), D(2025, 5, 20), D(2025, 8, 20), D(2025, 11, 20)]),
        ("每季第1個月15日前", [D(2025, 1, 15), D(2025, 4, 15), D(2025, 7, 15), D(2025, 10, 15)]),
    ],
)
def test_offsets_after_a_period(text, expected):
    assert due_dates(text) == expected


def test_offsets_after_each_month():
    # 4/5 a Saturday after the Tomb Sweeping days off
    assert due_dates("每月終了後5日內")[:4] == [D(2025, 2, 5), D(2025, 3, 5), D(2025, 4, 7), D(2025, 5, 5)]
    # 2/8/2025 is a make-up working Saturday; 3/8 is not
    assert due_dates("隔月8日前")[:3] == [D(2025, 2, 8), D(2025, 3, 10), D(2025, 4, 8)]
    assert problem("每月終了後40日內").code == "too_far"


# --- ranges ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "starts", "due"),
    [
        ("3/17~19", D(2025, 3, 17), D(2025, 3, 19)),
        ("9/2-3", D(2025, 9, 2), D(2025, 9, 3)),
        ("5月6~7日", D(2025, 5, 6), D(2025, 5, 7)),
        ("4月30~5月2日", D(2025, 4, 30), D(2025, 5, 2)),
        ("2月26日至3月4日", D(2025, 2, 26), D(2025, 3, 4)),
        ("自3月1日起至3月31日止", D(2025, 3, 1), D(2025, 3, 31)),
        ("114年12月29日至1月2日", D(2025, 12, 29), D(2026, 1, 2)),  # the end takes the next year: it must
        ("自10月6日下午5時至10月7日上午9時", D(2025, 10, 6), D(2025, 10, 7)),  # times keep it a window
    ],
)
def test_ranges(text, starts, due):
    assert dues(text) == [("window", starts, due)]


def test_from_today_is_a_deadline():
    assert dues("即日起至8月31日") == [("deadline", None, D(2025, 9, 1))]  # 8/31 a Sunday


def test_range_end_takes_the_start_year():
    assert dues("115年1月5日(星期一)至1月8日(星期四)", year=2026) == [("window", D(2026, 1, 5), D(2026, 1, 8))]


# --- next-year words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("翌年1月20日前", [D(2026, 1, 20)]),
        ("次年度1月15日前", [D(2026, 1, 15)]),
        ("次年1月15日前", [D(2026, 1, 15)]),
        ("明年1月15日前", [D(2026, 1, 15)]),
    ],
)
def test_next_year_deadlines(text, expected):
    assert due_dates(text) == expected


def test_month_lists_with_next_year():
    got = dues("3月、6月、9月及隔年1月")
    assert [(s, d) for _, s, d in got] == [
        (D(2025, 3, 1), D(2025, 3, 31)),
        (D(2025, 6, 1), D(2025, 6, 30)),
        (D(2025, 9, 1), D(2025, 9, 30)),
        (D(2026, 1, 1), D(2026, 1, 30)),
    ]
    assert dues("2月、5月、8月及翌年2月")[-1] == ("period", D(2026, 2, 1), D(2026, 2, 26))


# --- annotations -----------------------------------------------------------------------------------


@pytest.mark.parametrize("note", ["(四)", "(星期四)", "（週四）", "（四）"])
def test_a_right_weekday_keeps_a_deadline_a_deadline(note):
    assert dues(f"10月2日{note}前") == [("deadline", None, D(2025, 10, 2))]


@pytest.mark.parametrize("note", ["(三)", "(星期三)", "（週三）"])
def test_a_wrong_weekday_is_a_problem_not_a_date(note):
    p = problem(f"10月2日{note}前")
    assert (p.code, p.fields) == ("weekday_conflict", {"date": "2025-10-02", "written": 2, "actual": 3})


def test_time_of_day_does_not_change_the_kind():
    assert dues("10月2日上午10時前") == [("deadline", None, D(2025, 10, 2))]
    assert dues("10月2日下午2時30分") == [("event", None, D(2025, 10, 2))]


# --- cadences --------------------------------------------------------------------------------------


def test_even_and_odd_months():
    assert [s.month for _, s, _ in dues("每雙月")] == [2, 4, 6, 8, 10, 12]
    assert due_dates("每單月10日前")[:3] == [D(2025, 1, 10), D(2025, 3, 10), D(2025, 5, 12)]  # 5/10 a Saturday
    assert [(s.month, d.month) for _, s, d in dues("每兩個月")][:2] == [(1, 2), (3, 4)]


def test_weekly_events_skip_holidays_on_weekdays():
    got = due_dates("每週三")
    # 2025 has 53 Wednesdays; 1/1 (開國紀念日) and 1/29 (春節) are days off.
    assert len(got) == 51 and D(2025, 1, 1) not in got and D(2025, 1, 29) not in got and got[0] == D(2025, 1, 8)


def test_nth_weekday_and_week_of_month():
    assert due_dates("每月第二個星期三")[:3] == [D(2025, 1, 8), D(2025, 2, 12), D(2025, 3, 12)]
    assert problem("每月第2週辦理").code == "week_of_month"


# --- sentences, plan year --------------------------------------------------------------------------


def test_the_most_specific_phrase_in_a_sentence_decides():
    # 2/8/2025 is a make-up working Saturday
    assert due_dates("每月彙整資料並於每月八日前送研考")[:3] == [D(2025, 1, 8), D(2025, 2, 8), D(2025, 3, 10)]
    assert dues("第一季及第二季之申報表應於七月十五日前申報") == [("deadline", None, D(2025, 7, 15))]


def test_a_date_in_another_year_is_a_problem_with_its_years():
    p = problem("113.12.31前", year=2026)
    assert (p.code, p.fields) == ("out_of_year", {"year": 2024, "plan_year": 2026})
    assert due_dates("115.1.15前", year=2025) == [D(2026, 1, 15)]  # next January belongs to the plan


def test_a_mistyped_day_is_reported_with_the_wording_that_reads():
    p = problem("每月5曰前")
    assert (p.code, p.fields) == ("not_understood", {"suggestion": "每月5日前"})


@pytest.mark.parametrize("text", ["去年底完成盤點", "今年中秋節聯歡", "明年底前"])
def test_words_that_only_look_like_parts_of_a_year_are_not_read_as_dates(text):
    assert problem(text).code == "not_understood"


def test_a_written_year_end_is_checked_against_the_plan_year():
    assert due_dates("2025年底前") == [D(2025, 12, 31)]
    assert problem("113年底前").fields == {"year": 2024, "plan_year": 2025}


# --- A month range beside 每月 limits the cadence (1-6月每月5日前) ---------------------------------------


def test_month_range_before_monthly_deadline_limits_it_to_those_months():
    # Read as a whole-year cadence, 7至12月每月10日前 gave deadlines in January to June nobody wrote down.
    assert due_dates("7至12月每月10日前") == [
        D(2025, 7, 10), D(2025, 8, 11), D(2025, 9, 10), D(2025, 10, 13), D(2025, 11, 10), D(2025, 12, 10),
    ]
    assert due_dates("1-6月每月5日前") == [
        D(2025, 1, 6), D(2025, 2, 5), D(2025, 3, 5), D(2025, 4, 7), D(2025, 5, 5), D(2025, 6, 5),
    ]
    assert due_dates("114年1月至6月每月5日前") == due_dates("1-6月每月5日前")
    assert due_dates("3-11月每月第1個工作日")[0] == D(2025, 3, 3)
    assert len(due_dates("3-11月每月第1個工作日")) == 9


def test_month_range_after_monthly_deadline_in_brackets_limits_it():
    assert due_dates("每月5日前（1-6月）") == due_dates("1-6月每月5日前")


def test_month_range_with_bare_monthly_is_one_period_a_month():
    assert dues("1-6月每月")[:2] == [("period", D(2025, 1, 1), D(2025, 1, 24)), ("period", D(2025, 2, 1), D(2025, 2, 27))]
    assert len(dues("1-6月每月")) == 6
    assert dues("上半年每月") == dues("1~6月每月辦理")


def test_month_range_limits_the_months_whose_end_counts():
    assert due_dates("1-6月每月終了後5日內") == [
        D(2025, 2, 5), D(2025, 3, 5), D(2025, 4, 7), D(2025, 5, 5), D(2025, 6, 5), D(2025, 7, 7),
    ]


def test_month_ranges_that_cannot_be_read_safely_are_reported():
    assert problem("11-2月每月5日前").code == "year_unclear"
    assert problem("113年1-6月每月5日前").code == "out_of_year"
    # Two cadences with their own months in one cell: read as one they would mix.
    assert problem("1~6月每月5日前,7~12月每月10日前").code == "not_understood"
    p = problem("1-6月每月5日前", months=frozenset({1, 2, 3}))
    assert (p.code, p.fields) == ("months_conflict", {"marked": "1、2、3"})


def test_a_month_range_that_is_the_content_still_gives_way_to_the_date():
    # 課照扣款(2-4月): the months are what is paid for, not a cadence (no 每月 beside them).
    assert due_dates("2/25 課照扣款(2-4月)") == [D(2025, 2, 25)]


# --- Several days a month, and a window each month -------------------------------------------------


def test_each_day_of_a_monthly_list_is_a_deadline():
    # Read as one, 每月5日及20日前 once kept only the 5th: the 20th was never reminded.
    assert due_dates("每月5日及20日前")[:8] == [
        D(2025, 1, 6), D(2025, 1, 20), D(2025, 2, 5), D(2025, 2, 20),
        D(2025, 3, 5), D(2025, 3, 20), D(2025, 4, 7), D(2025, 4, 21),
    ]
    assert len(due_dates("每月5日、15日、25日")) == 36
    assert due_dates("每月5日前、15日前") == due_dates("每月5日及15日前")


def test_a_window_each_month_is_due_on_its_last_day():
    # 每月1日-5日 was due on the 1st, 每月15日至20日 on the 15th.
    assert due_dates("每月15日至20日")[:4] == [D(2025, 1, 20), D(2025, 2, 20), D(2025, 3, 20), D(2025, 4, 21)]
    assert due_dates("每月1日-5日") == due_dates("每月5日前")
    assert problem("每月20日~5日").code == "not_understood"


def test_more_days_after_a_phrase_that_no_reader_takes_are_reported_not_dropped():
    assert problem("每季終了後10日及20日內").phrase == "及20日內"
    assert problem("每月第1個工作日及15日前").phrase == "及15日前"


# --- Months a monthly deadline leaves out or moves ----------------------------------------------------


def test_a_month_left_out_has_no_deadline_and_no_period():
    # Read before as a January deadline plus a January period: two dates nobody wrote down.
    assert due_dates("每月10日前(1月免報)") == due_dates("每月10日前")[1:]
    assert due_dates("每月10日前，1月除外") == due_dates("每月10日前(除1月外)") == due_dates("每月10日前(1月免報)")
    july_left_out = due_dates("每月10日前（7月份停報）")
    assert len(july_left_out) == 11 and D(2025, 7, 10) not in july_left_out
    assert len(due_dates("每月10日前(1、7月免報)")) == 10
    assert due_dates("1-6月每月5日前(3月免報)") == [D(2025, 1, 6), D(2025, 2, 5), D(2025, 4, 7), D(2025, 5, 5), D(2025, 6, 5)]


def test_a_month_moved_to_another_day_is_due_that_day_only():
    feb = [d for d in due_dates("每月25日前(2月為20日前)") if d.month == 2]
    # 2/3 is January's 25th, moved past the Lunar New Year holidays; February's own is the 20th.
    assert feb == [D(2025, 2, 3), D(2025, 2, 20)]
    assert len(due_dates("每月25日前(2月為20日前)")) == 12


def test_exceptions_whose_month_is_unclear_are_reported():
    # 次月5日前(1月免報): is January the month reported on or the month it is due in?
    assert problem("次月5日前(1月免報)").code == "not_understood"
    assert problem("每月(1月免報)").code == "not_understood"


def test_a_day_written_once_after_a_month_list_belongs_to_every_month():
    # 每年2、5、8、11月10日前 once gave 11/10 only.
    expected = [D(2025, 2, 10), D(2025, 5, 12), D(2025, 8, 11), D(2025, 11, 10)]
    assert due_dates("每年2、5、8、11月10日前") == expected
    assert due_dates("2月、5月、8月、11月10日前") == expected
    # February has no 30th: which day is meant is not for us to guess.
    assert problem("2、4月30日前").code == "not_understood"


def test_a_day_in_a_named_month_of_each_quarter():
    # 每季末月25日前 and 每季第1個月底前 once read as bare quarters, their day lost.
    assert due_dates("每季末月25日前") == [D(2025, 3, 25), D(2025, 6, 25), D(2025, 9, 25), D(2025, 12, 26)]
    assert due_dates("每季最後一個月20日前") == [D(2025, 3, 20), D(2025, 6, 20), D(2025, 9, 22), D(2025, 12, 22)]
    assert due_dates("每季首月10日前") == [D(2025, 1, 10), D(2025, 4, 10), D(2025, 7, 10), D(2025, 10, 13)]
    # January's end falls in the Lunar New Year holidays: due on the next working day.
    assert due_dates("每季第1個月底前") == [D(2025, 2, 3), D(2025, 4, 30), D(2025, 7, 31), D(2025, 10, 31)]


def test_a_range_of_month_parts_is_one_window():
    # 5月中旬至6月上旬 was two windows, with a 5/20 deadline nobody wrote.
    assert dues("5月中旬至6月上旬") == [("window", D(2025, 5, 11), D(2025, 6, 10))]
    assert dues("5月下旬-6月底") == [("window", D(2025, 5, 21), D(2025, 6, 30))]
    assert problem("11月中旬至2月上旬").code == "year_unclear"


def test_a_day_with_before_that_nothing_reads_is_reported_not_dropped():
    # Read before as bare quarters: the 20日前 was silently lost.
    p = problem("每季第2個月的中旬20日前")
    assert (p.code, p.phrase) == ("not_understood", "20日前")


# --- 遇假日提前: moved to the working day before -------------------------------------------------------


def test_deadlines_written_to_move_earlier_move_to_the_working_day_before():
    # Read before as 順延: 2/15 (Saturday) became 2/17, two days after the date the office wrote.
    assert due_dates("每月15日(如遇假日提前)")[:3] == [D(2025, 1, 15), D(2025, 2, 14), D(2025, 3, 14)]
    assert due_dates("每月15日前，遇假日提前")[5] == D(2025, 6, 13)
    assert due_dates("2/15前(遇假日提前)") == [D(2025, 2, 14)]
    # The default stays 順延.
    assert due_dates("每月15日前")[1] == D(2025, 2, 17)


def test_moving_a_window_earlier_is_not_guessed():
    assert problem("1/1-2/28(遇假日提前)").code == "not_understood"


def test_a_date_moved_earlier_says_so_in_lists_and_readings():
    schedule = parse_schedule("每月15日前(遇假日提前)", None, 2025)
    feb = expand(schedule, 2025, CAL)[1]
    assert rolled(SimpleNamespace(occ=feb)) == "（2/15 遇假日提前）"
    assert reading(schedule) == "每月 15 日前（遇假日提前至前一工作日）"


def test_the_period_named_before_its_end_is_the_only_one():
    # 第1季結束後15日內 was read as every quarter's.
    assert due_dates("第1季結束後15日內") == [D(2025, 4, 15)]
    assert due_dates("第2、4季終了後10日內") == [D(2025, 7, 10), D(2026, 1, 12)]
    assert due_dates("上半年結束後1個月內") == [D(2025, 7, 31)]
    assert due_dates("第1季結束之次月10日前") == [D(2025, 4, 10)]
    assert len(due_dates("每季結束後15日內")) == 4


def test_each_nth_weekday_of_a_list_is_kept():
    # 每月第2個週一、第4個週一 once kept the 2nd Monday only.
    mondays = due_dates("每月第2個週一、第4個週一")
    assert mondays[:3] == [D(2025, 1, 13), D(2025, 2, 10), D(2025, 2, 24)]  # 1/27 falls in the New Year holidays
    assert mondays == due_dates("每月第2、4個週一")
    assert due_dates("每月第2個週一及第4個週三")[:2] == [D(2025, 1, 13), D(2025, 1, 22)]


def test_a_cadence_of_another_year_is_reported():
    # 113年度每月5日前 in a 114 plan was read as 114's months.
    assert problem("113年度每月5日前").code == "out_of_year"
    assert problem("115年度各季終了後10日內").fields == {"year": 2026, "plan_year": 2025}
    assert len(due_dates("114年度每月5日前")) == 12


def test_a_school_term_without_dates_is_reported():
    # 暑假每週三 was every Wednesday of the year.
    assert problem("暑假每週三").phrase == "暑假"
    assert dues("寒假:以二十一日為限(起一月二十一日,訖二月十日)") == [("window", D(2025, 1, 21), D(2025, 2, 10))]


def test_a_moved_month_may_name_its_month_again():
    # 每月5日前(1月份為1月10日前) had both 1/6 and 1/10 in January.
    assert due_dates("每月5日前(1月份為1月10日前)")[:2] == [D(2025, 1, 10), D(2025, 2, 5)]
    assert len(due_dates("每月5日前(1月份為1月10日前)")) == 12


# --- Working days counted another way ----------------------------------------------------------------


def test_by_the_nth_working_day_and_the_last_working_day():
    # 每月5個工作日內 was read as the whole month (due its last working day).
    assert due_dates("每月5個工作日內")[:3] == [D(2025, 1, 8), D(2025, 2, 7), D(2025, 3, 7)]
    assert due_dates("每月前3個工作日內")[:2] == [D(2025, 1, 6), D(2025, 2, 5)]
    # January's last working day is 1/24: the Lunar New Year holidays start on the 25th.
    assert due_dates("每月最後一個工作日")[:3] == [D(2025, 1, 24), D(2025, 2, 27), D(2025, 3, 31)]
    assert reading(parse_schedule("每月最後一個工作日", None, 2025)) == "每月最後一個工作日"


def test_working_days_no_reader_counts_are_reported():
    # 每月倒數第2個工作日 was read as the month's last working day.
    assert problem("每月倒數第2個工作日").phrase == "倒數第2個工作日"
    assert problem("每週第1個工作日").code == "not_understood"


def test_a_month_end_written_with_a_slash():
    # 1/1~2/底 was a window from 1/1 to 1/2.
    assert dues("1/1~2/底") == [("window", D(2025, 1, 1), D(2025, 3, 3))]


# --- days listed once, lunar dates, lunar labels, seasons, dates counted from an unknown day -----------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 日 written once after a list of days: events on those days, not the month as a period.
        ("十月二十七、二十八日", [("event", None, D(2025, 10, 27)), ("event", None, D(2025, 10, 28))]),
        ("五月九、十日辦理", [("event", None, D(2025, 5, 9)), ("event", None, D(2025, 5, 10))]),
        # with 前, each is a deadline: Saturday 5/10 moves to Monday 5/12
        ("5月9、10日前", [("deadline", None, D(2025, 5, 9)), ("deadline", None, D(2025, 5, 12))]),
    ],
)
def test_days_listed_with_one_day_word(text, expected):
    assert dues(text) == expected


def test_days_listed_backwards_are_reported():
    assert problem("5月30、1日").code == "not_understood"
    assert problem("10/27、5").code == "not_understood"  # 5 is neither a later day nor a listed month


def test_bare_numbers_after_a_slash_date_are_its_later_days_unless_a_month_follows():
    assert dues("10/27、28") == [("event", None, D(2025, 10, 27)), ("event", None, D(2025, 10, 28))]
    assert dues("3/5、6、9、12月")[1:] == [
        ("period", D(2025, 6, 1), D(2025, 6, 30)), ("period", D(2025, 9, 1), D(2025, 9, 30)),
        ("period", D(2025, 12, 1), D(2025, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        # 農曆7月15日 (中元) is Saturday 9/6/2025 and Sunday 8/18/2024; the lunar Lantern Festival 2/12/2025.
        ("農曆七月十五日", 2025, [("event", None, D(2025, 9, 6))]),
        ("農曆七月十五日", 2024, [("event", None, D(2024, 8, 18))]),
        ("農曆正月十五日前", 2025, [("deadline", None, D(2025, 2, 12))]),
        ("農曆正月初九", 2025, [("event", None, D(2025, 2, 6))]),
        # lunar 12/16 of 113 is 1/15/2025: the one that falls in the plan year 114
        ("農曆12月16日尾牙", 2025, [("event", None, D(2025, 1, 15))]),
        ("農曆7月15日(中元節)普渡", 2025, [("event", None, D(2025, 9, 6))]),
        # 除夕 1/28 to 初四 2/1 is one window; 2/1 is in the days off to 2/2, so it is due Monday 2/3.
        ("114年1月28日(除夕)至2月1日(初四)", 2025, [("window", D(2025, 1, 28), D(2025, 2, 3))]),
        # a lunar range: 初一 1/29 to 初五 Sunday 2/2, due Monday 2/3; the label of a solar date is checked
        ("農曆正月初一至初五", 2025, [("window", D(2025, 1, 29), D(2025, 2, 3))]),
        ("9月6日(農曆7月15日)", 2025, [("event", None, D(2025, 9, 6))]),
    ],
)
def test_lunar_dates_are_converted_on_the_lunar_calendar(text, year, expected):
    assert dues(text, year) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("農曆春節前", "lunar"),  # which day before 春節 is not said
        ("農曆7月", "lunar"),  # a whole lunar month has no day
        ("農曆12月30日", "lunar"),  # lunar 113/12 has 29 days only, and 114/12/30 is in 2026
        ("1月28日(除夕)至2月1日(初五)", "lunar_conflict"),  # 2/1/2025 is 初四
        ("9月7日(農曆7月15日)", "lunar_conflict"),  # lunar 7/15 is 9/6
    ],
)
def test_lunar_dates_that_cannot_be_converted_are_reported(text, code):
    assert problem(text).code == code


def test_a_lunar_date_is_reported_with_its_year():
    from handlers.texts.readings import problem_text

    with pytest.raises(ScheduleError) as exc:
        parse_schedule("農曆春節前", None, 2025)
    assert "114 年的國曆日期" in problem_text(exc.value, 2025)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("汛期(5-11月)前", [("deadline", None, D(2025, 4, 30))]),  # before the season starts: by 4/30
        ("汛期(5月至11月)前完成", [("deadline", None, D(2025, 4, 30))]),
        ("汛期(5-11月)", [("period", D(2025, 5, 1), D(2025, 11, 28))]),  # the season itself stays a period
    ],
)
def test_before_a_season_in_brackets_is_before_its_first_month(text, expected):
    assert dues(text) == expected


@pytest.mark.parametrize("text", ["114年9月開學2週內", "收到後7日內", "核定後30日內辦理", "到職後3個月內", "會議結束三日內"])
def test_dates_counted_from_a_day_the_plan_does_not_give_are_reported(text):
    assert problem(text).code == "relative"
    assert dues("每季結束後25日內")  # a quarter's end is a day the plan gives


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        # the deadline named before its date (Friday 6/5/2026)
        ("休學截止日 6月5日", 2026, [("deadline", None, D(2026, 6, 5))]),
        # as of January (a progress figure's date) is not a date to keep; 12/31/2025 is
        ("截至114年1月為止累計進度達75%,預計114年12月31日完工", 2025, [("event", None, D(2025, 12, 31))]),
        # 自…起，截至…止 is one range; 開始日期 … 結束日期 … too
        ("執行階段自114年6月18日起,截至114年12月31日止", 2025, [("window", D(2025, 6, 18), D(2025, 12, 31))]),
        ("專案開始日期 2025/01/02 專案結束日期 2025/12/31", 2025, [("window", D(2025, 1, 2), D(2025, 12, 31))]),
        ("計畫自8月份開始至10月份", 2025, [("period", D(2025, 8, 1), D(2025, 10, 31))]),
        # 10月13-14 without 日: two days, not October; Sunday 12/14 moves the window's end to Monday
        ("第一場次已於10月13-14執行完成", 2025, [("window", D(2025, 10, 13), D(2025, 10, 14))]),
        ("於12月12-14進行作品展示", 2025, [("window", D(2025, 12, 12), D(2025, 12, 15))]),
        # before a season named with a word ending in 期: by 5/31, a Saturday, so Monday 6/2
        ("未能在6至8月高風險期前完成", 2025, [("deadline", None, D(2025, 6, 2))]),
        ("於114年11月4日下班前完成填報", 2025, [("deadline", None, D(2025, 11, 4))]),
    ],
)
def test_more_ways_offices_write_dates(text, year, expected):
    assert dues(text, year) == expected


@pytest.mark.parametrize("text", ["七月十五 中元節", "7月15 普渡"])
def test_a_day_after_a_month_without_its_day_word_is_reported(text):
    assert problem(text).code == "not_understood"


def test_before_a_day_the_plan_does_not_give_is_reported():
    assert problem("須於參訪日14日前填妥申請表").code == "relative"
