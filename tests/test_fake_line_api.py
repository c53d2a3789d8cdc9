"""The fake LINE API and the webhook builders behave as LINE documents (raw HTTP, no SDK sender)."""

from __future__ import annotations

import copy
import json
import re
import threading
import time
import uuid

import pytest
import requests
import yaml
from fakes import webhooks
from fakes.line_api import (
    INVALID_REPLY_TOKEN,
    MONTHLY_LIMIT,
    RETRY_KEY_ACCEPTED,
    Delivery,
    FakeLineAPI,
)
from fakes.line_limits import utf16_len
from fakes.line_openapi import SPEC_DIR, resolve_discriminators
from linebot.v3 import SignatureValidator, WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import (
    FollowEvent,
    GroupSource,
    JoinEvent,
    LeaveEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)
from openapi_core import Config, OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest

USER = "U" + "1" * 32
OTHER = "U" + "2" * 32
TOKEN = "test-channel-access-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def fake():
    with FakeLineAPI() as api:
        yield api


def post(fake: FakeLineAPI, path: str, body: object, **headers: str) -> requests.Response:
    """POST JSON to the fake as any HTTP client would (header names use _ for -)."""
    sent = {**AUTH, **{k.replace("_", "-"): v for k, v in headers.items()}}
    return requests.post(fake.base_url + path, json=body, headers=sent, timeout=60)


def text(value: str = "你好") -> dict:
    return {"type": "text", "text": value}


def bubble(body_text: str = "本月應辦") -> dict:
    return {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text", "text": body_text}]},
    }


def flex(contents: dict, alt_text: str = "工作提醒") -> dict:
    return {"type": "flex", "altText": alt_text, "contents": contents}


def postback_item(data: str = "done=1", label: str = "完成") -> dict:
    return {"type": "action", "action": {"type": "postback", "label": label, "data": data}}


# -- the spec ------------------------------------------------------------------------------------


def test_specs_are_loaded_from_tests_data_with_their_license():
    assert SPEC_DIR.parts[-3:] == ("tests", "data", "line-openapi")
    for name in ("messaging-api.yml", "webhook.yml", "LICENSE"):
        assert (SPEC_DIR / name).is_file()
    assert "Apache License" in (SPEC_DIR / "LICENSE").read_text()


def test_resolving_discriminators_is_what_makes_a_text_message_need_text():
    raw = yaml.safe_load((SPEC_DIR / "messaging-api.yml").read_text())
    request = MockRequest(
        "https://api.line.me",
        "post",
        "/v2/bot/message/push",
        headers=AUTH,
        data=json.dumps({"to": USER, "messages": [{"type": "text"}]}).encode(),
    )
    plain = OpenAPI.from_dict(copy.deepcopy(raw), config=Config(spec_validator_cls=None))
    plain.validate_request(request)  # openapi-core alone takes the bare Message schema
    resolved = OpenAPI.from_dict(resolve_discriminators(raw), config=Config(spec_validator_cls=None))
    with pytest.raises(OpenAPIError):
        resolved.validate_request(request)
    assert "discriminator" in raw["components"]["schemas"]["Message"], "input must stay untouched"


# -- sending -------------------------------------------------------------------------------------


def test_push_is_answered_as_line_does_and_delivered(fake):
    key = str(uuid.uuid4())
    response = post(
        fake, "/v2/bot/message/push", {"to": USER, "messages": [text("第一則")]}, X_Line_Retry_Key=key
    )
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9a-f-]{36}", response.headers["x-line-request-id"])
    sent = response.json()["sentMessages"]
    assert len(sent) == 1 and sent[0]["id"].isdigit() and sent[0]["quoteToken"]
    assert fake.delivered == [Delivery(USER, [text("第一則")], key)]
    assert fake.consumption == 1
    assert fake.rejected == []
    recorded = fake.requests[0]
    assert (recorded.method, recorded.path, recorded.status) == ("POST", "/v2/bot/message/push", 200)
    assert recorded.headers["x-line-retry-key"] == key
    assert recorded.json == {"to": USER, "messages": [text("第一則")]}


