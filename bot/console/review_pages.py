"""The console's 管考 page: a month's lights and items behind, reasons, 列管 suggestions and decisions, 決議,
the light thresholds, and the report and the meeting pack to download. Each write goes through the handlers
that check who asks (handlers.chat.lag_reasons, handlers.office.review_decisions); the page only shows what they allow.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Response, request, send_file

from bot.console.routes import Visit, bp, page, refuse, signed_in
from handlers.chat import lag_reasons
from handlers.core import access
from handlers.documents import review_documents
from handlers.documents.review import (
    MonthReview,
    behind_now,
    by_item,
    month_review,
    previous_month,
    set_thresholds,
)
from handlers.office import review_decisions
from handlers.texts import console_admin as A
from handlers.texts import review as V
from schedules.dates import parse_date, read_month, roc_year
from schedules.lights import MAX_DAYS, Thresholds
from storage import queries
from storage.models import Item, Role
from storage.sheets import SheetError
from storage.sheets.documents import MIMETYPES

FORMATS = {"odt": ".odt", "docx": ".docx", "pdf": ".pdf"}
MAY_SEE = (Role.chief, Role.coordinator, Role.director)
# The page and its forms: chiefs, the coordinator and the director; each write still asks its handler who may.
reviewers = signed_in(lambda who: who.role in MAY_SEE, V.PAGE_NOT_ALLOWED)


def _month(visit: Visit) -> int:
    asked = read_month(request.values.get("month", ""))
    if asked is not None:
        return asked
    year, month = previous_month(visit.ctx.today.year, visit.ctx.today.month)
    return month if year == visit.ctx.today.year else 1


def _review(visit: Visit, month: int) -> MonthReview | Response:
    who = visit.who
    plan = queries.latest_plan(visit.session, who.staff.office_id, visit.ctx.today.year)
    if plan is None:
        return refuse(V.NO_PLAN_CONSOLE, 404, visit)
    section_id = None if access.sees_every_section(who) else who.staff.section_id
    return month_review(visit.session, plan, month, visit.ctx.today, visit.ctx.calendar, section_id)


def _page(visit: Visit, month: int, notice: str = "", status: int = 200) -> Response:
    found = _review(visit, month)
    if isinstance(found, Response):
        return found
    who = visit.who
    return page(
        "console/review.html", status, visit=visit, review=found, notice=notice, V=V, roc=roc_year(found.year),
        legend=review_documents.legend(found), sections=review_documents.section_lines(found),
        light_text=review_documents.light_text, status_text=review_documents.status_text,
        may_suggest=lambda item: review_decisions.may_suggest(who, item),
        may_decide=review_decisions.may_decide(who, found.plan),
        may_reason=lambda item: access.may_report(who, item, visit.ctx.today),
        is_coordinator=who.role is Role.coordinator,
        resolutions=by_item(found.decided), item_name=review_documents.item_name,
        followup_status=lambda r: review_documents.resolution_line(found, r, visit.ctx.calendar), formats=FORMATS,
        on_item=lambda rs, item: [r for r in rs if r.item_id == item.id],
        staff=[s for s in queries.staff_of_office(visit.session, who.staff.office_id) if s.active],
        most=MAX_DAYS,
    )


@bp.get("/review")
@reviewers
def review_page(visit: Visit) -> Response:
    """A month's review (the month just ended unless ?month= says otherwise)."""
    return _page(visit, _month(visit))


def _posted(visit: Visit, handler) -> Response:
    """Run a form's write; answer with the page and what happened."""
    month = _month(visit)
    notice, ok = handler(visit, month)
    return _page(visit, month, notice, 200 if ok else 400)


def _item(visit: Visit) -> Item | None:
    asked = request.form.get("item", "")
    item = visit.session.get(Item, int(asked)) if asked.isdigit() else None
    return item if item is not None and access.in_office(visit.who, item) else None


