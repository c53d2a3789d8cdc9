"""The LINE webhook, the health check and the one-time download links."""

from __future__ import annotations

import io
import json
import logging

from flask import Blueprint, Response, abort, current_app, request, send_file
from linebot.v3.webhook import SignatureValidator
from sqlalchemy import text

from bot.channels import BOT_USER_ID
from handlers.documents import exports
from handlers.texts import web as W
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
    payload = parse_body(body)  # read for `destination` only: nothing in it is trusted before the signature
    if payload is None:
        abort(400)
    secret, office_id, destination = _channel_of(svc, payload.get("destination"))
    if not signature or not secret or not SignatureValidator(secret).validate(body, signature):
        log.warning("webhook refused: bad or missing signature (destination %s)", destination)
        abort(400)
    events = payload.get("events")
    if not isinstance(events, list):
        abort(400)
    if events:
        svc.journal.record(events, office_id)
        svc.after_record()
    return Response("OK", mimetype="text/plain")


def _channel_of(svc, destination: object) -> tuple[str | None, int | None, str]:
    """Return the secret to check the body with, the receiving office, and the destination as it may be logged.

    With no office channels stored, the environment's secret serves the one office (office None). Otherwise the
    destination must be an office's bot; anything else is refused (logged by destination, never the body).
    """
    shown = _loggable(destination)
    channels = svc.channels
    if channels is None or not channels.any():
        return svc.channel_secret, None, shown
    channel = channels.by_destination(destination) if isinstance(destination, str) else None
    if channel is None:
        log.warning("webhook refused: no office has the destination %s", shown)
        abort(400)
    return channel.secret, channel.office_id, shown


def _loggable(destination: object) -> str:
    """Return the destination fit for a log line: a bot user ID as it is, anything else cut short and escaped."""
    if isinstance(destination, str) and BOT_USER_ID.match(destination):
        return destination
    return ascii(destination)[:40]


@bp.get("/healthz")
def healthz() -> Response:
    """Say whether the database answers; why not goes to the log, never to whoever asks."""
    try:
        with services().runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        log.exception("health check: the database does not answer")
        return Response(json.dumps({"ok": False}), status=503, mimetype="application/json")
    return Response(json.dumps({"ok": True}), mimetype="application/json")


@bp.get("/files/<token>")
def download(token: str):
    """Serve an exported control table once, within 24 hours of its making, from the database.

    Whichever process made the link (the web, `planbot events`, the clock), the file is in the database.
    The link is used up, and the file's bytes dropped, only when the whole file went out: HEAD (link
    scanners), a partial Range and a download broken off before its end leave it usable.
    """
    svc = services()
    now = svc.runtime.clock.now()
    with svc.runtime.sessions() as session:
        export = exports.usable(session, token, now)
    if export is None:
        return Response(W.DOWNLOAD_EXPIRED, status=410, mimetype="text/plain; charset=utf-8")
    response = send_file(io.BytesIO(export.content), mimetype=export.mime_type, as_attachment=True,
                         download_name=export.filename, conditional=True, etag=False, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    whole = response.status_code == 200 or (
        response.status_code == 206 and response.content_range is not None
        and response.content_range.start == 0 and response.content_range.stop == response.content_range.length
    )
    if request.method == "HEAD" or not whole:
        return response
    response.direct_passthrough = False
    response.response = _then_consume(response.response, svc, token, now)
    return response


def _then_consume(body, svc, token: str, now):
    """Yield the file, then use the link up: only a server that wrote the last chunk asks for more."""
    try:
        yield from body
        with unit_of_work(svc.runtime.sessions) as session:
            exports.use_up(session, token, now)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


def parse_body(body: str) -> dict | None:
    """Return the webhook body as a dict, or None for JSON we refuse (NaN, absurd nesting or numbers)."""

    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON LINE sends")

    try:
        payload = json.loads(body, parse_constant=refuse)
    except (ValueError, RecursionError):  # JSONDecodeError and int-digit limits are ValueErrors
        return None
    return payload if isinstance(payload, dict) else None
