"""The console's 匯入計畫 page: upload a plan file, read the dry-run report, then confirm the same file.

The upload is kept in the database bound to the session that sent it (storage.console_uploads); the
confirmation form names it by a random id only, and the import runs `handlers.office.imports.plan.import_plan`,
the command line's importer, in the request's one transaction.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from flask import Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from bot.console.routes import Visit, bp, page, signed_in, visit_of
from handlers.core import access
from handlers.office.imports.plan import ImportFailed, ImportReport, import_plan
from handlers.texts import console_admin as A
from handlers.texts import imports as IT
from handlers.texts import readings as R
from schedules.dates import parse_year
from schedules.phrases import Schedule
from storage import console_uploads
from storage.sheets import READABLE_TYPES

MAX_UPLOAD_MB = 16
# The preview and the import run in a web worker's thread: bounded, so one upload cannot hold it for long.
# A year's plan has a few hundred rows (the largest seen, 5,000, previews in a few seconds).
PREVIEW_MAX_ROWS = 5_000
PREVIEW_SECONDS = 20.0


def _import_page(visit: Visit, status: int = 200, **values) -> Response:
    values.setdefault("year_text", str(visit.ctx.today.year))
    return page(
        "console/import.html", status, visit=visit, types=",".join(READABLE_TYPES), WHOLE_FILE=IT.WHOLE_FILE, **values
    )


# The coordinator and the director import the office's plan.
importers = signed_in(access.sees_every_section, A.IMPORT_NOT_ALLOWED)


@bp.before_request
def upload_limit() -> None:
    """Let the plan upload (and only it) be larger than the app's form limit."""
    if request.endpoint == "console.import_preview":
        request.max_content_length = MAX_UPLOAD_MB * 1024 * 1024


@bp.errorhandler(RequestEntityTooLarge)
def too_big(error: RequestEntityTooLarge) -> Response | RequestEntityTooLarge:
    """Say the plan file is too large on the import page; any other form too large keeps the plain 413."""
    if request.endpoint != "console.import_preview":
        return error
    with visit_of() as visit:
        if isinstance(visit, Response):
            return visit
        return _import_page(visit, 413, notice=A.IMPORT_TOO_BIG.format(limit=MAX_UPLOAD_MB))


@bp.get("/import")
@importers
def import_form(visit: Visit) -> Response:
    """The upload form (the coordinator and the director)."""
    return _import_page(visit)


@bp.post("/import/preview")
@importers
def import_preview(visit: Visit) -> Response:
    """Keep the uploaded file for this session and show the dry-run report; nothing is imported yet."""
    year_text = request.form.get("year", "").strip()
    try:
        year = parse_year(year_text)
    except ValueError:
        return _import_page(visit, 400, notice=A.IMPORT_BAD_YEAR.format(text=year_text), year_text=year_text)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_page(visit, 400, notice=A.IMPORT_NO_FILE, year_text=year_text)
    name = Path(upload.filename).name
    if Path(name).suffix.lower() not in READABLE_TYPES:
        return _import_page(visit, 400, notice=A.IMPORT_BAD_TYPE.format(name=name), year_text=year_text)
    content = upload.read()
    report = _run(visit, name, content, year, dry_run=True)
    upload_id = "" if report.fatal else console_uploads.keep(
        visit.session, visit.token, visit.who.staff, name, year, content, visit.ctx.now
    )
    return _report_page(visit, report, name, year, upload_id=upload_id, status=200 if upload_id else 422)


@bp.post("/import/confirm")
@importers
def import_confirm(visit: Visit) -> Response:
    """Import the file this session uploaded and previewed, with the same importer, in one transaction."""
    kept = console_uploads.find(visit.session, visit.token, request.form.get("upload", ""), visit.ctx.now)
    if kept is None:
        return _import_page(visit, 410, notice=A.IMPORT_GONE)
    name, year, content = kept.filename, kept.year, kept.content
    report = _run(visit, name, content, year, dry_run=False)
    if report.committed:
        console_uploads.use(visit.session, kept, visit.ctx.now)
    return _report_page(visit, report, name, year, status=200 if report.committed else 422)


def _run(visit: Visit, name: str, content: bytes, year: int, dry_run: bool) -> ImportReport:
    """Run the importer on the bytes (written to a private temporary file with the upload's extension)."""
    with tempfile.TemporaryDirectory(prefix="planbot-upload-") as folder:
        path = Path(folder) / ("plan" + Path(name).suffix.lower())
        path.write_bytes(content)
        deadline = time.monotonic() + PREVIEW_SECONDS
        try:
            report = import_plan(visit.session, path, year, visit.ctx.now, actor=visit.who.actor, dry_run=dry_run,
                                 max_rows=PREVIEW_MAX_ROWS, time_left=lambda: time.monotonic() < deadline)
        except ImportFailed as failed:
            report = failed.report
    report.path = name
    return report


def _report_page(visit: Visit, report: ImportReport, name: str, year: int, upload_id: str = "", status: int = 200) -> Response:
    readings = [_reading(r, year, visit) for r in report.readings]
    return _import_page(
        visit, status, report=report, name=name, year=year, roc=year - 1911, upload_id=upload_id, readings=readings,
        year_text=str(year),
    )


def _reading(r, year: int, visit: Visit) -> dict:
    where = A.ROW_AT.format(sheet=r.sheet, row=r.row) if r.sheet else A.ROW_AT_PLAIN.format(row=r.row)
    if r.schedule is not None:
        schedule = Schedule.from_json(r.schedule)
        text = R.reading(schedule) + R.JOIN + R.next_text(schedule, year, visit.ctx.calendar, visit.ctx.today)
    else:
        text = r.problem or ""
    return {"where": where, "item": f"{r.section} {r.number} {r.title}".strip(), "phrase": r.phrase, "reading": text,
            "ok": r.schedule is not None}
