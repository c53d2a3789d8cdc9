"""Read the recurring phrases that carry numbers: 每月5日前, 次月2日前, 每月第2個週五, 第2季, 上半年."""

from __future__ import annotations

import re

from schedules.phrases.reading import Reading
from schedules.phrases.rules import ALL_MONTHS, HALF_ENDS, QUARTER_ENDS, MonthlyDeadline, NthWeekday, Periods
from schedules.phrases.text import SEP, WD, WEEK, WEEKDAYS


def _digits(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text))


_NEXT_MONTH = re.compile(r"(?:次|隔)月(?:份)?的?(第)?(\d{1,2})個?(工作)?日(?:前|內|止)?")
_MONTHLY_WORKING = re.compile(r"每(個|[雙單]數?)?月(?:份)?的?第(\d{1,2})個?工作日(?:前|內|止)?")
# 每月5日及20日前, 每月5日、15日、25日: a deadline on each day named (read as one, the later days were lost).
_MONTHLY_DAY_LIST = re.compile(r"每(個|[雙單]數?)?月(?:份)?的?((?:\d{1,2}[日號]?(?:前|止)?[、,及和與暨])+\d{1,2})[日號](?:前|內|止)?")
# 每月1日-5日, 每月15~20日: a window each month, due on its last day (read as one day, the 1st was due).
_MONTHLY_DAY_RANGE = re.compile(r"每(個|[雙單]數?)?月(?:份)?的?(\d{1,2})[日號]?~(\d{1,2})[日號](?:前|內|止)?")
# 每月5個工作日內, 每月前3個工作日內: by the month's Nth working day.
_MONTHLY_WORKING_WITHIN = re.compile(r"每(個|[雙單]數?)?月(?:份)?的?前?(\d{1,2})個工作日(?:內|以內)")
# 每月最後一個工作日: day 31 counts past any month's working days, so it is the last one (see occurrences).
_MONTHLY_LAST_WORKING = re.compile(r"每(個|[雙單]數?)?月(?:份)?的?最後1?個工作日(?:前|內|止)?")
LAST_WORKING_DAY = 31
_MONTHLY_DAY = re.compile(r"每(個|[雙單]數?)?月(?:份)?的?(\d{1,2})[日號](?:前|內|止)?")
_PERIOD_WORDS = {"月": (ALL_MONTHS, 28), "季": (QUARTER_ENDS, 30), "半年": (HALF_ENDS, 30), "年": ((12,), 31)}
# 每季終了後25日內, 每半年結束後2個月內, 年度終了後1個月內, 每季終了之次月10日前
# Which periods: every one, or the quarters or half named (第1季結束後15日內 is April's only, not every quarter's).
_WHICH = r"(?:每|各|第([1-4](?:[、,及和與]第?[1-4])*)(?=季)|([上下])(?=半年))?"
_AFTER_PERIOD = re.compile(
    rf"{_WHICH}(月|季|半年|年)度?(?:終了|結束|屆滿|截止)(?:後|之後)(\d{{1,2}})(日|天|個月)(?:內|以內|前)?"
)
_AFTER_PERIOD_NEXT_MONTH = re.compile(rf"{_WHICH}(月|季|半年)(?:終了|結束)(?:後)?之?次月(\d{{1,2}})[日號](?:前|內)?")
# 每季第1個月15日前, 每季首月底前, 每季末月25日前 (每季末月 once read as a bare 每季, its day lost)
_QUARTER_MONTH_DAY = re.compile(r"每季(?:之|的)?(?:第([1-3])個月|([首末])月|最後1?個月)的?(?:(\d{1,2})[日號]|(底))(?:前|內|止)?")
_NTH_WEEKDAY = rf"第(\d(?:個?{SEP}第?\d)*)個?{WEEK}({WD})"
# 每月第2個週一、第4個週一 (read as one, the 4th Monday was lost) and 每月第2個週一及第4個週三
_MONTHLY_NTH_WEEKDAY = re.compile(rf"每個?月(?:份)?的?({_NTH_WEEKDAY}(?:{SEP}{_NTH_WEEKDAY})*)")
_ONE_NTH_WEEKDAY = re.compile(_NTH_WEEKDAY)
_LISTED_NTH_WEEKDAY = re.compile(
    rf"(?:每年)?((?:\d{{1,2}}月?{SEP})*\d{{1,2}})月(?:份)?的?第(\d(?:個?{SEP}第?\d)*)個?{WEEK}({WD})"
)
_QUARTER = re.compile(r"第([1-4])季")
_HALF = re.compile(r"([上下])半年")
_BOTH_HALVES = re.compile(r"上[、,及與和]?下半年")


