"""How a schedule phrase is read back to people, and what was not understood in it.

`reading_line` gives the line a coordinator checks a plan with, e.g.
每月八日前 → 每月 8 日前（遇假日順延至次一工作日）；下次 3/9（一）. `problem_text` words a
ScheduleError's first problem, with the nearest wording that would be read when there is one.
"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import fuzz, process

from schedules.calendar import WorkCalendar
from schedules.dates import WEEKDAYS_ZH, format_date, roc_year
from schedules.occurrences import expand
from schedules.phrases import (
    ALL_MONTHS,
    HALF_ENDS,
    QUARTER_ENDS,
    Day,
    DayKind,
    Month,
    MonthlyDeadline,
    NthWeekday,
    OneDay,
    Periods,
    Rule,
    Schedule,
    ScheduleError,
    Span,
    Weekly,
    Window,
    parse_schedule,
)

CARD_READING = "系統讀法"
EXPORT_READING = "時程讀法"
ARROW = " → "
MOVED = "（遇假日順延至次一工作日）"
MOVED_EARLIER = "（遇假日提前至前一工作日）"
PERIOD_DUE = "（期限為期末最後一個工作日）"
SKIPPED = "（遇假日停辦）"
WINDOW_END = "（迄日遇假日順延）"
NEXT = "下次 {date}"
NONE_LEFT = "今年已無"
JOIN = "；"

PROBLEMS = {
    "empty": "沒有時程",
    "not_understood": "看不懂「{phrase}」，請寫出日期，例如「每月5日前」「3月31日前」「5/6-5/8」",
    "vague": "沒有說是哪一天（例如月初、3月前），請寫出日期，例如「3月31日前」",
    "start_without_end": "只有開始日，沒有結束日，請寫成例如「3月1日至3月31日」",
    "week_of_month": "第幾週沒有說是星期幾，請寫成例如「每月第2個星期三」",
    "too_far": "期限太遠，讀不出是哪一天，請寫出日期",
    "out_of_year": "這個日期在 {year} 年，不在 {plan_year} 年的計畫內",
    "weekday_conflict": "{date} 是星期{actual}，不是括號裡的星期{written}，請確認日期",
    "months_conflict": "時程寫「{phrase}」，但月份欄勾的是 {marked} 月，請確認是哪幾個月",
    "lunar": "「{phrase}」是農曆，換算不出 {roc} 年的國曆日期，請寫出國曆日期，例如「9月6日」",
    "lunar_conflict": "「{phrase}」和前面寫的國曆日期不是同一天，請確認日期",
    "relative": "「{phrase}」要從計畫沒寫出的日子（開學日、收文日…）起算，請寫出日期，例如「9月15日前」",
    "year_unclear": "日期往前跳（例如 11 月之後寫 1 月），看不出是今年還是明年；明年的請寫「翌年1月」",
}
SUGGESTION = "；是否要寫成「{suggestion}」？"

# Wordings that are read, for suggesting the nearest one to a phrase that is not ({n} takes the cell's number).
_MODELS = (
    "每月{n}日前",
    "次月{n}日前",
    "每月第{n}個工作日",
    "每季終了後{n}日內",
    "每半年終了後{n}個月內",
    "每月終了後{n}日內",
    "每季第{n}個月15日前",
    "{n}月底前",
    "{n}月31日前",
    "年底前",
    "每週三",
    "每月第{n}個星期三",
    "翌年1月{n}日前",
)


def reading_line(schedule: Schedule, year: int, calendar: WorkCalendar, today: date) -> str:
    """Return `phrase → reading；下次 date` for one read schedule."""
    return f"{_flat(schedule.text)}{ARROW}{reading(schedule)}{JOIN}{next_text(schedule, year, calendar, today)}"


def problem_line(error: ScheduleError, year: int) -> str:
    """Return `phrase → what was not understood` for one cell that was not read."""
    return f"{_flat(error.phrase)}{ARROW}{problem_text(error, year)}"


def next_text(schedule: Schedule, year: int, calendar: WorkCalendar, today: date) -> str:
    """Return when the schedule is next due from today, or that nothing is left this year."""
    ahead = [o for o in expand(schedule, year, calendar) if o.due >= today]
    return NEXT.format(date=_day_text(ahead[0].due, year)) if ahead else NONE_LEFT


def reading(schedule: Schedule) -> str:
    """Return the schedule's rules in plain Chinese; a note shared by all (順延, 停辦) is said once."""
    parts = [_rule(rule, schedule.year) for rule in schedule.rules]
    notes = {note for _, note in parts}
    if len(notes) == 1:
        return "、".join(text for text, _ in parts) + notes.pop()
    return "、".join(text + note for text, note in parts)


