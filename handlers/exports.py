"""Exports of the control table (one sheet per section, 執行情形 from the latest reports), as one service.

- `table_sheets` builds the sheets, `write_table` writes them to a file (`planbot export`);
- `publish` writes a file behind a one-time link (24 hours, one download) and `monthly_link` does it
  for the compiled monthly round (the clock);
- `take` claims a link's file (the web's /files/<token>), `prune` deletes expired files (the clock's housekeeping);
- `export` is the chat's 匯出 handler, a thin layer over the above.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from handlers import access, scopes
from handlers.agenda import Due, agenda
from handlers.commands import is_filler
from handlers.incoming import Context, Settings
from handlers.item_cards import occurrence_label
from handlers.replies import FileLink, Reply, Text
from handlers.request import Request
from handlers.schedule_readings import cell_reading
from handlers.texts import chat as M
from handlers.texts import readings as R
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.dates import format_date, roc_year
from schedules.plan_inputs import calendar_of
from storage import queries
from storage.models import ExportFile, Item, Plan, ProgressReport, Section, Status
from storage.sheets import Sheet, SheetError, write_workbook

log = logging.getLogger(__name__)
LINK_LIFETIME = timedelta(hours=24)
FORMATS = ((".ods", "ODS"), (".xlsx", "Excel"))
# 編號, 計畫項目, 工作內容, 承辦人, 預定作業時程, 1月…12月, 執行情形, 考核指標, 時程讀法 (last, so the
# office's own columns keep their places and a re-import reads the table as before)
COLUMN_WIDTHS = [6, 18, 36, 10, 16] + [4] * 12 + [32, 36, 30]


def table_sheets(
    session: Session, plan: Plan, section: Section | None, month: int | None, calendar: WorkCalendar
) -> list[Sheet]:
    """Return one sheet per section (or the one asked for), laid out like the offices' control tables."""
    office = plan.office
    items = queries.items_of_plan(session, plan.id, section.id if section else None)
    dues = agenda(session, items, plan.year, calendar)
    sections = [section] if section else queries.sections_of(session, plan.office_id)
    sheets = []
    for sec in sections:
        own = [i for i in items if i.section_id == sec.id]
        rows = [_row(i, [d for d in dues if d.item.id == i.id], plan.year, month) for i in own]
        rows = [r for r in rows if r is not None]
        if not rows and section is None:
            continue
        title = M.EXPORT_SHEET_TITLE.format(
            office=office.name, section=sec.name, roc=roc_year(plan.year),
            month=M.EXPORT_SHEET_MONTH.format(month=month) if month else "",
        )
        header = [*M.EXPORT_HEADER, R.EXPORT_READING]
        sheets.append(Sheet(sec.name, title, header, rows, list(COLUMN_WIDTHS)))
    return sheets


def _row(item: Item, dues: list[Due], year: int, month: int | None) -> list[str] | None:
    months = set(item.months or ()) or _months_of(dues, year)
    if month is not None:
        dues = [d for d in dues if _touches(d, year, month)]
        if month not in months and not dues:
            return None
    marks = [M.EXPORT_MARK if m in months else "" for m in range(1, 13)]
    owners = M.LIST_SEP.join(o.name for o in item.owners)
    reading = cell_reading(item, year).reading()
    return [item.number, item.title, item.content, owners, item.schedule_text, *marks, _status_cell(item, dues), item.kpi, reading]


def _months_of(dues: list[Due], year: int) -> set[int]:
    """Return the months an item's occurrences cover in the plan year (for items without marks)."""
    months: set[int] = set()
    for d in dues:
        first = d.occ.starts or d.occ.due
        for m in range(1, 13):
            if _touches(d, year, m) and first.year <= year:
                months.add(m)
    return months


def _touches(d: Due, year: int, month: int) -> bool:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return (d.occ.starts or d.occ.due) <= end and d.occ.due >= start


def _status_cell(item: Item, dues: list[Due]) -> str:
    """Return 執行情形: one line per reported occurrence (status, date, who, note), else the imported text."""
    lines = []
    for d in dues:
        if d.report is None:
            continue
        status = M.STATUS[d.shown_status]
        if d.status is Status.in_progress and d.report.percent is not None:
            status = M.STATUS_PERCENT.format(status=status, percent=d.report.percent)
        lines.append(M.EXPORT_STATUS_LINE.format(
            label=occurrence_label(d.occ), status=status, note=_note(d.report.note), by=_reported_by(d.report),
        ))
    return "\n".join(lines) or item.status_text


