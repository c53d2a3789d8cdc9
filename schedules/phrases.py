"""Read the schedule phrases of annual work plans (每月5日前, 1/1-2/28, 每季, 97.02~10 …) into rules.

A phrase is found inside a longer cell but never guessed: a cell with no recognised phrase, or with a
date we cannot read (3月前, 1日至15日 without a month), is a ScheduleError.
"""

from __future__ import annotations

import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, ClassVar

from schedules.dates import year_from_digits

SCHEMA_VERSION = 1
ALL_MONTHS = tuple(range(1, 13))
QUARTER_ENDS = (3, 6, 9, 12)
HALF_ENDS = (6, 12)

# Years outside this range are numbers that only look like years (EUI 75.1, 10.5分).
_PLAUSIBLE_YEARS = range(1990, 2101)
_WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}


class ScheduleError(ValueError):
    """A schedule cell that could not be read; `message` is for people, in Traditional Chinese."""

    def __init__(self, phrase: str, message: str | None = None) -> None:
        self.phrase = phrase
        self.message = message or f"看不懂的時程：「{_shorten(phrase)}」"
        super().__init__(self.message)


def _shorten(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- the rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    """A calendar day; year None means the plan year being expanded (`later` years after it)."""

    month: int
    day: int
    year: int | None = None
    later: int = 0

    def on(self, plan_year: int) -> date:
        """Return the date in the given plan year (29 Feb becomes 28 Feb in common years)."""
        year = self.year if self.year is not None else plan_year + self.later
        return date(year, self.month, min(self.day, monthrange(year, self.month)[1]))


@dataclass(frozen=True)
class Month:
    """A month; year None means the plan year being expanded (`later` years after it)."""

    month: int
    year: int | None = None
    later: int = 0

    def year_in(self, plan_year: int) -> int:
        """Return the AD year of this month for the given plan year."""
        return self.year if self.year is not None else plan_year + self.later


@dataclass(frozen=True)
class MonthlyDeadline:
    """每月5日前, 每月第1個工作日, 次月2日前（以工作日計算）: one deadline for each listed month."""

    TYPE: ClassVar[str] = "monthly_deadline"
    months: tuple[int, ...]
    day: int
    working: bool = False  # `day` counts working days, not calendar days
    shift: int = 0  # 1: due in the month after (次月)


@dataclass(frozen=True)
class Periods:
    """每月, 每季, 每半年, 第2季, marked months: periods of `span` months ending in each listed month."""

    TYPE: ClassVar[str] = "periods"
    ends: tuple[int, ...]
    span: int = 1


@dataclass(frozen=True)
class Span:
    """3月, 1-4月, 97.02~10, 整年: one period from the 1st of a month to the last working day of another."""

    TYPE: ClassVar[str] = "span"
    first: Month
    last: Month


@dataclass(frozen=True)
class Window:
    """1/1-2/28, 5月31日-6月14日: starts on the first day, due on the last (or the next working day)."""

    TYPE: ClassVar[str] = "window"
    first: Day
    last: Day


@dataclass(frozen=True)
class Weekly:
    """4/25-8/31每週一 (deadlines inside the window) or 每週三 (events all the plan year)."""

    TYPE: ClassVar[str] = "weekly"
    weekdays: tuple[int, ...]
    kind: str = "event"
    first: Day | None = None
    last: Day | None = None


@dataclass(frozen=True)
class NthWeekday:
    """每年1、4、7、11月的第3個星期日, 每月第2及第4個週五: events on those days, never moved."""

    TYPE: ClassVar[str] = "nth_weekday"
    months: tuple[int, ...]
    weekday: int
    nths: tuple[int, ...]


@dataclass(frozen=True)
class OneDay:
    """113.12.31前 (a deadline, moved to a working day) or 97.1.12 (an event on that day)."""

    TYPE: ClassVar[str] = "one_day"
    on: Day
    kind: str = "deadline"


Rule = MonthlyDeadline | Periods | Span | Window | Weekly | NthWeekday | OneDay
_RULE_TYPES: dict[str, type] = {
    cls.TYPE: cls for cls in (MonthlyDeadline, Periods, Span, Window, Weekly, NthWeekday, OneDay)
}


def _encode(value: Any) -> Any:
    if isinstance(value, (Day, Month)):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, tuple):
        return list(value)
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return Day(**value) if "day" in value else Month(**value)
    if isinstance(value, list):
        return tuple(value)
    return value


def rule_to_json(rule: Rule) -> dict[str, Any]:
    """Return a rule as a JSON-serialisable dict with its type."""
    return {"type": rule.TYPE, **{f.name: _encode(getattr(rule, f.name)) for f in fields(rule)}}


