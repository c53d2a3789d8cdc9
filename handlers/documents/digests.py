"""Turn a planned delivery into what the person reads: one carousel per person per morning.

Also the 更多 button of a pushed digest (a=more&m=DAY&p=N): the next page of what was stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.core import postbacks
from handlers.core.incoming import Context
from handlers.core.replies import (
    MAX_CARD_ROWS,
    MAX_CAROUSEL,
    Button,
    Card,
    CardRow,
    Carousel,
    FileLink,
    Reply,
    ReplyType,
    Text,
    to_dict,
)
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import leave as L
from handlers.texts import reminders as T
from handlers.texts import review as RV
from schedules.dates import format_date
from schedules.occurrences import OccurrenceKind
from schedules.planner import COMPILED_KEYS, DEFAULT_POLICY, URGENCY, Line, PlannedDelivery, Reach, Reason
from storage.models import Delivery
from storage.outbox import Kind, of_kind

PAYLOAD_VERSION = 1
ALERT = {Reason.overdue, Reason.escalation, Reason.due}
REPORT_BUTTONS = (("done", T.BUTTON_DONE), ("in_progress", T.BUTTON_IN_PROGRESS), ("delayed", T.BUTTON_DELAYED))
TITLE_MAX = 60
# Lines on an occurrence due today or past it: nobody having reported is worth saying (未回報, never 未開始).
SAYS_UNREPORTED = {Reason.due, Reason.overdue, Reason.escalation}


def digest(
    planned: PlannedDelivery, export_url: str | None = None, item_cards: int = DEFAULT_POLICY.item_cards,
    review_url: str | None = None,
) -> list[Reply]:
    """Return the digest of one planned delivery: a header, the compiled round (with the control table's and the
    monthly review report's links), then one card per item."""
    return _page(list(planned.lines), planned.morning, planned.via, planned.to, 1, export_url, item_cards, review_url)


def more_page(payload: Mapping, page: int, item_cards: int = DEFAULT_POLICY.item_cards) -> list[Reply]:
    """Return page `page` (2, 3, ...) of a stored digest, for the 更多 button's postback."""
    lines = [Line.from_json(d) for d in payload.get("lines", ())]
    return _page(lines, date.fromisoformat(payload["morning"]), Reach(payload.get("via", Reach.user)), payload.get("to", ""), page, None, item_cards)


def delivery_for(session: Session, recipient: str, morning: date) -> Delivery | None:
    """Return the newest digest pushed to the recipient (a user or a group) that morning."""
    return session.scalar(
        select(Delivery)
        # Digests only: a one-off push of the same morning (a 未回報 nudge, the quota warning) has no pages.
        .where(Delivery.recipient == recipient, Delivery.morning == morning, of_kind(Kind.DIGEST))
        .order_by(Delivery.id.desc())
        .limit(1)
    )


def digest_more(req: Request, ctx: Context, fields: dict[str, str]) -> list[Reply]:
    """Return the page asked for of the digest this conversation received; the lookup is by who taps."""
    page = postbacks.int_field(fields, "p")
    try:
        morning = date.fromisoformat(fields.get("m", ""))
    except ValueError:
        return [Text(M.STALE_BUTTON)]
    recipient = req.incoming.group_id or req.incoming.line_user_id
    row = delivery_for(ctx.session, recipient, morning) if recipient else None
    if row is None or page is None or page < 2 or not isinstance(row.payload, dict) or "lines" not in row.payload:
        return [Text(M.STALE_BUTTON)]
    return more_page(row.payload, page)


def payload(planned: PlannedDelivery, replies: Sequence[Reply]) -> dict:
    """Return what is stored in the deliveries table: the lines (for 更多) and the replies to push."""
    return {
        "version": PAYLOAD_VERSION,
        "office_id": planned.office_id,
        "morning": planned.morning.isoformat(),
        "to": planned.to,
        "via": planned.via.value,
        "lines": [line.to_json() for line in planned.lines],
        "replies": [to_dict(r) for r in replies],
    }


def replies_from_payload(data: Mapping) -> list[Reply]:
    """Rebuild the Reply objects stored by `payload` (a resend pushes exactly what was decided)."""
    return [_reply(r) for r in data["replies"]]


def _reply(d: Mapping) -> Reply:
    kind = d["type"]
    if kind == ReplyType.text:
        return Text(d["text"], _buttons(d.get("quick_replies")))
    if kind == ReplyType.card:
        return _card(d)
    if kind == ReplyType.carousel:
        return Carousel(tuple(_card(c) for c in d["cards"]), d.get("alt_text", ""), _buttons(d.get("quick_replies")))
    if kind == ReplyType.filelink:  # an answer sent one-to-one from a group (匯出)
        return FileLink(d["title"], d["url"], d["filename"], d["expires_text"], d.get("note", ""))
    raise ValueError(f"cannot rebuild a stored reply of type {kind!r}")


def _card(d: Mapping) -> Card:
    return Card(
        title=d["title"],
        subtitle=d.get("subtitle", ""),
        rows=tuple(CardRow(**r) for r in d.get("rows", ())),
        buttons=_buttons(d.get("buttons")),
        alt_text=d.get("alt_text", ""),
        quick_replies=_buttons(d.get("quick_replies")),
        image_url=d.get("image_url", ""),
    )


def _buttons(items) -> tuple[Button, ...]:
    return tuple(Button(**b) for b in items or ())


def _page(
    lines: list[Line], morning: date, via: Reach, to: str, page: int, export_url: str | None, item_cards: int,
    review_url: str | None = None,
) -> list[Reply]:
    compiled = [ln for ln in lines if ln.reason == Reason.compiled]
    items = [ln for ln in lines if ln.reason != Reason.compiled]
    day = format_date(morning)
    cards: list[Card] = []
    if page == 1:
        cards.append(_header(lines, day, via, to))
        if compiled:
            cards.append(_compiled_card(compiled, export_url, review_url))
        room = min(item_cards, MAX_CAROUSEL - len(cards) - 1)
        shown, rest = items[:room], items[room:]
    else:
        room = MAX_CAROUSEL - 1
        start = min(item_cards, MAX_CAROUSEL - 2 - (1 if compiled else 0)) + (page - 2) * room
        shown, rest = items[start : start + room], items[start + room :]
        if not shown:
            return [Text(T.MORE_HINT)]
    cards.extend(_item_card(ln, buttons=via == Reach.user) for ln in shown)
    if rest:
        cards.append(_more_card(rest, morning, page + 1))
    title = T.PAGE_TITLE.format(day=day, page=page) if page > 1 else T.ALT_TEXT.format(day=day, summary=_summary(lines))
    return [Carousel(tuple(cards), alt_text=title[:400])]


def _counts(lines: Sequence[Line]) -> Counter:
    # The compiled round is one card however many sections it covers.
    counts = Counter(ln.reason for ln in lines)
    counts[Reason.compiled] = min(counts[Reason.compiled], 1)
    return counts


def _summary(lines: Sequence[Line]) -> str:
    counts = _counts(lines)
    return T.ALT_JOIN.join(T.REASON_COUNT.format(reason=T.REASON_LABELS[r], count=counts[r]) for r in URGENCY if counts[r])


def _header(lines: Sequence[Line], day: str, via: Reach, to: str) -> Card:
    counts = _counts(lines)
    total = sum(counts.values())
    rows = [
        CardRow(T.REASON_LABELS[r], T.COUNT_ROW.format(count=counts[r]), "alert" if r in ALERT else "normal")
        for r in URGENCY
        if counts[r]
    ]
    if via == Reach.group:
        return Card(T.GROUP_TITLE.format(day=day, section=to), T.GROUP_GREETING.format(count=total),
                    tuple(rows + [CardRow(T.LINK_HINT, tone="muted")]))
    return Card(T.DIGEST_TITLE.format(day=day), T.GREETING.format(name=to, count=total), tuple(rows))


def _item_card(line: Line, buttons: bool) -> Card:
    label = T.REASON_LABELS[line.reason]
    rows = [CardRow(label, _when(line), "alert" if line.reason in ALERT else "normal")]
    rows.extend(_cover_rows(line))
    if line.kind in (OccurrenceKind.window, OccurrenceKind.period) and line.starts:
        span = T.PERIOD_SPAN.format(starts=format_date(line.starts), due=format_date(line.due))
        rows.append(CardRow(T.ROW_PERIOD, f"{line.label}（{span}）" if line.kind == OccurrenceKind.period and line.label else span))
    if line.days and line.reason in (Reason.overdue, Reason.escalation):
        rows.append(CardRow(T.ROW_LATE, T.WORKING_DAYS.format(n=line.days), "alert"))
    elif line.days and line.reason in (Reason.upcoming, Reason.closing, Reason.event):
        rows.append(CardRow(T.ROW_LEFT, T.WORKING_DAYS.format(n=line.days)))
    if line.reason == Reason.escalation and line.owners:
        rows.append(CardRow(T.ROW_OWNERS, "、".join(line.owners)))
    if line.people:
        rows.append(CardRow(T.ROW_FOR, "、".join(line.people)))
    if line.status != "not_reported" or line.reason in SAYS_UNREPORTED:
        rows.append(CardRow(T.ROW_STATUS, _said(line), "alert" if line.status == "not_reported" else "muted"))
    actions = ()
    if buttons and line.item_id is not None and line.reason != Reason.escalation:
        actions = tuple(
            Button(text_label, data=postbacks.encode(postbacks.Route.report, i=line.item_id, o=line.occurrence_key, s=status))
            for status, text_label in REPORT_BUTTONS
        )
        if line.reason == Reason.overdue:  # the monthly review asks the owner why, and what is done about it
            actions += (Button(RV.BUTTON_EXPLAIN, data=postbacks.encode(postbacks.Route.why, i=line.item_id, o=line.occurrence_key)),)
            if line.days <= 1 and not line.on_behalf:  # the first overdue morning asks in words too, once
                rows.append(CardRow(RV.CARD_ASK, tone="muted"))
    subtitle = " ".join(p for p in (line.section, line.number) if p)
    return Card(_short(line.title), subtitle, tuple(rows[:MAX_CARD_ROWS]), actions)


def _said(line: Line) -> str:
    """Return what was last reported as the chat's lists say it (進行中 50%; 未回報 when nobody has)."""
    said = T.STATUS_LABELS.get(line.status, line.status)
    return M.STATUS_PERCENT.format(status=said, percent=line.percent) if line.percent is not None else said


def _cover_rows(line: Line) -> list[CardRow]:
    """Say whose item a deputy's line is, who covers an escalated owner, who reported in their absence."""
    if line.on_behalf:
        return [CardRow(L.ON_BEHALF.format(name=line.on_behalf), tone="alert")]
    if line.covered_by and line.reason == Reason.covered:
        return [CardRow(L.COVERED_REPORT.format(name=line.covered_by))]
    if line.covered_by:
        return [CardRow(L.COVERED_BY.format(name=line.covered_by))]
    return []


def _when(line: Line) -> str:
    if line.kind == OccurrenceKind.event:
        return format_date(line.starts or line.due)
    return format_date(line.due)


def _compiled_card(lines: Sequence[Line], export_url: str | None, review_url: str | None = None) -> Card:
    month = lines[0].due.month
    total = sum(n for ln in lines for _, n in ln.counts)
    scope = lines[0].section if len(lines) == 1 else T.COMPILED_ALL
    rows: list[CardRow] = []
    for ln in lines:
        counts = dict(ln.counts)
        rows.append(CardRow(ln.section, T.COMPILED_COUNTS.format(**{k: counts.get(k, 0) for k in COMPILED_KEYS})))
        if ln.missing:
            rows.append(CardRow(T.COMPILED_MISSING.format(names="、".join(ln.missing)), tone="alert"))
    if not any(ln.missing for ln in lines):
        rows.append(CardRow(T.COMPILED_NO_MISSING, tone="good"))
    buttons: tuple[Button, ...] = ()
    if export_url:
        buttons = (Button(T.BUTTON_EXPORT, uri=export_url),)
    else:
        rows.append(CardRow(T.EXPORT_HINT, tone="muted"))
    if review_url:
        buttons += (Button(RV.BUTTON_REPORT, uri=review_url),)
    if len(rows) > MAX_CARD_ROWS:
        rows = rows[: MAX_CARD_ROWS - 1] + [CardRow("…", tone="muted")]
    return Card(T.COMPILED_TITLE.format(month=month), T.COMPILED_SUBTITLE.format(scope=scope, total=total), tuple(rows), buttons)


def _more_card(rest: Sequence[Line], morning: date, page: int) -> Card:
    rows = [CardRow(T.MORE_ROW.format(reason=T.REASON_LABELS[ln.reason], title=_short(ln.title, 24))) for ln in rest]
    if len(rows) > MAX_CARD_ROWS - 1:
        rows = rows[: MAX_CARD_ROWS - 2] + [CardRow("…", tone="muted")]
    rows.append(CardRow(T.MORE_HINT, tone="muted"))
    more = Button(T.BUTTON_MORE, data=postbacks.encode(postbacks.Route.more, m=morning.isoformat(), p=page))
    return Card(T.MORE_TITLE.format(count=len(rest)), "", tuple(rows), (more,))


def _short(text: str, n: int = TITLE_MAX) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"

