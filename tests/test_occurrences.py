"""Expanding schedules into dated occurrences; every date here was checked by hand against the DGPA CSVs."""

from __future__ import annotations

from datetime import date

import pytest

from schedules.calendar import WorkCalendar
from schedules.dates import format_date, parse_date, parse_year
from schedules.occurrences import Occurrence, expand, expand_between
from schedules.phrases import ScheduleError, parse_schedule

CAL = WorkCalendar()


def occ(
    text: str, year: int = 2024, months: frozenset[int] | None = None, cal: WorkCalendar = CAL
) -> list[Occurrence]:
    return expand(parse_schedule(text, months, year), year, cal)


def by_key(occs: list[Occurrence]) -> dict[str, Occurrence]:
    return {o.key: o for o in occs}


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- monthly deadlines ---------------------------------------------------------------------------


def test_monthly_day_deadline_moves_off_childrens_day_and_sundays():
    got = by_key(occ("每月5日前"))
    assert len(got) == 12
    april = got["2024-04"]
    assert (april.kind, april.starts, april.due, april.label) == ("deadline", None, d("2024-04-08"), "4月")
    assert format_date(april.due) == "4/8（一）"  # 4/4-4/5 兒童節及清明, then the weekend
    assert got["2024-05"].due == d("2024-05-06")  # 5/5 is a Sunday
    assert got["2024-01"].due == d("2024-01-05")
    assert got["2024-02"].due == d("2024-02-05")


def test_monthly_day_deadline_in_the_lunar_new_year_bridge():
    got = by_key(occ("每月10日前陳報"))
    assert got["2024-02"].due == d("2024-02-15")  # 2/8-2/14 off: 小年夜, 除夕, 春節, 補假
    got = by_key(occ("每月15日前陳報"))
    assert got["2024-02"].due == d("2024-02-15")


def test_nth_working_day_of_the_month():
    got = by_key(occ("每月第1個工作日"))
    assert got["2024-01"].due == d("2024-01-02")  # 1/1 開國紀念日
    assert got["2024-02"].due == d("2024-02-01")
    assert got["2024-06"].due == d("2024-06-03")
    assert by_key(occ("每月第3個工作日前"))["2024-02"].due == d("2024-02-05")
    assert by_key(occ("每月第6個工作日"))["2024-02"].due == d("2024-02-15")  # after the bridge


def test_make_up_saturday_counts_as_a_working_day():
    got = by_key(occ("每月第8個工作日"))
    assert got["2024-02"].due == d("2024-02-17")  # Saturday 補行上班: 1,2,5,6,7,15,16,17
    assert got["2024-02"].due.weekday() == 5


def test_next_month_working_days_cross_the_year_boundary():
    got = by_key(occ("當月案件應於次月2日前完成登錄，以工作日計算"))
    assert len(got) == 12
    december = got["2024-12"]
    assert december.due == d("2025-01-03")  # 1/1 off, 1/2 is the 1st, 1/3 the 2nd working day
    assert december.label == "12月"
    assert got["2024-01"].due == d("2024-02-02")
    assert got["2024-02"].due == d("2024-03-04")
    assert by_key(occ("次月第2個工作日前"))["2024-12"].due == d("2025-01-03")


def test_next_month_calendar_day_without_the_working_day_note():
    got = by_key(occ("次月2日前"))
    assert got["2024-12"].due == d("2025-01-02")  # calendar day 2, already a working day
    assert got["2024-05"].due == d("2024-06-03")  # 6/2 is a Sunday


def test_closure_moves_a_working_day_deadline():
    typhoon = WorkCalendar(closures=[d("2024-07-25")])
    assert by_key(occ("每月25日前"))["2024-07"].due == d("2024-07-25")
    assert by_key(occ("每月25日前", cal=typhoon))["2024-07"].due == d("2024-07-26")
    keys = [o.key for o in occ("每月25日前")]
    assert [o.key for o in occ("每月25日前", cal=typhoon)] == keys  # reports stay attached


@pytest.mark.parametrize(
    ("text", "key"),
    [("每月召開", "2024-05"), ("每月最後一個工作日", "2024-05"), ("每月月底前", "2024-05"), ("5月", "2024-05")],
)
def test_a_closure_on_the_months_last_working_day_postpones_it(text, key):
    # Friday 5/31/2024 closed (announced the evening before): the month's last working day was that Friday;
    # it moves on to Monday 6/3, never back to Thursday 5/30, which is over when people hear of the closure.
    typhoon = WorkCalendar(closures=[d("2024-05-31")])
    assert by_key(occ(text))[key].due == d("2024-05-31")
    moved = by_key(occ(text, cal=typhoon))[key]
    assert (moved.due, moved.rolled_from) == (d("2024-06-03"), d("2024-05-31"))


