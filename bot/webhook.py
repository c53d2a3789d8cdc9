"""The LINE webhook, the health check and the one-time download links."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, abort, current_app, request, send_file
from linebot.v3.webhook import SignatureValidator
from sqlalchemy import text

from handlers import exports
from storage.db import unit_of_work

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)
MAX_BODY = 1024 * 1024


def services():
    """Return the app's planbot services (database, clock, dispatcher)."""
    return current_app.extensions["planbot"]


@bp.post("/callback")
def callback() -> Response:
    """Verify, record and acknowledge a webhook; events are handled right after, off the request."""
    if (request.content_length or 0) > MAX_BODY:
        abort(413)
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        abort(413)
    signature = request.headers.get("X-Line-Signature", "")
    svc = services()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        abort(400)
    if not signature or not SignatureValidator(svc.channel_secret).validate(body, signature):
        log.warning("webhook refused: bad or missing signature")
        abort(400)
    try:
        payload = json.loads(body)
    except json.JSONDecodeError:
        abort(400)
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        abort(400)
    if events:
        svc.journal.record(events)
        svc.after_record()
    return Response("OK", mimetype="text/plain")


@bp.get("/healthz")
def healthz() -> Response:
    """Say whether the database answers."""
    try:
        with services().runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return Response(json.dumps({"ok": False, "database": str(exc)[:200]}), status=503, mimetype="application/json")
    return Response(json.dumps({"ok": True, "database": "ok"}), mimetype="application/json")


@bp.get("/files/<token>")
def download(token: str):
    """Serve an exported control table once, within 24 hours of its making."""
    svc = services()
    with unit_of_work(svc.runtime.sessions) as session:
        export = exports.take(session, token, svc.runtime.clock.now())
        if export is None:
            return Response("這個下載連結已失效（只能下載一次，24 小時內有效）。請在 LINE 重新輸入「匯出」。",
                            status=410, mimetype="text/plain; charset=utf-8")
        path, name = export.path, export.filename
    return send_file(path, as_attachment=True, download_name=name)
