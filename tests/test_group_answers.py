"""In a group, answers hold only what every member may see; office-wide answers and links go to the asker alone."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import func, select

from bot.clock import clockwork
from bot.runtime import Runtime
from bot.settings import Settings as BotSettings
from bot.simulator_sender import SimulatorSender
from handlers.core.replies import FileLink, Text
from handlers.documents.digests import replies_from_payload
from schedules.clock import TAIPEI, FixedClock
from schedules.planner import Person, Report, SectionInfo, plan_morning
from storage import queries
from storage.models import Delivery
from tests.handler_fixtures import CHIEF_DATA, CHIEF_REG, COORDINATOR, STAFF_DATA, Talk, read
from tests.test_compiled_round import FIFTH_WORKING_DAY

DATA_GROUP = "C" + "d" * 32  # bound to 戶籍資料課 in each test
OTHER_GROUP = "C" + "e" * 32  # bound to nothing


def bound(talk: Talk) -> Talk:
    assert read(talk.send(CHIEF_DATA, "綁定群組 戶籍資料課", group=DATA_GROUP)).startswith("好的，這個群組已綁定為「戶籍資料課」")
    return talk


def queued(talk: Talk, after_id: int) -> list[Delivery]:
    """Return the answers queued in the outbox for an asker alone since the row after_id."""
    return talk.session.scalars(select(Delivery).where(Delivery.key.startswith("notice:private:"), Delivery.id > after_id)).all()


def last_row(talk: Talk) -> int:
    return talk.session.scalar(select(func.max(Delivery.id))) or 0


def private_replies(talk: Talk, who: str, text: str, group: str) -> tuple[str, list]:
    """Return what the group reads and the replies queued for the asker alone; fail unless the answer went privately."""
    before = last_row(talk)
    replies = talk.send(who, text, group=group)
    assert [type(r) for r in replies] == [Text], read(replies)
    [row] = queued(talk, before)
    assert row.recipient == talk.line_id(who) and row.sent_at is None  # pushed once the event is committed
    return replies[0].text, replies_from_payload(row.payload)


def private(talk: Talk, who: str, text: str, group: str) -> tuple[str, str]:
    group_text, alone = private_replies(talk, who, text, group)
    return group_text, read(alone)


def in_group(talk: Talk, who: str, text: str, group: str) -> str:
    before = last_row(talk)
    replies = talk.send(who, text, group=group)
    assert replies and not queued(talk, before), read(replies)
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
    said, alone = private_replies(talk, CHIEF_DATA, "匯出", DATA_GROUP)  # even the group's own section: a one-time link
    assert "/files/" not in said and [type(r) for r in alone] == [Text, FileLink, FileLink, FileLink]
    assert "/console/signin/" in private(talk, CHIEF_DATA, "管理", DATA_GROUP)[1]
    _, alone = private(talk, COORDINATOR, f"綁定碼 {STAFF_DATA}", OTHER_GROUP)
    assert STAFF_DATA in alone
    _, alone = private(talk, COORDINATOR, "停班 4/10 颱風停止上班", DATA_GROUP)  # the office's moved dates, and its 確定 button
    assert alone.startswith("要把 4/10（三） 設為停止上班日嗎？") and "[確定]" in alone


def test_what_the_asker_shares_of_their_own_stays_in_the_group(talk):
    bound(talk)
    assert in_group(talk, STAFF_DATA, "本週", OTHER_GROUP).startswith("本週（4/8（一）～4/14（日））你有 1 項")
    assert in_group(talk, COORDINATOR, "我的", DATA_GROUP)
    assert in_group(talk, CHIEF_DATA, "本週", OTHER_GROUP)  # a chief's own list, with a 本週 戶籍資料課 button
    assert read(talk.send(STAFF_DATA, "逾期 全所", group=DATA_GROUP)) == read(talk.send(STAFF_DATA, "逾期 全所"))  # refused


def test_an_asker_who_cannot_get_a_private_message_is_told_why_in_the_group(talk):
    bound(talk)
    talk.staff(COORDINATOR).following = False  # blocked the bot, or never added it as a friend
    before = last_row(talk)
    [refusal] = talk.send(COORDINATOR, "逾期 全所", group=DATA_GROUP)
    assert not queued(talk, before)
    assert refusal.text.startswith(f"{COORDINATOR}，這則回覆有群組裡不是每個人都能看的資料，只能私訊給你，但你還沒有加我為好友")
    assert "戶籍登記課" not in refusal.text


def test_a_morning_digest_to_a_section_group_holds_only_that_sections_lines():
    """An unlinked coordinator's compiled round (every section) never goes to their own section's group."""
    from tests.test_planner import CAL, PEOPLE, SECTIONS, office

    sections = (*SECTIONS[:2], SectionInfo(3, "研考室", "Cgroup3"))
    people = tuple(p if p.name != "陳研考" else Person(4, "陳研考", 3, "coordinator", None) for p in PEOPLE)
    data = replace(office(reports={(7, "2024-03"): Report("in_progress", date(2024, 4, 2))}, people=people), sections=sections)
    fifth = plan_morning([data], CAL, datetime(2024, 4, 9, 8, 30, tzinfo=TAIPEI))  # the 5th working day
    by_name = {p.to: p for p in fifth}
    assert by_name["陳研考"].via == "none"  # unreachable (logged as such), not posted to 研考室's group
    assert {ln.section for ln in by_name["陳研考"].lines} == {"戶籍登記課", "兵役課"}
    assert "研考室" not in by_name


def test_a_chiefs_compiled_round_in_the_section_group_carries_no_download_link(demo_db):
    """An unlinked chief's round goes to the section's group (its own data), without the one-time link."""
    with demo_db.sessions() as session:
        chief = queries.find_staff(session, CHIEF_DATA)
        chief.line_user_id = None
        chief.section.line_group_id = DATA_GROUP
        session.commit()
    sim = SimulatorSender()
    runtime = Runtime(demo_db.url, demo_db.engine, demo_db.sessions, FixedClock(FIFTH_WORKING_DAY),
                      BotSettings.from_env({"PUBLIC_URL": "http://bot.example"}))
    assert clockwork(runtime, outbox=sim).morning().sent.failed == 0
    said = json.dumps([m.message for m in sim.since(DATA_GROUP, 0)], ensure_ascii=False)
    assert "3 月工作進度彙整" in said and "戶籍資料課，上月到期 10 次" in said  # the section's compiled status
    assert "如期完成 0／逾期完成 0／逾期（進行中 0、延後 0、未開始 0）／未回報 10" in said
    assert "/files/" not in said
    with demo_db.sessions() as session:
        coordinator = queries.find_staff(session, COORDINATOR).line_user_id
    assert "/files/" in json.dumps([m.message for m in sim.since(coordinator, 0)])  # one person's digest: the link



def test_someone_elses_leave_is_answered_to_the_asker_alone_ones_own_stays(talk):
    bound(talk)
    talk.at("2024-04-08 09:00")
    group_text, alone = private(talk, CHIEF_DATA, f"請假 {STAFF_DATA} 4/10-4/11", DATA_GROUP)
    assert "已私訊給你" in group_text and f"已登記 {STAFF_DATA} 請假" in alone
    assert STAFF_DATA not in group_text and "4/10" not in group_text
    group_text, alone = private(talk, CHIEF_DATA, f"銷假 {STAFF_DATA}", DATA_GROUP)
    assert STAFF_DATA in alone and STAFF_DATA not in group_text
    assert f"已登記 {CHIEF_DATA} 請假" in in_group(talk, CHIEF_DATA, "請假 4/12", DATA_GROUP)


def _files(talk: Talk) -> int:
    from storage.models import ExportFile

    return talk.session.scalar(select(func.count()).select_from(ExportFile)) or 0


def test_export_asked_again_and_again_in_a_group_makes_one_push_and_one_set_of_files(talk):
    bound(talk)
    before = last_row(talk)
    private_replies(talk, CHIEF_DATA, "匯出", DATA_GROUP)
    made = _files(talk)  # .ods and .xlsx, and the PDF where a CJK font is installed
    assert made >= 2
    for _ in range(1, 10):
        talk.clock.advance(minutes=1)
        said = read(talk.send(CHIEF_DATA, "匯出", group=DATA_GROUP))
        assert "09:00 私訊給你的下載連結還沒用過" in said and "/files/" not in said
    assert len(queued(talk, before)) == 1 and _files(talk) == made
    talk.clock.advance(minutes=2)  # ten minutes on, a new set is made (the first may have been lost)
    private_replies(talk, CHIEF_DATA, "匯出", DATA_GROUP)
    assert _files(talk) == 2 * made


def test_export_again_one_to_one_points_at_the_open_link(talk):
    assert "/files/" in read(talk.send(CHIEF_DATA, "匯出"))
    made = _files(talk)
    assert "09:00 給你的下載連結還沒用過" in talk.text(CHIEF_DATA, "匯出") and _files(talk) == made >= 2


def test_the_pushes_a_persons_group_messages_cause_are_capped_per_day(talk):
    bound(talk)
    before = last_row(talk)
    for _ in range(5):
        private(talk, COORDINATOR, "逾期 全所", DATA_GROUP)
    said = in_group(talk, COORDINATOR, "逾期 全所", DATA_GROUP)
    assert "今天因你在群組的訊息而私訊的回覆已經 5 則了" in said and "請直接私訊我" in said
    assert len(queued(talk, before)) == 5
    private(talk, CHIEF_DATA, "管理", DATA_GROUP)  # another person is not held back
    talk.at("2024-04-09 08:00")
    private(talk, COORDINATOR, "逾期 全所", DATA_GROUP)  # a new day


def test_no_private_push_from_a_group_when_the_quota_has_no_room(talk):
    bound(talk)
    asked: list[int] = []
    talk.push_room = lambda n: asked.append(n) or False
    before = last_row(talk)
    said = in_group(talk, COORDINATOR, "逾期 全所", DATA_GROUP)
    assert "本月的推播額度所剩不多" in said and asked == [1] and not queued(talk, before)



def test_an_answer_that_can_reach_nobody_leaves_nothing_done(talk):
    from storage.models import ProgressReport

    bound(talk)
    report = "回報 登記課3 4月 完成"  # another section's item from the 戶籍資料課 group: its answer goes privately
    for _ in range(5):
        private(talk, COORDINATOR, "逾期 全所", DATA_GROUP)
    reports = talk.session.scalar(select(func.count()).select_from(ProgressReport))
    said = in_group(talk, COORDINATOR, report, DATA_GROUP)
    assert "請直接私訊我同樣的內容" in said and "這則訊息沒有做任何變更" in said
    assert talk.session.scalar(select(func.count()).select_from(ProgressReport)) == reports
    assert "已記錄" in talk.text(COORDINATOR, report)  # sent one-to-one, as asked: recorded once
    assert talk.session.scalar(select(func.count()).select_from(ProgressReport)) == reports + 1


def test_every_command_says_who_may_read_its_answer_and_a_group_gets_it_only_when_all_may(talk):
    """Each catalogue command's answer declares its readers; in a group it goes privately exactly when not every
    member may read it, and what stays in the group carries no link that acts as the asker."""
    from handlers.chat.catalog import COMMANDS
    from handlers.chat.router import run
    from handlers.core.incoming import Incoming
    from handlers.core.replies import audience_of
    from handlers.core.request import Asker, Request

    bound(talk).session.commit()
    section = talk.staff(CHIEF_DATA).section
    other = next(s for s in queries.sections_of(talk.session, section.office_id) if s.id != section.id)
    kept = private_ones = 0
    for who, scopes in ((COORDINATOR, ("", " 全所", f" {section.name}", f" {other.name}")), (CHIEF_DATA, ("", f" {other.name}")),
                        (STAFF_DATA, ("",))):
        for definition in (d for d in COMMANDS.definitions if d.spellings and d.name != "link_group"):  # the group stays bound
            for args in scopes:
                text = definition.spellings[0] + args
                incoming = Incoming("text", talk.line_id(who), text=text, group_id=DATA_GROUP)
                asker = Asker(incoming.line_user_id, talk.staff(who), DATA_GROUP)
                declared = run(Request(incoming, asker, COMMANDS.parse(text), COMMANDS), talk.context())
                talk.session.rollback()
                if not declared:
                    continue
                said = read(talk.send(who, f"@planbot {text}", group=DATA_GROUP))
                talk.session.rollback()
                went_privately = said.startswith(f"{who}，這則回覆")  # sent privately, or why it cannot be
                assert went_privately != audience_of(declared).readable_in(section.id), (who, text, said)
                if not went_privately:
                    assert "/files/" not in said and "/console/signin/" not in said, (who, text, said)
                kept += not went_privately
                private_ones += went_privately
    assert kept > 50 and private_ones > 20  # both kinds of answer were met