def test_a_closure_never_pulls_a_date_earlier():
    # 12/31/2024 closed: every date that fell on it goes to 1/2/2025 (1/1 is New Year's Day), out of the year.
    year_end = WorkCalendar(closures=[d("2024-12-31")])
    for text in ("12/31前", "每月最後一個工作日", "第4季", "每季", "12月", "11/1-12/31", "12/31前完成，遇假日提前"):
        for o in occ(text, cal=year_end):
            plain = by_key(occ(text))[o.key]
            assert o.due >= plain.due, (text, o)
            if plain.due == d("2024-12-31"):
                assert o.due == d("2025-01-02"), (text, o)


def test_closure_and_extra_workday_change_nth_working_day():
    closed = WorkCalendar(closures=[d("2024-03-01")])
    assert by_key(occ("每月第1個工作日", cal=closed))["2024-03"].due == d("2024-03-04")
    sunday = WorkCalendar(workdays=[d("2024-09-01")])
    assert by_key(occ("每月第1個工作日", cal=sunday))["2024-09"].due == d("2024-09-01")


# --- windows ------------------------------------------------------------------------------------


def test_window_ending_on_a_holiday_is_due_the_next_working_day():
    (w,) = occ("致贈百歲人瑞金鎖片不知去向者(1/1-2/28)完成清查率100%")
    assert (w.kind, w.starts, w.due) == ("window", d("2024-01-01"), d("2024-02-29"))  # 2/28 和平紀念日
    assert (w.key, w.label) == ("2024-01-01~2024-02-28", "1/1-2/28")


def test_clearance_windows():
    assert [(o.starts, o.due) for o in occ("3/1-4/30")] == [(d("2024-03-01"), d("2024-04-30"))]
    assert [(o.starts, o.due) for o in occ("5/1-6/30")] == [(d("2024-05-01"), d("2024-07-01"))]  # 6/30 Sunday
    assert [(o.starts, o.due) for o in occ("9/1-12/31")] == [(d("2024-09-01"), d("2024-12-31"))]
    assert [(o.starts, o.due) for o in occ("1月1日至2月28日")] == [(d("2024-01-01"), d("2024-02-29"))]
    assert [(o.starts, o.due) for o in occ("5月31日-6月14日")] == [(d("2024-05-31"), d("2024-06-14"))]


def test_two_windows_in_one_cell():
    got = occ("1/1-2/8、7/1-8/8")
    assert [(o.starts, o.due, o.label) for o in got] == [
        (d("2024-01-01"), d("2024-02-15"), "1/1-2/8"),  # 2/8 小年夜 bridge day
        (d("2024-07-01"), d("2024-08-08"), "7/1-8/8"),
    ]


def test_weekly_deadlines_inside_a_window():
    got = occ("於4月25日-8月31日每週一列印學齡兒童異動名冊")
    assert len(got) == 18
    assert all(o.kind == "deadline" and o.starts is None for o in got)
    first = got[0]
    assert (first.key, first.due, first.label) == ("2024-04-29", d("2024-04-29"), "4/29（一）")
    dragon_boat = by_key(got)["2024-06-10"]  # 端午節 Monday
    assert dragon_boat.due == d("2024-06-11") and dragon_boat.label == "6/10（一）"
    assert got[-1].key == "2024-08-26"


# --- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "starts", "due", "key", "label"),
    [
        ("3月", "2024-03-01", "2024-03-29", "2024-03", "3月"),
        ("10月", "2024-10-01", "2024-10-31", "2024-10", "10月"),
        ("1-4月", "2024-01-01", "2024-04-30", "2024-01~2024-04", "1-4月"),
        ("3-4月", "2024-03-01", "2024-04-30", "2024-03~2024-04", "3-4月"),
        ("1月~12月", "2024-01-01", "2024-12-31", "2024-01~2024-12", "全年"),
        ("實地(3月)", "2024-03-01", "2024-03-29", "2024-03", "3月"),
        ("書面(7-8月)", "2024-07-01", "2024-08-30", "2024-07~2024-08", "7-8月"),
        ("整年", "2024-01-01", "2024-12-31", "2024-01~2024-12", "全年"),
        ("全年", "2024-01-01", "2024-12-31", "2024-01~2024-12", "全年"),
        ("賡續辦理", "2024-01-01", "2024-12-31", "2024-01~2024-12", "全年"),
        ("1 月~12 月", "2024-01-01", "2024-12-31", "2024-01~2024-12", "全年"),
    ],
)
def test_one_period(text, starts, due, key, label):
    assert occ(text) == [Occurrence("period", d(starts), d(due), key, label)]