@bp.post("/review/reason")
@reviewers
def review_reason(visit: Visit) -> Response:
    """Write 落後原因 and 因應對策 of one occurrence (its owners, a deputy, the chief, the coordinator)."""

    def write(visit: Visit, month: int):
        item = _item(visit)
        if item is None or not access.may_report(visit.who, item, visit.ctx.today):
            return V.REASON_REFUSED, False
        key = request.form.get("occurrence", "")
        if key not in {d.occ.key for d in behind_now(visit.session, item, visit.ctx.today, visit.ctx.calendar)}:
            return V.REASON_NOT_BEHIND, False
        cause, remedy = request.form.get("cause", ""), request.form.get("remedy", "")
        wrong = lag_reasons.problem(cause) or lag_reasons.problem(remedy)
        if wrong:
            return wrong, False
        lag_reasons.save(visit.ctx, visit.who.actor, visit.who.staff.id, item, key, cause=cause, remedy=remedy)
        return V.REASON_SAVED, True

    return _posted(visit, write)


@bp.post("/review/suggest")
@reviewers
def review_suggest(visit: Visit) -> Response:
    def write(visit: Visit, month: int):
        item = _item(visit)
        if item is None:
            return V.SUGGEST_REFUSED, False
        done = review_decisions.suggest(visit.ctx, visit.who, item, month, request.form.get("listing", ""))
        return done.text, done.ok

    return _posted(visit, write)


@bp.post("/review/decide")
@reviewers
def review_decide(visit: Visit) -> Response:
    def write(visit: Visit, month: int):
        item = _item(visit)
        if item is None:
            return V.DECIDE_REFUSED, False
        done = review_decisions.decide(visit.ctx, visit.who, item, month, request.form.get("listing", ""),
                                       request.form.get("opinion", ""))
        return done.text, done.ok

    return _posted(visit, write)


@bp.post("/review/resolution")
@reviewers
def review_resolution(visit: Visit) -> Response:
    def write(visit: Visit, month: int):
        plan = queries.latest_plan(visit.session, visit.who.staff.office_id, visit.ctx.today.year)
        if plan is None:
            return V.NO_PLAN_CONSOLE, False
        due_text = request.form.get("due", "").strip()
        due = None
        if due_text:
            try:
                due = parse_date(due_text)
            except ValueError:
                return V.RESOLUTION_BAD_DAY.format(text=due_text[:20]), False
        item = None
        if request.form.get("item", "").strip():
            # An item the form names but this office has not (gone, forged) is refused, never dropped silently.
            item = _item(visit)
            if item is None:
                return V.RESOLUTION_ITEM_UNKNOWN, False
        done = review_decisions.add_resolution(visit.ctx, visit.who, plan, month, request.form.get("text", ""),
                                               request.form.get("owner", ""), due, item)
        return done.text, done.ok

    return _posted(visit, write)


@bp.post("/review/lights")
@reviewers
def review_lights(visit: Visit) -> Response:
    def write(visit: Visit, month: int):
        if visit.who.role is not Role.coordinator:
            return V.DECIDE_REFUSED, False
        try:
            wanted = Thresholds(int(request.form.get("yellow_days", "")), int(request.form.get("red_days", "")))
        except ValueError:
            return V.LIGHTS_BAD.format(most=MAX_DAYS), False
        if wanted.problem():
            return V.LIGHTS_BAD.format(most=MAX_DAYS), False
        office = visit.who.staff.office
        set_thresholds(visit.session, office, wanted)
        queries.audit(visit.session, visit.ctx.now, visit.who.actor, "review.lights", **wanted.to_json())
        return V.LIGHTS_SAVED, True

    return _posted(visit, write)


@bp.get("/review/<kind>.<fmt>")
@reviewers
def review_file(visit: Visit, kind: str, fmt: str) -> Response:
    """Download the month's 彙整表 (report) or meeting pack (pack) as .odt, .docx or PDF."""
    ext = FORMATS.get(fmt)
    if kind not in ("report", "pack") or ext is None:
        return refuse(A.EXPORT_NOTHING, 404, visit)
    found = _review(visit, _month(visit))
    if isinstance(found, Response):
        return found
    return review_download(found, ext, kind == "pack", visit.ctx.calendar, lambda: refuse(A.EXPORT_NO_FONT, 503, visit))


def review_download(found: MonthReview, ext: str, pack: bool, calendar, no_font: Callable[[], Response]) -> Response:
    """Send the month's report (or pack) as a file download (the console's 管考 page and the city page alike)."""
    try:
        data = review_documents.document_bytes(found, ext, calendar, pack=pack)
    except SheetError as exc:
        if exc.code == "no_cjk_font":
            return no_font()
        raise
    name = review_documents.download_name(found, ext, pack=pack)
    response = send_file(io.BytesIO(data), mimetype=MIMETYPES[ext], as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response
