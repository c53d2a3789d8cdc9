"""Through the webhook and the fake LINE API: in a group, office-wide answers and links reach the asker alone."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Staff
from tests import test_webhook_e2e as e2e
from tests.fakes import webhooks
from tests.test_webhook_e2e import _uris, chief_of, post, replies_to, settle, staff_id, text_of

# The same real servers as the webhook's own tests: the app over HTTP and the fake LINE API.
fake, server = e2e.fake, e2e.server  # the app as the other webhook tests serve it (on demo_both)


def pushes_to(api, user: str) -> list[dict]:
    return [r.json["messages"] for r in api.requests_to("/v2/bot/message/push") if r.json.get("to") == user and r.status == 200]


def test_office_wide_list_and_export_link_asked_in_a_group_go_to_the_asker_one_to_one(server, fake):
    url, app, db = server
    with db.sessions() as session:
        coordinator = session.scalar(select(Staff.line_user_id).where(Staff.role == "coordinator"))
    chief = staff_id(db, chief_of(db, "戶籍資料課"))
    group = webhooks.new_group_id()
    post(url, [webhooks.text_event(chief, "綁定群組 戶籍資料課", group_id=group, reply_token=fake.issue_reply_token(group))])
    settle(app)

    tokens = [fake.issue_reply_token(group) for _ in range(3)]
    post(url, [webhooks.text_event(coordinator, "逾期 全所", group_id=group, reply_token=tokens[0], timestamp=1),
               webhooks.text_event(coordinator, "匯出", group_id=group, reply_token=tokens[1], timestamp=2),
               webhooks.text_event(chief, "逾期 戶籍資料課", group_id=group, reply_token=tokens[2], timestamp=3)])
    settle(app)

    in_group = [text_of(replies_to(fake, t)[0].json["messages"]) for t in tokens]
    for said in in_group[:2]:
        assert "這則回覆有群組裡不是每個人都能看的資料" in said and "已私訊給你" in said
        assert "戶籍登記課" not in said and "/files/" not in said
    assert "戶籍資料課" in in_group[2] and "已私訊" not in in_group[2]  # the group's own section: answered there
    assert not [u for t in tokens for u in _uris(replies_to(fake, t)[0].json["messages"])]

    private = pushes_to(fake, coordinator)
    assert len(private) == 2  # one push per answer, each once
    assert "戶籍登記課" in text_of(private[0])  # the office's overdue list
    assert len([u for u in _uris(private[1]) if "/files/" in u]) == 3  # the .ods, .xlsx and PDF links
    assert pushes_to(fake, group) == [] and pushes_to(fake, chief) == []

    room, token = "R" + "7" * 32, fake.issue_reply_token("R" + "7" * 32)  # a multi-person chat: the same rule
    post(url, [webhooks.text_event(chief, "摘要", room_id=room, reply_token=token)])
    settle(app)
    assert "已私訊給你" in text_of(replies_to(fake, token)[0].json["messages"])
    assert "戶籍資料課" in text_of(pushes_to(fake, chief)[0])