def test_same_retry_key_is_refused_with_409_and_the_accepted_request_id(fake):
    key = str(uuid.uuid4())
    first = post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text()]}, X_Line_Retry_Key=key)
    again = post(fake, "/v2/bot/message/push", {"to": USER, "messages": [text()]}, X_Line_Retry_Key=key)
    assert again.status_code == 409
    assert again.headers["x-line-accepted-request-id"] == first.headers["x-line-request-id"]
    assert again.headers["x-line-request-id"] != first.headers["x-line-request-id"]
    assert again.json()["message"] == RETRY_KEY_ACCEPTED
    assert again.json()["sentMessages"] == first.json()["sentMessages"]
    assert len(fake.delivered) == 1 and fake.consumption == 1
    assert fake.accepted_request_id(key) == first.headers["x-line-request-id"]


def test_racing_retries_under_one_key_deliver_once(fake):
    key = str(uuid.uuid4())
    statuses: list[int] = []

    def send() -> None:
        statuses.append(
            post(
                fake, "/v2/bot/message/push", {"to": USER, "messages": [text()]}, X_Line_Retry_Key=key
            ).status_code
        )

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [409] * 7
    assert len(fake.delivered) == 1


def test_multicast_delivers_one_entry_per_recipient_and_counts_each(fake):
    key = str(uuid.uuid4())
    to = [f"U{i:032x}" for i in range(3)]
    response = post(fake, "/v2/bot/message/multicast", {"to": to, "messages": [text()]}, X_Line_Retry_Key=key)
    assert response.status_code == 200 and response.json() == {}
    assert [d.recipient for d in fake.delivered] == to
    assert {d.retry_key for d in fake.delivered} == {key}
    assert fake.consumption == 3


def test_broadcast_reaches_every_friend(fake):
    fake.add_user(USER)
    fake.add_user(OTHER)
    response = post(
        fake, "/v2/bot/message/broadcast", {"messages": [text()]}, X_Line_Retry_Key=str(uuid.uuid4())
    )
    assert response.status_code == 200
    assert sorted(d.recipient for d in fake.delivered) == [USER, OTHER]


def test_reply_tokens_are_single_use_and_can_expire(fake):
    token = fake.issue_reply_token(USER)
    first = post(fake, "/v2/bot/message/reply", {"replyToken": token, "messages": [text("收到")]})
    assert first.status_code == 200 and len(first.json()["sentMessages"]) == 1
    reused = post(fake, "/v2/bot/message/reply", {"replyToken": token, "messages": [text("收到")]})
    assert reused.status_code == 400 and reused.json() == {"message": INVALID_REPLY_TOKEN}
    expired = fake.issue_reply_token(USER)
    fake.expire_reply_token(expired)
    assert (
        post(fake, "/v2/bot/message/reply", {"replyToken": expired, "messages": [text()]}).status_code == 400
    )
    unknown = post(fake, "/v2/bot/message/reply", {"replyToken": "nope", "messages": [text()]})
    assert unknown.json() == {"message": INVALID_REPLY_TOKEN}
    assert [(r.reply_token, r.recipient) for r in fake.replied] == [(token, USER)]
    assert fake.delivered == [] and fake.consumption == 0, "replies are free and are not pushes"
    assert fake.rejected == [], "a refused token is LINE's answer, not a malformed request"


# -- what LINE refuses ---------------------------------------------------------------------------

