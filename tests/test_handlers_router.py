"""The route table as a whole: strangers see nothing, groups stay quiet, every reply fits LINE, failures undo."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from sqlalchemy import func, select

from handlers.chat import reports
from handlers.chat.catalog import COMMANDS
from handlers.chat.router import POSTBACKS
from handlers.core.postbacks import Route
from handlers.core.replies import (
    MAX_CARD_ROWS,
    MAX_MESSAGES,
    MAX_POSTBACK_DATA,
    MAX_QUICK_REPLIES,
    MAX_TEXT,
    Card,
    Carousel,
    Text,
    plain_text,
    to_dict,
)
from storage import queries
from storage.models import Delivery, LinkAttempt, ProgressReport
from tests.handler_fixtures import (
    CHIEF_DATA,
    COORDINATOR,
    DIRECTOR,
    STAFF_DATA,
    STAFF_REG,
    STRANGER,
    Talk,
    buttons,
    read,
)

GROUP = "C0123456789abcdef0123456789abcdef"

EXAMPLES = [
    "今天", "明天", "本週", "這禮拜", "下週", "本月", "下個月", "逾期", "逾期 戶籍登記課", "逾期 全所", "我的",
    "查 門牌", "門牌月報表", "查 11", "查 戶籍資料課 11", "回報 12 完成", "回報 12 50% 已完成初稿",
    "回報 12 延遲 等民政局回函", "回報 12 3月 完成", "回報 戶籍資料課 11 完成", "回報 6-2 完成", "回報 12", "回報",
    "摘要", "摘要 全所", "摘要 戶籍資料課", "摘要 戶籍資料課 3月", "匯出", "匯出 3月", "說明", "help", "?",
    "勞資會議", "到府服務", "戶籍清查業務", "xyzzy", "", "綁定群組 戶籍資料課",
]


def every_spelling() -> list[str]:
    return [s for d in COMMANDS.definitions for s in d.spellings]


def plan_texts(talk: Talk) -> list[str]:
    """Return every title and the start of every content of the demo plan (what must never leak)."""
    plan = queries.only_office(talk.session).plans[0]
    items = queries.items_of_plan(talk.session, plan.id)
    return sorted({i.title for i in items} | {i.content[:12] for i in items if len(i.content) >= 12})


def postbacks_for(talk: Talk) -> list[str]:
    plan = queries.only_office(talk.session).plans[0]
    ids = [i.id for i in queries.items_of_plan(talk.session, plan.id)][:10]
    data = []
    for i in ids:
        data += [f"a=card&i={i}", f"a=report&i={i}&o=2024-04&s=done", f"a=ask&i={i}"]
    data += ["a=more&c=overdue&r=全所&p=1", "a=more&c=search&r=門牌&p=0", "a=more&m=2024-04-08&p=2", "a=more&c=mine&p=0"]
    return data


def test_unknown_accounts_get_no_plan_data_from_any_command(talk):
    secrets = plan_texts(talk)
    assert len(secrets) > 60
    before = queries.count_rows(talk.session)
    replies = []
    for text in EXAMPLES + every_spelling():
        for group in (None, GROUP):
            replies += talk.send(STRANGER, text, group=group)
            replies += talk.send(STRANGER, f"@planbot {text}", group=group)
    for data in postbacks_for(talk):
        replies += talk.tap(STRANGER, data)
    for kind in ("follow", "join"):
        replies += talk.event(STRANGER, kind)
    assert replies
    for reply in replies:
        shown = plain_text(reply) + json.dumps(to_dict(reply), ensure_ascii=False)
        leaked = [s for s in secrets if s in shown]
        assert not leaked, (leaked, shown)
        assert "還沒有綁定" in shown or "綁定" in shown or "群組" in shown
    after = queries.count_rows(talk.session)
    assert {k: v for k, v in after.items() if k != "link_attempts"} == {k: v for k, v in before.items() if k != "link_attempts"}


def test_in_a_group_only_commands_and_mentions_are_answered(talk):
    assert talk.send(STAFF_DATA, "大家早安", group=GROUP) == []
    assert talk.send(STAFF_DATA, "門牌", group=GROUP) == []  # free text is not a search in a group
    assert talk.send(STAFF_DATA, "我的電腦壞了", group=GROUP) == []  # 我的 + something: not a command
    assert talk.send(STAFF_DATA, "謝謝", group=GROUP) == []
    assert talk.send(STAFF_DATA, "查 xyzzy", group=GROUP) == []
    assert talk.send(STRANGER, "我的電腦壞了", group=GROUP) == []
    assert read(talk.send(STAFF_DATA, "本週", group=GROUP)).startswith("本週（4/8（一）～4/14（日））你有 1 項")
    assert "11 門牌指標設置及定期巡查管理" in read(talk.send(STAFF_DATA, "查 門牌", group=GROUP))
    assert isinstance(talk.send(STAFF_DATA, "@planbot 門牌月報表", group=GROUP)[0], Card)
    assert "看不懂" in read(talk.send(STAFF_DATA, "@planbot 大家早安", group=GROUP))
    assert read(talk.send(STRANGER, "本週", group=GROUP)) == "請先私訊我完成綁定，才能查詢或回報計畫。"


def test_a_forged_more_button_is_checked_like_the_command(talk):
    assert read(talk.tap(STAFF_REG, "a=more&c=overdue&r=全所&p=1")).startswith("抱歉，全所的資料只開放給研考和主任查看。")
    assert read(talk.tap(STAFF_REG, "a=more&c=summary&r=全所&p=0")).startswith("抱歉，摘要只提供給課長、研考和主任。")
    for data in ("a=more&c=link&r=ABC&p=1", "a=more&c=nope&p=1", "a=more&c=overdue", "a=more&m=bad&p=2", "a=more&m=2024-04-08&p=2"):
        assert "失效" in read(talk.tap(STAFF_DATA, data)), data


def test_paging_covers_the_whole_list_exactly_once(talk):
    # The office's list is grouped by person: an item with two owners shows once under each of them.
    seen, counts, data, person = [], {}, None, None
    [reply] = talk.send(COORDINATOR, "逾期 全所")
    while True:
        for line in reply.text.splitlines():
            if line.startswith("【"):
                section = line
            elif line.startswith("▍"):
                person = (section, line.split("（")[0])
                counts[person] = int(line.split("（")[1].split(" 次")[0])
            elif line.startswith("・"):
                seen.append((person, line))
        more = [b for b in reply.quick_replies if b.label == "更多"]
        if not more:
            break
        data = more[0].data
        [reply] = talk.tap(COORDINATOR, data)
    total = int(talk.text(COORDINATOR, "逾期 全所").split("有 ")[1].split(" 項")[0])
    assert len(seen) == len(set(seen)) == sum(counts.values())
    assert len({line for _person, line in seen}) == total > 100
    assert "p=" in data


def test_a_digest_more_button_shows_the_next_page_to_its_recipient(talk):
    staff = talk.staff(STAFF_DATA)
    lines = [{"reason": "overdue", "title": f"項目{n}", "due": "2024-04-01", "item": str(n), "section": "戶籍資料課",
              "kind": "deadline", "occurrence": "2024-04", "item_id": None if n else None} for n in range(1, 30)]
    payload = {"version": 1, "office_id": 1, "morning": "2024-04-08", "to": staff.name, "via": "user", "lines": lines,
               "replies": []}
    talk.session.add(Delivery(key="digest:k1", morning=date(2024, 4, 8), recipient=staff.line_user_id, staff_id=staff.id,
                              reasons="overdue", payload=payload, retry_key="r", created_at=talk.clock.now()))
    talk.session.flush()
    # A one-off push the same morning (the quota warning) comes later and has no pages: the digest's stay.
    talk.session.add(Delivery(key="notice:quota80:2024-04:x", morning=date(2024, 4, 8), recipient=staff.line_user_id,
                              reasons="quota80", payload={"replies": []}, retry_key="r2", created_at=talk.clock.now()))
    talk.session.flush()
    [page] = talk.tap(STAFF_DATA, "a=more&m=2024-04-08&p=2")
    assert isinstance(page, Carousel) and "項目" in plain_text(page)
    assert "失效" in read(talk.tap(CHIEF_DATA, "a=more&m=2024-04-08&p=2"))  # not theirs


def test_a_failing_handler_changes_nothing_and_still_answers(talk, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reports, "_confirmation", broken)
    with caplog.at_level(logging.ERROR):
        text = talk.text(STAFF_DATA, "回報 12 4月 完成")
    assert text == "抱歉，處理時出了問題，這次沒有做任何變更。請稍後再試，或洽研考。"
    assert talk.session.scalar(select(func.count()).select_from(ProgressReport)) == 0
    assert "disk full" in caplog.text


ROLES = [STAFF_DATA, STAFF_REG, CHIEF_DATA, COORDINATOR, DIRECTOR, STRANGER]


@pytest.mark.parametrize("who", ROLES)
def test_every_reply_fits_line(talk, who):
    for text in EXAMPLES + ["逾期 全所", "查 戶籍", "查 的", "回報 3 完成"]:
        check_limits(talk.send(who, text))
    for data in postbacks_for(talk):
        check_limits(talk.tap(who, data))


def check_limits(replies: list) -> None:
    assert 1 <= len(replies) <= MAX_MESSAGES
    for reply in replies:
        if isinstance(reply, Text):
            assert len(reply.text) <= MAX_TEXT
        if isinstance(reply, Card):
            assert len(reply.rows) <= MAX_CARD_ROWS
        assert len(getattr(reply, "quick_replies", ())) <= MAX_QUICK_REPLIES
        for button in buttons(reply):
            assert len(button.label) <= 20
            assert button.data is None or len(button.data) <= MAX_POSTBACK_DATA
            assert button.text is None or len(button.text) <= 300


def test_wrong_link_codes_are_the_only_thing_a_stranger_writes(talk):
    talk.send(STRANGER, "綁定 NOPE1234")
    assert talk.session.scalar(select(func.count()).select_from(LinkAttempt)) == 1


def test_a_stranger_in_a_group_gets_one_short_line_and_the_full_explanation_one_to_one(talk):
    short = "請先私訊我完成綁定，才能查詢或回報計畫。"
    assert talk.text(STRANGER, "本週", group=GROUP) == short
    assert talk.text(STRANGER, "@planbot 門牌", group=GROUP) == short
    assert read(talk.tap(STRANGER, "a=more&c=overdue&p=1", group=GROUP)) == short
    alone = talk.text(STRANGER, "本週")
    assert alone.startswith("你好！這裡是工作計畫小幫手。") and "綁定 你的綁定碼" in alone
    assert "綁定 你的綁定碼" in read(talk.tap(STRANGER, "a=more&c=overdue&p=1"))


def test_every_route_a_button_can_name_has_a_handler():
    # A button is built from a Route; a Route with no handler would answer every tap with "the button is old".
    assert set(POSTBACKS) == set(Route)
