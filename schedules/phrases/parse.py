"""Read one schedule cell: normalise it, let each family's reader take its phrases, keep the precise ones."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from schedules.dates import year_from_digits
from schedules.phrases.bare_cadences import read_generic, read_weekly
from schedules.phrases.dates import read_dates
from schedules.phrases.lunar import read_lunar
from schedules.phrases.month_limits import read_month_limits
from schedules.phrases.numbered_cadences import read_cadences
from schedules.phrases.parts import read_parts
from schedules.phrases.reading import Problem, Reading
from schedules.phrases.rules import (
    Day,
    DayKind,
    Month,
    MonthlyDeadline,
    NthWeekday,
    OneDay,
    Periods,
    Rule,
    Schedule,
    Span,
    Weekly,
    Window,
)
from schedules.phrases.text import normalise

# 5曰前, 5目前: a day number whose 日 was mistyped; read it as written would drop the day silently.
_MISTYPED_DAY = re.compile(r"\d{1,2}[曰目]")
_TYPOS = re.compile(r"(?<=\d)[曰目]")
# 20日內, 2個月內 left over once every phrase is read: a time limit from something not understood (每季終了候20日內
# is not 每季), so the cell is reported rather than read without its deadline.
# 每月15日前(如遇假日提前): a rest day moves the date to the working day before it, not after.
_EARLIER = re.compile(r"(?:如|若)?遇(?:例)?(?:假日|休假日|例假日|假期|國定假日)(?:則|即)?(?:提前|提早)(?:辦理|至前1?個?工作日)?")
# 倒數第2個工作日, 每週第1個工作日: working days no reader counted; read as the month's end they were wrong.
_UNREAD_WORKING_DAY = re.compile(r"倒數[^|]{0,8}|(?<![以按])[^|以按]{0,8}工作日(?!計)")
_UNREAD_TIME_LIMIT = re.compile(r"(?<![\d.])\d{1,2}(?:日|天|個月)(?:內|以內)")
# 及20日前, ~5日 right after a phrase already read: more days of that phrase, which no reader took. Dropped,
# they once turned 每月5日及20日前 into the 5th only; a duration (放假6日) stands alone and is not one of them.
_UNREAD_LISTED_DAY = re.compile(r"(?<=\|)(?:[、,及和與暨~]\d{1,2}[日號]?)+[日號](?:前|內|止)?")


# 開學2週內, 收到後7日內, 核定後30日內: counted from a day the plan does not give (the school's first day, the
# day a letter arrives), so there is no date to write down; the cell is reported, never read as its month.
_RELATIVE = re.compile(
    r"(?:開學|收到|收文|接獲|接到|函到|文到|到職|報到|核定|發生|(?<![季月年度期])結束|完工|竣工|來函|申請|通知)"
    r"[^|,;。\d]{0,4}\d{1,2}(?:個)?(?:日|天|週|周|星期|月|工作日)(?:內|以內|後)"
    # 參訪日14日前, 開會日7日前: before a day the plan does not name
    r"|(?<=[^\d|月])日\d{1,2}(?:個)?(?:日|天|週|工作日)(?:以|之)?前"
)

# 汛期(5-11月)前: before the season the brackets define starts, i.e. by the last day of the month before it.
# 6至8月高風險期前 names its season with a word ending in 期 instead.
_BEFORE_SEASON = re.compile(
    r"(?:\((?:每年)?(\d{1,2})月?~\d{1,2}月(?:份)?\)|(?<![\d.])(\d{1,2})月?~\d{1,2}月(?:份)?[^\d|,;。()~]{1,5}期)(?:以|之)?前"
)


def _before_season(r: Reading, m: re.Match[str]) -> None:
    first = int(m.group(1) or m.group(2))
    if not 2 <= first <= 12:  # before January is last year's: not this plan's date
        r.block("vague", m.group(0))
        return
    last_day = (date(r.plan_year, first, 1) - timedelta(days=1)).day
    r.specific.append(OneDay(Day(first - 1, last_day), DayKind.deadline))


# 七月十五 中元節: a day number after a month without 日 (and no range or list) is not read as the month alone.
_BARE_DAY = re.compile(r"(?<![\d.])\d{1,2}月(?:\d{1,2}|[一二三四五六七八九十廿卅]{1,3})(?![\d日號~、,/.:月份])")

# 5月30日、1日: listed days that go back are not the month's later days (which month is 1日 in?).
_DAY_LIST = re.compile(r"(?<![\d.])\d{1,2}月(\d{1,2})日((?:[、,及和與暨]\d{1,2}日)+)")


def _listed_days_go_back(m: re.Match[str]) -> bool:
    days = [int(m.group(1)), *map(int, re.findall(r"\d{1,2}", m.group(2)))]
    return days != sorted(set(days))


class ScheduleError(ValueError):
    """A schedule cell that could not be read, with the problems found (the first is the main one).

    `message` is a short fallback line; handlers/texts/readings.py words each problem for people.
    """

    def __init__(self, phrase: str, message: str | None = None, problems: tuple[Problem, ...] = ()) -> None:
        self.phrase = phrase
        self.problems = problems or (Problem("empty" if not phrase.strip() else "not_understood", phrase),)
        self.code = self.problems[0].code
        self.message = message or f"看不懂的時程：「{_shorten(phrase)}」"
        super().__init__(self.message)


def _shorten(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def parse_schedule(text: str, months: frozenset[int] | None, year: int) -> Schedule:
    """Read a schedule cell (and the row's month marks) for the plan year into a Schedule."""
    marked = tuple(sorted(months)) if months else None
    if marked and not all(1 <= m <= 12 for m in marked):
        raise ValueError(f"month marks must be 1..12: {marked}")
    text = text or ""
    if not text.strip():
        if marked:
            return Schedule((Periods(marked, 1),), text, year)
        raise ScheduleError("", "沒有時程", (Problem("empty"),))
    normal = normalise(text)
    r = Reading(normal, marked, year, "以工作日計" in normal or "按工作日計" in normal, [], [], [])
    read_lunar(r)
    r.consume(_RELATIVE, lambda m: r.block("relative", m.group(0)))
    r.consume(_BEFORE_SEASON, lambda m: _before_season(r, m))
    r.consume(_BARE_DAY, lambda m: r.block("not_understood", m.group(0)))
    for m in _DAY_LIST.finditer(r.text):
        if _listed_days_go_back(m):
            r.block("not_understood", m.group(0))
    earlier: list[str] = []
    r.consume(_EARLIER, lambda m: earlier.append(m.group(0)))
    read_month_limits(r)
    read_cadences(r)
    r.consume(_UNREAD_LISTED_DAY, lambda m: r.block("not_understood", m.group(0)))
    read_parts(r)
    read_dates(r)
    read_weekly(r)
    read_generic(r)
    r.consume(_MISTYPED_DAY, lambda m: r.block("not_understood", m.group(0), suggestion=_TYPOS.sub("日", text)))
    r.consume(_UNREAD_TIME_LIMIT, lambda m: r.block("not_understood", m.group(0)))
    r.consume(_UNREAD_WORKING_DAY, lambda m: r.block("not_understood", m.group(0)))
    # A bare 每月 next to 每月第1個工作日 only repeats the cadence; the precise phrase wins.
    rules = tuple(dict.fromkeys(_most_specific(r.specific) or r.generic))
    if earlier:
        rules = _moved_earlier(r, rules, earlier[0])
    problems = r.blocked + _runs_backwards(rules, text) + _outside_plan_year(rules, year, text)
    problems += _other_year_named(normal, year, problems) + _school_terms(normal, rules)
    if problems:
        raise ScheduleError(text, problems=tuple(problems))
    if not rules:
        raise ScheduleError(text)
    return Schedule(rules, text, year)


def _moved_earlier(r: Reading, rules: tuple[Rule, ...], phrase: str) -> tuple[Rule, ...]:
    """Mark the cell's deadlines as moved before a rest day; block it where a rule's date cannot move so."""
    moved: list[Rule] = []
    for rule in rules:
        if isinstance(rule, MonthlyDeadline) and not rule.working:
            moved.append(replace(rule, earlier=True))
        elif isinstance(rule, OneDay) and rule.kind is DayKind.deadline:
            moved.append(replace(rule, earlier=True))
        elif isinstance(rule, (MonthlyDeadline, NthWeekday)) or (isinstance(rule, (OneDay, Weekly)) and rule.kind is DayKind.event):
            moved.append(rule)  # a working day or an event on its day: nothing to move
        else:
            r.block("not_understood", phrase)  # a window's or a period's end moved earlier: not read
            return rules
    return tuple(moved)


# 113年度每月5日前 in a 114 plan: the cadence carries no year, but the cell names another one.
_YEAR_WORD = re.compile(r"(?<![\d.+])(?:民國)?(\d{2,3}|\d{4})年度?(?=每|各)")
# 暑假每週三: which weeks the summer holidays are is the school's calendar, not ours.
_SCHOOL_TERM = re.compile(r"暑假|寒假|學期|開學|期中|期末考")


def _other_year_named(text: str, plan_year: int, found: list[Problem]) -> list[Problem]:
    """Return a problem for a year the cell names that is neither the plan's nor already reported."""
    reported = {p.fields.get("year") for p in found if p.code == "out_of_year"}
    for m in _YEAR_WORD.finditer(text):
        try:
            named = year_from_digits(m.group(1))
        except ValueError:
            continue
        if named != plan_year and named not in reported and 1990 <= named <= 2100:
            return [Problem("out_of_year", m.group(0), {"year": named, "plan_year": plan_year})]
    return []


def _school_terms(text: str, rules: tuple[Rule, ...]) -> list[Problem]:
    """Block a school term (暑假, 學期) that no written date places."""
    term = _SCHOOL_TERM.search(text)
    dated = any(isinstance(rule, (Window, OneDay, Span)) or getattr(rule, "first", None) for rule in rules)
    return [Problem("not_understood", term.group(0))] if term and not dated else []


def _runs_backwards(rules: tuple[Rule, ...], text: str) -> list[Problem]:
    """Block dates without a year that run backwards (11/11-11/15 … 1/13-1/20): which January is meant?

    A range that runs past New Year (11/1-2/28) says so itself; a list that goes back to an earlier month
    may mean the next year or a slip, and 翌年 would say which.
    """
    previous = None
    for rule in rules:
        start = getattr(rule, "first", None) or getattr(rule, "on", None)
        if start is None or start.year is not None:
            previous = None
            continue
        key = (start.later, start.month, getattr(start, "day", 1))
        if previous is not None and key < previous:
            return [Problem("year_unclear", text)]
        previous = key
    return []


def _most_specific(rules: list[Rule]) -> list[Rule]:
    """Drop the broader phrases a cell names only as what it is about.

    第一季及第二季之申報表應於7月15日前: the quarters are the report's content, 7/15 is the date; 2/25
    課照扣款(2-4月): the months are what is paid for. So quarters and halves give way to any month or
    day, and a month span gives way to a day inside it.
    """
    days = [r for r in rules if not isinstance(r, (Periods, Span))]
    months = [r for r in rules if isinstance(r, Span)]
    if not days and not months:
        return rules
    inside = {(d.month, d.year, d.later) for r in days for d in _days_of(r)}
    kept_months = [s for s in months if not any(_month_holds(s, d) for d in inside)]
    return [r for r in rules if r in days or r in kept_months]


def _days_of(rule: Rule) -> list[Day]:
    return [v for v in vars(rule).values() if isinstance(v, Day)]


def _month_holds(span: Span, day: tuple[int, int | None, int]) -> bool:
    month, year, later = day
    first, last = span.first, span.last
    if (first.year, first.later) != (year, later) or (last.year, last.later) != (year, later):
        return False
    return first.month <= month <= last.month


def _outside_plan_year(rules: tuple[Rule, ...], plan_year: int, text: str) -> list[Problem]:
    """Return a problem for each written year a rule ends in that is not the plan's.

    A range may start before the plan year (112年11月至113年10月), and work may be due in the next
    January (114.1.15前 in a 113 plan); anything else in another year is not this plan's.
    """
    found: dict[int, Problem] = {}
    for rule in rules:
        end = getattr(rule, "last", None) or getattr(rule, "on", None)
        if isinstance(end, (Day, Month)) and end.year is not None and end.year != plan_year:
            if end.year == plan_year + 1 and end.month == 1:
                continue
            found.setdefault(end.year, Problem("out_of_year", text, {"year": end.year, "plan_year": plan_year}))
    return list(found.values())
