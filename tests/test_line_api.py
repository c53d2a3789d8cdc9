"""LineSender (the real line-bot-sdk client, bot/line_api.py) against the fake LINE API over HTTP on 127.0.0.1."""

from __future__ import annotations

import random
import re
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from fakes.line_api import HELD_REQUEST_TIMEOUT, MONTHLY_LIMIT, FakeLineAPI
from linebot.v3.messaging import (
    ButtonsTemplate,
    FlexBox,
    FlexBubble,
    FlexMessage,
    FlexText,
    MessageAction,
    PostbackAction,
    QuickReply,
    QuickReplyItem,
    TemplateMessage,
    TextMessage,
)

from bot.line_api import (
    DEFAULT_BASE_URL,
    LineApiError,
    LineSender,
    Profile,
    Quota,
    QuotaGuard,
    chunk_recipients,
    recipients_cost,
)
from tests.sizes import size

USER = "U" + "1" * 32
OTHER = "U" + "2" * 32
TOKEN = "test-channel-access-token"


@pytest.fixture
def fake():
    with FakeLineAPI(access_token=TOKEN) as api:
        yield api


@pytest.fixture
def waits() -> list[float]:
    """The sleeps the sender asked for (recorded, not slept)."""
    return []


@pytest.fixture
def sender(fake, waits):
    with LineSender(TOKEN, fake.base_url, timeout=10, sleep=waits.append, rng=random.Random(1)) as s:
        yield s


def key() -> str:
    return str(uuid.uuid4())


def reminder_with_quick_reply() -> TextMessage:
    return TextMessage(
        text="提醒：4月30日前完成「防汛整備」👍",
        quick_reply=QuickReply(
            items=[
                QuickReplyItem(action=PostbackAction(label="已完成", data="done=12", display_text="已完成")),
                QuickReplyItem(action=MessageAction(label="延後", text="延後")),
            ]
        ),
    )


def bubble_message() -> FlexMessage:
    return FlexMessage(
        alt_text="本月工作",
        contents=FlexBubble(
            body=FlexBox(
                layout="vertical",
                contents=[FlexText(text="本月工作", weight="bold"), FlexText(text="防汛整備", wrap=True)],
            )
        ),
    )


# -- what arrives --------------------------------------------------------------------------------


def test_push_of_text_quick_reply_and_flex_arrives_with_its_retry_key(fake, sender):
    retry_key = key()
    result = sender.push(USER, [reminder_with_quick_reply(), bubble_message()], retry_key)
    assert result.ok and result.status == 200 and result.attempts == 1 and not result.duplicate
    assert fake.rejected == []
    [delivery] = fake.delivered
    assert delivery.recipient == USER and delivery.retry_key == retry_key
    text, flex = delivery.messages
    assert text["text"] == "提醒：4月30日前完成「防汛整備」👍"
    assert text["quickReply"]["items"][0]["action"] == {
        "type": "postback",
        "label": "已完成",
        "data": "done=12",
        "displayText": "已完成",
    }
    assert flex["contents"]["body"]["contents"][1] == {"type": "text", "text": "防汛整備", "wrap": True}
    [request] = fake.requests
    assert request.headers["x-line-retry-key"] == retry_key
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert result.request_id == request.request_id


def test_template_message_validates(fake, sender):
    message = TemplateMessage(
        alt_text="是否完成？",
        template=ButtonsTemplate(
            text="防汛整備是否完成？",
            actions=[
                PostbackAction(label="完成", data="done=12"),
                PostbackAction(label="還沒", data="later=12"),
            ],
        ),
    )
    assert sender.push(USER, [message], key()).ok
    assert fake.rejected == []


def test_reply_is_delivered_to_the_tokens_user_and_is_free(fake, sender):
    token = fake.issue_reply_token(USER)
    result = sender.reply(token, [TextMessage(text="收到")])
    assert result.ok and result.attempts == 1
    assert [(r.recipient, r.messages) for r in fake.replied] == [(USER, [{"type": "text", "text": "收到"}])]
    assert "x-line-retry-key" not in fake.requests[0].headers
    assert sender.quota() == Quota(limit=None, used=0)


def test_default_base_url_is_lines():
    with LineSender(TOKEN) as s:
        assert s._client.configuration.host == DEFAULT_BASE_URL


