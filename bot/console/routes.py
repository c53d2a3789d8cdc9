"""The console's routes: sign-in and out, the year table, a month of an item and reporting on it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from bot.console import signin_guard
from handlers.chat import lag_reasons, reports
from handlers.chat.catalog import COMMANDS
from handlers.core.commands import Command
from handlers.core.incoming import Context, Incoming, IncomingKind
from handlers.core.replies import plain_text
from handlers.core.request import Asker, Request
from handlers.documents import control_table, review
from handlers.documents.control_table import Filters
from handlers.texts import city as CT
from handlers.texts import console as T
from handlers.texts import console_admin as A
from handlers.texts import reminders as RT
from handlers.texts import review as RV
from handlers.texts import words as M
from schedules.clock import TAIPEI
from schedules.dates import format_date
from storage import console_tokens, scope
from storage.console_tokens import LinkOutcome
from storage.db import unit_of_work
from storage.models import CityViewer, Staff, Status, Via

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates")
COOKIE = "planbot_console"
REPORT_STATUSES = (Status.done, Status.in_progress, Status.delayed, Status.not_started)


@dataclass
class Visit:
    """One request's signed-in person, their database session and handler context."""

    session: Session
    ctx: Context
    who: Asker
    token: str

    @property
    def csrf(self) -> str:
        return console_tokens.csrf_token(self.token)


def _services():
    return current_app.extensions["planbot"]


def _moment(at) -> str:
    local = at.astimezone(TAIPEI)
    return f"{format_date(local.date())} {local:%H:%M}"


def page(template: str, status: int = 200, **values) -> Response:
    page = render_template(template, T=T, A=A, M=M, CT=CT, day=format_date, moment=_moment, **values)
    return Response(page, status=status, mimetype="text/html")


def refuse(message: str, status: int, visit: Visit | None = None) -> Response:
    return page("console/message.html", status, message=message, visit=visit)


@contextmanager
def visit_of() -> Iterator[Visit | Response]:
    """Yield the signed-in visit (committed at the end), or the page that asks to sign in first."""
    svc = _services()
    with unit_of_work(svc.runtime.sessions) as session:
        token = request.cookies.get(COOKIE, "")
        staff = console_tokens.session_staff(session, token, svc.runtime.clock.now())
        if staff is None:
            if console_tokens.session_viewer(session, token, svc.runtime.clock.now()) is not None:
                # A city viewer reads figures, never an office's own pages.
                yield page("console/message.html", 403, message=CT.OFFICE_ONLY, visit=None, city_home=True)
                return
            yield refuse(T.NEED_SIGNIN, 401)
            return
        scope.scope_to(session, staff.office_id)  # every page of the visit sees only the person's office
        ctx = Context(session, svc.runtime.clock, svc.settings)
        yield Visit(session, ctx, _asker(staff), token)


@dataclass(frozen=True)
class Access:
    """What a console route asks of its visitor: a session, and who may use it (`refused` says why not).

    `city` routes are for city viewers' sessions only: `may` refuses every office staff member there, and
    every other signed-in route refuses a city viewer (`visit_of`).
    """

    signed_in: bool
    may: Callable[[Asker], bool] | None = None
    refused: str = ""
    city: bool = False


@dataclass
class CityVisit:
    """One request's signed-in city viewer and their database session (read-only pages)."""

    session: Session
    ctx: Context
    viewer: CityViewer
    token: str

    @property
    def csrf(self) -> str:
        return console_tokens.csrf_token(self.token)


def city_page(template: str, city: CityVisit | None, status: int = 200, **values) -> Response:
    """Render a page of the city's frame (the viewer's name and 登出 instead of an office's menu)."""
    return page(template, status, visit=None, city=city, **values)


def no_staff(_who: Asker) -> bool:
    """No office staff member, whatever the role, may use a city route."""
    return False


def for_city(view: Callable[..., Response]) -> Callable[..., Response]:
    """Run the view with the signed-in `CityVisit` once a city viewer's session and the form token (on POST) are checked.

    Office staff are refused (403) whatever their role; no session, or an ended or expired one, asks to sign in.
    A POST's form token is checked before anything else is said about the session, as on every console route.
    """

    @functools.wraps(view)
    def checked(**values) -> Response:
        svc = _services()
        with unit_of_work(svc.runtime.sessions) as session:
            token = request.cookies.get(COOKIE, "")
            now = svc.runtime.clock.now()
            viewer = console_tokens.session_viewer(session, token, now)
            staff = console_tokens.session_staff(session, token, now) if viewer is None else None
            if viewer is None and staff is None:
                return page("console/message.html", 401, message=T.NEED_SIGNIN, hint=CT.NEED_SIGNIN_CITY, visit=None)
            if request.method == "POST" and not console_tokens.csrf_ok(token, request.form.get("csrf", "")):
                return page("console/message.html", 403, message=T.BAD_CSRF, visit=None)
            if viewer is None:
                return refuse(CT.CITY_ONLY, 403, Visit(session, Context(session, svc.runtime.clock, svc.settings),
                                                       _asker(staff), token))
            return view(CityVisit(session, Context(session, svc.runtime.clock, svc.settings), viewer, token), **values)

    checked.console_access = Access(signed_in=True, may=no_staff, refused=CT.CITY_ONLY, city=True)
    return checked