def _note(note: str | None) -> str:
    """Return a report's note on one line after the status (，已完成初稿), or nothing."""
    flat = " ".join((note or "").split())
    return M.EXPORT_STATUS_NOTE.format(note=flat) if flat else ""


def _reported_by(report: ProgressReport) -> str:
    """Return when and by whom a report was made (4/8（一） 李冠緯), the day alone when nobody is named."""
    day = format_date(report.reported_at.astimezone(TAIPEI).date())
    who = report.staff.name if report.staff else ""
    return M.EXPORT_STATUS_BY.format(day=day, who=who).strip()


def write_table(
    session: Session, plan: Plan, path: str | Path, section: Section | None, month: int | None, calendar: WorkCalendar
) -> Path | None:
    """Write the control table to a .ods or .xlsx file; None when no item fits the section and month."""
    sheets = table_sheets(session, plan, section, month, calendar)
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
    """Answer 匯出 [課室] [N月] with one-time download links to the .ods and .xlsx control table."""
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
    sheets = table_sheets(ctx.session, plan, section, scope.month, ctx.calendar)
    if not sheets:
        return [Text(M.EXPORT_NO_ITEMS)]
    try:
        title = file_name(plan, name, scope.month, ctx.today)
        links = [publish(ctx.session, ctx.settings, ctx.now, req.who.actor, sheets, title, ext, kind, name) for ext, kind in FORMATS]
    except (SheetError, OSError):
        log.exception("export failed")
        return [Text(M.EXPORT_FAILED)]
    month = M.EXPORT_READY_MONTH.format(month=scope.month) if scope.month else ""
    hours = int(LINK_LIFETIME.total_seconds() // 3600)
    return [Text(M.EXPORT_READY.format(scope=name, month=month, hours=hours)), *links]


def publish(
    session: Session, settings: Settings, now: datetime, actor: str, sheets: list[Sheet], name: str, ext: str, kind: str,
    scope: str,
) -> FileLink:
    """Write the sheets to a file in the export folder and return its one-time link (24 hours, one download)."""
    folder = Path(settings.export_dir)
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    path = write_workbook(folder / f"{token}{ext}", sheets).resolve()
    expires = now + LINK_LIFETIME
    session.add(ExportFile(token=token, path=str(path), filename=name + ext, created_at=now, expires_at=expires))
    queries.audit(session, now, actor, "export.create", file=name + ext)
    session.flush()
    local = expires.astimezone(TAIPEI)
    return FileLink(
        title=M.EXPORT_LINK_TITLE.format(scope=scope, kind=kind),
        url=f"{settings.public_url.rstrip('/')}/files/{token}",
        filename=name + ext,
        expires_text=M.EXPORT_EXPIRES.format(day=format_date(local.date()), time=local.strftime("%H:%M")),
    )


def take(session: Session, token: str, now: datetime) -> ExportFile | None:
    """Return the export behind a token and mark it used, once, within its 24 hours; else None."""
    if not token or len(token) > 64:
        return None
    claimed = session.execute(
        update(ExportFile)
        .where(ExportFile.token == token, ExportFile.used_at.is_(None), ExportFile.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return None
    return session.scalar(select(ExportFile).where(ExportFile.token == token).execution_options(populate_existing=True))


def monthly_link(
    session: Session, settings: Settings, office_id: int, section_id: int | None, month: date, now: datetime
) -> str | None:
    """Make a one-time .xlsx link to the control table for the compiled monthly status (None: nothing to export)."""
    section = session.get(Section, section_id) if section_id else None
    plan = queries.latest_plan(session, office_id, month.year)
    if plan is None:
        return None
    sheets = table_sheets(session, plan, section, month.month, calendar_of(session))
    if not sheets:
        return None
    scope = section.name if section else M.WHOLE_OFFICE
    ext, kind = next((e, k) for e, k in FORMATS if e == ".xlsx")
    return publish(session, settings, now, "clock", sheets, file_name(plan, scope, month.month, now.date()), ext, kind, scope).url


def prune(session: Session, now: datetime) -> int:
    """Delete exported files whose link has expired (a day after it stopped working), with their rows."""
    old = session.scalars(select(ExportFile).where(ExportFile.expires_at < now - timedelta(days=1))).all()
    for export in old:
        Path(export.path).unlink(missing_ok=True)
        session.delete(export)
    session.flush()
    return len(old)