# -- retries under one key -----------------------------------------------------------------------


def assert_one_key_and_one_body(fake: FakeLineAPI, retry_key: str) -> None:
    requests = fake.requests_to("/push")
    assert {r.headers["x-line-retry-key"] for r in requests} == {retry_key}
    assert len({r.body for r in requests}) == 1, "every attempt must send the same request"


@pytest.mark.parametrize("kind", [500, 502, 503, 504, 429, "timeout", "drop"])
def test_failure_before_delivery_is_retried_under_the_same_key(fake, sender, kind):
    if kind == "timeout":
        sender.timeout = HELD_REQUEST_TIMEOUT
    retry_key = key()
    fake.fail_next(2, kind)
    result = sender.push(USER, [TextMessage(text="hi")], retry_key)
    assert result.ok and result.attempts == 3 and result.status == 200 and not result.duplicate
    assert len(fake.delivered) == 1
    assert_one_key_and_one_body(fake, retry_key)


@pytest.mark.parametrize("kind", [500, 503, "timeout", "drop"])
def test_answer_lost_after_delivery_gets_409_and_counts_once(fake, sender, kind):
    if kind == "timeout":
        sender.timeout = HELD_REQUEST_TIMEOUT
    retry_key = key()
    fake.fail_next(1, kind, when="after")
    result = sender.push(USER, [TextMessage(text="hi")], retry_key)
    assert result.ok and result.duplicate and result.status == 409 and result.attempts == 2
    assert result.accepted_request_id == fake.accepted_request_id(retry_key)
    assert result.accepted_request_id == fake.requests[0].request_id
    assert [d.retry_key for d in fake.delivered] == [retry_key]
    assert_one_key_and_one_body(fake, retry_key)


def test_retry_after_is_honoured(fake, sender, waits):
    fake.fail_next(1, 429, retry_after=2)
    assert sender.push(USER, [TextMessage(text="hi")], key()).ok
    assert waits == [2.0]


def test_backoff_is_exponential_jittered_and_capped(fake, waits):
    fake.fail_next(6, 503)
    with LineSender(
        TOKEN, fake.base_url, max_attempts=7, backoff_base=0.5, backoff_cap=4, sleep=waits.append
    ) as s:
        assert s.push(USER, [TextMessage(text="hi")], key()).attempts == 7
    ceilings = [0.5, 1, 2, 4, 4, 4]
    assert len(waits) == 6
    for wait, ceiling in zip(waits, ceilings, strict=True):
        assert ceiling / 2 <= wait <= ceiling


def test_retry_after_longer_than_the_cap_is_handed_back(fake, waits):
    fake.fail_next(1, 429, retry_after=120)
    with LineSender(TOKEN, fake.base_url, backoff_cap=30, sleep=waits.append) as s:
        result = s.push(USER, [TextMessage(text="hi")], key())
    assert not result.ok and result.status == 429 and result.attempts == 1
    assert result.retry_after == 120 and waits == []


def test_gives_up_after_max_attempts(fake, waits):
    fake.fail_next(3, 500)
    with LineSender(TOKEN, fake.base_url, max_attempts=3, sleep=waits.append) as s:
        result = s.push(USER, [TextMessage(text="hi")], key())
    assert not result.ok and result.status == 500 and result.attempts == 3
    assert "Internal server error" in result.error
    assert fake.delivered == [] and len(waits) == 2


def test_every_call_has_a_timeout(fake, waits):
    fake.fail_next(1, "timeout")
    with LineSender(TOKEN, fake.base_url, timeout=0.2, max_attempts=1, sleep=waits.append) as s:
        result = s.push(USER, [TextMessage(text="hi")], key())
    # The fake never answers a held request: only the client's own timeout (0.2 s for the whole call) ends it.
    assert not result.ok and result.status is None
    read_timeout = re.search(r"Read timed out\. \(read timeout=([0-9.]+)\)", result.error)
    assert read_timeout and float(read_timeout.group(1)) <= 0.2, result.error
    assert fake.requests[0].status is None


def test_unreachable_server_is_retried_then_reported(waits):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with LineSender(TOKEN, f"http://127.0.0.1:{port}", max_attempts=3, sleep=waits.append) as s:
        result = s.push(USER, [TextMessage(text="hi")], key())
    assert not result.ok and result.status is None and result.attempts == 3 and len(waits) == 2


