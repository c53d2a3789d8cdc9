"""A city's offices on one service: one webhook routes each body by its `destination` to the office whose LINE account
received it, checks it with that office's secret, and answers with that office's token (over real HTTP, one fake LINE
serving every channel)."""

from __future__ import annotations

import logging
import threading

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import select
from werkzeug.serving import make_server

from bot.app import create_app, start_answering
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.core.incoming import Settings as HandlerSettings
from handlers.texts import chat as M
from handlers.texts import onboarding as O
from schedules.clock import FixedClock
from storage import queries
from storage.channels import save_channel
from storage.invites import create_invite
from storage.models import Office, OnboardingRequest, Role, Staff, WebhookEvent
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import MONDAY

KEY = Fernet.generate_key().decode()
BOT_A, BOT_B = "U" + "a" * 32, "U" + "b" * 32
SECRET_A, SECRET_B = "secret-of-wenshan", "secret-of-daan"
TOKEN_A, TOKEN_B = "token-of-wenshan", "token-of-daan"
PRIVATE = "只有簽名對了才可以看的內容"


@pytest.fixture
def city(demo_both):
    """The demo office (office A, with its plan) and 大安戶所 (office B, one linked person), each with its channel."""
    db = demo_both
    fernet = Fernet(KEY.encode())
    with db.sessions() as session:
        office_a = queries.only_office(session)
        office_b = Office(name="大安戶所", settings={})
        session.add(office_b)
        session.flush()
        person_b = Staff(office_id=office_b.id, name="林大安", role=Role.staff, line_user_id=webhooks.new_user_id())
        session.add(person_b)
        for office, bot, secret, token in ((office_a, BOT_A, SECRET_A, TOKEN_A), (office_b, BOT_B, SECRET_B, TOKEN_B)):
            save_channel(session, office.id, bot, fernet.encrypt(secret.encode()).decode(),
                         fernet.encrypt(token.encode()).decode(), MONDAY)
        person_a = session.scalar(select(Staff).where(Staff.office_id == office_a.id, Staff.role == Role.chief,
                                                      Staff.line_user_id.is_not(None)))
        names = office_a.name, office_b.name
        ids = person_a.line_user_id, person_b.line_user_id
        session.commit()
    return db, names, ids


@pytest.fixture
def fake():
    with FakeLineAPI(channels={TOKEN_A: "A", TOKEN_B: "B"}) as api:
        yield api
    assert api.rejected == [], api.rejected


@pytest.fixture
def server(city, fake):
    db, names, ids = city
    # No LINE_CHANNEL_SECRET / LINE_CHANNEL_ACCESS_TOKEN: every office answers through its own channel.
    settings = Settings(secret_key=KEY, line_api_base=fake.base_url, handlers=HandlerSettings())
    runtime = Runtime(db.url, db.engine, db.sessions, FixedClock(MONDAY), settings)
    app = create_app(runtime, testing=True)
    start_answering(app)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", app, db, names, ids
    http.shutdown()
    app.extensions["planbot"].dispatcher.stop()


def post(url: str, events: list[dict], secret: str, destination: str) -> requests.Response:
    raw, headers = webhooks.signed_request(secret, events, destination=destination)
    return requests.post(f"{url}/callback", data=raw, headers=headers, timeout=60)


def texts(messages: list[dict]) -> str:
    return "\n".join(str(m.get("text") or m.get("altText") or "") for m in messages)


def test_each_office_is_answered_through_its_own_account(server, fake):
    url, app, db, (name_a, name_b), (user_a, user_b) = server
    token_a = fake.issue_reply_token(user_a, channel="A")
    token_b = fake.issue_reply_token(user_b, channel="B")
    assert post(url, [webhooks.text_event(user_a, "本月", reply_token=token_a)], SECRET_A, BOT_A).status_code == 200
    assert post(url, [webhooks.text_event(user_b, "說明", reply_token=token_b)], SECRET_B, BOT_B).status_code == 200
    app.extensions["planbot"].dispatcher.drain()
    by_token = {r.reply_token: r for r in fake.replied}
    assert by_token[token_a].channel == "A" and by_token[token_b].channel == "B"
    assert "4/30（二）" in texts(by_token[token_a].messages)  # office A's plan, as a chief of A sees it
    with db.sessions() as session:
        offices = dict(session.execute(select(WebhookEvent.source_key, WebhookEvent.office_id)).all())
        ids = {o.name: o.id for o in session.scalars(select(Office))}
    assert offices == {user_a: ids[name_a], user_b: ids[name_b]}


def test_a_push_goes_out_with_the_token_of_the_office_the_message_came_to(server, fake):
    url, app, _db, _names, (_user_a, user_b) = server
    expired = fake.issue_reply_token(user_b, expired=True, channel="B")
    post(url, [webhooks.text_event(user_b, "說明", reply_token=expired)], SECRET_B, BOT_B)
    app.extensions["planbot"].dispatcher.drain()
    pushed = [d for d in fake.delivered if d.recipient == user_b]
    assert len(pushed) == 1 and pushed[0].channel == "B"


