"""The printable control table: one A4 landscape page per section of up to 25 items, the report log after it.

Each item shows its latest status in one line (handlers.documents.status_words), its months marked and coloured by state;
the full history of reports follows as an appendix. The console's PDF and 列印版 ODS are written from these.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from handlers.core.agenda import agenda, item_occurrences
from handlers.core.due_text import clip
from handlers.documents.status_words import (
    Shown,
    latest_status,
    legend_text,
    month_cells,
)
from handlers.texts import chat as M
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.dates import format_date, roc_year
from schedules.status import TAKEN_BACK
from storage import queries
from storage.models import Item, Plan, Section, Via
from storage.sheets import Sheet

PAGE_ITEMS = 25  # items on one printed page (A4 landscape, one line or two each)
FIRST_MONTH = 4  # 編號, 計畫項目, 承辦人, 預定作業時程, then 1月…12月
WIDTHS = [5, 24, 9, 14] + [3] * 12 + [45]
LOG_WIDTHS = [10, 5, 24, 10, 10, 9, 8, 40]
TITLE_CHARS, SCHEDULE_CHARS, STATUS_CHARS = 26, 18, 60


def print_sheets(
    session: Session, plan: Plan, section: Section | None, calendar: WorkCalendar, today: date
) -> list[Sheet]:
    """Return the printable table (a sheet per page of up to 25 items, per section) and the report log."""
    items = queries.items_of_plan(session, plan.id, section.id if section else None)
    shown: dict[int, list[Shown]] = {}
    for d in agenda(session, items, plan.year, calendar, light=True):
        shown.setdefault(d.item.id, []).append(Shown(d, d.state(today, calendar)))
    names = {s.id: s.name for s in queries.staff_of_office(session, plan.office_id)}
    notes = [legend_text(), M.EXPORT_AS_OF.format(day=format_date(today))]
    sheets = []
    for sec in [section] if section else queries.sections_of(session, plan.office_id):
        own = [i for i in items if i.section_id == sec.id]
        pages = [own[n:n + PAGE_ITEMS] for n in range(0, len(own), PAGE_ITEMS)]
        for page, chunk in enumerate(pages, start=1):
            rows, fills = [], {}
            for item in chunk:
                values, colours = _row(item, shown.get(item.id, []), plan.year, names)
                fills.update({(len(rows), col): colour for col, colour in colours.items()})
                rows.append(values)
            name = sec.name if len(pages) == 1 else M.PRINT_SHEET_PAGE.format(section=sec.name, page=page)
            title = M.EXPORT_SHEET_TITLE.format(office=plan.office.name, section=sec.name, roc=roc_year(plan.year), month="")
            sheets.append(Sheet(name, title, list(M.PRINT_HEADER), rows, list(WIDTHS), fills=fills, notes=notes))
    if sheets:
        sheets.append(_log(session, plan, items, calendar, names))
    return sheets


def _row(item: Item, shown: list[Shown], year: int, names: dict[int, str]) -> tuple[list[str], dict[int, str]]:
    marks, colours = month_cells(item.months, shown, year, FIRST_MONTH)
    owners = M.LIST_SEP.join(o.name for o in item.owners)
    status = clip(latest_status(shown, names), STATUS_CHARS)
    return [item.number, clip(item.title, TITLE_CHARS), owners, clip(item.schedule_text, SCHEDULE_CHARS), *marks, status], colours


def _log(session: Session, plan: Plan, items: list[Item], calendar: WorkCalendar, names: dict[int, str]) -> Sheet:
    """Return the appendix: every report on the items, in the order they were made."""
    by_id = {i.id: i for i in items}
    labels = {(i.id, o.key): o.label or format_date(o.due) for i in items for o in item_occurrences(i, plan.year, calendar)}
    rows = []
    for r in queries.reports_of_items(session, list(by_id)):
        item = by_id[r.item_id]
        said = M.STATUS["not_reported" if r.via == TAKEN_BACK else r.status.value]
        if r.percent is not None:
            said = M.STATUS_PERCENT.format(status=said, percent=r.percent)
        if Via.is_undo(r.via):
            said = M.PRINT_UNDONE.format(status=said)
        at = r.reported_at.astimezone(TAIPEI)
        rows.append([item.section.name, item.number, clip(item.title, TITLE_CHARS), labels.get((r.item_id, r.occurrence_key), r.occurrence_key),
                     said, format_date(at.date()), names.get(r.staff_id, "") if r.staff_id else "", " ".join((r.note or "").split())])
    title = M.PRINT_LOG_TITLE.format(office=plan.office.name, roc=roc_year(plan.year))
    return Sheet(M.PRINT_LOG_NAME, title, list(M.PRINT_LOG_HEADER), rows, list(LOG_WIDTHS))