# -- final answers -------------------------------------------------------------------------------


def test_invalid_request_is_not_retried_and_lines_message_is_surfaced(fake, sender, waits):
    too_long = "a" * 4999 + "😀"  # 5,000 characters but 5,001 UTF-16 code units
    result = sender.push(USER, [TextMessage(text=too_long)], key())
    assert not result.ok and result.status == 400 and result.attempts == 1 and waits == []
    assert "The request body has 1 error(s)" in result.error
    assert "messages[0].text" in result.error and "5000" in result.error
    assert len(fake.requests) == 1 and fake.delivered == []


def test_bad_token_is_not_retried(fake, waits):
    with LineSender("wrong", fake.base_url, sleep=waits.append) as s:
        result = s.push(USER, [TextMessage(text="hi")], key())
    assert not result.ok and result.status == 401 and result.attempts == 1
    assert "Authentication failed" in result.error


def test_monthly_limit_is_not_retried(fake, sender, waits):
    fake.set_quota(1, used=1)
    result = sender.push(USER, [TextMessage(text="hi")], key())
    assert not result.ok and result.status == 429 and result.attempts == 1 and waits == []
    assert MONTHLY_LIMIT in result.error


def test_invalid_reply_token_tells_the_caller_to_push(fake, sender):
    result = sender.reply("unknown-token", [TextMessage(text="hi")])
    assert not result.ok and result.token_invalid and not result.maybe_delivered and result.attempts == 1
    used = fake.issue_reply_token(USER)
    assert sender.reply(used, [TextMessage(text="1")]).ok
    again = sender.reply(used, [TextMessage(text="2")])
    assert again.token_invalid and not again.maybe_delivered


def test_reply_whose_answer_was_lost_is_flagged_maybe_delivered(fake, sender):
    token = fake.issue_reply_token(USER)
    fake.fail_next(1, 500, when="after")
    result = sender.reply(token, [TextMessage(text="收到")])
    assert not result.ok and result.token_invalid and result.maybe_delivered and result.attempts == 2
    assert len(fake.replied) == 1, "it did arrive: pushing it now would send it twice"


def test_reply_retried_after_a_failure_before_use(fake, sender):
    token = fake.issue_reply_token(USER)
    fake.fail_next(1, 500)
    result = sender.reply(token, [TextMessage(text="收到")])
    assert result.ok and result.attempts == 2 and len(fake.replied) == 1


def test_argument_limits_are_checked_before_sending(fake, sender):
    with pytest.raises(ValueError):
        sender.push(USER, [TextMessage(text="x")] * 6, key())
    with pytest.raises(ValueError):
        sender.push(USER, [], key())
    with pytest.raises(ValueError):
        sender.push(USER, [TextMessage(text="x")], "not-a-uuid")
    with pytest.raises(ValueError):
        sender.multicast([f"U{i:032x}" for i in range(501)], [TextMessage(text="x")], key())
    with pytest.raises(ValueError):
        sender.multicast([], [TextMessage(text="x")], key())
    assert fake.requests == []


# -- multicast -----------------------------------------------------------------------------------


def test_multicast_reaches_each_recipient_once(fake, sender):
    to = [USER, OTHER]
    retry_key = key()
    result = sender.multicast(to, [TextMessage(text="全體提醒")], retry_key)
    assert result.ok
    assert [(d.recipient, d.retry_key) for d in fake.delivered] == [(USER, retry_key), (OTHER, retry_key)]


def test_multicast_chunks_sends_500_per_request_each_under_its_key(fake, sender):
    to = [f"U{i:032x}" for i in range(1001)] + [USER, USER]
    chunks = chunk_recipients(to)
    assert [len(c) for c in chunks] == [500, 500, 2]
    keys = [key() for _ in chunks]
    fake.fail_next(1, 500, when="after", path="/multicast")
    results = sender.multicast_chunks(to, [TextMessage(text="全體提醒")], keys)
    assert all(r.ok for r in results) and results[0].duplicate
    by_key = fake.delivered_by_key()
    assert [len(by_key[k]) for k in keys] == [500, 500, 2]
    assert sorted(d.recipient for d in fake.delivered) == sorted(set(to))
    assert fake.rejected == []
    with pytest.raises(ValueError):
        sender.multicast_chunks(to, [TextMessage(text="x")], keys[:2])


