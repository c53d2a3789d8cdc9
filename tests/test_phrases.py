"""Reading schedule phrases: the forms the seed plans use, found inside longer cells, never guessed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schedules.dates import parse_year
from schedules.phrases import (
    Day,
    Month,
    MonthlyDeadline,
    NthWeekday,
    OneDay,
    Periods,
    Schedule,
    ScheduleError,
    Span,
    Weekly,
    Window,
    parse_schedule,
)

SEED_CELLS = Path(__file__).resolve().parent / "data" / "seed_schedule_cells.tsv"
ALL = tuple(range(1, 13))


def rules(text: str, months: frozenset[int] | None = None, year: int = 2024) -> tuple:
    return parse_schedule(text, months, year).rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每月5日前", MonthlyDeadline(ALL, 5)),
        ("每月15日前陳報", MonthlyDeadline(ALL, 15)),
        ("每月第1個工作日", MonthlyDeadline(ALL, 1, working=True)),
        ("每月第3個工作日前", MonthlyDeadline(ALL, 3, working=True)),
        ("次月2日前（以工作日計算）", MonthlyDeadline(ALL, 2, working=True, shift=1)),
        ("次月第2個工作日前", MonthlyDeadline(ALL, 2, working=True, shift=1)),
        ("次月10日前", MonthlyDeadline(ALL, 10, working=False, shift=1)),
        ("1/1-2/28", Window(Day(1, 1), Day(2, 28))),
        ("3/1-4/30", Window(Day(3, 1), Day(4, 30))),
        ("1月1日至2月28日", Window(Day(1, 1), Day(2, 28))),
        ("5月31日-6月14日", Window(Day(5, 31), Day(6, 14))),
        ("4/25-8/31每週一", Weekly((0,), "deadline", Day(4, 25), Day(8, 31))),
        ("4月25日-8月31日每週一", Weekly((0,), "deadline", Day(4, 25), Day(8, 31))),
        ("3月", Span(Month(3), Month(3))),
        ("10月", Span(Month(10), Month(10))),
        ("1-4月", Span(Month(1), Month(4))),
        ("3-4月", Span(Month(3), Month(4))),
        ("1月~12月", Span(Month(1), Month(12))),
        ("實地(3月)", Span(Month(3), Month(3))),
        ("書面(7-8月)", Span(Month(7), Month(8))),
        ("每季", Periods((3, 6, 9, 12), 3)),
        ("每季召開", Periods((3, 6, 9, 12), 3)),
        ("每3個月召開1次", Periods((3, 6, 9, 12), 3)),
        ("每三個月召開一次", Periods((3, 6, 9, 12), 3)),
        ("每半年", Periods((6, 12), 6)),
        ("每半年至少辦理一次", Periods((6, 12), 6)),
        ("每月召開", Periods(ALL, 1)),
        ("每月", Periods(ALL, 1)),
        ("每月定期更新", Periods(ALL, 1)),
        ("每年1、4、7、11月的第3個星期日", NthWeekday((1, 4, 7, 11), 6, (3,))),
        ("每月第2及第4個星期五", NthWeekday(ALL, 4, (2, 4))),
        ("113.12.31前", OneDay(Day(12, 31, 2024), "deadline")),
        ("2024-12-31前", OneDay(Day(12, 31, 2024), "deadline")),
        ("整年", Span(Month(1), Month(12))),
        ("全年", Span(Month(1), Month(12))),
        ("賡續辦理", Span(Month(1), Month(12))),
        ("1 月~12 月", Span(Month(1), Month(12))),
        ("第4季", Periods((12,), 3)),
    ],
)
def test_each_form_of_the_table(text, expected):
    assert rules(text) == (expected,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("97.02~10", (Span(Month(2, 2008), Month(10, 2008)),)),
        ("97.12.31 前", (OneDay(Day(12, 31, 2008), "deadline"),)),
        (
            "97.01~97.2.8 97.07~97.8.8",
            (Window(Day(1, 1, 2008), Day(2, 8, 2008)), Window(Day(7, 1, 2008), Day(8, 8, 2008))),
        ),
        ("1/1-2/8、7/1-8/8", (Window(Day(1, 1), Day(2, 8)), Window(Day(7, 1), Day(8, 8)))),
        ("97 年 9 月", (Span(Month(9, 2008), Month(9, 2008)),)),
        (
            "97.10報名 97.11測試",
            (Span(Month(10, 2008), Month(10, 2008)), Span(Month(11, 2008), Month(11, 2008))),
        ),
        ("選舉97.1.12", (OneDay(Day(1, 12, 2008), "event"),)),
    ],
)
def test_written_years_are_kept_and_a_year_other_than_the_plan_year_is_a_problem(text, expected):
    assert rules(text, year=2008) == expected
    if "97" not in text:
        assert rules(text, year=2024) == expected
        return
    with pytest.raises(ScheduleError) as exc:
        rules(text, year=2024)
    assert [(p.code, p.fields) for p in exc.value.problems] == [("out_of_year", {"year": 2008, "plan_year": 2024})]


@pytest.mark.parametrize(
    "text",
    [
        "1/1~2/28",
        "1/1～2/28",
        "1/1–2/28",
        "1/1—2/28",
        "1/1 - 2/28",
        "１/１－２/２８",
        "1月1日到2月28日",
        "1 月 1 日 至 2 月 28 日",
        "113.1.1~113.2.28",
        "113/1/1-113/2/28",
        "2024-01-01至2024-02-28",
        "民國113年1月1日至113年2月28日",
    ],
)
def test_range_separators_width_spaces_and_years_are_tolerated(text):
    (window,) = rules(text)
    assert isinstance(window, Window)
    assert (window.first.on(2024), window.last.on(2024)) == (Day(1, 1).on(2024), Day(2, 28).on(2024))


@pytest.mark.parametrize("week", ["週", "周", "星期", "禮拜"])
def test_every_way_of_writing_week(week):
    assert rules(f"4/25-8/31每{week}一") == (Weekly((0,), "deadline", Day(4, 25), Day(8, 31)),)
    assert rules(f"每月第2及第4個{week}五") == (NthWeekday(ALL, 4, (2, 4)),)


def test_full_width_digits_and_punctuation():
    assert rules("每月５日前") == (MonthlyDeadline(ALL, 5),)
    assert rules("書面（７－８月）") == (Span(Month(7), Month(8)),)
    assert rules("次月２日前，以工作日計算") == (MonthlyDeadline(ALL, 2, True, 1),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("致贈百歲人瑞金鎖片不知去向者(1/1-2/28)完成清查率100%", Window(Day(1, 1), Day(2, 28))),
        ("當月案件應於次月2日前完成登錄，以工作日計算", MonthlyDeadline(ALL, 2, True, 1)),
        ("於4月25日-8月31日每週一列印學齡兒童異動名冊", Weekly((0,), "deadline", Day(4, 25), Day(8, 31))),
        ("門牌月報表係指每月門牌編釘明細表及報告表，應於每月5日前陳報。", MonthlyDeadline(ALL, 5)),
        ("為協調勞資關係, 提高工作效率；每3個月召開1次", Periods((3, 6, 9, 12), 3)),
        ("每月第1個工作日填報案件正確：1. 每周審核上周案件 2. 每月陳核紀錄簿", MonthlyDeadline(ALL, 1, True)),
    ],
)
def test_phrase_is_found_inside_a_longer_cell(text, expected):
    assert rules(text) == (expected,)


def test_month_marks_choose_the_months_of_recurring_phrases():
    marks = frozenset({3, 6, 9})
    assert rules("每月5日前", marks) == (MonthlyDeadline((3, 6, 9), 5),)
    assert rules("每季召開", marks) == (Periods((3, 6, 9), 1),)
    assert rules("每月", marks) == (Periods((3, 6, 9), 1),)
    assert rules("次月2日前，以工作日計算", marks) == (MonthlyDeadline((3, 6, 9), 2, True, 1),)
    # Explicit dates are not recurring: the marks do not change them.
    assert rules("1/1-2/28", marks) == (Window(Day(1, 1), Day(2, 28)),)
    assert rules("整年", marks) == (Span(Month(1), Month(12)),)


def test_marks_alone_give_one_period_per_marked_month():
    assert rules("", frozenset({3, 10})) == (Periods((3, 10), 1),)
    assert rules("   ", frozenset({12})) == (Periods((12,), 1),)


def test_nothing_at_all_is_an_error():
    for months in (None, frozenset()):
        with pytest.raises(ScheduleError) as exc:
            parse_schedule("", months, 2024)
        assert exc.value.message == "沒有時程"


def test_unknown_phrase_is_an_error_with_a_chinese_message():
    with pytest.raises(ScheduleError) as exc:
        parse_schedule("每逢佳節", None, 2024)
    assert exc.value.phrase == "每逢佳節"
    assert exc.value.message == "看不懂的時程：「每逢佳節」"
    assert str(exc.value) == exc.value.message


def test_unknown_phrase_is_an_error_even_when_months_are_marked():
    with pytest.raises(ScheduleError):
        parse_schedule("配合公文銷燬期程", frozenset({5}), 2024)


def test_long_cells_are_shortened_in_the_message_but_kept_in_phrase():
    text = "國民身分證核發正確率100%，" * 10
    with pytest.raises(ScheduleError) as exc:
        parse_schedule(text, None, 2024)
    assert exc.value.phrase == text
    assert len(exc.value.message) < 60 and exc.value.message.endswith("」")


@pytest.mark.parametrize(
    "text",
    [
        "每年1、4、7、11月前一月1 日至15日",  # relative to another month: not guessed
        "3月前完成",  # by the start or the end of March?
        "於規定之時程（2 月初、8 月初）上傳",  # early February is not a month-long period
        "自114年1月1日起實施",  # a start with no end
        "每週一次",  # once a week, not every Monday
        "每週一至週五",  # a weekday range
        "13月",
        "2/30前",
        "EUI：75.1",
        "每月35日前",
        "60日內通知辦理出生登記",
        "年終考核",
    ],
)
def test_never_guess(text):
    with pytest.raises(ScheduleError):
        parse_schedule(text, None, 2024)


def test_references_and_history_are_not_schedule():
    # A launch date (開辦) and a letter's date are history, not due dates.
    assert rules("91.4.1 開辦 賡續辦理", year=2008) == (Span(Month(1), Month(12)),)
    assert rules("依據109年5月20日府授秘文字第1093006322號函辦理：第4季完成") == (Periods((12,), 3),)
    assert rules("網頁、書面(整年) 本年度成績統計區間為 112 年 11 月至 113 年 10 月") == (
        Span(Month(1), Month(12)),
    )


def test_precise_phrase_wins_over_a_bare_cadence_but_bare_cadences_add_up():
    assert rules("聘請義務律師提供每月 2 次（每月第 2 及第 4 個週五下午 2:00-5:00）") == (
        NthWeekday(ALL, 4, (2, 4)),
    )
    assert rules("每季召開所務會議、每月召開主管會議") == (Periods((3, 6, 9, 12), 3), Periods(ALL, 1))


def test_weekly_service_hours_are_events_all_year():
    assert rules("每週一、三、五(9:00-12:00)於天母活動中心") == (Weekly((0, 2, 4), "event"),)
    assert rules("每週二上午9時至12時") == (Weekly((1,), "event"),)


def test_month_lists():
    assert rules("書面(4月、7月、10月繳交特殊事蹟)") == tuple(Span(Month(m), Month(m)) for m in (4, 7, 10))
    assert rules("財管系統線上申報:1月、7月各1次 10月辦理盤點") == tuple(
        Span(Month(m), Month(m)) for m in (1, 7, 10)
    )


def test_window_across_new_year():
    (window,) = rules("11/1-2/28")
    assert window == Window(Day(11, 1), Day(2, 28, later=1))
    (span,) = rules("112年11月至113年10月")
    assert span == Span(Month(11, 2023), Month(10, 2024))


def test_json_round_trip():
    texts = [
        "每月5日前",
        "次月2日前，以工作日計算",
        "1/1-2/8、7/1-8/8",
        "4/25-8/31每週一",
        "113.02~10",
        "每年1、4、7、11月的第3個星期日",
        "113.12.31前",
        "每週三",
        "每季",
        "11/1-2/28",
    ]
    for text in texts:
        schedule = parse_schedule(text, None, 2024)
        stored = json.loads(json.dumps(schedule.to_json(), ensure_ascii=False))
        assert stored["version"] == 1 and stored["text"] == text
        assert Schedule.from_json(stored) == schedule
    marked = parse_schedule("", frozenset({2, 5}), 2024)
    assert Schedule.from_json(json.loads(json.dumps(marked.to_json()))) == marked


def test_from_json_rejects_unknown_rules_and_versions():
    with pytest.raises(ValueError):
        Schedule.from_json({"version": 1, "rules": [{"type": "lunar"}]})
    with pytest.raises(ValueError):
        Schedule.from_json({"version": 99, "rules": []})


def _seed_cells() -> list[tuple[str, str, str, int]]:
    rows = []
    for line in SEED_CELLS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("seed\t"):
            continue
        seed, phrase, expected, year = line.split("\t")
        assert expected in ("ok", "not_understood"), line
        rows.append((seed, phrase, expected, parse_year(year)))
    return rows


def test_seed_cell_file_covers_all_five_seeds():
    cells = _seed_cells()
    assert {seed[:3] for seed, *_ in cells} == {"000", "001", "002", "003", "004"}
    understood = sum(expected == "ok" for _, _, expected, _ in cells)
    assert understood / len(cells) > 0.75


@pytest.mark.parametrize(("seed", "phrase", "expected", "year"), _seed_cells(), ids=lambda v: str(v)[:24])
def test_seed_schedule_cell(seed, phrase, expected, year):
    try:
        parse_schedule(phrase, None, year)
        got = "ok"
    except ScheduleError:
        got = "not_understood"
    assert got == expected, (
        f"{seed}: 「{phrase}」 is now {got}; if that is an improvement, update tests/data/seed_schedule_cells.tsv"
    )
