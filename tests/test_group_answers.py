"""In a group, answers hold only what every member may see; office-wide answers and links go to the asker alone."""

from __future__ import annotations

from handlers.replies import FileLink, Private, Text
from tests.handler_fixtures import CHIEF_DATA, CHIEF_REG, COORDINATOR, STAFF_DATA, Talk, read

DATA_GROUP = "C" + "d" * 32  # bound to 戶籍資料課 in each test
OTHER_GROUP = "C" + "e" * 32  # bound to nothing


def bound(talk: Talk) -> Talk:
    assert read(talk.send(CHIEF_DATA, "綁定群組 戶籍資料課", group=DATA_GROUP)).startswith("好的，這個群組已綁定為「戶籍資料課」")
    return talk


def private(talk: Talk, who: str, text: str, group: str) -> tuple[str, str]:
    """Return what the group reads and what the asker reads alone; fail unless the answer went privately."""
    replies = talk.send(who, text, group=group)
    assert [type(r) for r in replies] == [Text, Private], read(replies)
    group_text, alone = replies
    assert alone.to == talk.line_id(who)
    return group_text.text, read(list(alone.replies))


def in_group(talk: Talk, who: str, text: str, group: str) -> str:
    replies = talk.send(who, text, group=group)
    assert replies and not any(isinstance(r, Private) for r in replies), read(replies)
    return read(replies)


def test_office_wide_lists_go_to_the_asker_alone(talk):
    bound(talk)
    for text in ("逾期 全所", "未回報", "本月 全所", "摘要 全所"):
        group_text, alone = private(talk, COORDINATOR, text, DATA_GROUP)
        assert group_text.startswith(f"{COORDINATOR}，這則回覆有群組裡不是每個人都能看的資料") and "已私訊給你" in group_text
        assert alone == read(talk.send(COORDINATOR, text)), text  # the same answer as one-to-one
    assert "戶籍登記課" in private(talk, COORDINATOR, "逾期 全所", DATA_GROUP)[1]


def test_another_sections_data_goes_privately_the_groups_own_stays(talk):
    bound(talk)
    _, alone = private(talk, COORDINATOR, "逾期 戶籍登記課", DATA_GROUP)
    assert "戶籍登記課" in alone
    assert "戶籍資料課" in in_group(talk, COORDINATOR, "逾期 戶籍資料課", DATA_GROUP)
    assert "戶籍資料課" in in_group(talk, CHIEF_DATA, "摘要", DATA_GROUP)
    # The same chief's own section in a group bound to nothing (friends, other sections): not for everyone there.
    assert "戶籍資料課" in private(talk, CHIEF_DATA, "摘要", OTHER_GROUP)[1]
    assert "戶籍資料課" in private(talk, CHIEF_DATA, "逾期 戶籍資料課", OTHER_GROUP)[1]
    # Another section's chief in this group asks for their own section: it is not this group's.
    assert "戶籍登記課" in private(talk, CHIEF_REG, "逾期 戶籍登記課", DATA_GROUP)[1]


def test_export_console_and_binding_code_links_never_reach_the_group(talk):
    bound(talk)
    replies = talk.send(CHIEF_DATA, "匯出", group=DATA_GROUP)  # even the group's own section: a one-time link
    assert [type(r) for r in replies] == [Text, Private] and not any(isinstance(r, FileLink) for r in replies)
    assert [type(r) for r in replies[1].replies] == [Text, FileLink, FileLink]
    assert "/console/signin/" in private(talk, CHIEF_DATA, "管理", DATA_GROUP)[1]
    _, alone = private(talk, COORDINATOR, f"綁定碼 {STAFF_DATA}", OTHER_GROUP)
    assert STAFF_DATA in alone


def test_what_the_asker_shares_of_their_own_stays_in_the_group(talk):
    bound(talk)
    assert in_group(talk, STAFF_DATA, "本週", OTHER_GROUP).startswith("本週（4/8（一）～4/14（日））你有 1 項")
    assert in_group(talk, COORDINATOR, "我的", DATA_GROUP)
    assert in_group(talk, CHIEF_DATA, "本週", OTHER_GROUP)  # a chief's own list, with a 本週 戶籍資料課 button
    assert read(talk.send(STAFF_DATA, "逾期 全所", group=DATA_GROUP)) == read(talk.send(STAFF_DATA, "逾期 全所"))  # refused


def test_an_asker_who_cannot_get_a_private_message_is_told_why_in_the_group(talk):
    bound(talk)
    talk.staff(COORDINATOR).following = False  # blocked the bot, or never added it as a friend
    [refusal] = talk.send(COORDINATOR, "逾期 全所", group=DATA_GROUP)
    assert refusal.text.startswith(f"{COORDINATOR}，這則回覆有群組裡不是每個人都能看的資料，只能私訊給你，但你還沒有加我為好友")
    assert "戶籍登記課" not in refusal.text
