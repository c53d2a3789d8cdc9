"""The app and the fake LINE API as real servers: signed webhooks in over HTTP, replies out through the SDK."""

from __future__ import annotations

import json
import threading

import pytest
import requests
from sqlalchemy import func, select
from werkzeug.serving import make_server

from bot.app import create_app, make_dispatcher, start_answering
from bot.line_api import LineSender
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.core.incoming import Settings as HandlerSettings
from schedules.clock import FixedClock
from storage import queries
from storage.models import ExportFile, Staff, WebhookEvent
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import MONDAY
from tests.waiting import wait_for

SECRET = "e2e-channel-secret"
TOKEN = "e2e-access-token"


@pytest.fixture
def fake():
    with FakeLineAPI(access_token=TOKEN) as api:
        yield api
    assert api.rejected == [], api.rejected


@pytest.fixture
def server(demo_both, fake, tmp_path):
    """The planbot app served over real HTTP, talking to the fake LINE API."""
    settings = Settings(channel_secret=SECRET, handlers=HandlerSettings())
    runtime = Runtime(demo_both.url, demo_both.engine, demo_both.sessions, FixedClock(MONDAY), settings)
    sender = LineSender(TOKEN, base_url=fake.base_url, timeout=30, sleep=lambda _s: None)
    app = create_app(runtime, sender, testing=True)
    start_answering(app)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", app, demo_both
    http.shutdown()
    app.extensions["planbot"].dispatcher.stop()


def staff_id(db, name: str) -> str:
    with db.sessions() as session:
        return session.scalar(select(Staff.line_user_id).where(Staff.name == name))


def chief_of(db, section: str) -> str:
    with db.sessions() as session:
        return next(s.name for s in session.scalars(select(Staff)) if s.section and s.section.name == section and s.role.value == "chief")


def post(url: str, events: list[dict], secret: str = SECRET, **extra_headers) -> requests.Response:
    raw, headers = webhooks.signed_request(secret, events)
    headers.update(extra_headers)
    return requests.post(f"{url}/callback", data=raw, headers=headers, timeout=60)


def settle(app) -> None:
    """Return once every recorded event is handled and answered.

    The webhook returns only after its events are recorded; draining the dispatcher waits for the
    background loop's turn and handles whatever it has not reached, so what follows sees the end state.
    """
    app.extensions["planbot"].dispatcher.drain()



def replies_to(fake: FakeLineAPI, token: str) -> list[dict]:
    return [r for r in fake.requests_to("/v2/bot/message/reply") if (r.json or {}).get("replyToken") == token and r.status == 200]


