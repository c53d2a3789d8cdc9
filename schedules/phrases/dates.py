"""Read dates, months, their ranges and lists (113.12.31前, 1/1-2/28, 97.02~10, 1、4、7月) and what follows them."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from schedules.dates import year_from_digits
from schedules.phrases.reading import Reading
from schedules.phrases.rules import Day, DayKind, Month, OneDay, Span, Weekly, Window
from schedules.phrases.text import SEP, WD, WEEK, WEEKDAYS

# Years outside this range are numbers that only look like years (EUI 75.1, 10.5分).
_PLAUSIBLE_YEARS = range(1990, 2101)


# Date atoms, most specific first: 113.12.31 | 113年12月31日 | 12/31 | 97.02 | 113年3月 | a bare number.
_ATOM = re.compile(
    r"(?:(?<![\d.])(?:民國)?(?P<y1>\d{2,4})\.(?P<m1>\d{1,2})\.(?P<d1>\d{1,2})(?![\d.])"
    r"|(?<![\d.])(?:(?:民國)?(?P<y2>\d{2,4})年|(?P<x2>\+))?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日號]"
    r"|(?<![\d./])(?P<x3>\+)?(?P<m3>\d{1,2})/(?P<d3>\d{1,2})(?![\d/])"
    r"|(?<![\d.])(?:民國)?(?P<y4>\d{2,4})\.(?P<m4>\d{1,2})(?![\d.])"
    r"|(?<![\d.])(?:(?:民國)?(?P<y5>\d{2,4})年|(?P<x5>\+))?(?P<m5>\d{1,2})月(?:份)?"
    r"|(?<![\d.:])(?P<n>\d{1,2})(?P<nday>日)?(?![\d.:月]))"
    r"(?:⟨(?P<wd>\d)⟩)?"
)
_DEADLINE_WORD = re.compile(r"(?:以|之)?前|止")
_LIST_GAP = re.compile(rf"{SEP}+")
_WEEKLY_TAIL = re.compile(rf"每?{WEEK}({WD}(?:{SEP}{WEEK}?{WD})*)(?![次回遍趟至到~])")
# 前 and 止 right after the date; 8/29:研究生畢業離校截止日 names its deadline a little later.
_DEADLINE_TAIL = re.compile(r"(?:下班|中午)?(?:以|之)?前|止|截止|[:]?[^,;。|~\d]{0,12}?截止")
# Parts of a month after it (3月底, 3月中旬): the first and last day of the part. 2月初 stays unread: early
# February is not a day, and "by the end of February" would be a guess.
_PART_TAIL = re.compile(r"(底|下旬|中旬|上旬|中(?![秋心央華國文])|初)((?:以|之)?前)?")
_PARTS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}


class _Written(enum.StrEnum):
    """What a date word is: a day (4/8), a month (4月), or a bare number (8, 15日) read by its neighbours."""

    date = "date"
    month = "month"
    num = "num"


class _Unit(enum.StrEnum):
    """What a piece of a date list is: one date word, a window of days (4/1~4/15), or a span of months (4~6月)."""

    atom = "atom"
    window = "window"
    span = "span"


@dataclass(frozen=True)
class _Atom:
    kind: _Written
    start: int
    end: int
    month: int = 0
    day: int = 0
    year: int | None = None
    number: int = 0
    is_day: bool = False
    later: int = 0  # 1 when written after 翌年/次年/隔年/明年
    weekday: int | None = None  # the weekday written in brackets after it


# The days every year has in each month (29 February is not in every plan year).
_DAYS_IN = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


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
    wd = int(g["wd"]) if g["wd"] is not None else None
    try:
        for y, mo, d, x in (("y1", "m1", "d1", None), ("y2", "m2", "d2", "x2"), (None, "m3", "d3", "x3")):
            if g[mo] is not None:
                year = _year(g[y]) if y else None
                later = 1 if x and g[x] else 0
                date(year or plan_year + later, int(g[mo]), int(g[d]))  # validates the day
                return _Atom(_Written.date, m.start(), m.end(), int(g[mo]), int(g[d]), year, later=later, weekday=wd)
        for y, mo, x in (("y4", "m4", None), ("y5", "m5", "x5")):
            if g[mo] is not None:
                year = _year(g[y])
                if not 1 <= int(g[mo]) <= 12:
                    return None
                later = 1 if x and g[x] else 0
                return _Atom(_Written.month, m.start(), m.end(), int(g[mo]), year=year, later=later)
    except ValueError:
        return None
    return _Atom(_Written.num, m.start(), m.end(), number=int(g["n"]), is_day=g["nday"] is not None, weekday=wd)


def _range(a: _Atom, b: _Atom) -> tuple[str, Any, Any] | None:
    """Return (window, Day, Day) or (span, Month, Month) for a~b, or None when they do not pair."""
    if b.kind == _Written.num:
        if a.kind == _Written.month and not b.is_day and 1 <= b.number <= 12:
            b = _Atom(_Written.month, b.start, b.end, b.number, year=a.year, later=a.later)
        elif a.kind == _Written.date and a.day < b.number <= 31:
            # 3/17~19, 9/2-3, 5月6日~7日: the end is a later day of the same month.
            b = _Atom(_Written.date, b.start, b.end, a.month, b.number, a.year, later=a.later, weekday=b.weekday)
        else:
            return None
    if a.kind == _Written.num:
        if b.kind != _Written.month or a.is_day or not 1 <= a.number <= 12:
            return None
        a = _Atom(_Written.month, a.start, a.end, a.number, year=b.year)
    first = (a.month, a.day if a.kind == _Written.date else 1)
    last = (b.month, b.day if b.kind == _Written.date else 31)
    # An end before its start runs past New Year (11/1-2/28) unless both years are written.
    # A second date without a year takes the first's year, and the next one only when it must.
    wraps = 1 if (b.later, *last) < (a.later, *first) else 0
    year_a = a.year if a.year is not None else (None if b.year is None else b.year - wraps)
    year_b = b.year if b.year is not None else (None if a.year is None else a.year + wraps)
    later_a = a.later if year_a is None else 0
    later_b = max(b.later, a.later + wraps) if year_b is None else 0
    if year_a is not None and year_b is not None and (year_b, *last) < (year_a, *first):
        return None
    if a.kind == _Written.month and b.kind == _Written.month:
        return _Unit.span, Month(a.month, year_a, later_a), Month(b.month, year_b, later_b)
    return _Unit.window, Day(a.month, first[1], year_a, later_a), Day(b.month, last[1], year_b, later_b)


def read_dates(r: Reading) -> None:
    """Read dates, months and their ranges and lists, with what follows them (前, 每週一)."""
    text = r.text
    atoms = [a for a in (_atom(m, r.plan_year) for m in _ATOM.finditer(text)) if a]
    used: list[tuple[int, int]] = []
    notes: list[tuple[Day, int | None]] = []
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
                notes += [(paired[1], a.weekday), (paired[2], atoms[i + 1].weekday)]
                i += 2
            else:
                units.append((_Unit.atom, a, None))
                if a.kind == _Written.date:
                    notes.append((Day(a.month, a.day, a.year, a.later), a.weekday))
                i += 1
            if i < len(atoms) and _LIST_GAP.fullmatch(text[atoms[i - 1].end : atoms[i].start]):
                continue
            break
        end = atoms[i - 1].end
        spread = _spread_day(units)
        if spread is None:
            r.block("not_understood", text[atoms[i - len(units)].start : end])
            continue
        lifted = _lift_numbers(spread)
        if _dropped_listed_numbers(units, lifted):
            # 10/27、5: the 5 is neither a later day nor a listed month; read as nothing it was lost.
            r.block("not_understood", text[atoms[i - len(units)].start : end])
        for a in _dropped_deadline_days(text, units, lifted):
            # 每季末月25日前 once lost its 25日 here: a day number with 前 that nothing read is reported.
            r.block("not_understood", text[a.start : a.end + 1])
        used.extend((end + s, end + e) for s, e in _emit(r, lifted, text[end:]))
    _check_weekdays(r, notes)
    for s, e in reversed(used):
        text = text[:s] + "|" + text[e:]
    r.text = text


def _check_weekdays(r: Reading, notes: list[tuple[Day, int | None]]) -> None:
    """Block a date whose weekday in brackets is not its weekday: one of the two is wrong."""
    for day, written in notes:
        if written is None:
            continue
        on = day.on(r.plan_year)
        if on.weekday() != written:
            r.block("weekday_conflict", r.text, date=on.isoformat(), written=written, actual=on.weekday())


def _spread_day(units: list[tuple[str, Any, Any]]) -> list[tuple[str, Any, Any]] | None:
    """2、5、8、11月10日前 and 2月、5月、8月、11月10日前: the day written once is every listed month's.

    Read otherwise, the first left only 11/10 and the second three vague months. A day that some listed month
    does not have (2、4月30日前) is None: 2/30 would have to become a guess, so the caller reports it.
    """
    if len(units) < 2:
        return units
    *head, (kind, last, _) = units
    if kind != _Unit.atom or last.kind != _Written.date:
        return units
    months = []
    for k, a, _ in head:
        if k == _Unit.atom and a.kind == _Written.num and not a.is_day and 1 <= a.number <= 12:
            months.append(a.number)
        elif k == _Unit.atom and a.kind == _Written.month and (a.year, a.later) == (last.year, last.later):
            months.append(a.month)
        else:
            return units
    if months != sorted(set(months)) or months[-1] >= last.month:
        return units
    if last.day > min(_DAYS_IN[m] for m in months):
        return None
    spread = [
        (_Unit.atom, _Atom(_Written.date, a.start, a.end, m, last.day, last.year, later=last.later), None)
        for m, (_, a, _) in zip(months, head, strict=True)
    ]
    return [*spread, units[-1]]


def _dropped_deadline_days(text: str, units: list[tuple[str, Any, Any]], lifted: list[tuple[str, Any, Any]]) -> list[_Atom]:
    """Return the day numbers followed by 前 or 止 (25日前) that _lift_numbers dropped; durations (放假6日) stay out."""
    kept = {a.start for kind, a, _ in lifted if kind == _Unit.atom}
    return [
        a
        for kind, a, _ in units
        if kind == _Unit.atom and a.kind == _Written.num and a.is_day and a.start not in kept
        and _DEADLINE_WORD.match(text, a.end)
    ]


def _dropped_listed_numbers(units: list[tuple[str, Any, Any]], lifted: list[tuple[str, Any, Any]]) -> list[_Atom]:
    """Return the bare numbers listed after a date (10/27、28) that _lift_numbers read as nothing."""
    if not any(kind == _Unit.atom and a.kind == _Written.date for kind, a, _ in units):
        return []
    kept = {a.start for kind, a, _ in lifted if kind == _Unit.atom}
    return [a for kind, a, _ in units if kind == _Unit.atom and a.kind == _Written.num and not a.is_day and a.start not in kept]


def _lift_numbers(units: list[tuple[str, Any, Any]]) -> list[tuple[str, Any, Any]]:
    """Turn the bare numbers of a month list (1、4、7、11月) into months; drop other bare numbers."""
    out: list[tuple[str, Any, Any]] = []
    pending: list[_Atom] = []
    last_date: _Atom | None = None
    for unit in units:
        kind, a, _ = unit
        if kind == _Unit.atom and a.kind == _Written.date:
            last_date = a
        elif kind == _Unit.atom and a.kind == _Written.num and a.is_day and last_date and last_date.day < a.number <= 31:
            # 2月11日、12日及13日: the later days of the month just named
            last_date = _Atom(_Written.date, a.start, a.end, last_date.month, a.number, last_date.year, later=last_date.later)
            out.append((_Unit.atom, last_date, None))
            continue
        if kind == _Unit.atom and a.kind == _Written.num:
            pending.append(a)
            continue
        if kind == _Unit.atom and a.kind == _Written.month:
            for n in pending:
                if not n.is_day and 1 <= n.number <= 12:
                    out.append((_Unit.atom, _Atom(_Written.month, n.start, n.end, n.number, year=a.year), None))
        pending = []
        out.append(unit)
    return out + _later_days(units, pending, last_date)


def _later_days(units: list[tuple[str, Any, Any]], pending: list[_Atom], last: _Atom | None) -> list[tuple[str, Any, Any]]:
    """10/27、28: bare numbers right after a date, with no month to make them months, are later days of its month."""
    if not pending or last is None or any(n.is_day for n in pending):
        return []
    before = units[[u[1] for u in units].index(pending[0]) - 1][1]
    days = [n.number for n in pending]
    if not (before.kind == _Written.date or before.is_day) or days != sorted(set(days)):
        return []
    if not last.day < days[0] or days[-1] > _DAYS_IN[last.month]:
        return []
    return [(_Unit.atom, _Atom(_Written.date, n.start, n.end, last.month, n.number, last.year, later=last.later), None) for n in pending]


def _emit(r: Reading, units: list[tuple[str, Any, Any]], tail: str) -> list[tuple[int, int]]:
    """Add the rules of one group of dates; return the spans of the tail it used (每週一)."""
    weekly = _WEEKLY_TAIL.match(tail)
    weekdays = tuple(sorted({WEEKDAYS[c] for c in weekly.group(1) if c in WEEKDAYS})) if weekly else ()
    deadline = bool(_DEADLINE_TAIL.match(tail))
    part = _PART_TAIL.match(tail)
    for kind, a, b in units:
        if kind == _Unit.window:
            r.specific.append(Weekly(weekdays, DayKind.deadline, a, b) if weekdays else Window(a, b))
        elif kind == _Unit.span or (kind == _Unit.atom and a.kind == _Written.month):
            first, last = (a, b) if kind == _Unit.span else (Month(a.month, a.year, a.later),) * 2
            if part and part.group(1) != "初":
                _part(r, last, part)
            elif deadline or part:
                r.block("vague", tail)  # 3月前: by the start or the end of March? Not guessed.
            elif weekdays:
                r.specific.append(
                    Weekly(
                        weekdays,
                        DayKind.deadline,
                        Day(first.month, 1, first.year, first.later),
                        Day(last.month, 31, last.year, last.later),
                    )
                )
            else:
                r.specific.append(Span(first, last))
        elif kind == _Unit.atom and a.kind == _Written.date:
            day = Day(a.month, a.day, a.year, a.later)
            if deadline:
                r.specific.append(OneDay(day, DayKind.deadline))
            elif tail.startswith("起"):
                r.block("start_without_end", tail)
            else:
                r.specific.append(OneDay(day, DayKind.event))
    if weekly and weekdays and any(kind != _Unit.atom or a.kind == _Written.month for kind, a, _ in units):
        return [weekly.span()]
    return []


def _part(r: Reading, month: Month, part: re.Match[str]) -> None:
    """Add 3月底(前), 3月中(前) as deadlines and 3月上旬 as a window (its end when 前 follows)."""
    word, before = part.group(1), bool(part.group(2))
    if word in ("底", "中"):
        day = 31 if word == "底" else 15
        r.specific.append(OneDay(Day(month.month, day, month.year, month.later), DayKind.deadline))
        return
    first, last = _PARTS[word]
    end = Day(month.month, last, month.year, month.later)
    if before:
        r.specific.append(OneDay(end, DayKind.deadline))
    else:
        r.specific.append(Window(Day(month.month, first, month.year, month.later), end))
