"""The city's read-only page (`/console/city/`): one row per office with its month's figures and light, and each
office's 執行情形彙整表 to download. City viewers sign in with their own one-time links (`planbot city viewer
link`); office staff are refused here (bot.console.routes.for_city), and city viewers on every office page
(bot.console.routes.visit_of)."""

from __future__ import annotations

from flask import Response, current_app, request, url_for

from bot.console.review_pages import FORMATS, review_download
from bot.console.routes import (
    COOKIE,
    CityVisit,
    bp,
    city_page,
    for_city,
    public,
    sign_in_with_link,
    signin_form,
)
from handlers.chat import city_table
from handlers.documents import review_documents
from handlers.texts import chat as CM
from handlers.texts import city as CT
from handlers.texts import console as T
from handlers.texts import console_admin as A
from schedules.dates import read_month, roc_year
from storage import console_tokens, scope
from storage.console_tokens import LinkOutcome
from storage.db import unit_of_work
from storage.models import Office


def _link_refused(outcome: LinkOutcome) -> Response:
    message = {LinkOutcome.used: T.SIGNIN_USED, LinkOutcome.expired: T.SIGNIN_EXPIRED}.get(outcome, T.SIGNIN_UNKNOWN)
    response = city_page("console/message.html", None, 410, message=message, hint=CT.SIGNIN_AGAIN)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/city/signin/<token>")
@public
def city_signin_page(token: str) -> Response:
    """Show a city viewer's link with its 登入 button; opening it uses nothing up."""
    svc = current_app.extensions["planbot"]
    with unit_of_work(svc.runtime.sessions) as session:
        state = console_tokens.city_link_state(session, token, svc.runtime.clock.now())
        name, unit = (state.viewer.name, state.viewer.unit) if state.viewer is not None else ("", "")
    if state.outcome is not LinkOutcome.valid:
        return _link_refused(state.outcome)
    prompt = CT.SIGNIN_PROMPT.format(name=name, unit=unit)
    return signin_form(token, lambda proof: city_page("console/signin.html", None, title=CT.SIGNIN_TITLE, prompt=prompt,
                                                      proof=proof))


@bp.post("/city/signin/<token>")
@public
def city_signin(token: str) -> Response:
    """Use a city viewer's link once (the 登入 button of its page): an 8-hour session of the city page."""
    return sign_in_with_link(token, console_tokens.redeem_city_link, console_tokens.city_link_state,
                             lambda result: _link_refused(result.outcome), url_for("console.city_home"))


@bp.post("/city/signout")
@for_city
def city_signout(city: CityVisit) -> Response:
    """End the viewer's session (with a valid form token) and clear the cookie."""
    console_tokens.end_session(city.session, city.token, city.ctx.now, kind=console_tokens.CITY_SESSION)
    response = city_page("console/message.html", None, message=CT.SIGNED_OUT)
    response.delete_cookie(COOKIE, path="/console")
    return response


def _month(city: CityVisit) -> tuple[int, str]:
    """Return the month asked for (this month unless ?month= names an earlier one of the year), and what was wrong."""
    today = city.ctx.today
    text = request.args.get("month", "")
    asked = read_month(text) if text else today.month
    if asked is None or asked not in city_table.months_open(today):
        return today.month, CT.BAD_MONTH.format(text=text[:10], month=today.month)
    return asked, ""


@bp.get("/city/")
@for_city
def city_home(city: CityVisit) -> Response:
    """Every office's month: 本月應完成, 如期完成, 逾期完成, 逾期, 未回報, 完成率, light, and its report."""
    month, notice = _month(city)
    table = city_table.city_table(city.session, month, city.ctx.today)
    legends: dict[tuple[str, ...], list[str]] = {}
    for row in table.rows:
        if row.plan is not None:
            lines = tuple(review_documents.legend_lines(row.limits))
            legends.setdefault(lines, []).append(row.office.name)
    return city_page(
        "console/city.html", city, 400 if notice else 200, table=table, notice=notice, months=city_table.months_open(city.ctx.today),
        roc=roc_year(table.year), formats=FORMATS, light_text=review_documents.light_text, percent=CM.percent,
        legends=[(names, list(lines)) for lines, names in legends.items()],
    )



@bp.get("/city/offices/<int:office_id>/report.<fmt>")
@for_city
def city_report(city: CityVisit, office_id: int, fmt: str) -> Response:
    """Download one office's 執行情形彙整表 of the month, as its console's 管考 page gives it (.odt, .docx, PDF)."""
    ext = FORMATS.get(fmt)
    month, notice = _month(city)
    office = city.session.get(Office, office_id)
    plan = city_table.office_plan(city.session, office_id, city.ctx.today.year) if office is not None else None
    if ext is None or notice or plan is None:
        return city_page("console/message.html", city, 404, message=notice or CT.NOT_FOUND)
    # From here the request reads this one office, as its own console would: its rows, its calendar.
    scope.scope_to(city.session, office_id)
    found = city_table.office_review(city.session, plan, month, city.ctx.today)
    return review_download(found, ext, False, city.ctx.calendar,
                           lambda: city_page("console/message.html", city, 503, message=A.EXPORT_NO_FONT))