# -- quota and profile ---------------------------------------------------------------------------


def test_quota_counts_pushes_per_recipient_and_replies_free(fake, sender):
    assert sender.quota() == Quota(limit=None, used=0)
    sender.push(USER, [TextMessage(text="a"), TextMessage(text="b")], key())
    sender.multicast([USER, OTHER, "U" + "3" * 32], [TextMessage(text="c")], key())
    sender.reply(fake.issue_reply_token(USER), [TextMessage(text="d")])
    fake.set_quota(10)
    assert sender.quota() == Quota(limit=10, used=4)
    assert sender.quota().remaining == 6


def test_quota_guard_refuses_a_fan_out_past_the_limit(fake, sender):
    guard = QuotaGuard(sender.quota)
    assert guard.can_send(10_000), "no target limit set"
    fake.set_quota(10, used=8)
    assert guard.can_send(2)
    assert not guard.can_send(3)
    assert guard.can_send(3, kind="reply"), "replies are free"
    assert not QuotaGuard(sender.quota, reserve=1).can_send(2)
    sender.multicast([USER, OTHER], [TextMessage(text="x")], key())
    assert not guard.can_send(1)


def test_recipients_cost():
    assert recipients_cost("reply", 5) == 0
    assert recipients_cost("push", 1) == 1
    assert recipients_cost("multicast", 500) == 500
    with pytest.raises(ValueError):
        recipients_cost("carrier-pigeon", 1)  # type: ignore[arg-type]


def test_quota_read_failure_raises(fake, sender):
    fake.fail_next(6, 500, path="/quota")
    with pytest.raises(LineApiError):
        sender.quota()


def test_profile(fake, sender):
    fake.add_user(USER, "林科員", picture_url="https://example.com/p.png", language="zh-TW")
    fake.fail_next(1, 503, path="/profile")
    assert sender.profile(USER) == Profile(
        USER, "林科員", picture_url="https://example.com/p.png", language="zh-TW"
    )
    assert sender.profile(OTHER) is None


# -- the fault storm -----------------------------------------------------------------------------


@pytest.mark.slow
def test_random_faults_on_a_thousand_pushes_deliver_each_exactly_once(fake, waits):
    """30% of calls fail (5xx, 429, timeouts, drops; before or after delivery): none lost, none doubled."""
    fake.fail_randomly(0.3, kinds=(500, 503, 429, "timeout", "drop"), seed=20240408, path="/push")
    pushes = size(1000, 250)
    recipients = [f"U{i % 97:032x}" for i in range(pushes)]
    keys = [key() for _ in range(pushes)]  # stored before the first attempt, as the outbox does
    sender = LineSender(TOKEN, fake.base_url, timeout=HELD_REQUEST_TIMEOUT, max_attempts=20, sleep=waits.append)

    def send(i: int):
        return sender.push(recipients[i], [TextMessage(text=f"第{i}則提醒")], keys[i])

    with sender, ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, range(pushes)))

    assert all(r.ok for r in results), [r for r in results if not r.ok][:3]
    by_key = fake.delivered_by_key()
    assert set(by_key) == set(keys)
    for i, retry_key in enumerate(keys):
        [delivery] = by_key[retry_key]
        assert delivery.recipient == recipients[i]
        assert delivery.messages == [{"type": "text", "text": f"第{i}則提醒"}]
    assert len(fake.delivered) == pushes and fake.consumption == pushes
    assert fake.rejected == []
    for result, retry_key in zip(results, keys, strict=True):
        if result.duplicate:
            assert result.accepted_request_id == fake.accepted_request_id(retry_key)
    # The storm really happened: every kind, before and after delivery, and lost answers got 409.
    injected = [fault for _, fault in fake.faults_injected]
    assert {f.kind for f in injected} == {500, 503, 429, "timeout", "drop"}
    assert {f.when for f in injected} == {"before", "after"}
    assert sum(r.duplicate for r in results) >= pushes // 20
    # A connect that times out never reaches the fake, so it can only see fewer.
    assert len(fake.requests) <= sum(r.attempts for r in results)
