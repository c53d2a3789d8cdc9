"""Read dates, months, their ranges and lists (113.12.31前, 1/1-2/28, 97.02~10, 1、4、7月) and what follows them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from schedules.dates import year_from_digits
from schedules.phrases.reading import Reading
from schedules.phrases.rules import Day, Month, OneDay, Span, Weekly, Window
from schedules.phrases.text import SEP, WD, WEEK, WEEKDAYS

# Years outside this range are numbers that only look like years (EUI 75.1, 10.5分).
_PLAUSIBLE_YEARS = range(1990, 2101)


# Date atoms, most specific first: 113.12.31 | 113年12月31日 | 12/31 | 97.02 | 113年3月 | a bare number.
_ATOM = re.compile(
    r"(?<![\d.])(?:民國)?(?P<y1>\d{2,4})\.(?P<m1>\d{1,2})\.(?P<d1>\d{1,2})(?![\d.])"
    r"|(?<![\d.])(?:(?:民國)?(?P<y2>\d{2,4})年)?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日號]"
    r"|(?<![\d./])(?P<m3>\d{1,2})/(?P<d3>\d{1,2})(?![\d/])"
    r"|(?<![\d.])(?:民國)?(?P<y4>\d{2,4})\.(?P<m4>\d{1,2})(?![\d.])"
    r"|(?<![\d.])(?:(?:民國)?(?P<y5>\d{2,4})年)?(?P<m5>\d{1,2})月(?:份)?"
    r"|(?<![\d.:])(?P<n>\d{1,2})(?P<nday>日)?(?![\d.:])"
)
_LIST_GAP = re.compile(rf"{SEP}+")
_WEEKLY_TAIL = re.compile(rf"每?{WEEK}({WD}(?:{SEP}{WEEK}?{WD})*)(?![次回遍趟至到~])")
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


def read_dates(r: Reading) -> None:
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


def _emit(r: Reading, units: list[tuple[str, Any, Any]], tail: str) -> list[tuple[int, int]]:
    """Add the rules of one group of dates; return the spans of the tail it used (每週一)."""
    weekly = _WEEKLY_TAIL.match(tail)
    weekdays = tuple(sorted({WEEKDAYS[c] for c in weekly.group(1) if c in WEEKDAYS})) if weekly else ()
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
