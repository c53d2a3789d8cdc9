"""The console's 提醒 page (the next 30 days' reminders, the deliveries log, this month's pushes) and 匯出 page."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from flask import Response, current_app, request, send_file
from sqlalchemy import func, select

from bot.console.routes import Visit, bp, page, refuse, signed_in
from handlers.core import access
from handlers.core.request import Asker
from handlers.documents import reminder_log
from handlers.documents.exports import file_name, table_sheets
from handlers.documents.printable import print_sheets
from handlers.texts import chat as M
from handlers.texts import console_admin as A
from handlers.texts import reminders as RT
from storage import queries
from storage.models import Office, Role, Section
from storage.sheets import SheetError, write_pdf, write_workbook

log = logging.getLogger(__name__)
FORMATS = {"ods": ".ods", "xlsx": ".xlsx", "print": ".ods", "pdf": ".pdf"}
PRINTABLE = {"print", "pdf"}  # one page per section of up to 25 items, the report log after it
MIMETYPES = {
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}


def _quota(token: str | None) -> str:
    """Return this month's quota as LINE states it, or that it is not known (no token, LINE not answering)."""
    client = current_app.extensions["planbot"].runtime.line_client(token=token)
    if client is None:
        return A.QUOTA_UNKNOWN
    try:
        quota = client.quota()
    except Exception:  # noqa: BLE001 - the page shows what it knows; why LINE did not answer goes to the log
        log.warning("could not read LINE's quota for the console", exc_info=True)
        return A.QUOTA_UNKNOWN
    finally:
        client.close()
    if quota.limit is None:
        return A.QUOTA_UNLIMITED
    return A.QUOTA_OF.format(limit=quota.limit, used=quota.used, left=quota.remaining)


def _pushes(visit: Visit) -> tuple[int, str, str]:
    """Return this month's pushes of the office's LINE account, its quota, and whether other offices share it.

    An office with an account of its own sees its own; one on the environment's account sees that account's, which
    every office without one of its own shares (so its figures are theirs together, and the page says so).
    """
    svc = current_app.extensions["planbot"]
    office_id, today = visit.who.staff.office_id, visit.ctx.today
    channels = svc.channels.all() if svc.channels is not None else []
    own = next((c for c in channels if c.office_id == office_id), None)
    if own is not None:
        return reminder_log.pushes_this_month(visit.session, today, office_id=office_id), _quota(own.token), ""
    besides = {c.office_id for c in channels}
    sent = reminder_log.pushes_this_month(visit.session, today, besides=besides)
    with svc.runtime.sessions() as session:  # every office: the visit's session sees its own alone
        others = session.scalar(select(func.count()).select_from(Office).where(
            Office.id != office_id, Office.id.not_in(sorted(besides))))
    return sent, _quota(None), A.QUOTA_SHARED if others else ""


@bp.get("/reminders")
@signed_in(reminder_log.may_see, A.REMINDERS_NOT_ALLOWED)
def reminders(visit: Visit) -> Response:
    """The next 30 days' planned reminders per day and person, the deliveries log and this month's pushes."""
    office_id, section_id = visit.who.staff.office_id, reminder_log.section_of(visit.who)
    mornings = reminder_log.outlook(visit.session, office_id, visit.ctx.calendar, visit.ctx.now, section_id=section_id)
    rows = reminder_log.delivery_log(visit.session, office_id, section_id=section_id)
    sent, quota, shared = _pushes(visit)
    return page(
        "console/reminders.html", visit=visit, mornings=mornings, rows=rows, sent=sent, quota=quota, shared=shared,
        reasons=RT.REASON_LABELS,
    )


def may_export(who: Asker) -> bool:
    """The coordinator and the director export the office's table, a chief their section's."""
    return access.sees_every_section(who) or (who.role is Role.chief and bool(who.staff.section_id))


def _export_scope(visit: Visit) -> tuple[list[Section], Section | None] | Response:
    """Return the sections the person may export and the one asked for (None: the whole office), or a refusal."""
    who = visit.who
    sections = queries.sections_of(visit.session, who.staff.office_id)
    if not access.sees_every_section(who):
        sections = [s for s in sections if s.id == who.staff.section_id]
    asked = request.args.get("section", "")
    if not asked:
        return sections, None if access.sees_every_section(who) else sections[0]
    chosen = next((s for s in sections if str(s.id) == asked), None)
    if chosen is None:
        return refuse(A.EXPORT_NOT_ALLOWED, 403, visit)
    return sections, chosen


@bp.get("/export")
@signed_in(may_export, A.EXPORT_NOT_ALLOWED)
def export_page(visit: Visit) -> Response:
    """The export choices: the whole office or a section, as .ods, .xlsx or PDF."""
    scope = _export_scope(visit)
    if isinstance(scope, Response):
        return scope
    sections, _ = scope
    whole = access.sees_every_section(visit.who)
    return page("console/export.html", visit=visit, sections=sections, whole=whole, formats=A.EXPORT_FORMATS)


@bp.get("/export/table.<fmt>")
@signed_in(may_export, A.EXPORT_NOT_ALLOWED)
def export_file(visit: Visit, fmt: str) -> Response:
    """Download the control table straight from the signed-in console (no link to pass on)."""
    scope = _export_scope(visit)
    if isinstance(scope, Response):
        return scope
    _, section = scope
    ext = FORMATS.get(fmt)
    plan = queries.latest_plan(visit.session, visit.who.staff.office_id, visit.ctx.today.year)
    if ext is None or plan is None:
        return refuse(A.EXPORT_NOTHING, 404, visit)
    if fmt in PRINTABLE:
        sheets = print_sheets(visit.session, plan, section, visit.ctx.calendar, visit.ctx.today)
    else:
        sheets = table_sheets(visit.session, plan, section, None, visit.ctx.calendar, visit.ctx.today)
    if not sheets:
        return refuse(A.EXPORT_NOTHING, 404, visit)
    name = file_name(plan, section.name if section else M.WHOLE_OFFICE, None, visit.ctx.today)
    name += ("_" + M.PRINT_FILE_SUFFIX if fmt in PRINTABLE else "") + ext
    try:
        data = _written(sheets, ext)
    except SheetError as exc:
        if exc.code == "no_cjk_font":
            return refuse(A.EXPORT_NO_FONT, 503, visit)
        log.exception("console export failed")
        return refuse(A.EXPORT_FAILED, 500, visit)
    response = send_file(data, mimetype=MIMETYPES[ext], as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _written(sheets, ext: str):
    """Return the file's bytes (written to a private temporary folder, then read back)."""
    import io

    with tempfile.TemporaryDirectory(prefix="planbot-export-") as folder:
        path = Path(folder) / ("table" + ext)
        if ext == ".pdf":
            write_pdf(path, sheets)
        else:
            write_workbook(path, sheets)
        return io.BytesIO(path.read_bytes())