def test_written_roc_year_is_kept():
    assert occ("97.02~10", year=2008) == [
        Occurrence("period", d("2008-02-01"), d("2008-10-31"), "2008-02~2008-10", "2-10月")
    ]
    with pytest.raises(ScheduleError) as exc:  # neither rebased onto another plan year nor kept silently
        occ("97.02~10", year=2024)
    assert exc.value.code == "out_of_year"
    (o,) = occ("112年11月至113年10月", year=2024)  # a range that only starts before the plan year is kept
    assert (o.starts, o.due, o.label) == (d("2023-11-01"), d("2024-10-31"), "112年11月-10月")


def test_marked_months_only():
    got = occ("", months=frozenset({3, 9}))
    assert [(o.key, o.starts, o.due, o.label) for o in got] == [
        ("2024-03", d("2024-03-01"), d("2024-03-29"), "3月"),
        ("2024-09", d("2024-09-01"), d("2024-09-30"), "9月"),
    ]


def test_quarterly():
    for text in ("每季", "每季召開", "每3個月召開1次"):
        got = occ(text)
        assert [o.due for o in got] == [d("2024-03-29"), d("2024-06-28"), d("2024-09-30"), d("2024-12-31")]
        assert [o.label for o in got] == ["第1季", "第2季", "第3季", "第4季"]
        assert got[0].starts == d("2024-01-01") and got[0].key == "2024-01~2024-03"


def test_quarterly_with_marks_is_one_period_per_marked_month():
    got = occ("每3個月召開1次", months=frozenset({3, 9, 12}))
    assert [(o.key, o.due) for o in got] == [
        ("2024-03", d("2024-03-29")),
        ("2024-09", d("2024-09-30")),
        ("2024-12", d("2024-12-31")),
    ]


def test_half_yearly():
    got = occ("每半年至少辦理一次")
    assert [(o.label, o.starts, o.due) for o in got] == [
        ("上半年", d("2024-01-01"), d("2024-06-28")),
        ("下半年", d("2024-07-01"), d("2024-12-31")),
    ]


def test_monthly_periods():
    got = occ("每月定期更新")
    assert len(got) == 12
    assert by_key(got)["2024-02"].due == d("2024-02-29")
    assert by_key(got)["2024-06"].due == d("2024-06-28")
    assert by_key(occ("每月召開", months=frozenset({1, 2}))).keys() == {"2024-01", "2024-02"}


def test_monthly_deadlines_follow_marks():
    got = occ("每月5日前", months=frozenset({4, 10}))
    assert [(o.key, o.due) for o in got] == [("2024-04", d("2024-04-08")), ("2024-10", d("2024-10-07"))]


def test_2025_plan_after_the_holiday_change():
    got = by_key(occ("每月定期更新", year=2025))
    assert got["2025-01"].due == d("2025-01-24")  # 1/27-1/31 春節
    assert got["2025-10"].due == d("2025-10-31")
    assert by_key(occ("每月25日前", year=2025))["2025-10"].due == d("2025-10-27")  # 10/24 補假, 10/25 光復節


# --- events and one-off deadlines -----------------------------------------------------------------


def test_nth_weekday_events_are_not_moved():
    got = occ("測試時間：每年 1、4、7、11 月的第 3 個星期日。", year=2008)
    assert [o.due for o in got] == [d("2008-01-20"), d("2008-04-20"), d("2008-07-20"), d("2008-11-16")]
    assert all(o.kind == "event" for o in got)
    fridays = occ("每月第2及第4個星期五")
    assert len(fridays) == 23  # 2/9 (除夕, a holiday on the 2nd Friday) has no meeting
    assert [o.due for o in fridays[:4]] == [
        d("2024-01-12"),
        d("2024-01-26"),
        d("2024-02-23"),
        d("2024-03-08"),
    ]
    assert fridays[2].label == "2/23（五）"  # never moved to another day


