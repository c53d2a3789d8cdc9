"""Every console route says who may use it, and the console holds to it: no session, no page; a forged form
changes nothing; someone the route does not allow is refused before it does any work."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import func, select

from bot.console.routes import Access
from handlers.chat.console_link import link_for
from handlers.core.incoming import Context
from handlers.core.incoming import Settings as HandlerSettings
from handlers.core.request import Asker
from handlers.office import city_viewers
from handlers.texts import city as CT
from handlers.texts import console as T
from storage import queries
from storage.models import Base
from tests.console_signin import sign_in
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, DIRECTOR, STAFF_REG
from tests.test_console import Console

# The sign-in links' own pages (staff's and city viewers'): the link is the secret.
PUBLIC = {"console.signin_page", "console.signin", "console.city_signin_page", "console.city_signin"}


@pytest.fixture
def console(demo_db) -> Console:
    return Console(demo_db)


def console_routes(app) -> list[tuple[str, str, str]]:
    """Return (endpoint, method, a URL of it) for every console route of the app."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("console.") or rule.endpoint == "console.static":
                continue
            sample = {"token": "x", "item_id": 1, "month": 4, "staff_id": 1, "fmt": "pdf", "kind": "report",
                      "office_id": 1}
            url = url_for(rule.endpoint, **{name: sample[name] for name in rule.arguments})
            found.extend((rule.endpoint, method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


def access_of(app, endpoint: str) -> Access | None:
    return getattr(app.view_functions[endpoint], "console_access", None)


def rows(db) -> dict[str, int]:
    """Count every table's rows: a refused request leaves them all as they were."""
    with db.sessions() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_every_console_route_declares_who_may_use_it(console):
    routes = console_routes(console.app)
    assert len({endpoint for endpoint, _, _ in routes}) >= 20
    undeclared = sorted({endpoint for endpoint, _, _ in routes if access_of(console.app, endpoint) is None})
    assert not undeclared, f"console routes without a declared access: {undeclared}"
    public = {endpoint for endpoint, _, _ in routes if not access_of(console.app, endpoint).signed_in}
    assert public == PUBLIC
    # The city's pages, and only they, are for city viewers; none of them lets any office staff member in.
    city = {endpoint for endpoint, _, url in routes if url.startswith("/console/city/") and endpoint not in PUBLIC}
    assert city == {endpoint for endpoint, _, _ in routes if access_of(console.app, endpoint).city}
    assert {"console.city_home", "console.city_report", "console.city_signout"} <= city


def viewer_client(console: Console):
    """A browser signed in as a city viewer (`planbot city viewer add`), and its form token."""
    with console.db.sessions() as session:
        added = city_viewers.add(session, "王民政", "臺北市政府民政局", console.clock.now(), "test")
        url = city_viewers.link(session, added.viewer, console.public_url, console.clock.now(), "test")
        session.commit()
    client = console.app.test_client()
    assert sign_in(client, url.removeprefix(console.public_url)).status_code == 303
    page = client.get("/console/city/").get_data(as_text=True)
    return client, page.split('name="csrf" value="')[1].split('"')[0]


def test_a_city_viewer_is_refused_on_every_office_route_and_changes_nothing(console):
    client, csrf = viewer_client(console)
    before = rows(console.db)
    office = [(e, m, url) for e, m, url in console_routes(console.app)
              if e not in PUBLIC and not access_of(console.app, e).city]
    assert len(office) >= 20
    for _endpoint, method, url in office:
        answer = client.open(url, method=method, data={"csrf": csrf})
        assert answer.status_code == 403, f"{method} {url}"
        assert CT.OFFICE_ONLY in answer.get_data(as_text=True)
    assert rows(console.db) == before


@pytest.mark.parametrize("who", [DIRECTOR, COORDINATOR, CHIEF_DATA, STAFF_REG])
def test_office_staff_of_every_role_are_refused_on_every_city_route_and_change_nothing(console, who):
    with console.db.sessions() as session:
        staff = queries.find_staff(session, who)
        path = link_for(Context(session, console.clock, HandlerSettings()), staff, "test").split("5000", 1)[1]
        session.commit()
    client = console.app.test_client()
    assert sign_in(client, path).status_code == 303
    csrf = client.get("/console/").get_data(as_text=True).split('name="csrf" value="')[1].split('"')[0]
    before = rows(console.db)
    for endpoint, method, url in console_routes(console.app):
        if access_of(console.app, endpoint).city:
            answer = client.open(url, method=method, data={"csrf": csrf})
            assert answer.status_code == 403, f"{who} {method} {url}"
            assert CT.CITY_ONLY in answer.get_data(as_text=True)
    assert rows(console.db) == before


def test_without_a_session_every_route_but_sign_in_asks_to_sign_in_and_changes_nothing(console):
    client = console.app.test_client()
    before = rows(console.db)
    for endpoint, method, url in console_routes(console.app):
        if endpoint in PUBLIC:
            continue
        answer = client.open(url, method=method, data={"csrf": "x"})
        assert answer.status_code == 401, f"{method} {url}"
        assert T.NEED_SIGNIN in answer.get_data(as_text=True)
    assert rows(console.db) == before


def test_a_forged_form_to_every_post_route_is_refused_and_changes_nothing(console):
    client = console.signed_in(COORDINATOR)  # the coordinator may use every route: only the form token is wrong
    before = rows(console.db)
    posts = [(e, url) for e, method, url in console_routes(console.app) if method == "POST" and e not in PUBLIC]
    assert len(posts) >= 15
    for endpoint, url in posts:
        for forged in ({"csrf": "forged"}, {}):
            answer = client.post(url, data=forged)
            assert answer.status_code == 403, f"{endpoint} {forged}"
            assert T.BAD_CSRF in answer.get_data(as_text=True)
    assert rows(console.db) == before


def test_someone_a_route_does_not_allow_is_refused_before_its_work(console):
    with console.db.sessions() as session:
        staff = queries.find_staff(session, STAFF_REG)  # staff are given a link by the coordinator, not by chat
        path = link_for(Context(session, console.clock, HandlerSettings()), staff, "test").split("5000", 1)[1]
        session.commit()
        asker = Asker(staff.line_user_id or "", staff, via="console")
        refused = {
            endpoint: access.refused for endpoint, _, _ in console_routes(console.app)
            if (access := access_of(console.app, endpoint)).may is not None and not access.may(asker)
        }
    assert {"console.staff", "console.import_form", "console.review_page", "console.leave_add"} <= set(refused)
    client = console.app.test_client()
    assert sign_in(client, path).status_code == 303
    csrf = client.get("/console/").get_data(as_text=True).split('name="csrf" value="')[1].split('"')[0]
    before = rows(console.db)
    for endpoint, method, url in console_routes(console.app):
        if endpoint in refused:
            answer = client.open(url, method=method, data={"csrf": csrf})
            assert answer.status_code == 403, f"{method} {url}"
            assert refused[endpoint] in answer.get_data(as_text=True)
    assert rows(console.db) == before
