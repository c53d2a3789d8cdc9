"""The console's 同仁 page: the roster with LINE link state, and a binding code for one person at a time."""

from __future__ import annotations

from flask import Response

from bot.console.routes import Visit, bp, csrf_failed, page, refuse, visit_of
from handlers import staff_roster
from handlers.texts import console as T
from handlers.texts import leave as LT


def _staff_page(visit: Visit, **values) -> Response:
    members = staff_roster.roster(visit.session, visit.who)
    return page("console/staff.html", visit=visit, members=members, L=LT, **values)


@bp.get("/staff")
def staff() -> Response:
    """The office's staff: section, role, whether their LINE account is linked."""
    with visit_of() as visit:
        if isinstance(visit, Response):
            return visit
        if not staff_roster.may_manage(visit.who):
            return refuse(T.STAFF_NOT_ALLOWED, 403, visit)
        return _staff_page(visit)


@bp.post("/staff/<int:staff_id>/invite")
def staff_invite(staff_id: int) -> Response:
    """Issue a binding code for one person and show it once."""
    with visit_of() as visit:
        if isinstance(visit, Response):
            return visit
        if csrf_failed(visit):
            return refuse(T.BAD_CSRF, 403, visit)
        if not staff_roster.may_manage(visit.who):
            return refuse(T.STAFF_NOT_ALLOWED, 403, visit)
        issued = staff_roster.invite(visit.session, visit.who, staff_id, visit.ctx.now)
        if issued is None:
            return refuse(T.NOT_FOUND, 404, visit)
        return _staff_page(visit, issued=issued)