def test_one_off_deadlines():
    assert occ("113.12.31前") == [Occurrence("deadline", None, d("2024-12-31"), "2024-12-31", "12/31前")]
    assert occ("97.12.31 前", year=2008)[0].due == d("2008-12-31")
    assert occ("2024-12-31前")[0].due == d("2024-12-31")
    assert occ("113.2.10前")[0].due == d("2024-02-15")  # inside the bridge


def test_29_february_in_a_common_year_is_the_28th():
    schedule = parse_schedule("2/29前", None, 2024)
    (o,) = expand(schedule, 2025, CAL)
    assert (o.key, o.due) == ("2025-02-28", d("2025-03-03"))  # 2/28 和平紀念日 (Fri), then the weekend
    assert expand(schedule, 2026, CAL)[0].due == d("2026-03-02")  # 2/28 Saturday, 3/1 Sunday


def test_one_off_events():
    got = occ("第7屆立委及全國性公民投票案選舉97.1.12 第12任總統副總統選舉97.3.22", year=2008)
    assert [(o.kind, o.due, o.label) for o in got] == [
        ("event", d("2008-01-12"), "1/12（六）"),
        ("event", d("2008-03-22"), "3/22（六）"),
    ]


def test_weekly_events_all_year():
    got = occ("每週三")
    # 52 Wednesdays in 2024 less 2/14 (補假) and 2/28 (和平紀念日), rest days with no service
    assert len(got) == 50 and got[0].due == d("2024-01-03") and got[-1].due == d("2024-12-25")
    assert d("2024-02-14") not in [o.due for o in got] and d("2024-02-21") in [o.due for o in got]
    assert all(o.kind == "event" for o in got)


def test_single_dated_events_are_kept_on_rest_days():
    (o,) = occ("2/28 紀念活動")
    assert (o.kind, o.due) == ("event", d("2024-02-28"))


# --- the list itself ----------------------------------------------------------------------------


def test_sorted_by_due_then_key_without_duplicates():
    got = occ("每季召開所務會議、每月召開主管會議")
    assert len(got) == 16
    assert got == sorted(got, key=lambda o: (o.due, o.key))
    assert len({o.key for o in got}) == len(got)


def test_colliding_keys_of_two_rules_stay_apart():
    got = occ("每月5日前陳報，3月另辦實地查核")
    assert len(got) == 13
    march = {o.key: o.kind for o in got if o.key.startswith("2024-03")}
    assert march == {"2024-03": "deadline", "2024-03#2": "period"}
    # The suffix depends only on the text, so it is the same on every recomputation.
    assert [
        o.key for o in occ("每月5日前陳報，3月另辦實地查核", cal=WorkCalendar(closures=[d("2024-03-05")]))
    ] == [o.key for o in got]


def test_same_occurrence_twice_is_kept_once():
    assert len(occ("書面(7-8月) 書面(7-8月)")) == 1


def test_expand_between():
    schedule = parse_schedule("每月5日前", None, 2024)
    got = expand_between(schedule, 2024, CAL, d("2024-04-01"), d("2024-06-30"))
    assert [o.key for o in got] == ["2024-04", "2024-05", "2024-06"]


def test_keys_and_labels_are_stable_across_calendars():
    cal = WorkCalendar(closures=[d("2024-04-29"), d("2024-02-29")], workdays=[d("2024-04-28")])
    for text in ("4/25-8/31每週一", "1/1-2/28", "每月第1個工作日", "每季"):
        plain, moved = occ(text), occ(text, cal=cal)
        assert sorted((o.key, o.label) for o in plain) == sorted((o.key, o.label) for o in moved)


def test_date_helpers():
    assert parse_year("113") == parse_year("2024") == parse_year("民國113年") == 2024
    assert parse_date("113/4/8") == parse_date("2024-04-08") == parse_date("113年4月8日") == d("2024-04-08")
    assert format_date(d("2024-04-08")) == "4/8（一）"
    with pytest.raises(ValueError):
        parse_year("abc")


def test_a_date_moved_by_a_rest_day_remembers_where_it_was():
    # 2/10/2024 is 春節 (a Saturday too): the window closes on the next working day, 2/15, moved from 2/10.
    [window] = occ("1/1-2/10")
    assert (window.due, window.rolled_from) == (d("2024-02-15"), d("2024-02-10"))
    april = next(o for o in occ("每月5日前") if o.key == "2024-04")
    assert (april.due, april.rolled_from) == (d("2024-04-08"), d("2024-04-05"))
    june = next(o for o in occ("每月5日前") if o.key == "2024-06")
    assert june.rolled_from is None
    assert all(o.rolled_from is None for o in occ("每月第1個工作日"))
