"""An item's card: its public details for anyone in the office, its progress for those who may see it."""

from __future__ import annotations

from datetime import date

from handlers.core import access, postbacks
from handlers.core.agenda import Due, agenda, current_occurrence, open_occurrence, seen_report
from handlers.core.audience import ANYONE
from handlers.core.due_text import clip, occurrence_text, owners_text, status_label
from handlers.core.incoming import Context
from handlers.core.replies import Button, Card, CardRow
from handlers.core.request import Asker
from handlers.documents.review import behind_now, reasons_of
from handlers.documents.schedule_readings import cell_reading
from handlers.texts import chat as M
from handlers.texts import readings as R
from handlers.texts import review as V
from schedules.clock import TAIPEI
from schedules.dates import format_date
from schedules.occurrences import Occurrence
from storage.models import Item, ProgressReport, Status

NEXT_SHOWN = 3
FIELD_LIMIT = 160  # characters of content/KPI on a card; the exported table has them whole


def item_card(ctx: Context, who: Asker, item: Item, quick: tuple[Button, ...] = ()) -> Card:
    """Return the item's card as the asker may see it."""
    year = item.plan.year
    today = ctx.today
    dues = agenda(ctx.session, [item], year, ctx.calendar)
    read = cell_reading(item, year)
    rows = [
        CardRow(M.CARD_CONTENT, clip(item.content, FIELD_LIMIT)) if item.content else None,
        CardRow(M.CARD_SCHEDULE, schedule_text(item, None if read.schedule else read.reading())),
        CardRow(R.CARD_READING, clip(read.reading(), FIELD_LIMIT)) if read.schedule and not item.schedule_problem else None,
        CardRow(M.CARD_NEXT, _next_text(dues, today)),
        CardRow(M.CARD_OWNERS, owners_text(item)),
        CardRow(M.CARD_POINTS, M.POINTS.format(points=f"{item.points:g}")) if item.points is not None else None,
        CardRow(M.CARD_KPI, clip(item.kpi, FIELD_LIMIT)) if item.kpi else None,
    ]
    buttons: tuple[Button, ...] = ()
    seen = ANYONE  # its plan details are anyone's; its reports, and the buttons to report, are not
    if access.sees_progress(who, item):
        rows += _progress_rows(ctx, item, dues, today)
        seen = access.item_audience(who, item)
    occ = _current(item, dues, ctx, today)
    if access.may_report(who, item):
        key = occ.key if occ else str(year)
        buttons = report_buttons(item, key, seen_report(ctx.session, item.id, key)) + _reason_button(ctx, item, today)
        seen = access.item_audience(who, item)
    return Card(
        title=clip(f"{item.number} {item.title}", 60),
        subtitle=item.section.name,
        rows=tuple(r for r in rows if r is not None),
        buttons=buttons,
        alt_text=clip(f"{item.section.name} {item.number} {item.title}", 100),
        quick_replies=quick,
        audience=seen,
    )


def schedule_text(item: Item, problem: str | None = None) -> str:
    """Return the schedule as the plan writes it (or its marked months), flagged when not understood."""
    written = item.schedule_text or (M.CARD_MONTHS.format(months="、".join(str(m) for m in item.months)) if item.months else "")
    if item.schedule_problem or problem:
        why = clip(problem or item.schedule_problem or "", 80)
        return M.CARD_NO_SCHEDULE.format(problem=why) + (f"\n{clip(written, 80)}" if written else "")
    return clip(written, FIELD_LIMIT) or M.CARD_NO_MORE


def _next_text(dues: list[Due], today: date) -> str:
    ahead = [d for d in dues if d.occ.due >= today][:NEXT_SHOWN]
    if not ahead:
        return M.CARD_NO_MORE
    return "\n".join(occurrence_text(d) for d in ahead)


def _current(item: Item, dues: list[Due], ctx: Context, today: date) -> Occurrence | None:
    """Return the occurrence the card is about: the open or overdue one, as a bare 回報 would name it."""
    found = open_occurrence(dues, today)
    return found.occ if found else current_occurrence(item, item.plan.year, ctx.calendar, today)


