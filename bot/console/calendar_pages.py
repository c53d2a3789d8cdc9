"""The console's 行事曆 page: the year's overrides, a preview of the due dates a change moves, then saving it."""

from __future__ import annotations

from datetime import date

from flask import Response, request

from bot.console.routes import Visit, bp, page, signed_in
from handlers.office import calendar_changes, feed_closures
from handlers.texts import closure_feed as F
from handlers.texts import console as T
from storage.models import OverrideKind


def _form() -> tuple[date | None, OverrideKind, str]:
    try:
        day = date.fromisoformat(request.form.get("day", "").strip())
    except ValueError:
        day = None
    kind = OverrideKind.workday if request.form.get("kind") == OverrideKind.workday else OverrideKind.closure
    return day, kind, request.form.get("reason", "").strip()[:200]


# The office's calendar is shown to everyone signed in; only those who may change it post to it.
changers = signed_in(calendar_changes.may_change, T.CAL_NOT_ALLOWED)


def _calendar_page(visit: Visit, status: int = 200, **values) -> Response:
    year = visit.ctx.today.year
    rows = calendar_changes.overrides(visit.session, visit.who.staff.office_id, year)
    allowed = calendar_changes.may_change(visit.who)
    feed = feed_closures.status(visit.session, visit.who.staff.office, visit.ctx.today)
    return page("console/calendar.html", status, visit=visit, year=year, rows=rows, allowed=allowed, feed=feed,
                F=F, **values)


@bp.post("/calendar/location")
@changers
def calendar_location(visit: Visit) -> Response:
    """Set where the office is: the closure announcements are matched on it."""
    county, district = request.form.get("county", "").strip(), request.form.get("district", "").strip()
    problem = feed_closures.read_place(county, district or None)
    if isinstance(problem, str):
        return _calendar_page(visit, 400, notice=problem)
    told = feed_closures.set_place(visit.session, visit.who.staff.office, county, district or None, visit.who.actor,
                                   visit.ctx.now)
    return _calendar_page(visit, notice=told)


@bp.get("/calendar")
@signed_in()
def calendar(visit: Visit) -> Response:
    """The year's closures and extra workdays, and the form to add one."""
    return _calendar_page(visit)


@bp.post("/calendar/preview")
@changers
def calendar_preview(visit: Visit) -> Response:
    """Show which due dates the change would move, with a form to confirm it; nothing is saved yet."""
    checked = _checked_change(visit, keep_form=True)
    if isinstance(checked, Response):
        return checked
    day, kind, reason = checked
    moved = calendar_changes.moved_by(visit.session, visit.who, visit.ctx.calendar, day, kind)
    form = {"day": day.isoformat(), "kind": kind.value, "reason": reason}
    out_of_year = calendar_changes.leaving_year([(m.before, m.after) for m in moved])
    preview = {"day": day, "kind": kind.value, "moved": moved, "out_of_year": out_of_year}
    return _calendar_page(visit, preview=preview, form=form)


@bp.post("/calendar")
@changers
def calendar_save(visit: Visit) -> Response:
    """Save the closure or extra workday."""
    checked = _checked_change(visit)
    if isinstance(checked, Response):
        return checked
    day, kind, reason = checked
    calendar_changes.change(visit.session, visit.who, day, kind, reason, visit.ctx.now)
    notice = T.CAL_SAVED.format(day=day.isoformat(), kind=T.CAL_KIND[kind.value], reason=reason)
    return _calendar_page(visit, notice=notice)


def _checked_change(visit: Visit, keep_form: bool = False) -> Response | tuple[date, OverrideKind, str]:
    """Return the change the form asks for, or the page refusing it (bad day, no reason)."""
    day, kind, reason = _form()
    problem = _problem(day, reason, visit.ctx.today)
    if problem:
        form = {"day": request.form.get("day", ""), "kind": kind.value, "reason": reason} if keep_form else None
        return _calendar_page(visit, 400, notice=problem, **({"form": form} if form else {}))
    return day, kind, reason


def _problem(day: date | None, reason: str, today: date) -> str:
    if day is None:
        return T.CAL_BAD_DAY
    if calendar_changes.first_past([day], today) is not None:
        return T.CAL_PAST.format(day=day.isoformat())
    return "" if reason else T.CAL_NEED_REASON
