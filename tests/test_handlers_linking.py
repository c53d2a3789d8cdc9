"""Unknown accounts, 綁定 CODE (one-time, 72 hours, 5 wrong tries an hour), greetings and 綁定群組."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import queries
from storage.invites import create_invite
from storage.models import Section, Staff
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, STAFF_DATA, STRANGER, Talk, buttons, read

NEW_LINE_ID = "U1234567890abcdef1234567890abcdef"


def invite(talk: Talk, name: str = "新同仁") -> str:
    office = queries.only_office(talk.session)
    staff = queries.staff_by_name(talk.session, office.id, name)
    if staff is None:
        section = queries.find_section(talk.session, office.id, "戶籍資料課")
        staff = Staff(office_id=office.id, name=name, section_id=section.id)
        talk.session.add(staff)
        talk.session.flush()
    code, _ = create_invite(talk.session, staff, talk.clock.now())
    return code


def test_an_unknown_account_is_told_how_to_link(talk):
    text = talk.text(STRANGER, "本週")
    assert text.startswith("你好！這裡是工作計畫小幫手。\n這個 LINE 帳號還沒有綁定同仁資料")
    assert "綁定 你的綁定碼" in text


def test_linking_with_a_one_time_code(talk):
    code = invite(talk)
    typed = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())  # full-width lower case, as phones type it
    [reply] = talk.send(NEW_LINE_ID, f"綁定　{typed[:4]} {typed[4:]}")
    assert reply.text.startswith("綁定成功！新同仁（戶籍資料課・承辦人）你好。")
    assert "說明" in [b.label for b in reply.quick_replies]
    assert queries.staff_by_line_id(talk.session, NEW_LINE_ID).name == "新同仁"
    assert talk.text(NEW_LINE_ID, "我的") == talk.text(NEW_LINE_ID, "我的")  # now a staff member
    assert "還沒有綁定" not in talk.text(NEW_LINE_ID, "本週")
    assert talk.text("U" + "f" * 32, f"綁定 {code}") == "這個綁定碼已經用過了，每個綁定碼只能用一次。如需重新綁定，請向研考索取新的綁定碼。"


def test_wrong_codes_are_counted_and_limited_per_hour(talk):
    code = invite(talk)
    for left in (4, 3, 2, 1, 0):
        assert talk.text(NEW_LINE_ID, "綁定 WRONG123") == f"綁定碼不正確，請確認後再試一次（一小時內還可以試 {left} 次）。"
    assert talk.text(NEW_LINE_ID, f"綁定 {code}") == "錯誤次數太多，為了安全請一小時後再試，或請研考確認你的綁定碼。"
    talk.clock.advance(hours=1, minutes=1)
    assert talk.text(NEW_LINE_ID, f"綁定 {code}").startswith("綁定成功！")


def test_an_expired_code_says_so(talk):
    code = invite(talk)
    talk.clock.advance(hours=72, seconds=1)
    assert talk.text(NEW_LINE_ID, f"綁定 {code}") == "這個綁定碼已經過期（有效期限 72 小時），請向研考索取新的綁定碼。"


def test_an_account_already_linked_to_someone_else(talk):
    code = invite(talk)
    assert talk.text(STAFF_DATA, f"綁定 {code}") == "這個 LINE 帳號已經綁定為「李冠緯」。如果需要更改，請洽研考處理。"


def test_link_without_a_code_explains(talk):
    assert talk.text(STRANGER, "綁定").startswith("請在「綁定」後面加上綁定碼")


def test_follow_greets_strangers_with_linking_and_staff_by_name(talk):
    assert read(talk.event(STRANGER, "follow")).startswith("你好！這裡是工作計畫小幫手。")
    [welcome] = talk.event(STAFF_DATA, "follow")
    assert welcome.text.startswith("李冠緯，歡迎回來！") and "本週" in [b.label for b in welcome.quick_replies]
    assert "綁定群組 課室名稱" in read(talk.event(CHIEF_DATA, "join", group="Cgroup1"))


@pytest.fixture
def group() -> str:
    return "C0123456789abcdef0123456789abcdef"


def section(talk: Talk, name: str) -> Section:
    return talk.session.scalar(select(Section).where(Section.name == name))


def test_a_chief_binds_their_section_group(talk, group):
    assert talk.text(CHIEF_DATA, "綁定群組", group=group) == "好的，這個群組已綁定為「戶籍資料課」的課室群組，之後課室的提醒會送到這裡。"
    assert section(talk, "戶籍資料課").line_group_id == group
    assert talk.text(CHIEF_DATA, "綁定群組 戶籍資料課", group=group) == "這個群組本來就是「戶籍資料課」的課室群組，不用再設定。"


def test_only_the_sections_chief_or_the_coordinator_may_bind(talk, group):
    assert talk.text(STAFF_DATA, "綁定群組 戶籍資料課", group=group) == "只有該課室的課長（或研考）可以把群組綁定為課室群組。"
    assert talk.text(CHIEF_DATA, "綁定群組 人事室", group=group) == "只有該課室的課長（或研考）可以把群組綁定為課室群組。"
    assert section(talk, "人事室").line_group_id is None
    assert "已綁定為「人事室」" in talk.text(COORDINATOR, "綁定群組 人事室", group=group)
    text = talk.text(COORDINATOR, "綁定群組 戶籍資料課", group=group)
    assert "已綁定為「戶籍資料課」" in text and "原本綁定的「人事室」已改為這個新設定" in text
    assert section(talk, "人事室").line_group_id is None and section(talk, "戶籍資料課").line_group_id == group


def test_binding_outside_a_group_or_without_a_section(talk, group):
    assert talk.text(CHIEF_DATA, "綁定群組 戶籍資料課").startswith("「綁定群組」要在課室的 LINE 群組裡傳")
    assert talk.text(COORDINATOR, "綁定群組", group=group).startswith("請寫出要綁定的課室，例如：綁定群組 戶籍資料課")
    assert talk.text(STRANGER, "綁定群組 戶籍資料課", group=group) == "請先私訊我完成綁定，才能查詢或回報計畫。"


def test_buttons_of_the_greeting_fit_the_role(talk):
    chief = [b.label for b in buttons(talk.send(CHIEF_DATA, "說明")[0])]
    assert "逾期 戶籍資料課" in chief and "摘要" in chief and "匯出" in chief
    staff = [b.label for b in buttons(talk.send(STAFF_DATA, "說明")[0])]
    assert "摘要" not in staff and "匯出" not in staff and "回報" in staff
    coordinator = [b.label for b in buttons(talk.send(COORDINATOR, "說明")[0])]
    assert "摘要 全所" in coordinator and "逾期 全所" in coordinator
    assert all(len(x) <= 13 for x in (chief, staff, coordinator))