def _progress_rows(ctx: Context, item: Item, dues: list[Due], today: date) -> list[CardRow]:
    rows: list[CardRow] = []
    current = _current(item, dues, ctx, today)
    due = next((d for d in dues if current is not None and d.occ.key == current.key), None)
    if due is not None:
        tone = "alert" if due.is_overdue(today) else ("good" if due.done else "normal")
        rows.append(CardRow(M.CARD_CURRENT, f"{occurrence_text(due)}｜{status_label(due, today)}", tone))
    rows += _reason_rows(ctx, item, dues)
    # 最新狀況 is the current occurrence's, or the one just before it (April done, May not yet reported);
    # never a back-filled older month's.
    latest = None
    if due is not None:
        at = dues.index(due)
        latest = due.report or (dues[at - 1].report if at > 0 else None)
    if latest is None:
        rows.append(CardRow(M.CARD_LATEST, M.CARD_NO_REPORT, "muted"))
        return rows
    rows.append(CardRow(M.CARD_LATEST, report_text(latest, dues)))
    if latest.note:
        rows.append(CardRow(M.CARD_NOTE, clip(latest.note, FIELD_LIMIT)))
    return rows


def _reason_button(ctx: Context, item: Item, today: date) -> tuple[Button, ...]:
    """The monthly review's 說明落後原因 (修改落後原因 once written) for the latest occurrence behind."""
    behind = behind_now(ctx.session, item, today, ctx.calendar)
    if not behind:
        return ()
    key = behind[-1].occ.key
    row = reasons_of(ctx.session, [item.id]).get((item.id, key))
    label = V.BUTTON_EDIT if row is not None and (row.cause or row.remedy) else V.BUTTON_EXPLAIN
    return (postbacks.button(label, postbacks.Route.why, i=item.id, o=key),)


def _reason_rows(ctx: Context, item: Item, dues: list[Due]) -> list[CardRow]:
    """Return the 落後原因 and 因應對策 of the latest occurrence that has them (the monthly review's)."""
    reasons = reasons_of(ctx.session, [item.id])
    for due in reversed(dues):
        reason = reasons.get((item.id, due.occ.key))
        if reason is None or not (reason.cause or reason.remedy):
            continue
        by = V.WRITTEN_BY.format(name=reason.writer.name if reason.writer else "—",
                                 day=format_date(reason.written_at.astimezone(TAIPEI).date())) if reason.written_at else ""
        label = occurrence_label(due.occ)
        return [
            CardRow(V.CARD_CAUSE, clip(f"{label}：{reason.cause or V.NOT_WRITTEN}", FIELD_LIMIT), "alert"),
            CardRow(V.CARD_REMEDY, clip(f"{reason.remedy or V.NOT_WRITTEN}{by}", FIELD_LIMIT)),
        ]
    return []


def report_text(report: ProgressReport, dues: list[Due]) -> str:
    """Return a report as 4月：已完成 50%（陳怡君，4/3（三））."""
    status = M.STATUS[report.status.value]
    if report.status is Status.in_progress and report.percent is not None:
        status = M.STATUS_PERCENT.format(status=status, percent=report.percent)
    who = report.staff.name if report.staff else "—"
    day = format_date(report.reported_at.astimezone(TAIPEI).date())
    text = M.CARD_REPORT.format(status=status, who=who, day=day)
    label = next((occurrence_label(d.occ) for d in dues if d.occ.key == report.occurrence_key), None)
    return f"{label}：{text}" if label else text


def occurrence_label(occ: Occurrence) -> str:
    """Return the short name of an occurrence (its label, else its due date)."""
    return occ.label or format_date(occ.due)


def report_buttons(item: Item, occurrence_key: str, seen: int) -> tuple[Button, ...]:
    """Return the 完成 / 進行中 / 延後 postback buttons for an item's occurrence, as of report `seen`."""
    return tuple(
        postbacks.button(label, postbacks.Route.report, i=item.id, o=occurrence_key, s=status.value, v=seen)
        for label, status in ((M.BUTTON_DONE, Status.done), (M.BUTTON_IN_PROGRESS, Status.in_progress),
                              (M.BUTTON_DELAYED, Status.delayed))
    )
