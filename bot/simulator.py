"""A phone-sized LINE chat in the browser for the demo: it signs real webhooks and shows what the bot sends."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, time, timedelta

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from sqlalchemy import select

from bot.clock import clockwork
from bot.render import render, to_json
from handlers.chat.rich_menus import menu_of, pages_of
from handlers.documents.digests import replies_from_payload
from handlers.office.imports.staff import ROLE_LABELS
from handlers.texts import web as W
from handlers.texts.cli import SKIP_REASONS
from schedules.clock import FixedClock
from schedules.dates import format_date
from storage.models import Delivery, Office, Staff

bp = Blueprint("simulator", __name__, url_prefix="/simulator", template_folder="templates")
UNKNOWN_USER = "U" + "0" * 31 + "1"  # the first stranger (see stranger_id)
GROUP = "C" + "0" * 31 + "1"  # the first office's group chat, where everyone of the office may speak


def group_of(office_id: int | None) -> str:
    """Return the simulator's group chat of an office (one per office; the first office's is GROUP)."""
    return f"C{office_id or 1:032d}"


def _svc():
    return current_app.extensions["planbot"]


@bp.get("")
@bp.get("/")
def page() -> str:
    """Show the simulator page."""
    return render_template("simulator.html")


@bp.get("/api/offices")
def offices():
    """List the offices the simulator can talk to (a city's demo has several; the page shows a picker then)."""
    with _svc().runtime.sessions() as session:
        rows = session.execute(select(Office.id, Office.name).order_by(Office.id)).all()
    return jsonify([{"id": row.id, "name": row.name} for row in rows])


@bp.get("/api/people")
def people():
    """List the staff the simulator can act as (those with a LINE id; of one office: ?office=ID), plus a stranger."""
    office = _int(request.args.get("office")) or None
    with _svc().runtime.sessions() as session:
        rows = session.scalars(select(Staff).where(Staff.line_user_id.is_not(None)).order_by(Staff.section_id, Staff.id)).all()
        linked = {s.line_user_id for s in rows}
        data = [
            {"id": s.line_user_id, "name": s.name, "section": s.section.name if s.section else "",
             "role": ROLE_LABELS[s.role]}
            for s in rows if office is None or s.office_id == office
        ]
    data.append({"id": stranger_id(linked), "name": W.SIMULATOR_STRANGER, "section": "", "role": ""})
    return jsonify(data)


def stranger_id(linked: set[str]) -> str:
    """Return the first stranger's LINE id nobody has linked (a stranger who binds becomes that person)."""
    n = 1
    while f"U{n:032d}" in linked:
        n += 1
    return f"U{n:032d}"


def build_event(user_id: str, text: str | None, data: str | None, timestamp_ms: int, group: str | None = None) -> dict:
    """Return a webhook event the way LINE sends one for a text message or a postback (in a group, when given)."""
    source = {"type": "group", "groupId": group, "userId": user_id} if group else {"type": "user", "userId": user_id}
    event = {
        "type": "message" if text is not None else "postback",
        "mode": "active",
        "timestamp": timestamp_ms,
        "source": source,
        "webhookEventId": "01SIM" + secrets.token_hex(10).upper(),
        "deliveryContext": {"isRedelivery": False},
        "replyToken": f"sim:{group or user_id}:{secrets.token_hex(8)}",  # a reply lands in the chat it answers
    }
    if text is not None:
        event["message"] = {"type": "text", "id": str(timestamp_ms), "quoteToken": secrets.token_hex(8), "text": text}
    else:
        event["postback"] = {"data": data or ""}
    return event


@bp.get("/api/menu")
def menu():
    """Return the rich menu the person sees (their role's pages; a stranger's is the default staff menu)."""
    user = request.args.get("user", "")
    with _svc().runtime.sessions() as session:
        staff = session.scalar(select(Staff).where(Staff.line_user_id == user)) if user else None
        role = staff.role if staff is not None and staff.active else None
    return jsonify({"pages": [_page(p) for p in pages_of(menu_of(role))]})


def _page(page) -> dict:
    areas = [{"x": a.x, "y": a.y, "width": a.width, "height": a.height, "label": a.action.label, "hint": a.hint,
              "kind": a.action.kind, "text": a.action.text, "data": a.action.data, "alias": a.action.alias,
              "tab": a.tab, "selected": a.selected} for a in page.areas]
    return {"alias": page.alias, "title": page.title, "width": page.width, "height": page.height,
            "chat_bar_text": page.chat_bar_text, "areas": areas}


@bp.post("/api/send")
def send():
    """Sign a webhook for what the person typed or tapped and post it to /callback, as LINE would."""
    payload = request.get_json(silent=True) or {}
    user = str(payload.get("user") or UNKNOWN_USER)
    text, data = payload.get("text"), payload.get("data")
    office = _int(str(payload.get("office") or "")) or None
    group = group_of(office) if payload.get("group") else None
    if text is None and data is None:
        return jsonify({"error": "text or data required"}), 400
    svc = _svc()
    shown = payload.get("shown") or text  # a postback shows in the chat only with its button's words
    if shown and hasattr(svc.sender, "said"):  # before the webhook, so the answer comes after it in the chat
        svc.sender.said(group or user, f"{_name_of(user)}：{shown}" if group else str(shown))
    ts = int(svc.runtime.clock.now().timestamp() * 1000)
    destination, secret = _account_of(svc, office)
    body = json.dumps({"destination": destination, "events": [build_event(user, text, data, ts, group)]}, ensure_ascii=False)
    raw = body.encode("utf-8")
    signature = base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()
    with current_app.test_client() as client:
        answer = client.post("/callback", data=raw, headers={"X-Line-Signature": signature, "Content-Type": "application/json"})
    return jsonify({"status": answer.status_code})


def _account_of(svc, office: int | None) -> tuple[str, str]:
    """Return the LINE account the message is written to: the office's own (a city) or the one the offices share."""
    channel = svc.channels.of_office(office) if svc.channels is not None else None
    if channel is not None:
        return channel.bot_user_id, channel.secret
    return "Usimulator", svc.channel_secret


def _name_of(user: str) -> str:
    with _svc().runtime.sessions() as session:
        staff = session.scalar(select(Staff).where(Staff.line_user_id == user))
        return staff.name if staff is not None else W.SIMULATOR_STRANGER


@bp.get("/api/messages")
def messages():
    """Return a person's chat (or the group's: group=1) after the given sequence number, in time order."""
    office = _int(request.args.get("office")) or None
    user = group_of(office) if request.args.get("group") == "1" else request.args.get("user", "")
    after = _int(request.args.get("after"))
    sender = _svc().sender
    if not hasattr(sender, "since"):
        return Response("simulator needs the recording sender", status=409)
    _adopt_pushes(sender, user)
    return jsonify([{"seq": m.seq, "via": m.via, "message": m.message} for m in sender.since(user, after)])


def _adopt_pushes(sender, user: str) -> None:
    """Add the digests another process pushed (planbot remind, a clock apart) to the chat where they are now."""
    with _svc().runtime.sessions() as session:
        sent = session.execute(
            select(Delivery.id, Delivery.retry_key).where(Delivery.recipient == user, Delivery.sent_at.is_not(None))
        ).all()
        new = sorted(row_id for row_id, key in sent if not sender.knows(key))
        stmt = select(Delivery.retry_key, Delivery.payload).where(Delivery.id.in_(new)).order_by(Delivery.id)
        rows = session.execute(stmt).all() if new else []
    for key, data in rows:
        sender.adopt(user, key, to_json(render(replies_from_payload(data))))


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


@bp.post("/api/remind")
def remind_now():
    """Run today's 08:30 reminders now, or the next working day's ({"next": true}: on a weekend there is none today).

    The demo may be opened at any hour; already sent ones are not resent.
    """
    svc = _svc()
    now = svc.runtime.clock.now()
    day = now.date()
    if (request.get_json(silent=True) or {}).get("next"):
        with svc.runtime.sessions() as session:
            day = svc.runtime.calendar(session).next_working_day(day + timedelta(days=1))
    morning = datetime.combine(day, time(8, 30), tzinfo=now.tzinfo)
    # Pushed through the recording sender, so each digest takes its place in the chat as it is sent.
    outbox = svc.sender if hasattr(svc.sender, "since") else None
    report = clockwork(svc.runtime, FixedClock(morning), outbox).morning(wait=30)
    skipped = SKIP_REASONS.get(report.skipped, report.skipped) if report.skipped else None
    return jsonify({"day": format_date(day), "planned": report.planned, "sent": report.sent.sent, "skipped": skipped})