EMOJI = "\U0001f600"  # outside the BMP: 2 UTF-16 code units
INVALID_BODIES = {
    "text without text": ({"to": USER, "messages": [{"type": "text"}]}, "messages[0].text"),
    "text of 5,001 UTF-16 units": ({"to": USER, "messages": [text("a" * 4999 + EMOJI)]}, "messages[0].text"),
    "unknown message type": ({"to": USER, "messages": [{"type": "poem", "text": "x"}]}, "messages[0].type"),
    "six messages": ({"to": USER, "messages": [text()] * 6}, "messages"),
    "no messages": ({"to": USER, "messages": []}, "messages"),
    "14 quick reply items": (
        {"to": USER, "messages": [{**text(), "quickReply": {"items": [postback_item()] * 14}}]},
        "messages[0].quickReply.items",
    ),
    "quick reply label over 20": (
        {"to": USER, "messages": [{**text(), "quickReply": {"items": [postback_item(label="長" * 21)]}}]},
        "messages[0].quickReply.items[0].action.label",
    ),
    "postback data over 300": (
        {"to": USER, "messages": [{**text(), "quickReply": {"items": [postback_item(data="d" * 301)]}}]},
        "messages[0].quickReply.items[0].action.data",
    ),
    "flex altText over 1,500": (
        {"to": USER, "messages": [flex(bubble(), "字" * 1501)]},
        "messages[0].altText",
    ),
    "flex without altText": (
        {"to": USER, "messages": [{"type": "flex", "contents": bubble()}]},
        "messages[0].altText",
    ),
    "bubble over 30 KB": ({"to": USER, "messages": [flex(bubble("x" * 30_000))]}, "messages[0].contents"),
    "carousel of 13 bubbles": (
        {"to": USER, "messages": [flex({"type": "carousel", "contents": [bubble()] * 13})]},
        "messages[0].contents.contents",
    ),
    "carousel over 50 KB": (
        {"to": USER, "messages": [flex({"type": "carousel", "contents": [bubble("x" * 5000)] * 11})]},
        "messages[0].contents",
    ),
    "flex text without text": (
        {
            "to": USER,
            "messages": [
                flex(
                    {
                        "type": "bubble",
                        "body": {"type": "box", "layout": "vertical", "contents": [{"type": "text"}]},
                    }
                )
            ],
        },
        "messages[0].contents.body.contents[0].text",
    ),
    "box without layout": (
        {"to": USER, "messages": [flex({"type": "bubble", "body": {"type": "box", "contents": []}})]},
        "messages[0].contents.body.layout",
    ),
    "buttons template with 5 actions": (
        {
            "to": USER,
            "messages": [
                {
                    "type": "template",
                    "altText": "選擇",
                    "template": {
                        "type": "buttons",
                        "text": "選一個",
                        "actions": [postback_item()["action"]] * 5,
                    },
                }
            ],
        },
        "messages[0].template.actions",
    ),
    "push without to": ({"messages": [text()]}, "to"),
}


@pytest.mark.parametrize("case", sorted(INVALID_BODIES))
def test_invalid_push_is_refused_with_line_error_json(fake, case):
    payload, prop = INVALID_BODIES[case]
    response = post(fake, "/v2/bot/message/push", payload, X_Line_Retry_Key=str(uuid.uuid4()))
    assert response.status_code == 400, response.text
    error = response.json()
    assert re.fullmatch(r"The request body has \d+ error\(s\)", error["message"])
    assert prop in [d["property"] for d in error["details"]], error
    assert fake.delivered == []
    assert len(fake.rejected) == 1 and fake.rejected[0].status == 400
    assert prop in [d.property for d in fake.rejected[0].details]


def test_multicast_to_501_is_refused(fake):
    to = [f"U{i:032x}" for i in range(501)]
    response = post(
        fake,
        "/v2/bot/message/multicast",
        {"to": to, "messages": [text()]},
        X_Line_Retry_Key=str(uuid.uuid4()),
    )
    assert response.status_code == 400
    assert "to" in [d["property"] for d in response.json()["details"]]


@pytest.mark.parametrize(
    "value",
    ["a" * 5000, "a" * 4998 + EMOJI, EMOJI * 2500, "中" * 5000],
    ids=["ascii", "emoji-last", "all-emoji", "cjk"],
)
def test_text_of_exactly_5000_utf16_units_is_accepted(fake, value):
    assert utf16_len(value) == 5000
    response = post(
        fake,
        "/v2/bot/message/push",
        {"to": USER, "messages": [text(value)]},
        X_Line_Retry_Key=str(uuid.uuid4()),
    )
    assert response.status_code == 200, response.text


def test_limits_at_their_edge_are_accepted(fake):
    message = flex({"type": "carousel", "contents": [bubble()] * 12}, "字" * 1500)
    message["quickReply"] = {"items": [postback_item(data="d" * 300)] * 13}
    response = post(
        fake,
        "/v2/bot/message/push",
        {"to": USER, "messages": [message] * 5},
        X_Line_Retry_Key=str(uuid.uuid4()),
    )
    assert response.status_code == 200, response.text
    assert fake.rejected == []


def test_requests_without_a_valid_token_get_401(fake):
    assert requests.get(fake.base_url + "/v2/bot/message/quota", timeout=60).status_code == 401
    with FakeLineAPI(access_token=TOKEN) as strict:
        wrong = requests.get(
            strict.base_url + "/v2/bot/message/quota", headers={"Authorization": "Bearer other"}, timeout=5
        )
        right = requests.get(strict.base_url + "/v2/bot/message/quota", headers=AUTH, timeout=60)
    assert wrong.status_code == 401 and "Authentication failed" in wrong.json()["message"]
    assert right.status_code == 200


