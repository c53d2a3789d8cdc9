"""Over real HTTP with the fake LINE API: the loading animation before slow answers, mark-as-read in chat mode,
and 我是 NAME confirmed in LINE, which links the account and gives it its menu."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from bot.app import create_app, start_answering
from bot.events import to_incoming
from bot.line_api import LineSender
from bot.rich_menus import install
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.chat.pace import Courtesy, takes_a_while
from handlers.chat.pipeline import before
from handlers.core.incoming import Settings as HandlerSettings
from schedules.clock import FixedClock
from storage import queries
from tests import test_rich_menus as rich_tests
from tests import test_webhook_e2e as e2e
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import MONDAY
from tests.test_webhook_e2e import SECRET, TOKEN, post, replies_to, settle, staff_id, text_of

server = e2e.server  # the app as the other webhook tests serve it, on the demo on both databases (demo_both)
cjk_font = rich_tests.cjk_font

STRANGER = "U" + "7" * 32


@pytest.fixture
def fake():
    with FakeLineAPI(access_token=TOKEN) as api:
        yield api
    assert api.rejected == [], api.rejected


@pytest.fixture
def chat_server(demo_both, fake, tmp_path):
    """The app over HTTP with chat mode on, answering through the fake LINE API."""
    settings = Settings(channel_secret=SECRET, chat_mode=True, handlers=HandlerSettings())
    runtime = Runtime(demo_both.url, demo_both.engine, demo_both.sessions, FixedClock(MONDAY), settings)
    sender = LineSender(TOKEN, base_url=fake.base_url, data_url=fake.data_url, timeout=30, sleep=lambda _s: None)
    app = create_app(runtime, sender, testing=True)
    start_answering(app)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_port}", app, demo_both, sender
    http.shutdown()
    app.extensions["planbot"].dispatcher.stop()


def test_slow_answers_are_the_export_and_the_whole_office():
    assert takes_a_while("匯出") and takes_a_while("摘要 全所") and takes_a_while("逾期 全所")
    assert not takes_a_while("今天") and not takes_a_while("摘要") and not takes_a_while("回報 12 完成")


def _message(text: str | None, source: dict, token: str = "read-1") -> dict:
    message = {"type": "text", "text": text} if text is not None else {"type": "sticker"}
    return {"type": "message", "source": source, "message": {**message, "markAsReadToken": token}}


ONE_TO_ONE = {"type": "user", "userId": STRANGER}
GROUP = {"type": "group", "groupId": "C" + "1" * 32, "userId": STRANGER}


def test_the_pipeline_decides_what_line_shows_before_the_answer():
    assert before(to_incoming(_message("匯出", ONE_TO_ONE)), chat_mode=True) == Courtesy("read-1", STRANGER)
    # Without chat mode LINE refuses mark as read; a quick answer needs no animation; a group shows none.
    assert before(to_incoming(_message("匯出", ONE_TO_ONE)), chat_mode=False) == Courtesy("", STRANGER)
    assert before(to_incoming(_message("今天", ONE_TO_ONE)), chat_mode=True) == Courtesy("read-1", "")
    assert before(to_incoming(_message("匯出", GROUP)), chat_mode=True) == Courtesy("read-1", "")
    assert before(to_incoming(_message(None, ONE_TO_ONE)), chat_mode=True) == Courtesy("read-1", "")
    postback = {"type": "postback", "source": ONE_TO_ONE, "postback": {"data": "匯出"}}
    assert before(to_incoming(postback), chat_mode=True) == Courtesy()


def test_export_starts_the_loading_animation_before_the_reply(chat_server, fake):
    url, app, db, _sender = chat_server
    user = staff_id(db, "簡心怡")
    token = fake.issue_reply_token(user)
    assert post(url, [webhooks.text_event(user, "匯出", reply_token=token)]).status_code == 200
    settle(app)
    assert fake.rich.loading == [{"chatId": user, "loadingSeconds": 20}]
    paths = [r.path for r in fake.requests]
    assert paths.index("/v2/bot/chat/loading/start") < paths.index("/v2/bot/message/reply")
    assert replies_to(fake, token)


def test_quick_answers_and_groups_get_no_loading_animation(chat_server, fake):
    url, app, db, _sender = chat_server
    user = staff_id(db, "簡心怡")
    post(url, [webhooks.text_event(user, "今天", reply_token=fake.issue_reply_token(user))])
    post(url, [webhooks.text_event(user, "匯出", group_id="C" + "3" * 32, reply_token=fake.issue_reply_token(user))])
    settle(app)
    assert fake.rich.loading == []


def test_chat_mode_marks_each_message_read(chat_server, fake):
    url, app, db, _sender = chat_server
    user = staff_id(db, "李冠緯")
    post(url, [webhooks.text_event(user, "今天", reply_token=fake.issue_reply_token(user), mark_as_read_token="read-1")])
    settle(app)
    assert fake.rich.marked_read == ["read-1"]


def test_without_chat_mode_nothing_is_marked_read(server, fake):
    url, app, db = server
    user = staff_id(db, "李冠緯")
    post(url, [webhooks.text_event(user, "今天", reply_token=fake.issue_reply_token(user), mark_as_read_token="read-2")])
    settle(app)
    assert fake.rich.marked_read == []


def test_an_introduction_confirmed_in_line_links_the_account_and_switches_its_menu(chat_server, fake, cjk_font):
    url, app, db, sender = chat_server
    install(sender, db.sessions, MONDAY)
    with db.sessions() as session:
        queries.find_staff(session, "陳怡君").line_user_id = None
        session.commit()
    coordinator = staff_id(db, "簡心怡")
    token = fake.issue_reply_token(STRANGER)
    post(url, [webhooks.text_event(STRANGER, "我是 陳怡君", reply_token=token)])
    settle(app)
    assert "已通知研考確認" in text_of(replies_to(fake, token)[0].json["messages"])
    cards = [d for d in fake.delivered if d.recipient == coordinator]
    assert len(cards) == 1 and "同意" in text_of(cards[0].messages)
    approve = next(
        node["action"]["data"] for node in _walk(cards[0].messages)
        if isinstance(node.get("action"), dict) and node["action"].get("label") == "同意"
    )
    assert fake.rich.named(fake.rich.menu_of(STRANGER)) == "planbot:staff"  # the default, as a stranger
    post(url, [webhooks.postback_event(coordinator, approve, reply_token=fake.issue_reply_token(coordinator))])
    settle(app)
    told = [d for d in fake.delivered if d.recipient == STRANGER]
    assert len(told) == 1 and "綁定完成" in text_of(told[0].messages)
    assert STRANGER in fake.rich.user_menus  # linked to the staff menu of her role, not only the default
    assert fake.rich.named(fake.rich.user_menus[STRANGER]) == "planbot:staff"


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