def read_cadences(r: Reading) -> None:
    """Read the recurring phrases that carry numbers, before the numbers are read as dates."""

    def next_month(m: re.Match[str]) -> None:
        n, working = int(m.group(2)), bool(m.group(3)) or r.working_days
        if _valid_day_number(n, working):
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), n, working, 1))
        else:
            r.block("not_understood", m.group(0))

    def monthly_working(m: re.Match[str]) -> None:
        n = int(m.group(2))
        if _valid_day_number(n, True):
            r.specific.append(MonthlyDeadline(_months_of(r, m.group(1)), n, True, 0))
        else:
            r.block("not_understood", m.group(0))

    def monthly_day(m: re.Match[str]) -> None:
        n = int(m.group(2))
        if _valid_day_number(n, r.working_days):
            r.specific.append(MonthlyDeadline(_months_of(r, m.group(1)), n, r.working_days, 0))
        else:
            r.block("not_understood", m.group(0))

    def period_ends(m: re.Match[str]) -> tuple[tuple[int, ...], int]:
        word = m.group(3)
        ends, most_days = _PERIOD_WORDS[word]
        if m.group(1):  # 第1季, 第2、4季
            return tuple(3 * q for q in sorted(set(_digits(m.group(1))))), most_days
        if m.group(2):  # 上半年, 下半年
            return ((6,) if m.group(2) == "上" else (12,)), most_days
        # 1~6月每月終了後5日內: the months named beside 每月 are the months whose ends count.
        return (r.limited if word == "月" and r.limited else ends), most_days

    def monthly_day_list(m: re.Match[str]) -> None:
        days = sorted(set(_digits(m.group(2))))
        if all(_valid_day_number(n, r.working_days) for n in days):
            months = _months_of(r, m.group(1))
            r.specific.extend(MonthlyDeadline(months, n, r.working_days, 0) for n in days)
        else:
            r.block("not_understood", m.group(0))

    def monthly_day_range(m: re.Match[str]) -> None:
        first, last = int(m.group(2)), int(m.group(3))
        if first < last and _valid_day_number(last, r.working_days):
            r.specific.append(MonthlyDeadline(_months_of(r, m.group(1)), last, r.working_days, 0))
        else:
            r.block("not_understood", m.group(0))

    def after_period(m: re.Match[str]) -> None:
        ends, most_days = period_ends(m)
        n, unit = int(m.group(4)), m.group(5)
        if unit == "個月" and 1 <= n <= 6:
            r.specific.append(MonthlyDeadline(ends, 31, False, n))
        elif unit != "個月" and 1 <= n <= most_days:
            # A period ends on a month's last day, so N days after it is day N of the next month.
            r.specific.append(MonthlyDeadline(ends, n, False, 1))
        else:
            r.block("too_far", m.group(0))

    def after_period_next_month(m: re.Match[str]) -> None:
        ends, _ = period_ends(m)
        n = int(m.group(4))
        if _valid_day_number(n, False):
            r.specific.append(MonthlyDeadline(ends, n, False, 1))
        else:
            r.block("not_understood", m.group(0))

    def quarter_month_day(m: re.Match[str]) -> None:
        k = int(m.group(1)) if m.group(1) else 1 if m.group(2) == "首" else 3
        n = 31 if m.group(4) else int(m.group(3))
        if _valid_day_number(n, False):
            r.specific.append(MonthlyDeadline(tuple(range(k, 13, 3)), n, False, 0))
        else:
            r.block("not_understood", m.group(0))

    def nth_weekday(months: tuple[int, ...], m: re.Match[str], nths_group: int, wd_group: int) -> None:
        nths = tuple(sorted(set(_digits(m.group(nths_group)))))
        if all(1 <= n <= 5 for n in nths) and all(1 <= x <= 12 for x in months):
            r.specific.append(NthWeekday(months, WEEKDAYS[m.group(wd_group)], nths))
        else:
            r.block("not_understood", m.group(0))

    r.consume(_AFTER_PERIOD, after_period)
    r.consume(_AFTER_PERIOD_NEXT_MONTH, after_period_next_month)
    r.consume(_QUARTER_MONTH_DAY, quarter_month_day)
    r.consume(_NEXT_MONTH, next_month)
    r.consume(_MONTHLY_WORKING, monthly_working)
    r.consume(_MONTHLY_WORKING_WITHIN, monthly_working)
    r.consume(
        _MONTHLY_LAST_WORKING,
        lambda m: r.specific.append(MonthlyDeadline(_months_of(r, m.group(1)), LAST_WORKING_DAY, True, 0)),
    )
    r.consume(_MONTHLY_DAY_LIST, monthly_day_list)
    r.consume(_MONTHLY_DAY_RANGE, monthly_day_range)
    r.consume(_MONTHLY_DAY, monthly_day)
    def monthly_nth_weekdays(m: re.Match[str]) -> None:
        for one in _ONE_NTH_WEEKDAY.finditer(m.group(1)):
            nth_weekday(r.marked_or(ALL_MONTHS), one, 1, 2)

    r.consume(_MONTHLY_NTH_WEEKDAY, monthly_nth_weekdays)
    r.consume(_LISTED_NTH_WEEKDAY, lambda m: nth_weekday(tuple(sorted(set(_digits(m.group(1))))), m, 2, 3))
    r.consume(_QUARTER, lambda m: r.specific.append(Periods((3 * int(m.group(1)),), 3)))
    r.consume(_BOTH_HALVES, lambda m: r.specific.extend([Periods((6,), 6), Periods((12,), 6)]))
    r.consume(_HALF, lambda m: r.specific.append(Periods((6 if m.group(1) == "上" else 12,), 6)))


def _valid_day_number(n: int, working: bool) -> bool:
    # No month has more than 23 working days, so a larger count is a misreading.
    return 1 <= n <= (23 if working else 31)


def _months_of(r: Reading, word: str | None) -> tuple[int, ...]:
    """Return the months of 每雙月 (even), 每單月 (odd), or the marked months (every month if none)."""
    if word and word.startswith("雙"):
        return (2, 4, 6, 8, 10, 12)
    if word and word.startswith("單"):
        return (1, 3, 5, 7, 9, 11)
    return r.marked_or(ALL_MONTHS)