def text_of(messages: list[dict]) -> str:
    """Flatten every text a person would read in the messages."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("text", "altText", "label"):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(messages)
    return "\n".join(out)


def test_staff_asks_this_month_and_gets_a_reply_through_line(server, fake):
    url, app, db = server
    user = staff_id(db, chief_of(db, "戶籍資料課"))
    token = fake.issue_reply_token(user)
    answer = post(url, [webhooks.text_event(user, "本月", reply_token=token)])
    assert answer.status_code == 200
    settle(app)
    reply = replies_to(fake, token)
    assert len(reply) == 1
    shown = text_of(reply[0].json["messages"])
    # 本月 at Monday 4/8: the chief's section has 4/30's monthly items, shown with their weekday.
    assert "4/30（二）" in shown, shown


def test_same_event_three_times_is_handled_once(server, fake):
    url, app, db = server
    user = staff_id(db, chief_of(db, "戶籍登記課"))
    token = fake.issue_reply_token(user)
    event = webhooks.text_event(user, "說明", reply_token=token)
    for e in (event, webhooks.redelivered(event), event):
        assert post(url, [e]).status_code == 200
    settle(app)
    assert len(fake.requests_to("/v2/bot/message/reply")) == 1
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 1


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSByaWdodCBzaWduYXR1cmU=", None])
def test_invalid_or_missing_signature_is_refused_and_changes_nothing(server, fake, signature):
    url, app, db = server
    user = staff_id(db, chief_of(db, "戶籍登記課"))
    raw, headers = webhooks.signed_request(SECRET, [webhooks.text_event(user, "回報 1 完成")])
    if signature is None:
        headers.pop("X-Line-Signature")
    else:
        headers["X-Line-Signature"] = signature
    answer = requests.post(f"{url}/callback", data=raw, headers=headers, timeout=60)
    assert answer.status_code == 400
    assert app.extensions["planbot"].dispatcher.drain() == 0
    with db.sessions() as session:
        assert queries.count_rows(session)["webhook_events"] == 0
        assert queries.count_rows(session)["progress_reports"] == 0
    assert fake.requests == []


def test_signature_for_another_secret_is_refused(server, fake):
    url, *_ = server
    assert post(url, [webhooks.text_event(webhooks.new_user_id(), "本月")], secret="other-secret").status_code == 400


def test_header_name_is_case_insensitive_and_empty_events_verify(server):
    url, *_ = server
    raw, headers = webhooks.signed_request(SECRET, [])
    lowered = {k.lower(): v for k, v in headers.items()}
    assert requests.post(f"{url}/callback", data=raw, headers=lowered, timeout=60).status_code == 200


def test_oversized_and_malformed_bodies(server):
    url, *_ = server
    big = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    assert requests.post(f"{url}/callback", data=big, headers={"X-Line-Signature": webhooks.sign(SECRET, big)}, timeout=60).status_code == 413
    bad = b'{"events": [ not json'
    assert requests.post(f"{url}/callback", data=bad, headers={"X-Line-Signature": webhooks.sign(SECRET, bad)}, timeout=60).status_code == 400


def test_standby_events_are_recorded_not_answered(server, fake):
    url, app, db = server
    user = staff_id(db, chief_of(db, "戶籍登記課"))
    assert post(url, [webhooks.text_event(user, "本月", mode="standby")]).status_code == 200
    settle(app)
    with db.sessions() as session:
        assert session.scalar(select(WebhookEvent.outcome).where(WebhookEvent.handled_at.is_not(None))) == "standby"
    assert fake.requests == []


def test_expired_reply_token_falls_back_to_push_with_retry_key(server, fake):
    url, app, db = server
    user = staff_id(db, chief_of(db, "戶籍登記課"))
    token = fake.issue_reply_token(user, expired=True)
    post(url, [webhooks.text_event(user, "說明", reply_token=token)])
    settle(app)
    pushed = [d for d in fake.delivered if d.recipient == user]
    assert len(pushed) == 1 and pushed[0].retry_key


def test_events_are_handled_in_timestamp_order_per_user(server, fake):
    url, app, db = server
    user = staff_id(db, chief_of(db, "戶籍登記課"))
    first, second = fake.issue_reply_token(user), fake.issue_reply_token(user)
    base = int(MONDAY.timestamp() * 1000)
    later = webhooks.text_event(user, "逾期", reply_token=second, timestamp=base + 2000)
    earlier = webhooks.text_event(user, "本週", reply_token=first, timestamp=base + 1000)
    post(url, [later, earlier])
    settle(app)
    tokens = [r.json["replyToken"] for r in fake.requests_to("/v2/bot/message/reply")]
    assert tokens == [first, second]


def test_unknown_user_gets_how_to_link_and_no_plan_data(server, fake):
    url, app, _db = server
    stranger = webhooks.new_user_id()
    token = fake.issue_reply_token(stranger)
    post(url, [webhooks.text_event(stranger, "本月", reply_token=token)])
    settle(app)
    shown = text_of(replies_to(fake, token)[0].json["messages"])
    assert "綁定" in shown and "門牌" not in shown


def test_unfollow_keeps_the_link_but_stops_pushes(server, fake):
    url, app, db = server
    name = chief_of(db, "戶籍登記課")
    user = staff_id(db, name)
    post(url, [webhooks.unfollow_event(user)])
    settle(app)
    with db.sessions() as session:
        person = session.scalar(select(Staff).where(Staff.name == name))
    assert not person.following and person.line_user_id == user


def test_healthz_checks_the_database(server):
    url, *_ = server
    answer = requests.get(f"{url}/healthz", timeout=60)
    assert answer.status_code == 200 and answer.json() == {"ok": True}


def test_healthz_tells_a_stranger_nothing_about_a_failing_database(caplog):
    settings = Settings(database_url="postgresql+psycopg://planbot:hunter2-secret@127.0.0.1:1/planbot",
                        channel_secret=SECRET, separate_worker=True)
    app = create_app(Runtime.from_settings(settings, clock=FixedClock(MONDAY)), testing=True)
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503 and answer.get_json() == {"ok": False}
    assert "127.0.0.1" in caplog.text  # the operator finds why in the log


def _signed_raw(raw: bytes) -> dict:
    return {"X-Line-Signature": webhooks.sign(SECRET, raw), "Content-Type": "application/json"}


@pytest.mark.parametrize("raw", [
    b'{"destination": "U0", "events": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"destination": "U0", "events": [{"type": "message", "timestamp": NaN}]}',
    b'{"destination": "U0", "events": [{"type": "message", "timestamp": ' + b"9" * 5000 + b"}]}",
    b'{"destination": "U0", "events": [{"type": "message", "timestamp": Infinity}]}',
])
def test_signed_but_malformed_bodies_are_refused_not_crashed_on(server, raw):
    url, *_ = server
    assert requests.post(f"{url}/callback", data=raw, headers=_signed_raw(raw), timeout=60).status_code == 400


@pytest.mark.parametrize("timestamp", ["yesterday", 1e20, -5, None])
def test_an_event_with_a_bad_timestamp_is_skipped_and_the_others_answered(server, fake, timestamp):
    url, _app, db = server
    user = staff_id(db, chief_of(db, "戶籍登記課"))
    token = fake.issue_reply_token(user)
    bad = {**webhooks.text_event(webhooks.new_user_id(), "說明"), "timestamp": timestamp}
    good = webhooks.text_event(user, "說明", reply_token=token)
    raw = json.dumps({"destination": webhooks.DESTINATION, "events": [bad, good]}).encode()
    assert requests.post(f"{url}/callback", data=raw, headers=_signed_raw(raw), timeout=60).status_code == 200
    wait_for(lambda: replies_to(fake, token))
    with db.sessions() as session:
        assert session.scalars(select(WebhookEvent.event_id)).all() == [good["webhookEventId"]]


def event_loops() -> set[threading.Thread]:
    """The event-handling threads running in this process."""
    return {t for t in threading.enumerate() if t.name == "planbot-events"}


def test_separate_events_process_answers_what_the_web_process_recorded(demo_both, fake):
    """Procfile layout: the web process only records and acknowledges; `planbot events` answers."""
    web = Runtime(demo_both.url, demo_both.engine, demo_both.sessions, FixedClock(MONDAY),
                  Settings(channel_secret=SECRET, separate_worker=True))
    sender = LineSender(TOKEN, base_url=fake.base_url, timeout=30, sleep=lambda _s: None)
    loops_before = event_loops()
    app = create_app(web, sender, testing=True)
    start_answering(app)  # with a separate worker this starts nothing
    user = staff_id(demo_both, chief_of(demo_both, "戶籍登記課"))
    token = fake.issue_reply_token(user)
    raw, headers = webhooks.signed_request(SECRET, [webhooks.text_event(user, "說明", reply_token=token)])
    assert app.test_client().post("/callback", data=raw, headers=headers).status_code == 200
    # Nobody in the web process answers: it runs no event loop, so the event stays pending.
    assert event_loops() <= loops_before
    with demo_both.sessions() as session:
        assert session.scalar(select(WebhookEvent.handled_at)) is None
    assert replies_to(fake, token) == []
    events = Runtime(demo_both.url, demo_both.engine, demo_both.sessions, FixedClock(MONDAY),
                     Settings(access_token=TOKEN, line_api_base=fake.base_url))
    worker = make_dispatcher(events, poll=0.05)
    thread = threading.Thread(target=worker.run_forever, daemon=True)
    thread.start()
    try:
        assert len(wait_for(lambda: replies_to(fake, token))) == 1
    finally:
        worker.stop()
        thread.join(5)


def test_reply_carries_quick_replies_and_an_item_card(server, fake):
    url, app, db = server
    user = staff_id(db, "李冠緯")  # owns 戶籍資料課 11 門牌指標設置及定期巡查管理
    token = fake.issue_reply_token(user)
    post(url, [webhooks.text_event(user, "本週", reply_token=token)])
    settle(app)
    week = replies_to(fake, token)[0].json["messages"]
    assert week[0]["type"] == "text" and "4/8（一）" in week[0]["text"] and "門牌指標設置" in week[0]["text"]
    assert {item["action"]["label"] for item in week[0]["quickReply"]["items"]} >= {"今天", "下週", "逾期"}

    token = fake.issue_reply_token(user)
    post(url, [webhooks.text_event(user, "門牌指標設置及定期巡查管理", reply_token=token)])
    settle(app)
    card = replies_to(fake, token)[0].json["messages"][0]
    assert card["type"] == "flex" and card["contents"]["type"] in ("bubble", "carousel")
    assert "每月5日前" in text_of([card]) and "李冠緯" in text_of([card])


def test_tapping_a_report_button_records_progress_once(server, fake):
    from handlers.core.postbacks import encode
    from storage.models import Item, ProgressReport

    url, app, db = server
    user = staff_id(db, "李冠緯")
    with db.sessions() as session:
        item = session.scalar(select(Item).where(Item.number == "11", Item.title.like("門牌指標%")))
    data = encode("report", i=item.id, o="2024-04", s="done")
    token = fake.issue_reply_token(user)
    event = webhooks.postback_event(user, data, reply_token=token)
    post(url, [event])
    post(url, [webhooks.redelivered(event)])
    settle(app)
    shown = text_of(replies_to(fake, token)[0].json["messages"])
    assert "已記錄" in shown and "門牌指標設置" in shown
    with db.sessions() as session:
        reports = session.scalars(select(ProgressReport).where(ProgressReport.item_id == item.id)).all()
    assert [(r.occurrence_key, r.status.value) for r in reports] == [("2024-04", "done")]


def test_chief_binds_a_group_to_the_section(server, fake):
    from storage.models import Section

    url, app, db = server
    chief = staff_id(db, chief_of(db, "戶籍登記課"))
    group = webhooks.new_group_id()
    post(url, [webhooks.join_event(group, reply_token=fake.issue_reply_token(chief))])
    token = fake.issue_reply_token(chief)
    post(url, [webhooks.text_event(chief, "綁定群組 戶籍登記課", group_id=group, reply_token=token)])
    settle(app)
    assert len(replies_to(fake, token)) == 1
    with db.sessions() as session:
        assert session.scalar(select(Section.line_group_id).where(Section.name == "戶籍登記課")) == group
    post(url, [webhooks.leave_event(group)])
    settle(app)
    with db.sessions() as session:
        assert session.scalar(select(Section.line_group_id).where(Section.name == "戶籍登記課")) is None


def _used_links(db) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(ExportFile).where(ExportFile.used_at.is_not(None)))


def test_export_link_downloads_once(server, fake, tmp_path):
    from urllib.parse import urlsplit

    from openpyxl import load_workbook

    url, app, db = server
    with db.sessions() as session:
        coordinator = session.scalar(select(Staff.line_user_id).where(Staff.role == "coordinator"))
    token = fake.issue_reply_token(coordinator)
    post(url, [webhooks.text_event(coordinator, "匯出 戶籍資料課", reply_token=token)])
    settle(app)
    messages = replies_to(fake, token)[0].json["messages"]
    links = [a for a in _uris(messages) if "/files/" in a]
    assert len(links) == 3 and ".ods" in text_of(messages) and ".xlsx" in text_of(messages) and ".pdf" in text_of(messages)
    paths = [urlsplit(link).path for link in links[:2]]  # the spreadsheets; the PDF is served the same way
    # Neither a link scanner's HEAD, nor a partial Range, nor a download broken off uses the link up.
    assert requests.head(url + paths[0], timeout=60).status_code == 200
    part = requests.get(url + paths[0], headers={"Range": "bytes=0-9"}, timeout=60)
    assert part.status_code == 206 and len(part.content) == 10
    _broken_off_download(app, paths[0])
    got = [requests.get(url + path, timeout=60) for path in paths]
    assert [g.status_code for g in got] == [200, 200]
    excel = next(g for g in got if "spreadsheetml" in g.headers["Content-Type"])
    path = tmp_path / "table.xlsx"
    path.write_bytes(excel.content)
    sheet = load_workbook(path).worksheets[0]
    assert "戶籍資料課" in str(sheet["A1"].value)
    # A link is used up once its last byte went out, which the server records just after the client has it.
    wait_for(lambda: _used_links(db) == 2, "both links used up")
    again = requests.get(url + urlsplit(links[0]).path, timeout=60)
    assert again.status_code == 410 and "只能下載一次" in again.text


def _broken_off_download(app, path: str) -> None:
    """Start a download and hang up after its first chunk, as a server does when the client goes away."""
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path=path, method="GET").get_environ()
    status: list[str] = []
    body = app(environ, lambda s, _h, _e=None: status.append(s))
    chunks = iter(body)
    assert next(chunks) and status[0].startswith("200")
    body.close()


def _uris(node) -> list[str]:
    if isinstance(node, dict):
        found = [node["uri"]] if isinstance(node.get("uri"), str) else []
        return found + [u for v in node.values() for u in _uris(v)]
    if isinstance(node, list):
        return [u for v in node for u in _uris(v)]
    return []