def test_retry_key_must_be_a_uuid_and_only_on_apis_that_take_it(fake):
    bad = post(
        fake, "/v2/bot/message/push", {"to": USER, "messages": [text()]}, X_Line_Retry_Key="not-a-uuid"
    )
    assert bad.status_code == 400 and "X-Line-Retry-Key" in bad.json()["message"]
    token = fake.issue_reply_token(USER)
    on_reply = post(
        fake,
        "/v2/bot/message/reply",
        {"replyToken": token, "messages": [text()]},
        X_Line_Retry_Key=str(uuid.uuid4()),
    )
    assert on_reply.status_code == 400
    assert fake.delivered == [] and fake.replied == []
    assert [r.status for r in fake.rejected] == [400, 400]


def test_unknown_endpoint_is_404(fake):
    response = requests.get(fake.base_url + "/v2/bot/nothing", headers=AUTH, timeout=60)
    assert response.status_code == 404 and response.json() == {"message": "Not found"}


# -- reading -------------------------------------------------------------------------------------


def test_quota_and_consumption_follow_pushes_per_recipient(fake):
    get = lambda path: requests.get(fake.base_url + path, headers=AUTH, timeout=60).json()  # noqa: E731
    assert get("/v2/bot/message/quota") == {"type": "none"}
    fake.set_quota(3)
    assert get("/v2/bot/message/quota") == {"type": "limited", "value": 3}
    to = [USER, OTHER]
    assert (
        post(
            fake,
            "/v2/bot/message/multicast",
            {"to": to, "messages": [text(), text()]},
            X_Line_Retry_Key=str(uuid.uuid4()),
        ).status_code
        == 200
    )
    assert get("/v2/bot/message/quota/consumption") == {"totalUsage": 2}
    over = post(
        fake,
        "/v2/bot/message/multicast",
        {"to": to, "messages": [text()]},
        X_Line_Retry_Key=str(uuid.uuid4()),
    )
    assert over.status_code == 429 and over.json() == {"message": MONTHLY_LIMIT}
    assert (
        post(
            fake,
            "/v2/bot/message/push",
            {"to": USER, "messages": [text()]},
            X_Line_Retry_Key=str(uuid.uuid4()),
        ).status_code
        == 200
    )
    assert get("/v2/bot/message/quota/consumption") == {"totalUsage": 3}
    assert len(fake.delivered) == 3


def test_profile_and_content(fake):
    fake.add_user(USER, "林科員", language="zh-TW")
    profile = requests.get(f"{fake.base_url}/v2/bot/profile/{USER}", headers=AUTH, timeout=60)
    assert profile.json() == {"displayName": "林科員", "userId": USER, "language": "zh-TW"}
    assert requests.get(f"{fake.base_url}/v2/bot/profile/{OTHER}", headers=AUTH, timeout=60).status_code == 404
    fake.add_content("100001", b"\x89PNG...", "image/png")
    content = requests.get(f"{fake.base_url}/v2/bot/message/100001/content", headers=AUTH, timeout=60)
    assert content.content == b"\x89PNG..." and content.headers["Content-Type"] == "image/png"
    assert (
        requests.get(f"{fake.base_url}/v2/bot/message/9/content", headers=AUTH, timeout=60).status_code == 404
    )


# -- faults --------------------------------------------------------------------------------------


def test_fault_before_delivery_delivers_nothing(fake):
    fake.fail_next(1, 500)
    response = post(
        fake, "/v2/bot/message/push", {"to": USER, "messages": [text()]}, X_Line_Retry_Key=str(uuid.uuid4())
    )
    assert response.status_code == 500 and response.json()["message"]
    assert "x-line-request-id" in response.headers
    assert fake.delivered == []


def test_fault_after_delivery_delivers_then_loses_the_answer(fake):
    key = str(uuid.uuid4())
    fake.fail_next(1, 503, when="after")
    assert (
        post(
            fake, "/v2/bot/message/push", {"to": USER, "messages": [text()]}, X_Line_Retry_Key=key
        ).status_code
        == 503
    )
    assert len(fake.delivered) == 1
    assert (
        post(
            fake, "/v2/bot/message/push", {"to": USER, "messages": [text()]}, X_Line_Retry_Key=key
        ).status_code
        == 409
    )
    assert len(fake.delivered) == 1


