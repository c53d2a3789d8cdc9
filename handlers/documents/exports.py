"""Exports of the control table (one sheet per section, 執行情形 from the latest reports), as one service.

- `table_sheets` builds the sheets, `write_table` writes them to a file (`planbot export`);
- `publish` keeps a file in the database behind a one-time link (24 hours, one download), so the web process
  serves links made by any process; `monthly_link` does it for the compiled monthly round (the clock);
- `usable` gives a link's file without using it up, `take` uses it up and drops its bytes (the web's
  /files/<token> once the whole file went out), `prune` deletes used and expired files (the clock);
- `export` is the chat's 匯出 handler, a thin layer over the above.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from handlers.core import access, scopes
from handlers.core.agenda import agenda
from handlers.core.audience import ASKER
from handlers.core.commands import is_filler
from handlers.core.incoming import Context, Settings
from handlers.core.replies import FileLink, Reply, Text, seen_by
from handlers.core.request import Request
from handlers.documents.item_cards import occurrence_label
from handlers.documents.review import reasons_of
from handlers.documents.schedule_readings import cell_reading
from handlers.documents.status_words import (
    Shown,
    legend_text,
    month_cells,
    months_of,
    status_lines,
)
from handlers.texts import chat as M
from handlers.texts import group_answers as G
from handlers.texts import readings as R
from handlers.texts import review as RV
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.dates import format_date, roc_year
from schedules.plan_inputs import calendar_of
from storage import export_files, queries
from storage.export_files import Download
from storage.models import Item, Plan, Section
from storage.sheets import Sheet, SheetError, write_pdf, write_workbook

log = logging.getLogger(__name__)
LINK_LIFETIME = timedelta(hours=24)
# 匯出 again within minutes while its links are unused makes no new files (nor, from a group, a new push).
REUSE_WINDOW = timedelta(minutes=10)
FORMATS = ((".ods", "ODS"), (".xlsx", "Excel"))
PDF = (".pdf", "PDF")  # to read or print as it is; offered beside the spreadsheets when a CJK font is installed
# 編號, 計畫項目, 工作內容, 承辦人, 預定作業時程, 1月…12月, 執行情形, 考核指標, 時程讀法 (last, so the
# office's own columns keep their places and a re-import reads the table as before)
COLUMN_WIDTHS = [6, 18, 36, 10, 16] + [4] * 12 + [32, 36, 30]


def table_sheets(
    session: Session, plan: Plan, section: Section | None, month: int | None, calendar: WorkCalendar, today: date
) -> list[Sheet]:
    """Return one sheet per section (or the one asked for), laid out like the offices' control tables, as of today.

    Month cells carry their occurrences' state as a mark and a colour, 執行情形 names every overdue and late
    occurrence (handlers.documents.status_words); a legend line follows the table.
    """
    office = plan.office
    items = queries.items_of_plan(session, plan.id, section.id if section else None)
    reasons = reasons_of(session, [i.id for i in items])
    shown: dict[int, list[Shown]] = {}
    for d in agenda(session, items, plan.year, calendar, light=True):
        shown.setdefault(d.item.id, []).append(Shown(d, d.state(today, calendar)))
    names = {s.id: s.name for s in queries.staff_of_office(session, plan.office_id)}
    sections = [section] if section else queries.sections_of(session, plan.office_id)
    sheets = []
    for sec in sections:
        rows, fills = [], {}
        for item in (i for i in items if i.section_id == sec.id):
            built = _row(item, shown.get(item.id, []), plan.year, month, names, reasons)
            if built is None:
                continue
            values, colours = built
            fills.update({(len(rows), col): colour for col, colour in colours.items()})
            rows.append(values)
        if not rows and section is None:
            continue
        title = M.EXPORT_SHEET_TITLE.format(
            office=office.name, section=sec.name, roc=roc_year(plan.year),
            month=M.EXPORT_SHEET_MONTH.format(month=month) if month else "",
        )
        header = [*M.EXPORT_HEADER, R.EXPORT_READING]
        notes = [legend_text(), M.EXPORT_AS_OF.format(day=format_date(today))]
        sheets.append(Sheet(sec.name, title, header, rows, list(COLUMN_WIDTHS), fills=fills, notes=notes))
    return sheets


FIRST_MONTH_COLUMN = 5  # 編號, 計畫項目, 工作內容, 承辦人, 預定作業時程, then 1月…12月


def _row(
    item: Item, shown: list[Shown], year: int, month: int | None, names: dict[int, str], reasons: dict | None = None
) -> tuple[list[str], dict[int, str]] | None:
    if month is not None:
        in_month = [s for s in shown if month in months_of(s.due.occ, year)]
        if month not in (item.months or ()) and not in_month:
            return None
        shown = in_month
    marks, colours = _month_cells(item, shown, year)
    owners = M.LIST_SEP.join(o.name for o in item.owners)
    reading = cell_reading(item, year).reading()
    status = "\n".join(status_lines(shown, names) + _reason_lines(item, shown, reasons or {}))  # live, never a file's old text
    return [item.number, item.title, item.content, owners, item.schedule_text, *marks, status, item.kpi, reading], colours


def _reason_lines(item: Item, shown: list[Shown], reasons: dict) -> list[str]:
    """Return the monthly review's 落後原因 / 因應對策 of the item's occurrences that have them."""
    lines = []
    for s in shown:
        reason = reasons.get((item.id, s.due.occ.key))
        if reason is not None and (reason.cause or reason.remedy):
            lines.append(RV.EXPORT_REASON.format(label=occurrence_label(s.due.occ), cause=reason.cause or RV.NOT_WRITTEN,
                                                 remedy=reason.remedy or RV.NOT_WRITTEN))
    return lines


def _month_cells(item: Item, shown: list[Shown], year: int) -> tuple[list[str], dict[int, str]]:
    """Return the twelve month cells (a state's mark; ● for a month the plan marks with nothing due in it) and fills."""
    return month_cells(item.months, shown, year, FIRST_MONTH_COLUMN)


def write_table(
    session: Session, plan: Plan, path: str | Path, section: Section | None, month: int | None, calendar: WorkCalendar,
    today: date,
) -> Path | None:
    """Write the control table as of today to a .ods or .xlsx file; None when no item fits the section and month."""
    sheets = table_sheets(session, plan, section, month, calendar, today)
    if not sheets:
        return None
    return write_workbook(path, sheets)


def file_name(plan: Plan, scope: str, month: int | None, today: date) -> str:
    """Return the download name: 臺北市文山區戶政事務所113年度工作計畫期程管制一覽表_全所_3月_20240408."""
    parts = [M.EXPORT_FILE_NAME.format(office=plan.office.name, roc=roc_year(plan.year)), scope]
    if month:
        parts.append(M.MONTH_WORD.format(month=month))
    parts.append(today.strftime("%Y%m%d"))
    return "_".join(parts)


def export(req: Request, ctx: Context) -> list[Reply] | None:
    """Answer 匯出 [課室] [N月] with one-time download links to the control table as .ods, .xlsx and PDF.

    Every answer is for the asker alone (the links act as them), but for the pointer to links sent a moment ago.
    """
    if isinstance(answer := _export(req, ctx), _StillOpen):
        return answer.replies
    return None if answer is None else seen_by(ASKER, answer)


@dataclass(frozen=True)
class _StillOpen:
    replies: list[Reply]


def _export(req: Request, ctx: Context) -> list[Reply] | _StillOpen | None:
    opened = scopes.open_scope(req, ctx)
    if isinstance(opened, list):
        return opened
    plan, sections, scope = opened.plan, opened.sections, opened.scope
    if scope.rest and not is_filler(scope.rest):
        return None
    refusal = scopes.refusal(req.who, scope, sections)
    if refusal:
        return [Text(refusal)]
    section = scope.section
    if section is None and not access.sees_every_section(req.who):
        section = req.who.staff.section  # a chief's table is their own section's
        if section is None:
            return [Text(M.REFUSE_EXPORT)]
    name = section.name if section else M.WHOLE_OFFICE
    sheets = table_sheets(ctx.session, plan, section, scope.month, ctx.calendar, ctx.today)
    if not sheets:
        return [Text(M.EXPORT_NO_ITEMS)]
    title = file_name(plan, name, scope.month, ctx.today)
    opened_at = export_files.still_open(ctx.session, req.who.actor, [title + ext for ext, _kind in FORMATS],
                                        ctx.now - REUSE_WINDOW, ctx.now)
    if opened_at is not None:
        return _StillOpen(_still_open(req, opened_at.astimezone(TAIPEI)))
    try:
        links = [publish(ctx.session, ctx.settings, ctx.now, req.who.actor, sheets, title, ext, kind, name) for ext, kind in FORMATS]
    except (SheetError, OSError):
        log.exception("export failed")
        return [Text(M.EXPORT_FAILED)]
    try:
        links.append(publish(ctx.session, ctx.settings, ctx.now, req.who.actor, sheets, title, *PDF, name))
    except (SheetError, OSError):
        log.warning("no PDF of the control table (no CJK font?)", exc_info=True)  # the spreadsheets still go
    month = M.EXPORT_READY_MONTH.format(month=scope.month) if scope.month else ""
    hours = int(LINK_LIFETIME.total_seconds() // 3600)
    return [Text(M.EXPORT_READY.format(scope=name, month=month, hours=hours)), *links]


def _still_open(req: Request, at: datetime) -> list[Reply]:
    time = at.strftime("%H:%M")
    if req.who.group_id:
        # Only a pointer to the private message sent a moment ago: the group may read it, and no push is made.
        return [Text(G.STILL_OPEN.format(name=req.who.staff.name, time=time))]
    return [Text(M.EXPORT_STILL_OPEN.format(time=time))]


def publish(
    session: Session, settings: Settings, now: datetime, actor: str, sheets: list[Sheet], name: str, ext: str, kind: str,
    scope: str,
) -> FileLink:
    """Keep the sheets as a file in the database and return its one-time link (24 hours, one download)."""
    expires = now + LINK_LIFETIME
    token = export_files.store(session, workbook_bytes(sheets, ext), name + ext, now, expires)
    queries.audit(session, now, actor, "export.create", file=name + ext)
    session.flush()
    local = expires.astimezone(TAIPEI)
    return FileLink(
        title=M.EXPORT_LINK_TITLE.format(scope=scope, kind=kind),
        url=f"{settings.public_url.rstrip('/')}/files/{token}",
        filename=name + ext,
        expires_text=M.EXPORT_EXPIRES.format(day=format_date(local.date()), time=local.strftime("%H:%M")),
    )


def workbook_bytes(sheets: list[Sheet], ext: str) -> bytes:
    """Return the sheets as a .ods, .xlsx or .pdf file's bytes (written in a private temporary folder, then removed)."""
    with tempfile.TemporaryDirectory(prefix="planbot-export-") as folder:
        path = Path(folder) / f"table{ext}"
        if ext == PDF[0]:
            write_pdf(path, sheets)
            return path.read_bytes()
        return write_workbook(path, sheets).read_bytes()


def usable(session: Session, token: str, now: datetime) -> Download | None:
    """Return the file behind a link that is neither used nor expired, without using the link up."""
    return export_files.usable(session, token, now)


def use_up(session: Session, token: str, now: datetime) -> bool:
    """Use a link up once its whole file went out, dropping the file's bytes; False if it was used already."""
    return export_files.consume(session, token, now)


def take(session: Session, token: str, now: datetime) -> Download | None:
    """Return the file behind a link and use the link up (its bytes are dropped), once, within its 24 hours."""
    download = export_files.usable(session, token, now)
    if download is None or not export_files.consume(session, token, now):
        return None
    return download


def monthly_link(
    session: Session, settings: Settings, office_id: int, section_id: int | None, month: date, now: datetime
) -> str | None:
    """Make a one-time .xlsx link to the control table for the compiled monthly status (None: nothing to export)."""
    section = session.get(Section, section_id) if section_id else None
    plan = queries.latest_plan(session, office_id, month.year)
    if plan is None:
        return None
    sheets = table_sheets(session, plan, section, month.month, calendar_of(session), now.astimezone(TAIPEI).date())
    if not sheets:
        return None
    scope = section.name if section else M.WHOLE_OFFICE
    ext, kind = next((e, k) for e, k in FORMATS if e == ".xlsx")
    return publish(session, settings, now, "clock", sheets, file_name(plan, scope, month.month, now.date()), ext, kind, scope).url


def prune(session: Session, now: datetime) -> int:
    """Delete the files of used and expired links (the clock, every few minutes); return how many."""
    return export_files.prune(session, now)
