"""執行情形 and month cells in words and marks, from the one status model: the console and the exports alike.

Views call these; none of them decides a state or counts one (schedules.status does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from handlers.core.agenda import Due
from handlers.documents.item_cards import occurrence_label
from handlers.texts import chat as M
from handlers.texts import words as W
from schedules.dates import format_date
from schedules.occurrences import Occurrence
from schedules.status import OccurrenceStatus, Said, State

# A month holding several occurrences shows the worst: the first of these any of them has.
WORST_FIRST = (State.overdue, State.done_late, State.not_due, State.before_tracking, State.done_on_time)
RANK = {state: rank for rank, state in enumerate(WORST_FIRST)}
# The legend's order.
LEGEND = (State.done_on_time, State.done_late, State.overdue, State.not_due, State.before_tracking)
# The fill of a month cell in the console and the exports (the mark says the same in grey).
STATE_FILL = {
    State.done_on_time: "#B7E1B0", State.done_late: "#F8D98B", State.overdue: "#F2A3A3", State.not_due: "#E6E6E6",
    State.before_tracking: "#FFFFFF",
}


@dataclass(frozen=True)
class Shown:
    """One occurrence with its state on the day it is shown."""

    due: Due
    status: OccurrenceStatus


def months_of(occ: Occurrence, year: int) -> list[int]:
    """Return the months of the year an occurrence spans (a window from March to May fills three cells)."""
    first, last = occ.starts or occ.due, occ.due
    if last.year < year or first.year > year:
        return []
    start = first.month if first.year == year else 1
    end = last.month if last.year == year else 12
    return list(range(start, end + 1))


def month_state(states: list[State]) -> State | None:
    """Return the state a month cell shows: the worst of its occurrences' (None when it holds none)."""
    return min(states, key=RANK.__getitem__) if states else None


def mark(state: State) -> str:
    """Return the symbol of a state, so a grey printout still reads (✓ 如期, ✓! 逾期完成, × 逾期, ○ 未到期)."""
    return W.STATE_MARK[state.value]


def month_cells(item_months, shown: list[Shown], year: int, first_column: int) -> tuple[list[str], dict[int, str]]:
    """Return the twelve month cells of an item's row (a state's mark; ● for a month the plan marks with nothing due
    in it) and the fills by column, the January cell being `first_column`."""
    by_month: dict[int, list[State]] = {}
    for s in shown:
        for m in months_of(s.due.occ, year):
            by_month.setdefault(m, []).append(s.status.state)
    marked = {int(m) for m in item_months or () if str(m).isdigit()}
    marks, colours = [], {}
    for m in range(1, 13):
        state = month_state(by_month.get(m, []))
        if state is not None:
            marks.append(mark(state))
            colours[first_column + m - 1] = STATE_FILL[state]
        else:
            marks.append(M.EXPORT_MARK if m in marked else "")  # a month of work the plan marks, nothing due in it
    return marks, colours


def legend_text() -> str:
    """Return the legend line printed under a table: ✓ 如期完成　✓! 逾期完成　× 逾期　○ 未到期　－ 追蹤前."""
    return M.EXPORT_LEGEND.format(
        marks="　".join(f"{W.STATE_MARK[s.value]} {W.STATE[s.value]}" for s in LEGEND)
    )


def status_lines(shown: list[Shown], names: dict[int, str]) -> list[str]:
    """Return 執行情形: a line for every occurrence that is overdue, done or reported on (none for the rest).

    `names` gives the staff names by id, for who made the last report.
    """
    lines = []
    for s in shown:
        line = status_line(s.status, names)
        if line:
            lines.append(line)
    return lines


def status_line(st: OccurrenceStatus, names: dict[int, str]) -> str:
    """Return one occurrence's line of 執行情形 ("" when there is nothing to say: not due and not reported)."""
    label = occurrence_label(st.occ)
    note = _note(st.note)
    who = names.get(st.by, "") if st.by is not None else ""
    if st.state is State.before_tracking:
        return ""
    if st.state is State.done_on_time:
        return M.EXPORT_LINE_DONE.format(label=label, note=note, by=_by(st.done_on, who))
    if st.state is State.done_late:
        return M.EXPORT_LINE_DONE_LATE.format(label=label, days=st.late.days, note=note, by=_by(st.done_on, who))
    if st.said is Said.none:
        return M.EXPORT_LINE_NOT_REPORTED.format(label=label) if st.state is State.overdue else ""
    said, by = _said(st), _by(st.last_day, who)
    if st.state is State.overdue:
        return M.EXPORT_LINE_OVERDUE.format(label=label, days=st.late.days, said=said, note=note, by=by)
    return M.EXPORT_LINE_REPORTED.format(label=label, said=said, note=note, by=by)


def latest_status(shown: list[Shown], names: dict[int, str]) -> str:
    """Return an item's latest status in one line: its latest overdue occurrence (and how many are), else its latest line."""
    overdue = [s for s in shown if s.status.state is State.overdue]
    if overdue:
        line = status_line(overdue[-1].status, names)
        return M.PRINT_OVERDUE_TIMES.format(count=len(overdue), line=line) if len(overdue) > 1 else line
    lines = [line for line in (status_line(s.status, names) for s in shown) if line]
    return lines[-1] if lines else ""


def _said(st: OccurrenceStatus) -> str:
    word = M.STATUS[st.said.value]
    return M.STATUS_PERCENT.format(status=word, percent=st.percent) if st.percent is not None else word


def _note(note: str | None) -> str:
    flat = " ".join((note or "").split())
    return M.EXPORT_STATUS_NOTE.format(note=flat) if flat else ""


def _by(day: date | None, who: str) -> str:
    return M.EXPORT_STATUS_BY.format(day=format_date(day) if day else "", who=who).strip()