def test_a_person_of_another_office_is_told_whose_account_it_is_and_sees_nothing_else(server, fake):
    url, app, _db, (name_a, _name_b), (_user_a, user_b) = server
    token = fake.issue_reply_token(user_b, channel="A")
    post(url, [webhooks.text_event(user_b, "本月", reply_token=token)], SECRET_A, BOT_A)
    app.extensions["planbot"].dispatcher.drain()
    (reply,) = fake.replied
    assert reply.channel == "A"
    assert texts(reply.messages) == M.OTHER_OFFICE_ACCOUNT.format(office=name_a)


@pytest.mark.parametrize("case", ["unknown destination", "signed by another office"])
def test_a_body_not_for_one_of_our_offices_is_refused_unrecorded_and_unlogged(server, fake, caplog, case):
    url, app, db, _names, (user_a, _user_b) = server
    caplog.set_level(logging.DEBUG)
    event = webhooks.text_event(user_a, PRIVATE, reply_token=fake.issue_reply_token(user_a, channel="A"))
    destination, secret = {"unknown destination": ("U" + "c" * 32, SECRET_A),
                           "signed by another office": (BOT_A, SECRET_B)}[case]
    assert post(url, [event], secret, destination).status_code == 400
    assert app.extensions["planbot"].dispatcher.drain() == 0
    with db.sessions() as session:
        assert queries.count_rows(session)["webhook_events"] == 0
    assert fake.requests == []
    refused = [r for r in caplog.records if "webhook refused" in r.getMessage()]
    assert refused and (destination in refused[0].getMessage())
    assert PRIVATE not in caplog.text and user_a not in caplog.text


def test_a_channel_added_while_running_answers_within_seconds_without_a_query_per_request(server, fake):
    url, app, db, _names, (user_a, _user_b) = server
    channels = app.extensions["planbot"].channels
    statements = []

    def count(*_args):
        statements.append(1)

    from sqlalchemy import event as sa_event

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        looked_up = [channels.by_destination(BOT_A) for _ in range(50)]
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert all(c is not None and c.office_id for c in looked_up)
    assert len(statements) <= 1  # at most one reread in the cache's few seconds, never one per request


def test_another_offices_binding_code_is_refused_here_and_stays_usable_there(server, fake):
    url, app, db, (_name_a, name_b), _ids = server
    newcomer = webhooks.new_user_id()
    with db.sessions() as session:
        office_b = session.scalar(select(Office).where(Office.name == name_b))
        person = Staff(office_id=office_b.id, name="王新人", role=Role.staff)
        session.add(person)
        session.flush()
        code, _ = create_invite(session, person, MONDAY)
        session.commit()
    wrong = fake.issue_reply_token(newcomer, channel="A")
    post(url, [webhooks.text_event(newcomer, f"綁定 {code}", reply_token=wrong)], SECRET_A, BOT_A)
    right = fake.issue_reply_token(newcomer, channel="B")
    post(url, [webhooks.text_event(newcomer, f"綁定 {code}", reply_token=right)], SECRET_B, BOT_B)
    app.extensions["planbot"].dispatcher.drain()
    by_token = {r.reply_token: r for r in fake.replied}
    assert texts(by_token[wrong].messages) == M.LINK_OTHER_OFFICE.format(office=name_b)
    assert "王新人" in texts(by_token[right].messages) and by_token[right].channel == "B"
    with db.sessions() as session:
        assert session.scalar(select(Staff.line_user_id).where(Staff.name == "王新人")) == newcomer


def test_i_am_finds_the_name_in_the_office_whose_account_was_written_to(server, fake):
    url, app, db, (name_a, name_b), _ids = server
    newcomer = webhooks.new_user_id()
    with db.sessions() as session:
        for office in session.scalars(select(Office).where(Office.name.in_([name_a, name_b]))):
            session.add(Staff(office_id=office.id, name="王同名", role=Role.staff))
        session.commit()
    token = fake.issue_reply_token(newcomer, channel="A")
    post(url, [webhooks.text_event(newcomer, "我是 王同名", reply_token=token)], SECRET_A, BOT_A)
    app.extensions["planbot"].dispatcher.drain()
    (reply,) = [r for r in fake.replied if r.reply_token == token]
    assert texts(reply.messages) != O.SEVERAL_ON_ROSTER.format(name="王同名")
    assert "已通知" in texts(reply.messages)
    with db.sessions() as session:
        office_a = session.scalar(select(Office.id).where(Office.name == name_a))
        request = session.scalar(select(OnboardingRequest).where(OnboardingRequest.line_user_id == newcomer))
        assert session.get(Staff, request.staff_id).office_id == office_a
    # The confirmers' cards went out through office A's account alone.
    assert {d.channel for d in fake.delivered} == {"A"}
