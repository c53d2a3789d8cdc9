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
from handlers.texts import console as T
from storage import queries
from storage.models import Base
from tests.handler_fixtures import COORDINATOR, STAFF_REG
from tests.test_console import Console

PUBLIC = {"console.signin_page", "console.signin"}  # the sign-in link's own pages: the link is the secret


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
            sample = {"token": "x", "item_id": 1, "month": 4, "staff_id": 1, "fmt": "pdf", "kind": "report"}
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
    assert client.post(path).status_code == 303
    csrf = client.get("/console/").get_data(as_text=True).split('name="csrf" value="')[1].split('"')[0]
    before = rows(console.db)
    for endpoint, method, url in console_routes(console.app):
        if endpoint in refused:
            answer = client.open(url, method=method, data={"csrf": csrf})
            assert answer.status_code == 403, f"{method} {url}"
            assert refused[endpoint] in answer.get_data(as_text=True)
    assert rows(console.db) == before
