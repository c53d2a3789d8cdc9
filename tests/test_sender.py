"""One sending protocol: LineSender (over HTTP, here to the fake LINE server) and the simulator's sender both are a
`Sender`, and every caller judges a failed send by the same rule."""

from __future__ import annotations

import random
import uuid

import pytest
import urllib3
from fakes.line_api import FakeLineAPI
from linebot.v3.messaging import TextMessage

from bot import deliveries
from bot.events import to_incoming
from bot.line_api import LineSender
from bot.responsive import show
from bot.sender import Sender, should_retry
from bot.simulator_sender import SimulatorSender
from handlers.chat.pipeline import before
from tests.test_line_api import TOKEN, USER


@pytest.fixture
def line():
    """A LineSender making one attempt per call (the outbox then sees LINE's answer itself), and its LINE."""
    with FakeLineAPI(access_token=TOKEN) as api, LineSender(
        TOKEN, api.base_url, max_attempts=1, sleep=lambda _s: None, rng=random.Random(1)
    ) as sender:
        sender.fake = api
        yield sender


def test_both_senders_offer_the_whole_protocol(line):
    assert isinstance(line, Sender) and line.live
    assert isinstance(SimulatorSender(), Sender) and not SimulatorSender().live


@pytest.mark.parametrize("status, retried", [(500, True), (503, True), (429, True), (400, False), (403, False)])
def test_the_outbox_retries_what_line_may_accept_later_and_gives_up_on_the_rest(line, status, retried):
    fake = line.fake
    fake.fail_next(1, status)
    result = line.push(USER, [TextMessage(text="提醒")], str(uuid.uuid4()))
    assert not result.ok and result.status == status
    assert deliveries.outcome(result).retry is retried is should_retry(result.status)


def test_a_push_line_never_answered_is_retried(line):
    fake = line.fake
    fake.fail_next(1, "drop")
    result = line.push(USER, [TextMessage(text="提醒")], str(uuid.uuid4()))
    assert not result.ok and result.status is None and deliveries.outcome(result).retry


def test_a_push_accepted_earlier_under_its_key_counts_as_sent(line):
    fake = line.fake
    key = str(uuid.uuid4())
    assert line.push(USER, [TextMessage(text="提醒")], key).ok
    again = line.push(USER, [TextMessage(text="提醒")], key)
    assert deliveries.outcome(again).ok and len(fake.delivered) == 1


def test_before_a_slow_answer_line_shows_the_animation_and_the_simulator_shows_nothing(line):
    fake = line.fake
    event = {"type": "message", "source": {"type": "user", "userId": USER},
             "message": {"type": "text", "text": "匯出", "markAsReadToken": "read-1"}}
    courtesy = before(to_incoming(event), chat_mode=True)
    show(line, courtesy)
    paths = [r.path for r in fake.requests]
    assert any("markAsRead" in p for p in paths) and any("loading" in p for p in paths)
    simulator = SimulatorSender()
    show(simulator, courtesy)
    assert simulator.messages == []


class CountingTransport(urllib3.PoolManager):
    """A real urllib3 transport that notes each request it carries."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def urlopen(self, method, url, *args, **kwargs):
        self.urls.append(f"{method} {url}")
        return super().urlopen(method, url, *args, **kwargs)


def test_the_http_transport_is_injected_and_carries_every_call():
    transport = CountingTransport()
    with FakeLineAPI(access_token=TOKEN) as fake, LineSender(TOKEN, fake.base_url, max_attempts=1, transport=transport) as line:
        assert line.push(USER, [TextMessage(text="提醒")], str(uuid.uuid4())).ok
        line.profile(USER)  # a read goes the same way, whatever LINE answers
    assert [u.split(" ")[0] for u in transport.urls] == ["POST", "GET"]
    assert transport.urls[0].endswith("/v2/bot/message/push") and len(fake.delivered) == 1