def rule_from_json(data: dict[str, Any]) -> Rule:
    """Return the rule a rule_to_json dict describes."""
    cls = _RULE_TYPES.get(data.get("type", ""))
    if cls is None:
        raise ValueError(f"unknown schedule rule type: {data.get('type')!r}")
    return cls(**{k: _decode(v) for k, v in data.items() if k != "type"})


@dataclass(frozen=True)
class Schedule:
    """The rules read from one schedule cell, with the cell's text and the plan year it was read for."""

    rules: tuple[Rule, ...]
    text: str = ""
    year: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the schedule as a JSON-serialisable dict (stored in the database)."""
        return {
            "version": SCHEMA_VERSION,
            "text": self.text,
            "year": self.year,
            "rules": [rule_to_json(r) for r in self.rules],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Schedule:
        """Return the schedule stored by to_json."""
        if data.get("version", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise ValueError(f"unsupported schedule version: {data.get('version')!r}")
        rules = tuple(rule_from_json(r) for r in data.get("rules", ()))
        return cls(rules, data.get("text", ""), data.get("year"))


# --- normalising the text ----------------------------------------------------------------------

_WIDE = "\u0080-\U0010ffff"
_WEEK = r"(?:週|周|星期|禮拜)"
_SEP = r"[、,及和與]"
_WD = r"[一二三四五六日天]"

_DASHES = str.maketrans(dict.fromkeys("-‐‑‒–—―−~～〜﹣", "~"))
_ISO_DATE = re.compile(r"(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])")
_ROC_SLASH_DATE = re.compile(r"(?<![\d/.])(\d{2,3})/(\d{1,2})/(\d{1,2})(?![\d/])")
_SPACE = re.compile(rf"(?<=[{_WIDE}~(])\s+|\s+(?=[{_WIDE}~)])")
_RANGE_WORD = re.compile(r"(?<=[\d月日號])起?[至到~](?=(?:民國)?\d)")
_CHINESE_DIGITS = {"一": "1", "二": "2", "兩": "2", "三": "3", "四": "4", "五": "5", "六": "6"}
_CHINESE_COUNT = re.compile(r"(?<=[第每])([一二兩三四五六])(?=個)")

# Dates that are history or references, not schedule: 91.4.1開辦, 統計區間為…, 109年5月20日府授秘文字第…號.
_NOISE = (
    re.compile(r"(?:\d{2,4}\.\d{1,2}(?:\.\d{1,2})?|\d{2,4}年\d{1,2}月(?:\d{1,2}日)?)開辦"),
    re.compile(r"統計區間[為是:]?[^,;。]*"),
    re.compile(r"(?:\d{2,4}年\d{1,2}月\d{1,2}日|\d{2,4}\.\d{1,2}\.\d{1,2})(?=[^,;。]{0,12}?字第)"),
)


def _normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = _ISO_DATE.sub(r"\1.\2.\3", t)
    t = _ROC_SLASH_DATE.sub(r"\1.\2.\3", t)
    t = t.translate(_DASHES)
    t = _SPACE.sub("", t)
    t = _RANGE_WORD.sub("~", t)
    t = _CHINESE_COUNT.sub(lambda m: _CHINESE_DIGITS[m.group(1)], t)
    for noise in _NOISE:
        t = noise.sub("|", t)
    return t


# --- the reader --------------------------------------------------------------------------------


@dataclass
class _Reading:
    """What has been read from one cell so far."""

    text: str
    months: tuple[int, ...] | None
    plan_year: int
    working_days: bool  # 以工作日計算: day numbers count working days
    specific: list[Rule]
    generic: list[Rule]
    blocked: list[str]

    def marked_or(self, default: tuple[int, ...]) -> tuple[int, ...]:
        return self.months or default

    def consume(self, pattern: re.Pattern[str], handle) -> None:
        """Call handle(match) for each match and blank the matched text so later readers skip it."""

        def replace(match: re.Match[str]) -> str:
            handle(match)
            return "|"

        self.text = pattern.sub(replace, self.text)


def _digits(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text))


_NEXT_MONTH = re.compile(r"次月(第)?(\d{1,2})個?(工作)?日(?:前|內|止)?")
_MONTHLY_WORKING = re.compile(r"每個?月(?:份)?的?第(\d{1,2})個?工作日(?:前|內|止)?")
_MONTHLY_DAY = re.compile(r"每個?月(?:份)?的?(\d{1,2})[日號](?:前|內|止)?")
_MONTHLY_NTH_WEEKDAY = re.compile(rf"每個?月(?:份)?的?第(\d(?:個?{_SEP}第?\d)*)個?{_WEEK}({_WD})")
_LISTED_NTH_WEEKDAY = re.compile(
    rf"(?:每年)?((?:\d{{1,2}}月?{_SEP})*\d{{1,2}})月(?:份)?的?第(\d(?:個?{_SEP}第?\d)*)個?{_WEEK}({_WD})"
)
_QUARTER = re.compile(r"第([1-4])季")
_HALF = re.compile(r"([上下])半年")


def _read_cadences(r: _Reading) -> None:
    """Read the recurring phrases that carry numbers, before the numbers are read as dates."""

    def next_month(m: re.Match[str]) -> None:
        n, working = int(m.group(2)), bool(m.group(3)) or r.working_days
        if _valid_day_number(n, working):
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), n, working, 1))
        else:
            r.blocked.append(m.group(0))

    def monthly_working(m: re.Match[str]) -> None:
        n = int(m.group(1))
        if _valid_day_number(n, True):
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), n, True, 0))
        else:
            r.blocked.append(m.group(0))

    def monthly_day(m: re.Match[str]) -> None:
        n = int(m.group(1))
        if _valid_day_number(n, r.working_days):
            r.specific.append(MonthlyDeadline(r.marked_or(ALL_MONTHS), n, r.working_days, 0))
        else:
            r.blocked.append(m.group(0))

    def nth_weekday(months: tuple[int, ...], m: re.Match[str], nths_group: int, wd_group: int) -> None:
        nths = tuple(sorted(set(_digits(m.group(nths_group)))))
        if all(1 <= n <= 5 for n in nths) and all(1 <= x <= 12 for x in months):
            r.specific.append(NthWeekday(months, _WEEKDAYS[m.group(wd_group)], nths))
        else:
            r.blocked.append(m.group(0))

    r.consume(_NEXT_MONTH, next_month)
    r.consume(_MONTHLY_WORKING, monthly_working)
    r.consume(_MONTHLY_DAY, monthly_day)
    r.consume(_MONTHLY_NTH_WEEKDAY, lambda m: nth_weekday(r.marked_or(ALL_MONTHS), m, 1, 2))
    r.consume(_LISTED_NTH_WEEKDAY, lambda m: nth_weekday(tuple(sorted(set(_digits(m.group(1))))), m, 2, 3))
    r.consume(_QUARTER, lambda m: r.specific.append(Periods((3 * int(m.group(1)),), 3)))
    r.consume(_HALF, lambda m: r.specific.append(Periods((6 if m.group(1) == "上" else 12,), 6)))


def _valid_day_number(n: int, working: bool) -> bool:
    # No month has more than 23 working days, so a larger count is a misreading.
    return 1 <= n <= (23 if working else 31)


# Date atoms, most specific first: 113.12.31 | 113年12月31日 | 12/31 | 97.02 | 113年3月 | a bare number.
_ATOM = re.compile(
    r"(?<![\d.])(?:民國)?(?P<y1>\d{2,4})\.(?P<m1>\d{1,2})\.(?P<d1>\d{1,2})(?![\d.])"
    r"|(?<![\d.])(?:(?:民國)?(?P<y2>\d{2,4})年)?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日號]"
    r"|(?<![\d./])(?P<m3>\d{1,2})/(?P<d3>\d{1,2})(?![\d/])"
    r"|(?<![\d.])(?:民國)?(?P<y4>\d{2,4})\.(?P<m4>\d{1,2})(?![\d.])"
    r"|(?<![\d.])(?:(?:民國)?(?P<y5>\d{2,4})年)?(?P<m5>\d{1,2})月(?:份)?"
    r"|(?<![\d.:])(?P<n>\d{1,2})(?P<nday>日)?(?![\d.:])"
)
_LIST_GAP = re.compile(rf"{_SEP}+")
_WEEKLY_TAIL = re.compile(rf"每?{_WEEK}({_WD}(?:{_SEP}{_WEEK}?{_WD})*)(?![次回遍趟至到~])")
_DEADLINE_TAIL = re.compile(r"(?:以|之)?前|止")
_VAGUE_TAIL = re.compile(r"初|中|上旬|中旬")  # 2月初: early February is not "by the end of February"


@dataclass(frozen=True)
class _Atom:
    kind: str  # "date", "month" or "num"
    start: int
    end: int
    month: int = 0
    day: int = 0
    year: int | None = None
    number: int = 0
    is_day: bool = False


def _year(digits: str | None) -> int | None:
    if digits is None:
        return None
    year = year_from_digits(digits)
    if year not in _PLAUSIBLE_YEARS:
        raise ValueError(digits)
    return year


def _atom(m: re.Match[str], plan_year: int) -> _Atom | None:
    """Return the atom a match describes, or None when it is not a real date (13月, 2/30, EUI 75.1)."""
    g = m.groupdict()
    try:
        for y, mo, d in (("y1", "m1", "d1"), ("y2", "m2", "d2"), (None, "m3", "d3")):
            if g[mo] is not None:
                year = _year(g[y]) if y else None
                date(year or plan_year, int(g[mo]), int(g[d]))  # validates the day
                return _Atom("date", m.start(), m.end(), int(g[mo]), int(g[d]), year)
        for y, mo in (("y4", "m4"), ("y5", "m5")):
            if g[mo] is not None:
                year = _year(g[y])
                if not 1 <= int(g[mo]) <= 12:
                    return None
                return _Atom("month", m.start(), m.end(), int(g[mo]), year=year)
    except ValueError:
        return None
    return _Atom("num", m.start(), m.end(), number=int(g["n"]), is_day=g["nday"] is not None)


def _range(a: _Atom, b: _Atom) -> tuple[str, Any, Any] | None:
    """Return ("window", Day, Day) or ("span", Month, Month) for a~b, or None when they do not pair."""
    if b.kind == "num":
        if a.kind == "month" and not b.is_day and 1 <= b.number <= 12:
            b = _Atom("month", b.start, b.end, b.number, year=a.year)
        elif a.kind == "date" and b.is_day and 1 <= b.number <= 31:
            b = _Atom("date", b.start, b.end, a.month, b.number, a.year)
        else:
            return None
    if a.kind == "num":
        if b.kind != "month" or a.is_day or not 1 <= a.number <= 12:
            return None
        a = _Atom("month", a.start, a.end, a.number, year=b.year)
    first = (a.month, a.day if a.kind == "date" else 1)
    last = (b.month, b.day if b.kind == "date" else 31)
    # An end before its start runs past New Year (11/1-2/28) unless both years are written.
    wraps = 1 if last < first else 0
    year_a = a.year if a.year is not None else (None if b.year is None else b.year - wraps)
    year_b = b.year if b.year is not None else (None if a.year is None else a.year + wraps)
    later = wraps if year_a is None else 0
    if year_a is not None and (year_b, *last) < (year_a, *first):
        return None
    if a.kind == "month" and b.kind == "month":
        return "span", Month(a.month, year_a), Month(b.month, year_b, later)
    return "window", Day(a.month, first[1], year_a), Day(b.month, last[1], year_b, later)


def _read_dates(r: _Reading) -> None:
    """Read dates, months and their ranges and lists, with what follows them (前, 每週一)."""
    text = r.text
    atoms = [a for a in (_atom(m, r.plan_year) for m in _ATOM.finditer(text)) if a]
    used: list[tuple[int, int]] = []
    i = 0
    while i < len(atoms):
        units: list[tuple[str, Any, Any]] = []
        while True:
            a = atoms[i]
            paired = None
            if i + 1 < len(atoms) and text[a.end : atoms[i + 1].start] == "~":
                paired = _range(a, atoms[i + 1])
            if paired:
                units.append(paired)
                i += 2
            else:
                units.append(("atom", a, None))
                i += 1
            if i < len(atoms) and _LIST_GAP.fullmatch(text[atoms[i - 1].end : atoms[i].start]):
                continue
            break
        end = atoms[i - 1].end
        used.extend((end + s, end + e) for s, e in _emit(r, _lift_numbers(units), text[end:]))
    for s, e in reversed(used):
        text = text[:s] + "|" + text[e:]
    r.text = text


def _lift_numbers(units: list[tuple[str, Any, Any]]) -> list[tuple[str, Any, Any]]:
    """Turn the bare numbers of a month list (1、4、7、11月) into months; drop other bare numbers."""
    out: list[tuple[str, Any, Any]] = []
    pending: list[_Atom] = []
    for unit in units:
        kind, a, _ = unit
        if kind == "atom" and a.kind == "num":
            pending.append(a)
            continue
        if kind == "atom" and a.kind == "month":
            for n in pending:
                if not n.is_day and 1 <= n.number <= 12:
                    out.append(("atom", _Atom("month", n.start, n.end, n.number, year=a.year), None))
        pending = []
        out.append(unit)
    return out


def _emit(r: _Reading, units: list[tuple[str, Any, Any]], tail: str) -> list[tuple[int, int]]:
    """Add the rules of one group of dates; return the spans of the tail it used (每週一)."""
    weekly = _WEEKLY_TAIL.match(tail)
    weekdays = tuple(sorted({_WEEKDAYS[c] for c in weekly.group(1) if c in _WEEKDAYS})) if weekly else ()
    deadline = bool(_DEADLINE_TAIL.match(tail))
    for kind, a, b in units:
        if kind == "window":
            r.specific.append(Weekly(weekdays, "deadline", a, b) if weekdays else Window(a, b))
        elif kind == "span" or (kind == "atom" and a.kind == "month"):
            first, last = (a, b) if kind == "span" else (Month(a.month, a.year),) * 2
            if deadline or _VAGUE_TAIL.match(tail):
                r.blocked.append(tail)  # 3月前: by the start or the end of March? Not guessed.
            elif weekdays:
                r.specific.append(
                    Weekly(
                        weekdays,
                        "deadline",
                        Day(first.month, 1, first.year),
                        Day(last.month, 31, last.year, last.later),
                    )
                )
            else:
                r.specific.append(Span(first, last))
        elif kind == "atom" and a.kind == "date":
            day = Day(a.month, a.day, a.year)
            if deadline:
                r.specific.append(OneDay(day, "deadline"))
            elif tail.startswith("起"):
                r.blocked.append(tail)  # a start with no end
            else:
                r.specific.append(OneDay(day, "event"))
    if weekly and weekdays and any(kind != "atom" or a.kind == "month" for kind, a, _ in units):
        return [weekly.span()]
    return []


_STANDALONE_WEEKLY = re.compile(rf"每{_WEEK}({_WD}(?:{_SEP}{_WEEK}?{_WD})*)(?![次回遍趟至到~])")
_EVERY_N_MONTHS = re.compile(r"每(\d{1,2})個月")
_QUARTERLY = re.compile(r"每一?季|按季|逐季")
_HALF_YEARLY = re.compile(r"每半年")
_MONTHLY = re.compile(r"每個?月份?|按月|逐月")
_WHOLE_YEAR = re.compile(r"每年(?![\d度])|每年度|整年度?|全年度?|[賡廣]續辦理")


def _read_weekly(r: _Reading) -> None:
    def weekly(m: re.Match[str]) -> None:
        days = tuple(sorted({_WEEKDAYS[c] for c in m.group(1) if c in _WEEKDAYS}))
        r.specific.append(Weekly(days, "event"))

    r.consume(_STANDALONE_WEEKLY, weekly)


def _read_generic(r: _Reading) -> None:
    """Read the bare cadences (每月, 每季, 每半年, 整年); month marks choose the months of recurring ones."""

    def periods(ends: tuple[int, ...], span: int) -> Rule:
        if span == 12:
            return Span(Month(1), Month(12))
        return Periods(r.months, 1) if r.months else Periods(ends, span)

    def every_n(m: re.Match[str]) -> None:
        n = int(m.group(1))
        if n in (1, 2, 3, 4, 6, 12):
            r.generic.append(periods(tuple(range(n, 13, n)), n))

    r.consume(_EVERY_N_MONTHS, every_n)
    r.consume(_QUARTERLY, lambda m: r.generic.append(periods(QUARTER_ENDS, 3)))
    r.consume(_HALF_YEARLY, lambda m: r.generic.append(periods(HALF_ENDS, 6)))
    r.consume(_MONTHLY, lambda m: r.generic.append(periods(ALL_MONTHS, 1)))
    r.consume(_WHOLE_YEAR, lambda m: r.generic.append(Span(Month(1), Month(12))))


def parse_schedule(text: str, months: frozenset[int] | None, year: int) -> Schedule:
    """Read a schedule cell (and the row's month marks) for the plan year into a Schedule."""
    marked = tuple(sorted(months)) if months else None
    if marked and not all(1 <= m <= 12 for m in marked):
        raise ValueError(f"month marks must be 1..12: {marked}")
    text = text or ""
    if not text.strip():
        if marked:
            return Schedule((Periods(marked, 1),), text, year)
        raise ScheduleError("", "沒有時程")
    normal = _normalise(text)
    r = _Reading(normal, marked, year, "以工作日計" in normal or "按工作日計" in normal, [], [], [])
    _read_cadences(r)
    _read_dates(r)
    _read_weekly(r)
    _read_generic(r)
    if r.blocked:
        raise ScheduleError(text)
    # A bare 每月 next to 每月第1個工作日 only repeats the cadence; the precise phrase wins.
    rules = r.specific or r.generic
    if not rules:
        raise ScheduleError(text)
    return Schedule(tuple(dict.fromkeys(rules)), text, year)