def test_429_carries_retry_after(fake):
    fake.fail_next(1, 429, retry_after=7)
    response = requests.get(fake.base_url + "/v2/bot/message/quota", headers=AUTH, timeout=60)
    assert response.status_code == 429 and response.headers["Retry-After"] == "7"


def test_fault_delay_slows_the_answer(fake):
    fake.fail_next(1, 503, delay=0.3)
    started = time.monotonic()
    response = requests.get(fake.base_url + "/v2/bot/message/quota", headers=AUTH, timeout=60)
    assert response.status_code == 503 and time.monotonic() - started >= 0.3


def test_drop_closes_without_an_answer(fake):
    fake.fail_next(1, "drop", when="after")
    with pytest.raises(requests.ConnectionError):
        post(
            fake,
            "/v2/bot/message/push",
            {"to": USER, "messages": [text()]},
            X_Line_Retry_Key=str(uuid.uuid4()),
        )
    assert len(fake.delivered) == 1
    assert fake.requests[-1].status is None and fake.requests[-1].fault.kind == "drop"


def test_timeout_holds_until_the_client_gives_up(fake):
    fake.fail_next(1, "timeout")
    with pytest.raises(requests.Timeout):
        requests.get(fake.base_url + "/v2/bot/message/quota", headers=AUTH, timeout=0.2)
    assert fake.requests[-1].fault.kind == "timeout" and fake.requests[-1].status is None
    assert requests.get(fake.base_url + "/v2/bot/message/quota", headers=AUTH, timeout=60).status_code == 200


def test_stop_ends_held_requests_quickly():
    api = FakeLineAPI(timeout_hold=60).start()
    api.fail_next(1, "timeout")
    errors: list[Exception] = []

    def call() -> None:
        try:
            requests.get(api.base_url + "/v2/bot/message/quota", headers=AUTH, timeout=30)
        except requests.RequestException as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    while not api.requests:
        time.sleep(0.01)
    api.stop()
    caller.join()
    # The fake hung up: a connection error, not the client's own timeout (30 s, under the 60 s hold).
    assert len(errors) == 1 and isinstance(errors[0], requests.ConnectionError), errors


def test_faults_can_target_a_path(fake):
    fake.fail_next(1, 500, path="/push")
    assert requests.get(fake.base_url + "/v2/bot/message/quota", headers=AUTH, timeout=60).status_code == 200
    assert (
        post(
            fake,
            "/v2/bot/message/push",
            {"to": USER, "messages": [text()]},
            X_Line_Retry_Key=str(uuid.uuid4()),
        ).status_code
        == 500
    )


def test_random_faults_follow_the_seed_and_ratio():
    def draw(seed: int) -> list:
        with FakeLineAPI() as api:
            api.fail_randomly(0.3, kinds=(500, 503, 429), seed=seed)
            return [
                requests.get(api.base_url + "/v2/bot/message/quota", headers=AUTH, timeout=60).status_code
                for _ in range(200)
            ]

    first, second = draw(7), draw(7)
    assert first == second
    failed = sum(status != 200 for status in first)
    assert 30 <= failed <= 90
    assert set(first) == {200, 500, 503, 429}


# -- webhooks ------------------------------------------------------------------------------------

GROUP = "C" + "3" * 32


def all_kinds_of_events() -> list[dict]:
    return [
        webhooks.text_event(USER, "本月工作？"),
        webhooks.text_event(USER, "大家好", group_id=GROUP),
        webhooks.text_event(USER, "standby", mode="standby"),
        webhooks.postback_event(USER, "action=done&item=3", params={"date": "2024-04-30"}),
        webhooks.follow_event(USER, unblocked=True),
        webhooks.unfollow_event(USER),
        webhooks.join_event(GROUP),
        webhooks.leave_event(GROUP),
        webhooks.redelivered(webhooks.text_event(OTHER, "again")),
    ]