def public(view: Callable[..., Response]) -> Callable[..., Response]:
    """Mark a route anyone may open without a session (the sign-in link's own pages)."""
    view.console_access = Access(signed_in=False)
    return view


def signed_in(may: Callable[[Asker], bool] | None = None, refused: str = ""):
    """Run the view with the signed-in `Visit` once the session, the form token (on POST) and `may` are checked.

    Each check refuses with its page before the view runs, so the view body is only the route's work; what an
    item or a colleague allows is still the view's to ask, since it depends on which one.
    """

    def wrap(view: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def checked(**values) -> Response:
            with visit_of() as visit:
                if isinstance(visit, Response):
                    return visit
                if request.method == "POST" and csrf_failed(visit):
                    return refuse(T.BAD_CSRF, 403, visit)
                if may is not None and not may(visit.who):
                    return refuse(refused, 403, visit)
                return view(visit, **values)

        checked.console_access = Access(signed_in=True, may=may, refused=refused)
        return checked

    return wrap


def _asker(staff: Staff) -> Asker:
    return Asker(staff.line_user_id or "", staff, via=Via.console)


def csrf_failed(visit: Visit) -> bool:
    return not console_tokens.csrf_ok(visit.token, request.form.get("csrf", ""))


def _secure() -> bool:
    return _services().settings.public_url.startswith("https://")


# Pages a console may show: its own styles and forms only, never framed, never sniffed into another type.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


@bp.after_request
def secure_headers(response: Response) -> Response:
    """Send the console's security headers with every console response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _link_refused(outcome: LinkOutcome, staff: Staff | None) -> Response:
    message = {LinkOutcome.used: T.SIGNIN_USED, LinkOutcome.expired: T.SIGNIN_EXPIRED}.get(outcome, T.SIGNIN_UNKNOWN)
    response = page("console/message.html", 410, message=message, hint=T.signin_again(staff), visit=None)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/signin/<token>")
@public
def signin_page(token: str) -> Response:
    """Show the link's 登入 button; opening the link (GET, HEAD, a scanner, a prefetch) uses nothing up."""
    svc = _services()
    with unit_of_work(svc.runtime.sessions) as session:
        state = console_tokens.link_state(session, token, svc.runtime.clock.now())
        name = state.staff.name if state.staff is not None else ""
    if state.outcome is not LinkOutcome.valid:
        return _link_refused(state.outcome, state.staff)
    return signin_form(token, lambda proof: page("console/signin.html", name=name, visit=None, proof=proof))


def signin_form(token: str, render: Callable[[str], Response]) -> Response:
    """A link's 登入 page (staff's and city viewers'), its form carrying the proof `signin_guard` asks of the POST."""
    nonce, proof = signin_guard.offer(token)
    response = signin_guard.remember(render(proof), nonce)
    # The link's address stays on this site, and its 登入 POST still says which site it came from (Origin):
    # under no-referrer a browser sends `Origin: null`, which signin_guard refuses.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def signin_unproven() -> Response:
    """Refuse a link's POST that did not come from its 登入 page in this browser (login CSRF); the link still works."""
    response = page("console/message.html", 403, message=T.SIGNIN_NOT_FROM_PAGE, hint=T.SIGNIN_OPEN_AGAIN, visit=None)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/signin/<token>")
@public
def signin(token: str) -> Response:
    """Use the link once (the 登入 button of its page): start an 8-hour session, or say why not."""
    return sign_in_with_link(token, console_tokens.redeem_link, console_tokens.link_state,
                             lambda result: _link_refused(result.outcome, result.staff), url_for("console.table"))


def sign_in_with_link(token: str, redeem: Callable, state: Callable, refused: Callable, to: str) -> Response:
    """Use a link POSTed from its own 登入 page (staff's and city viewers'): sign in and go to `to`.

    A POST that did not come from the page (signin_guard) uses nothing up: it reads what the link is, so a spent
    link is still said to be spent, and a usable one stays usable. `refused(result)` answers a link that is not.
    """
    svc = _services()
    with unit_of_work(svc.runtime.sessions) as session:
        use = redeem if signin_guard.from_its_page(token) else state
        result = use(session, token, svc.runtime.clock.now())
    if result.outcome is LinkOutcome.valid:
        return signin_unproven()
    if result.outcome is not LinkOutcome.signed_in:
        return refused(result)
    return signed_in_redirect(to, result.session_token)


def signed_in_redirect(to: str, session_token: str) -> Response:
    """Send a browser just signed in to `to` with its session cookie (staff and city viewers alike)."""
    response = redirect(to, code=303)
    response.set_cookie(
        COOKIE, session_token, max_age=int(console_tokens.SESSION_LIFETIME.total_seconds()),
        httponly=True, samesite="Lax", secure=_secure(), path="/console",
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return signin_guard.forget(response)


@bp.post("/signout")
@signed_in()
def signout(visit: Visit) -> Response:
    """End the session (with a valid form token) and clear the cookie."""
    console_tokens.end_session(visit.session, visit.token, visit.ctx.now)
    response = page("console/message.html", message=T.SIGNED_OUT, visit=None)
    response.delete_cookie(COOKIE, path="/console")
    return response


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.get("/")
@signed_in()
def table(visit: Visit) -> Response:
    """The 年度管制表, filtered by section, owner and state."""
    state = request.args.get("state") or None
    filters = Filters(_int_arg("section"), _int_arg("owner"), state if state in T.STATES else None)
    data = control_table.control_table(visit.session, visit.who, visit.ctx.calendar, visit.ctx.today, filters)
    # One prefix for the ~3600 cell links: url_for per cell is most of the page's time.
    items_url = url_for("console.table") + "items/"
    return page("console/table.html", visit=visit, table=data, filters=filters, legend=control_table.LEGEND,
                marks=M.STATE_MARK, items_url=items_url)


@bp.get("/items/<int:item_id>/months/<int:month>")
@signed_in()
def month(visit: Visit, item_id: int, month: int) -> Response:
    """A cell: the item's occurrences in that month, their reports, and the report form."""
    return _month_page(visit, item_id, month)


def _month_page(visit: Visit, item_id: int, month: int, notice: str = "", status: int = 200) -> Response:
    view = control_table.month_view(visit.session, visit.who, item_id, month, visit.ctx.calendar, visit.ctx.today)
    if view is None:
        return refuse(T.FORBIDDEN, 403, visit)
    behind = {d.occ.key for d in review.behind_now(visit.session, view.item, visit.ctx.today, visit.ctx.calendar)}
    lag = {key: r for (_, key), r in review.reasons_of(visit.session, [item_id]).items()}
    return page(
        "console/month.html", status, visit=visit, view=view, notice=notice, statuses=REPORT_STATUSES, reasons=RT.REASON_LABELS,
        behind=behind, lag=lag, V=RV,
    )


def _reportable(visit: Visit, item_id: int, month: int) -> control_table.MonthView | None:
    """Return the cell's month when the person may report on it (the report and the reasons forms alike)."""
    view = control_table.month_view(visit.session, visit.who, item_id, month, visit.ctx.calendar, visit.ctx.today)
    return view if view is not None and view.may_report else None


@bp.post("/items/<int:item_id>/months/<int:month>/report")
@signed_in()
def report(visit: Visit, item_id: int, month: int) -> Response:
    """Record a report on one occurrence, through the same handler as the chat's buttons."""
    view = _reportable(visit, item_id, month)
    if view is None:
        return refuse(T.FORBIDDEN, 403, visit)
    key = request.form.get("occurrence", "")
    if key not in {o.due.occ.key for o in view.occurrences}:
        return refuse(T.NOT_FOUND, 404, visit)
    fields = {
        "i": str(item_id), "o": key, "s": request.form.get("status", ""),
        "p": request.form.get("percent", "").strip(), "n": request.form.get("note", "").strip()[:500],
    }
    asked = Request(Incoming(IncomingKind.console, visit.who.line_user_id), visit.who, Command("", "", ""), COMMANDS)
    answer = "\n\n".join(plain_text(r) for r in reports.on_report(asked, visit.ctx, fields))
    return _month_page(visit, item_id, month, notice=answer)


@bp.post("/items/<int:item_id>/months/<int:month>/reason")
@signed_in()
def reason(visit: Visit, item_id: int, month: int) -> Response:
    """Write 落後原因 and 因應對策 of an occurrence behind, as the chat's question does (same checks, same limits)."""
    view = _reportable(visit, item_id, month)
    if view is None:
        return refuse(RV.REASON_REFUSED, 403, visit)
    key = request.form.get("occurrence", "")
    if key not in {d.occ.key for d in review.behind_now(visit.session, view.item, visit.ctx.today, visit.ctx.calendar)}:
        return _month_page(visit, item_id, month, notice=RV.REASON_NOT_BEHIND, status=400)
    cause, remedy = request.form.get("cause", ""), request.form.get("remedy", "")
    wrong = lag_reasons.problem(cause) or lag_reasons.problem(remedy)
    if wrong:
        return _month_page(visit, item_id, month, notice=wrong, status=400)
    lag_reasons.save(visit.ctx, visit.who.actor, visit.who.staff.id, view.item, key, cause=cause, remedy=remedy)
    return _month_page(visit, item_id, month, notice=RV.REASON_SAVED)
