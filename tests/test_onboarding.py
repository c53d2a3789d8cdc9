"""我是 NAME: an unlinked account introduces itself, the coordinator or the section chief confirms it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from handlers.core.replies import Card
from storage.models import Delivery, OnboardingRequest, Role, Staff
from storage.outbox import Kind, of_kind
from tests.handler_fixtures import STRANGER, Talk, buttons, read

NAME = "陳怡君"  # 戶籍登記課; her chief is 沈志明, the coordinator 簡心怡


def _unlink(talk: Talk, name: str = NAME) -> None:
    talk.staff(name).line_user_id = None
    talk.session.flush()


def _notices(talk: Talk) -> list[Delivery]:
    return list(talk.session.scalars(select(Delivery).where(of_kind(Kind.NOTICE)).order_by(Delivery.id)))


def _card_buttons(talk: Talk, to: str) -> dict[str, str]:
    row = next(n for n in _notices(talk) if n.recipient == talk.staff(to).line_user_id)
    (card,) = row.payload["replies"]
    return {b["label"]: b["data"] for b in card["buttons"]}


def test_introduction_tells_the_coordinator_and_the_chief_with_a_card(talk):
    _unlink(talk)
    assert "已通知研考確認" in talk.text(STRANGER, f"我是 {NAME}")
    told = {n.recipient for n in _notices(talk)}
    assert told == {talk.staff("簡心怡").line_user_id, talk.staff("沈志明").line_user_id}
    choices = _card_buttons(talk, "簡心怡")
    assert set(choices) == {"同意", "不同意"}
    assert talk.staff(NAME).line_user_id is None  # nothing linked before someone confirms


def test_approval_links_the_account_and_tells_the_person(talk):
    _unlink(talk)
    talk.send(STRANGER, f"我是{NAME}")
    approve = _card_buttons(talk, "簡心怡")["同意"]
    assert "已綁定" in talk.tap("簡心怡", approve)[0].text
    assert "處理過了" in talk.tap("簡心怡", approve)[0].text  # the second tap: already approved
    assert talk.staff(NAME).line_user_id == STRANGER
    welcome = [n for n in _notices(talk) if n.recipient == STRANGER]
    assert len(welcome) == 1 and "綁定完成" in welcome[0].payload["replies"][0]["text"]
    # The chief's card is now stale: the request was decided.
    assert "處理過了" in talk.tap("沈志明", _card_buttons(talk, "沈志明")["同意"])[0].text
    assert "綁定" not in talk.text(STRANGER, "我的")  # linked now: the menu's words answer with work


def test_refusal_links_nothing_and_says_so(talk):
    _unlink(talk)
    talk.send(STRANGER, f"我是 {NAME}")
    assert "已拒絕" in talk.tap("沈志明", _card_buttons(talk, "沈志明")["不同意"])[0].text
    assert talk.staff(NAME).line_user_id is None
    told = [n for n in _notices(talk) if n.recipient == STRANGER]
    assert len(told) == 1 and "沒有通過" in told[0].payload["replies"][0]["text"]


def test_only_the_coordinator_director_or_own_chief_may_confirm(talk):
    _unlink(talk)
    talk.send(STRANGER, f"我是 {NAME}")
    approve = _card_buttons(talk, "簡心怡")["同意"]
    assert "只有研考" in talk.tap("江淑惠", approve)[0].text  # another section's chief
    assert "只有研考" in talk.tap("李冠緯", approve)[0].text  # staff
    assert talk.staff(NAME).line_user_id is None
    talk.tap("游振昌", approve)  # the director may
    assert talk.staff(NAME).line_user_id == STRANGER


def test_a_name_already_linked_is_refused(talk):
    answer = talk.text(STRANGER, "我是 李冠緯")
    assert "已經綁定" in answer and not _notices(talk)


def test_a_name_not_on_the_roster_is_said_so(talk):
    answer = talk.text(STRANGER, "我是 王小明")
    assert "名冊上找不到「王小明」" in answer and not _notices(talk)
    assert "我是 陳怡君" in talk.text(STRANGER, "我是")


def test_requests_expire_after_72_hours(talk):
    _unlink(talk)
    talk.send(STRANGER, f"我是 {NAME}")
    approve = _card_buttons(talk, "簡心怡")["同意"]
    talk.clock.advance(hours=72, minutes=1)
    assert "過期" in talk.tap("簡心怡", approve)[0].text
    assert talk.staff(NAME).line_user_id is None
    (request,) = talk.session.scalars(select(OnboardingRequest))
    assert request.status == "expired"


def test_requests_are_rate_limited_per_account(talk):
    for name in ("陳怡君", "黃柏翔", "林佩蓉", "張書維"):
        _unlink(talk, name)
    assert "已通知" in talk.text(STRANGER, "我是 陳怡君")
    assert "已通知研考確認，請稍候" in talk.text(STRANGER, "我是 陳怡君")  # the same again: no second card
    assert "已通知" in talk.text(STRANGER, "我是 黃柏翔")
    assert "已通知" in talk.text(STRANGER, "我是 林佩蓉")
    assert "太多次" in talk.text(STRANGER, "我是 張書維")
    other = "U" + "e" * 32
    assert "已通知" in talk.text(other, "我是 張書維")  # another account is not held back
    talk.clock.advance(hours=25)
    assert "已通知" in talk.text(STRANGER, "我是 張書維")


def test_a_linked_person_saying_i_am_is_just_chatting(talk):
    assert "已經綁定為「李冠緯」" in talk.text("李冠緯", "我是 李冠緯")
    assert "已通知" not in talk.text("李冠緯", "我是不是有逾期")


def test_the_card_is_a_card_with_two_buttons(talk):
    _unlink(talk)
    talk.send(STRANGER, f"我是 {NAME}")
    from handlers.documents.digests import replies_from_payload

    (card,) = replies_from_payload(_notices(talk)[0].payload)
    assert isinstance(card, Card) and [b.label for b in buttons(card)] == ["同意", "不同意"]
    assert NAME in card.title


def test_a_new_follower_hears_both_ways_to_link(talk):
    answer = read(talk.event(STRANGER, "follow"))
    assert "綁定 你的綁定碼" in answer and "我是 你的姓名" in answer


COORDINATOR = "簡心怡"  # her section's chief is not above her: he may not vouch for her account


def test_nobody_approves_a_record_that_ranks_above_their_own(talk):
    _unlink(talk, COORDINATOR)
    section_chief = next(s for s in talk.session.scalars(select(Staff).where(Staff.role == Role.chief))
                         if s.section_id == talk.staff(COORDINATOR).section_id)
    assert "已通知" in talk.text(STRANGER, f"我是 {COORDINATOR}")
    told = {n.recipient for n in _notices(talk)}
    assert section_chief.line_user_id not in told and talk.staff("游振昌").line_user_id in told  # the director's card
    request = talk.session.scalar(select(OnboardingRequest))
    from handlers.core import postbacks

    forged = postbacks.encode("onboard", r=request.id, ok=1)
    assert "職位比自己高" in talk.tap(section_chief.name, forged)[0].text
    assert talk.staff(COORDINATOR).line_user_id is None
    talk.tap("游振昌", forged)  # the director ranks above the coordinator
    assert talk.staff(COORDINATOR).line_user_id == STRANGER


def test_the_card_shows_the_line_name_picture_and_when_the_record_was_last_linked(talk):
    from handlers.core.incoming import LineProfile
    from handlers.documents.digests import replies_from_payload

    picture = "https://profile.line-scdn.net/0h-stranger"
    talk.profiles = {STRANGER: LineProfile("小陳 Chen", picture)}.get
    talk.clock.advance(days=-10)  # ten days ago the record was linked with a binding code
    from storage import queries

    queries.audit(talk.session, talk.clock.now(), "cli", "staff.link", staff=NAME)
    talk.clock.advance(days=10)
    _unlink(talk)
    talk.send(STRANGER, f"我是 {NAME}")
    (card,) = replies_from_payload(_notices(talk)[0].payload)
    shown = read([card])
    assert "小陳 Chen" in shown and "上次綁定" in shown and "3/29（五） 09:00（10 天前）" in shown
    assert card.image_url == picture


def test_without_a_profile_the_card_says_line_gave_no_name_and_the_record_was_never_linked(talk):
    from handlers.documents.digests import replies_from_payload

    _unlink(talk)
    talk.send(STRANGER, f"我是 {NAME}")
    (card,) = replies_from_payload(_notices(talk)[0].payload)
    assert "LINE 沒有提供名稱" in read([card]) and "從未綁定" in read([card]) and card.image_url == ""


def test_many_accounts_asking_for_many_names_are_capped_per_name_and_per_office(talk):
    names = ("陳怡君", "黃柏翔", "林佩蓉", "張書維")
    for name in names:
        _unlink(talk, name)
    accounts = ["U" + c * 32 for c in "abcde"]
    for account in accounts:
        for name in names:
            talk.text(account, f"我是 {name}")
    requests = list(talk.session.scalars(select(OnboardingRequest)))
    per_name = {name: sum(1 for r in requests if r.staff.name == name) for name in names}
    assert len(requests) == 6 and max(per_name.values()) == 2, per_name
    assert len(_notices(talk)) <= 2 * len(requests)  # each card goes to the coordinator and one chief
    assert "今天已經有人多次申請綁定「陳怡君」" in talk.text("U" + "f" * 32, "我是 陳怡君")
    talk.clock.advance(hours=25)
    assert "已通知" in talk.text("U" + "f" * 32, "我是 陳怡君")


@pytest.mark.parametrize(("confirmer", "role"), [("沈志明", "課長"), ("簡心怡", "研考"), ("游振昌", "主任")])
def test_the_welcome_says_who_confirmed_by_role(talk, confirmer, role):
    _unlink(talk)
    talk.send(STRANGER, f"我是 {NAME}")
    card_to = confirmer if confirmer != "游振昌" else "簡心怡"  # the director is not sent the card, but may confirm
    talk.tap(confirmer, _card_buttons(talk, card_to)["同意"])
    welcome = [n for n in _notices(talk) if n.recipient == STRANGER][-1].payload["replies"][0]["text"]
    assert welcome.startswith(f"{NAME}，{role}已確認你的身分"), welcome


def test_the_example_of_i_am_names_someone_not_linked_yet(talk):
    assert "我是 王小明" in read(talk.event(STRANGER, "follow"))  # everyone on the demo roster is linked
    _unlink(talk, "林佩蓉")
    answer = read(talk.event(STRANGER, "follow"))
    assert "例如：我是 林佩蓉" in answer