def test_webhook_bodies_validate_and_parse_into_sdk_events():
    events = all_kinds_of_events()
    payload, headers = webhooks.signed_request(SECRET, events)
    parsed = WebhookParser(SECRET).parse(payload.decode("utf-8"), headers["X-Line-Signature"])
    kinds = [type(e) for e in parsed]
    assert kinds == [
        MessageEvent, MessageEvent, MessageEvent, PostbackEvent, FollowEvent,
        UnfollowEvent, JoinEvent, LeaveEvent, MessageEvent,
    ]  # fmt: skip
    first, in_group, standby = parsed[0], parsed[1], parsed[2]
    assert isinstance(first.message, TextMessageContent) and first.message.text == "本月工作？"
    assert isinstance(first.source, UserSource) and first.source.user_id == USER
    assert isinstance(in_group.source, GroupSource) and in_group.source.group_id == GROUP
    assert first.reply_token and standby.reply_token is None
    assert parsed[4].follow.is_unblocked is True
    assert parsed[3].postback.params == {"date": "2024-04-30"}
    assert parsed[8].delivery_context.is_redelivery is True and first.delivery_context.is_redelivery is False


def test_webhook_event_ids_are_unique_ulids_in_time_order():
    ids = [
        webhooks.text_event(USER, "x", timestamp=1_712_538_000_000 + i)["webhookEventId"] for i in range(200)
    ]
    assert len(set(ids)) == 200
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", i) for i in ids)
    assert [i[:10] for i in ids] == sorted(i[:10] for i in ids), "the time part sorts like the timestamps"


def test_redelivery_keeps_the_event_id():
    event = webhooks.postback_event(USER, "a=1")
    again = webhooks.redelivered(event)
    assert again["webhookEventId"] == event["webhookEventId"]
    assert again["deliveryContext"] == {"isRedelivery": True} and event["deliveryContext"] == {
        "isRedelivery": False
    }


def test_timestamps_come_from_the_given_moment():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))
    assert webhooks.follow_event(USER, timestamp=moment)["timestamp"] == 1_712_538_000_000
    with pytest.raises(ValueError):
        webhooks.follow_event(USER, timestamp=datetime(2024, 4, 8, 9, 0))


@pytest.mark.parametrize(
    "drift",
    [
        lambda e: e["message"].pop("text"),
        lambda e: e["message"].pop("quoteToken"),
        lambda e: e.pop("webhookEventId"),
        lambda e: e.update(mode="sleeping"),
        lambda e: e["source"].update(type="channel"),
        lambda e: e.update(timestamp="yesterday"),
    ],
    ids=["no text", "no quoteToken", "no event id", "bad mode", "bad source type", "string timestamp"],
)
def test_a_body_that_drifts_from_line_is_refused(drift):
    event = webhooks.text_event(USER, "hi")
    drift(event)
    with pytest.raises(webhooks.InvalidWebhookBody):
        webhooks.body(webhooks.DESTINATION, [event])


def test_destination_must_be_a_bot_user_id():
    with pytest.raises(webhooks.InvalidWebhookBody):
        webhooks.body("bot", [webhooks.text_event(USER, "hi")])


def test_empty_event_list_is_valid_as_lines_verification_call():
    assert json.loads(webhooks.body(webhooks.DESTINATION, [])) == {
        "destination": webhooks.DESTINATION,
        "events": [],
    }


def test_signature_matches_the_sdk_and_a_tampered_body_fails():
    payload, headers = webhooks.signed_request(SECRET, [webhooks.text_event(USER, "繳交進度")])
    signature = headers["X-Line-Signature"]
    assert SignatureValidator(SECRET).validate(payload.decode("utf-8"), signature)
    tampered = payload.replace("繳交進度".encode(), "刪除資料".encode())
    assert not SignatureValidator(SECRET).validate(tampered.decode("utf-8"), signature)
    with pytest.raises(InvalidSignatureError):
        WebhookParser(SECRET).parse(tampered.decode("utf-8"), signature)
    with pytest.raises(InvalidSignatureError):
        WebhookParser("another-secret").parse(payload.decode("utf-8"), signature)


def test_pause_holds_requests_after_the_first_n_until_resumed(fake):
    holding = fake.pause_after(1, path="/quota")
    quota = fake.base_url + "/v2/bot/message/quota"
    assert requests.get(quota, headers=AUTH, timeout=30).status_code == 200
    answers: list[int] = []
    caller = threading.Thread(target=lambda: answers.append(requests.get(quota, headers=AUTH, timeout=30).status_code))
    caller.start()
    assert holding.wait(30)
    assert answers == [] and fake.requests[-1].status is None  # held: nothing is answered before resume()
    fake.resume()
    caller.join()
    assert answers == [200]
