"""A sign-in link signs in only from its own 登入 page in the browser that opened it (no login CSRF): a form posted
by another site, with the holder's link or with an attacker's own, signs nobody in, uses nothing up, and says to
open the link again. Staff links and the city viewers' links alike."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.console import signin_guard
from handlers.office import city_viewers
from handlers.texts import console as T
from storage.models import Base
from tests.console_signin import proof_of, sign_in
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR
from tests.test_console import Console, text_of


@pytest.fixture
def console(demo_db) -> Console:
    return Console(demo_db)


def city_link(console: Console, name: str = "王民政") -> str:
    with console.db.sessions() as session:
        viewer = city_viewers.find(session, name) or city_viewers.add(session, name, "臺北市政府民政局", console.clock.now(),
                                                                       "test").viewer
        url = city_viewers.link(session, viewer, console.public_url, console.clock.now(), "test")
        session.commit()
    return url.removeprefix(console.public_url)


def link_of(console: Console, kind: str, who: str = "") -> str:
    return console.link(who or COORDINATOR) if kind == "staff" else city_link(console, who or "王民政")


HOME = {"staff": "/console/", "city": "/console/city/"}
KINDS = ["staff", "city"]


def rows(console: Console) -> dict[str, int]:
    with console.db.sessions() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def assert_refused(answer) -> None:
    assert answer.status_code == 403
    assert T.SIGNIN_NOT_FROM_PAGE in text_of(answer) and T.SIGNIN_OPEN_AGAIN in text_of(answer)
    assert "planbot_console=" not in answer.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("kind", KINDS)
def test_a_form_posted_by_another_site_signs_nobody_in_and_the_link_still_works(console, kind):
    path = link_of(console, kind)
    before = rows(console)
    victim = console.app.test_client()
    # Another site's auto-submitting form: no proof, none of this site's SameSite cookies, its own Origin.
    forged = victim.post(path, headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert_refused(forged)
    assert victim.get(HOME[kind]).status_code == 401  # not signed in
    bare = victim.post(path)  # the same without the browser's headers
    assert_refused(bare)
    assert rows(console) == before  # no session, no audit line, the link not used
    assert sign_in(victim, path).status_code == 303  # opening the link again and pressing 登入 works
    assert victim.get(HOME[kind]).status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_an_attackers_own_link_and_proof_do_not_sign_a_visitor_in_as_the_attacker(console, kind):
    attacker = console.app.test_client()
    path = link_of(console, kind, CHIEF_DATA if kind == "staff" else "林攻擊")
    proof = proof_of(attacker.get(path))  # the attacker opens their own link's page and copies its form
    victim = console.app.test_client()
    victim.get(link_of(console, kind))  # the victim holds a sign-in cookie of their own link's page
    before = rows(console)
    assert_refused(victim.post(path, data={"proof": proof}))
    assert victim.get(HOME[kind]).status_code == 401 and rows(console) == before
    assert attacker.post(path, data={"proof": proof}).status_code == 303  # in the attacker's own browser it works


def test_one_links_proof_does_not_sign_in_with_another_link(console):
    browser = console.app.test_client()
    mine, other = console.link(COORDINATOR), console.link(CHIEF_DATA)
    proof = proof_of(browser.get(mine))
    browser.get(other)  # both pages opened in this browser: one cookie
    assert_refused(browser.post(other, data={"proof": proof}))
    assert browser.post(mine, data={"proof": proof}).status_code == 303  # two tabs of links: each page's own still works


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},  # a sandboxed frame or a page of no origin
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # a neighbouring host of the same domain is another site's page too
])
def test_a_browser_saying_the_post_came_from_elsewhere_is_refused_even_with_the_proof(console, headers):
    browser = console.app.test_client()
    path = console.link(COORDINATOR)
    proof = proof_of(browser.get(path))
    assert_refused(browser.post(path, data={"proof": proof}, headers=headers))
    assert browser.get("/console/").status_code == 401


@pytest.mark.parametrize("headers", [
    {"Origin": "http://127.0.0.1:5000", "Sec-Fetch-Site": "same-origin"},  # the public address (PUBLIC_URL)
    {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},  # the address the request reached
    {},  # an older browser that sends neither
])
def test_the_button_of_the_page_signs_in_from_this_sites_own_addresses(console, headers):
    browser = console.app.test_client()
    assert sign_in(browser, console.link(COORDINATOR), **headers).status_code == 303
    assert browser.get("/console/").status_code == 200


@pytest.mark.parametrize("kind", KINDS)
def test_the_pages_cookie_is_strict_and_cleared_once_signed_in(console, kind):
    browser = console.app.test_client()
    path = link_of(console, kind)
    shown = browser.get(path)
    cookie = shown.headers["Set-Cookie"]
    assert cookie.startswith(f"{signin_guard.COOKIE}=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/console" in cookie and "Max-Age=600" in cookie
    assert shown.headers["Cache-Control"] == "no-store"
    assert shown.headers["Referrer-Policy"] == "same-origin"  # the link's address never leaves the site
    answer = browser.post(path, data={"proof": proof_of(shown)})
    assert answer.status_code == 303
    cleared = [c for c in answer.headers.getlist("Set-Cookie") if c.startswith(f"{signin_guard.COOKIE}=")]
    assert cleared and ("Max-Age=0" in cleared[0] or "Expires=Thu, 01 Jan 1970" in cleared[0])
    assert browser.get_cookie(signin_guard.COOKIE, path="/console") is None


def test_a_spent_link_posted_without_its_page_says_what_it_is(console):
    path = console.link(COORDINATOR)
    assert sign_in(console.app.test_client(), path).status_code == 303
    again = console.app.test_client().post(path)  # a used link: saying so tells another site nothing it can use
    assert again.status_code == 410 and T.SIGNIN_USED in text_of(again)
    unknown = console.app.test_client().post("/console/signin/not-a-real-token")
    assert unknown.status_code == 410 and T.SIGNIN_UNKNOWN in text_of(unknown)
