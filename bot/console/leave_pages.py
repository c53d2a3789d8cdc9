"""The console's 請假與代理 page: who is away and who covers, the gaps, and a form to record a leave."""

from __future__ import annotations

from datetime import date

from flask import Response, request

from bot.console.routes import Visit, bp, page, signed_in
from handlers.core import leave
from handlers.office import leave_board, staff_roster
from handlers.texts import console as T
from handlers.texts import console_admin as A
from handlers.texts import leave as L
from schedules.dates import format_date
from storage import queries
from storage.models import Staff


def _leave_page(visit: Visit, status: int = 200, **values) -> Response:
    rows = leave_board.board(visit.session, visit.who.staff.office_id, visit.ctx.today, visit.ctx.calendar)
    people = [s for s in queries.staff_of_office(visit.session, visit.who.staff.office_id) if s.active]
    return page("console/leave.html", status, visit=visit, rows=rows, people=people, L=L, **values)


@bp.get("/leave")
@signed_in(staff_roster.may_manage, T.STAFF_NOT_ALLOWED)
def leave_page(visit: Visit) -> Response:
    """Who is away within a month, who covers, and the days both deputies are away too."""
    return _leave_page(visit)


@bp.post("/leave")
@signed_in(staff_roster.may_manage, T.STAFF_NOT_ALLOWED)
def leave_add(visit: Visit) -> Response:
    """Record a leave as the chat and the CLI do (who covers and the chief are told); a bad form changes nothing."""
    person, start, end = _form(visit)
    if person is None or start is None or end is None or end < start:
        return _leave_page(visit, 400, problem=A.LEAVE_BAD_FORM)
    refused = leave.may_set_leave_of(visit.who, person)
    if refused:
        return _leave_page(visit, 403, problem=refused)
    if start < visit.ctx.today:
        return _leave_page(visit, 400, problem=L.LEAVE_PAST.format(day=format_date(start)))
    reason = request.form.get("reason", "").strip()[:200]
    _row, cover = leave.save_leave(visit.session, person, start, end, visit.ctx.now, visit.who.actor, reason=reason,
                                  recorder=visit.who.staff)
    told = L.LEAVE_TOLD.format(names=L.NAMES_SEP.join(cover.told)) if cover.told else ""
    return _leave_page(visit, notice=A.LEAVE_SAVED.format(name=person.name, span=leave.span_text(start, end), told=told))


def _form(visit: Visit) -> tuple[Staff | None, date | None, date | None]:
    person = None
    if request.form.get("staff", "").isdigit():
        found = visit.session.get(Staff, int(request.form["staff"]))
        person = found if found is not None and found.office_id == visit.who.staff.office_id and found.active else None
    return person, _day(request.form.get("start", "")), _day(request.form.get("end", ""))


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None