def problem_text(error: ScheduleError, year: int | None = None) -> str:
    """Return what was not understood in a cell, with a suggested wording when one is near."""
    p = error.problems[0]
    fields = dict(p.fields)
    if p.code == "out_of_year":
        fields = {"year": roc_year(fields["year"]), "plan_year": roc_year(fields["plan_year"])}
    if p.code == "lunar":
        fields = {"roc": roc_year(fields["year"])}
    if p.code == "weekday_conflict":
        d = date.fromisoformat(fields["date"])
        fields = {
            "date": f"{d.month}/{d.day}",
            "actual": WEEKDAYS_ZH[fields["actual"]],
            "written": WEEKDAYS_ZH[fields["written"]],
        }
    text = PROBLEMS.get(p.code, PROBLEMS["not_understood"]).format(phrase=_flat(p.phrase or error.phrase), **fields)
    suggestion = fields.get("suggestion") or (suggest(error.phrase, year) if p.code == "not_understood" and year else None)
    return text + (SUGGESTION.format(suggestion=suggestion) if suggestion else "")


def suggest(text: str, year: int) -> str | None:
    """Return the nearest wording that is read, when the cell is close to one (a typo), else None."""
    numbers = re.findall(r"\d{1,2}", text) or ["5"]
    candidates = [m.format(n=numbers[0]) for m in _MODELS]
    found = process.extractOne(text.strip(), candidates, scorer=fuzz.ratio, score_cutoff=75)
    if not found:
        return None
    try:
        parse_schedule(found[0], None, year)
    except ScheduleError:
        return None
    return found[0]


def _flat(text: str, limit: int = 40) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _day_text(d: date, year: int) -> str:
    return format_date(d) if d.year == year else f"{roc_year(d.year)}/{format_date(d)}"


def _months(months: tuple[int, ...]) -> str:
    if months == ALL_MONTHS:
        return "每月"
    if len(months) >= 3 and months == tuple(range(months[0], months[-1] + 1)):
        return f"{months[0]}至{months[-1]}月每月"
    if len(months) >= 9:
        return "每月（" + "、".join(str(m) for m in ALL_MONTHS if m not in months) + "月除外）"
    return "、".join(str(m) for m in months) + "月"


def _day(day: Day, year: int | None) -> str:
    text = f"{day.month}/{day.day}"
    if day.year is not None and day.year != year:
        return f"{roc_year(day.year)}/{text}"
    return f"翌年 {text}" if day.later else text


def _month(month: Month, year: int | None) -> str:
    if month.year is not None and month.year != year:
        return f"{roc_year(month.year)}年{month.month}月"
    return f"翌年{month.month}月" if month.later else f"{month.month}月"


def _rule(rule: Rule, year: int | None) -> tuple[str, str]:
    """Return a rule's words and the note on how its dates move (or are skipped)."""
    if isinstance(rule, MonthlyDeadline):
        return _monthly_deadline(rule), "" if rule.working else MOVED_EARLIER if rule.earlier else MOVED
    if isinstance(rule, Periods):
        return _periods(rule), PERIOD_DUE
    if isinstance(rule, Span):
        first, last = _month(rule.first, year), _month(rule.last, year)
        return (first if first == last else f"{first}至{last}"), PERIOD_DUE
    if isinstance(rule, Window):
        return f"{_day(rule.first, year)} 至 {_day(rule.last, year)}", WINDOW_END
    if isinstance(rule, Weekly):
        days = "、".join(WEEKDAYS_ZH[d] for d in rule.weekdays)
        if rule.first is None or rule.last is None:
            return f"每週{days}", SKIPPED
        return f"{_day(rule.first, year)} 至 {_day(rule.last, year)} 每週{days}前", MOVED
    if isinstance(rule, NthWeekday):
        nths = "、".join(str(n) for n in rule.nths)
        return f"{_months(rule.months)}第 {nths} 個星期{WEEKDAYS_ZH[rule.weekday]}", SKIPPED
    if isinstance(rule, OneDay):
        if rule.kind is DayKind.deadline:
            return f"{_day(rule.on, year)} 前", MOVED_EARLIER if rule.earlier else MOVED
        return f"{_day(rule.on, year)} 當天", ""
    raise TypeError(rule)


def _monthly_deadline(rule: MonthlyDeadline) -> str:
    where = _months(rule.months)
    if rule.shift == 1:
        where = "每月的次月" if rule.months == ALL_MONTHS else f"{where}的次月"
    elif rule.shift > 1:
        where = f"{where}後第 {rule.shift} 個月"
    if rule.working:
        # No month has more than 23 working days: a larger count is the month's last one.
        return f"{where}最後一個工作日" if rule.day > 23 else f"{where}第 {rule.day} 個工作日"
    day = "月底" if rule.day >= 31 else f" {rule.day} 日"
    return f"{where}{day}前".replace("每月的次月", "次月")


def _periods(rule: Periods) -> str:
    if rule.span == 3:
        return "每季" if rule.ends == QUARTER_ENDS else "、".join(f"第{e // 3}季" for e in rule.ends)
    if rule.span == 6:
        if rule.ends == HALF_ENDS:
            return "每半年"
        return "、".join("上半年" if e == 6 else "下半年" for e in rule.ends)
    if rule.span == 1:
        return _months(rule.ends)
    return "每" + str(rule.span) + "個月"
