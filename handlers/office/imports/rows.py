"""Turn the rows of a control table into plan rows, reporting every problem with its place."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.office.imports.layout import (
    Layout,
    cell,
    find_layout,
    is_mark,
    section_from_title,
    split_owners,
    split_title,
)
from handlers.office.imports.sections import section_name as section_of
from handlers.texts import imports as T
from storage.models import Item, Section, Staff
from storage.text import compact, fold


@dataclass
class Problem:
    """One thing wrong with one cell: where it is, what it holds, and what is wrong (in Chinese)."""

    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    column: str
    value: str
    message: str
    fatal: bool = True

    def describe(self) -> str:
        return T.problem_line(self.sheet, self.row, self.column, self.value, self.message)


@dataclass
class PlanRow:
    """One item as read from the file, before it meets the database."""

    sheet: str
    row: int
    section: str
    number: str
    title: str
    content: str = ""
    owners: list[str] = field(default_factory=list)
    schedule_text: str = ""
    months: list[int] = field(default_factory=list)
    kpi: str = ""
    points: float | None = None
    status_text: str = ""
    parsed: dict | None = None
    problem: str | None = None


def read_plan_rows(sheet: str, rows: list[list[str]], problems: list[Problem], default_section: str | None = None) -> list[PlanRow]:
    """Read one sheet's items; continuation rows (no 編號 and no 計畫項目) become sub-items."""
    layout = find_layout(rows)
    if layout is None:
        problems.append(Problem(sheet, 1, T.COLUMN_HEADER, "", T.NO_HEADER))
        return []
    section_default = section_from_title(layout.title_text) or default_section
    if section_default is None and sheet and compact(sheet).endswith(("課", "室")):
        section_default = compact(sheet)
    groups: list[list[PlanRow]] = []
    current_section = section_default
    for offset, row in enumerate(rows[layout.header_row + 1 :], start=layout.header_row + 2):
        if not any(fold(c) for c in row):
            continue
        if _repeats_header(row, layout) or _is_note_row(row):
            continue
        title_here = section_from_title(" ".join(row)) if _is_title_row(row, layout) else None
        if title_here:
            current_section = title_here
            continue
        parsed = _read_row(sheet, offset, row, layout, current_section, problems)
        if parsed is None:
            continue
        current_section = parsed.section  # a blank 課室 cell means "same as above", as in merged cells
        if not parsed.number and not cell(row, layout.columns.get("title")) and groups:
            prev = groups[-1][-1]
            if prev.section == parsed.section:
                parsed.number, parsed.title = prev.number, prev.title
                # A continuation row without its own 承辦人 is still the same people's work (as in merged cells).
                parsed.owners = parsed.owners or list(groups[-1][0].owners)
                groups[-1].append(parsed)
                continue
        groups.append([parsed])
    return _number_groups(sheet, groups, problems)


def _repeats_header(row: list[str], layout: Layout) -> bool:
    """Say whether a row repeats the header (tables printed over several pages do)."""
    if find_layout([row], scan=1) is not None:
        return True
    filled = [compact(c) for c in row if fold(c)]
    return bool(filled) and all(c.endswith("月") and c[:-1].isdigit() or c == "預定作業時程" for c in filled)


def _is_note_row(row: list[str]) -> bool:
    """Say whether a row is a note under the table (our export's legend and its as-of day), not an item."""
    filled = [compact(c) for c in row if fold(c)]
    return len(filled) == 1 and filled[0].startswith(tuple(compact(p) for p in T.NOTE_PREFIXES))


def _is_title_row(row: list[str], layout: Layout) -> bool:
    filled = [c for c in row if fold(c)]
    return len(filled) == 1 and "年度" in filled[0] and ("管制" in filled[0] or "計畫" in filled[0])


def _read_row(sheet: str, rownum: int, row: list[str], layout: Layout, section: str | None, problems: list[Problem]) -> PlanRow | None:
    cols = layout.columns
    section_cell = cell(row, cols.get("section")).replace("\n", "")
    # A shared item (「民政課 / 社會課」) belongs to the first section named; the owners show the rest.
    section_name = section_of(compact(section_cell).replace("／", "/").split("/")[0] or section or "")
    number = compact(cell(row, cols.get("number")))
    title, points, owners_in_title = split_title(cell(row, cols.get("title")))
    content = cell(row, cols.get("content"))
    schedule = cell(row, cols.get("schedule"))
    if not (title or content or number or schedule):
        return None
    if not section_name:
        problems.append(Problem(sheet, rownum, T.COLUMN_SECTION, "", T.NO_SECTION))
        return None
    owners = split_owners(cell(row, cols.get("owners"))) or owners_in_title
    points_cell = cell(row, cols.get("points"))
    if points_cell:
        try:
            points = float(fold(points_cell).rstrip("分"))
        except ValueError:
            problems.append(Problem(sheet, rownum, T.COLUMN_POINTS, points_cell, T.POINTS_NOT_NUMBER))
    months: list[int] = []
    for month, idx in sorted(layout.months.items()):
        value = cell(row, idx)
        mark = is_mark(value)
        if mark is None:
            problems.append(Problem(sheet, rownum, T.COLUMN_MONTH.format(month=month), value, T.UNKNOWN_MARK))
        elif mark:
            months.append(month)
    return PlanRow(
        sheet=sheet,
        row=rownum,
        section=section_name,
        number=number,
        title=title,
        content=content,
        owners=owners,
        schedule_text=schedule,
        months=months,
        kpi=cell(row, cols.get("kpi")),
        points=points,
        status_text=cell(row, cols.get("status")),
    )


def _number_groups(sheet: str, groups: list[list[PlanRow]], problems: list[Problem]) -> list[PlanRow]:
    """Give sub-rows numbers like 6-1, 6-2 and report items with neither number nor title."""
    out: list[PlanRow] = []
    for group in groups:
        head = group[0]
        if not head.title:
            problems.append(Problem(sheet, head.row, T.COLUMN_TITLE, "", T.NO_TITLE))
            continue
        if len(group) == 1:
            out.append(head)
            continue
        base = head.number
        for i, sub in enumerate(group, start=1):
            sub.number = f"{base}-{i}" if base else ""
            out.append(sub)
    return out


def check_duplicates(rows: list[PlanRow], problems: list[Problem]) -> None:
    """Report a 編號 used twice in one section (the file would be ambiguous to re-import)."""
    seen: dict[tuple[str, str], PlanRow] = {}
    for row in rows:
        if not row.number:
            continue
        key = (row.section, row.number)
        if key in seen:
            message = T.DUPLICATE_NUMBER.format(section=row.section, number=row.number, first=seen[key].row)
            problems.append(Problem(row.sheet, row.row, T.COLUMN_NUMBER, row.number, message))
        else:
            seen[key] = row


# The columns whose database type has a length: a longer value is a problem of its row, never a database error.
LIMITS = {
    "number": Item.__table__.c.number.type.length,
    "title": Item.__table__.c.title.type.length,
    "section": Section.__table__.c.name.type.length,
    "owner": Staff.__table__.c.name.type.length,
}


def check_lengths(rows: list[PlanRow], problems: list[Problem]) -> None:
    """Report every value longer than its column allows, with its row and column."""
    for row in rows:
        values = [("number", row.number), ("title", row.title), ("section", row.section)]
        values += [("owner", name) for name in row.owners]
        for field_name, value in values:
            limit = LIMITS[field_name]
            if len(value) > limit:
                column = T.FIELD_COLUMNS[field_name]
                message = T.TOO_LONG.format(column=column, limit=limit, length=len(value))
                problems.append(Problem(row.sheet, row.row, column, value, message))
