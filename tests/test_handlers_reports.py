"""回報 and the report buttons: what is written (history + audit), on which occurrence, and who may report."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from handlers.core.incoming import Settings
from handlers.core.replies import Text
from handlers.office.imports.plan import import_plan
from handlers.texts import chat as M
from schedules.clock import FixedClock
from storage import queries
from storage.models import AuditLog, Item, ProgressReport, Role, Staff, Status
from tests.handler_fixtures import (
    CHIEF_DATA,
    CHIEF_REG,
    COORDINATOR,
    DIRECTOR,
    STAFF_DATA,
    STAFF_DATA_2,
    STAFF_REG,
    Talk,
    read,
    write_plan_csv,
)


def item(talk: Talk, section: str, number: str) -> Item:
    return next(i for i in queries.items_of_plan(talk.session, queries.only_office(talk.session).plans[0].id)
                if i.section.name == section and i.number == number)


def reports(talk: Talk, it: Item) -> list[ProgressReport]:
    return list(reversed(queries.reports_of_item(talk.session, it.id)))


def count(talk: Talk, model) -> int:
    return talk.session.scalar(select(func.count()).select_from(model))


def test_report_done_writes_history_and_audit_and_confirms(talk_any):
    talk = talk_any
    text = talk.text(STAFF_DATA, "回報 12 4月 完成")
    assert text.startswith("已記錄 ✅\n戶籍資料課 12 門牌點位及上傳管理\n作業：4月：4/1（一）～4/30（二）\n進度：已完成\n回報人：李冠緯（09:00）")
    assert "下一次：5月：5/1（三）～5/31（五）" in text
    [row] = reports(talk, item(talk, "戶籍資料課", "12"))
    assert (row.occurrence_key, row.status, row.percent, row.note, row.via) == ("2024-04", Status.done, None, "", "line")
    assert row.staff.name == STAFF_DATA and row.reported_at == talk.clock.now()
    audit = talk.session.scalars(select(AuditLog).where(AuditLog.action == "progress.report")).one()
    assert audit.actor == f"line:{talk.line_id(STAFF_DATA)}"
    assert audit.detail["occurrence"] == "2024-04" and audit.detail["status"] == "done" and audit.detail["number"] == "12"


def test_history_is_kept_never_overwritten(talk_any):
    talk = talk_any
    talk.send(STAFF_DATA, "回報 12 4月 50% 已完成初稿")
    talk.clock.advance(hours=2)
    talk.send(STAFF_DATA, "回報 12 4月 完成")
    rows = reports(talk, item(talk, "戶籍資料課", "12"))
    assert [(r.status, r.percent, r.note) for r in rows] == [(Status.in_progress, 50, "已完成初稿"), (Status.done, None, "")]
    latest = queries.latest_reports(talk.session, [rows[0].item_id])
    assert latest[(rows[0].item_id, "2024-04")].status is Status.done


def test_percent_and_delay_with_notes(talk):
    text = talk.text(STAFF_DATA, "回報 12 4月 50% 已完成初稿")
    assert "進度：進行中 50%\n備註：已完成初稿" in text
    text = talk.text(STAFF_DATA, "回報 12 4月 延遲 等民政局回函")
    assert "進度：延後\n備註：等民政局回函" in text
    talk.send(STAFF_DATA, "回報 12 4月 100%")
    rows = reports(talk, item(talk, "戶籍資料課", "12"))
    assert [(r.status, r.percent) for r in rows] == [(Status.in_progress, 50), (Status.delayed, None), (Status.done, 100)]


def test_a_percentage_after_the_in_progress_word_is_the_progress_not_a_note(talk):
    text = talk.text(STAFF_DATA, "回報 12 4月 進行中 50%")
    assert "進度：進行中 50%" in text and "備註" not in text
    text = talk.text(STAFF_DATA, "回報 12 4月 處理中，60% 等公文")
    assert "進度：進行中 60%\n備註：等公文" in text
    rows = reports(talk, item(talk, "戶籍資料課", "12"))
    assert [(r.status, r.percent, r.note) for r in rows] == [(Status.in_progress, 50, ""), (Status.in_progress, 60, "等公文")]


def test_a_named_month_reports_on_that_occurrence(talk):
    text = talk.text(STAFF_DATA, "回報 12 3月 完成")
    assert "作業：3月：3/1（五）～3/29（五）" in text
    assert reports(talk, item(talk, "戶籍資料課", "12"))[0].occurrence_key == "2024-03"
    assert "3/29（五） 12 門牌點位及上傳管理" not in talk.text(STAFF_DATA, "逾期")


def test_current_occurrence_is_the_one_open_today_else_the_next(talk):
    # 每月5日前: April's falls on 4/8 (清明 and the weekend), today; January to March are overdue, so it asks,
    # and the occurrence offered last (not overdue) is the current one.
    [ask] = talk.send(STAFF_DATA, "回報 11 完成")
    assert ask.quick_replies[-1].label == "4月"
    talk.tap(STAFF_DATA, ask.quick_replies[-1].data)
    talk.send(STAFF_DATA, "回報 6 完成")  # weekly from 4/25: the first, 4/29
    keys = [reports(talk, item(talk, "戶籍資料課", n))[0].occurrence_key for n in ("11", "6")]
    assert keys == ["2024-04", "2024-04-29"]


def test_an_outstanding_overdue_occurrence_is_pointed_out(talk):
    text = talk.text(STAFF_DATA, "回報 11 4月 完成")
    assert "另有 3 次作業逾期未完成（最近一次：3月：3/5（二）截止）。要回報那一次請傳：回報 11 3月 完成" in text
    talk.send(STAFF_DATA, "回報 11 1月 完成")
    assert reports(talk, item(talk, "戶籍資料課", "11"))[-1].occurrence_key == "2024-01"


def test_sub_item_numbers_and_windows(talk):
    text = talk.text("吳欣穎", "回報 6-2 完成")
    assert "戶籍登記課 6-2 戶籍清查業務\n作業：3/1（五）～4/30（二）\n進度：已完成" in text
    assert reports(talk, item(talk, "戶籍登記課", "6-2"))[0].occurrence_key == "2024-03-01~2024-04-30"


def test_report_alone_asks_with_buttons_that_record(talk):
    [ask] = talk.send(STAFF_DATA, "回報 12")
    assert ask.text == "「12 門牌點位及上傳管理」（4月：4/1（一）～4/30（二））目前進度如何？請選："
    assert [b.label for b in ask.quick_replies] == ["完成", "進行中", "50%", "延後", "未開始"]
    assert all(len(b.data) <= 300 for b in ask.quick_replies)
    text = read(talk.tap(STAFF_DATA, ask.quick_replies[2].data))
    assert "進度：進行中 50%" in text
    [row] = reports(talk, item(talk, "戶籍資料課", "12"))
    assert (row.status, row.percent, row.occurrence_key) == (Status.in_progress, 50, "2024-04")


def test_a_note_without_status_rides_along_on_the_buttons(talk):
    [ask] = talk.send(STAFF_DATA, "回報 12 等民政局回函")
    talk.tap(STAFF_DATA, ask.quick_replies[3].data)
    [row] = reports(talk, item(talk, "戶籍資料課", "12"))
    assert (row.status, row.note) == (Status.delayed, "等民政局回函")


def test_report_with_no_number_lists_my_items(talk):
    [pick] = talk.send(STAFF_DATA, "回報")
    assert pick.text.startswith("要回報哪一項？請選：")
    labels = [b.label for b in pick.quick_replies]
    assert "12 門牌點位及上傳管理" in labels and "6 提供學齡兒童異動名冊" in labels
    [ask] = talk.tap(STAFF_DATA, next(b.data for b in pick.quick_replies if b.label.startswith("12 ")))
    assert ask.text.startswith("「12 門牌點位及上傳管理」")


def test_owners_their_chief_and_the_coordinator_may_report(talk):
    assert read(talk.send(STAFF_DATA, "回報 戶籍資料課 12 4月 完成")).startswith("已記錄 ✅")
    for who in (STAFF_DATA_2, CHIEF_DATA, COORDINATOR):
        # April is done already: 完成 again is asked first, then recorded on 再記一筆.
        [ask] = talk.send(who, "回報 戶籍資料課 12 4月 完成")
        assert ask.text == "12 門牌點位及上傳管理 的 4月 已於 4/8（一） 完成，要再記一筆嗎？"
        assert read(talk.tap(who, ask.quick_replies[0].data)).startswith("已記錄 ✅")
    assert [r.staff.name for r in reports(talk, item(talk, "戶籍資料課", "12"))] == [STAFF_DATA, STAFF_DATA_2, CHIEF_DATA, COORDINATOR]


def test_others_are_refused_and_nothing_is_written(talk):
    before = count(talk, ProgressReport), count(talk, AuditLog)
    for who in (STAFF_REG, CHIEF_REG, DIRECTOR):
        text = talk.text(who, "回報 戶籍資料課 12 4月 完成")
        assert text == "抱歉，只有承辦人、所屬課長和研考可以回報「12 門牌點位及上傳管理」的進度。"
    assert (count(talk, ProgressReport), count(talk, AuditLog)) == before


def test_forged_postbacks_are_checked_again(talk):
    it = item(talk, "戶籍資料課", "12")
    before = count(talk, ProgressReport)
    assert "只有承辦人" in read(talk.tap(STAFF_REG, f"a=report&i={it.id}&o=2024-04&s=done"))
    for data in (f"a=report&i={it.id}&o=1999-01&s=done", f"a=report&i={it.id}&o=2024-04&s=finished",
                 f"a=report&i={it.id}&o=2024-04&s=in_progress&p=150", "a=report&i=999999&o=2024-04&s=done",
                 "a=report", "a=nope", "", "%%%", "a=report&i=" + "9" * 400):
        assert "失效" in read(talk.tap(STAFF_DATA, data)), data
    assert count(talk, ProgressReport) == before


def test_reminder_digest_buttons_record(talk):
    it = item(talk, "戶籍資料課", "11")
    text = read(talk.tap(STAFF_DATA, f"a=report&i={it.id}&o=2024-03&s=done"))
    assert "作業：3月：3/5（二）截止" in text
    assert reports(talk, it)[0].occurrence_key == "2024-03"


def test_an_ambiguous_number_prefers_mine_then_my_section_else_asks(talk):
    assert "戶籍資料課 11" in talk.text(STAFF_DATA, "回報 11 完成")  # owns it
    assert "行政庶務課 11" in talk.text(COORDINATOR, "回報 11 完成")  # 研考 sits in 行政庶務課
    [ask] = talk.send(COORDINATOR, "回報 3 50% 初稿")  # neither hers nor her section's: which one?
    assert ask.text.startswith("編號 3 在好幾個課室都有，請選一項：")
    assert [b.label for b in ask.quick_replies] == ["戶籍登記課 3 助您好孕專案", "戶籍資料課 3 輔助人員辨識確認系統"]
    text = read(talk.tap(COORDINATOR, ask.quick_replies[1].data))
    assert text.startswith("已記錄 ✅\n戶籍資料課 3 輔助人員辨識確認系統") and "進度：進行中 50%\n備註：初稿" in text


def test_the_section_qualified_form(talk):
    assert "戶籍資料課 11" in talk.text(COORDINATOR, "回報 戶籍資料課 11 4月 完成")
    assert "戶籍資料課 3 輔助人員" in talk.text(COORDINATOR, "回報 資料課 3 完成")


def test_unknown_numbers_months_and_sections_are_explained(talk):
    assert talk.text(STAFF_DATA, "回報 99 完成") == "找不到編號 99 的項目。傳「我的」可以看自己負責的項目和編號。"
    text = talk.text(STAFF_DATA, "回報 1 8月 完成")
    assert text == "「1 辦理到校受理國中生初領國民身分證業務」在 8月 沒有排定的作業。這個項目今年的作業有：3-5月"
    assert talk.text(STAFF_DATA, "回報 12 150%") == "百分比要在 0～100 之間，例如：回報 12 50%"
    assert talk.text(STAFF_DATA, "回報 民政課 3 完成").startswith("找不到「民政課」這個課室")
    assert talk.text(STAFF_DATA, "回報 完成").startswith("請寫出編號和進度")
    assert count(talk, ProgressReport) == 0


def test_a_small_plan_with_explicit_sub_numbers(sqlite_db, tmp_path, now):

    path = write_plan_csv(tmp_path / "plan.csv", [
        ("戶籍登記課", "6-1", "戶籍清查業務", "百歲人瑞清查", "林志明", "1/1-2/28"),
        ("戶籍登記課", "6-2", "戶籍清查業務", "90歲以上清查", "林志明", "3/1-4/30"),
        ("戶籍資料課", "6-2", "另一個項目", "別課的同號項目", "王美玲", "每月5日前"),
    ])
    with sqlite_db.sessions() as session:
        import_plan(session, path, 2024, now, office_name="測試戶所")
        staff = session.scalar(select(Staff).where(Staff.name == "林志明"))
        staff.line_user_id, staff.role = "Ulin", Role.staff
        session.commit()
        talk = Talk(session, FixedClock(now), Settings())
        text = talk.text("Ulin", "回報 6-2 延後 等公文")
        assert text.startswith("已記錄 ✅\n戶籍登記課 6-2 戶籍清查業務\n作業：3/1（五）～4/30（二）\n進度：延後\n備註：等公文")
        assert isinstance(talk.send("Ulin", "回報 ６－２ 完成")[0], Text)
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 2


def test_a_report_without_a_month_asks_when_an_earlier_one_is_still_overdue(talk):
    # 每月5日前: April's fell on 4/8; on 4/10 回報 11 完成 could mean April's (overdue) or May's (issue 11, point 4).
    talk.at("2024-04-10 09:00")
    before = count(talk, ProgressReport)
    [ask] = talk.send(STAFF_DATA, "回報 11 完成")
    assert ask.text.startswith("「戶籍資料課 11 門牌指標設置及定期巡查管理」有 4 次作業逾期未完成，要回報哪一次？")
    assert [b.label for b in ask.quick_replies] == ["2月（逾期）", "3月（逾期）", "4月（逾期）", "5月"]
    assert count(talk, ProgressReport) == before
    text = read(talk.tap(STAFF_DATA, ask.quick_replies[2].data))
    assert "作業：4月：4/8（一）截止（4/5 遇假日順延）\n進度：已完成" in text
    assert reports(talk, item(talk, "戶籍資料課", "11"))[-1].occurrence_key == "2024-04"
    text = talk.text(STAFF_DATA, "回報 11 5月 完成")
    assert "作業：5月：5/6（一）截止" in text
    assert reports(talk, item(talk, "戶籍資料課", "11"))[-1].occurrence_key == "2024-05"


def test_without_anything_overdue_the_current_occurrence_is_recorded_at_once(talk):
    talk.at("2024-06-03 09:00")
    assert talk.text(STAFF_DATA, "回報 1 完成").startswith("已記錄 ✅")  # 3-5月 ended 5/31, nothing else is open
    talk.at("2024-04-08 09:00")
    assert talk.text(STAFF_DATA, "回報 6 完成").startswith("已記錄 ✅")


def test_a_parent_number_means_the_askers_own_sub_items(talk):
    # 陳怡君 owns 戶籍登記課 6-3, 6-4 and 6-8; 戶籍資料課 6 is someone else's item she may not report on.
    [ask] = talk.send(STAFF_REG, "回報 6 完成")
    assert ask.text.startswith("編號 6 分成好幾個子項目，請選一項：")
    assert [b.label[:4] for b in ask.quick_replies] == ["6-3 ", "6-4 ", "6-8 "]
    assert "抱歉" not in ask.text
    text = read(talk.tap(STAFF_REG, ask.quick_replies[2].data))
    assert text.startswith("已記錄 ✅\n戶籍登記課 6-8 戶籍清查業務")
    assert reports(talk, item(talk, "戶籍登記課", "6-8"))[0].status is Status.done
    # A chief gets their section's sub-items; one owned sub-item is recorded at once.
    assert talk.text(CHIEF_REG, "回報 6 完成").count("・戶籍登記課 6-") == 8
    assert talk.text("楊凱", "回報 15 6月 完成").startswith("已記錄 ✅")
    assert talk.text("郭品妤", "回報 14 50%").startswith("編號 14 分成好幾個子項目")


def test_an_exact_number_the_asker_may_report_still_wins_over_sub_items(talk):
    assert talk.text(CHIEF_DATA, "回報 6 完成").startswith("已記錄 ✅\n戶籍資料課 6 提供學齡兒童異動名冊")


def test_a_month_that_does_not_exist_is_said_not_kept_as_a_note(talk):
    before = count(talk, ProgressReport)
    assert talk.text(STAFF_DATA, "回報 12 13月 完成") == "月份要在 1～12 月之間，例如：回報 12 3月 完成"
    assert count(talk, ProgressReport) == before


# ---------------------------------------------------------------- issue 11: notes, 未開始, 第3項, names, keys


def test_notes_are_stored_as_typed(talk):
    it = item(talk, "戶籍資料課", "12")
    talk.send(STAFF_DATA, "回報 12 4月 完成 陳核，核銷（ＯＫ）")
    for again in ("回報 12 4月 完成了", "回報 12 4月 完成。謝謝"):
        [ask] = talk.send(STAFF_DATA, again)  # done already: asked first
        talk.tap(STAFF_DATA, ask.quick_replies[0].data)
    talk.send(STAFF_DATA, "回報 12 4月 延後：等　民政局回函，謝謝")
    notes = [r.note for r in reports(talk, it)]
    assert notes == ["陳核，核銷（ＯＫ）", "", "", "等　民政局回函，謝謝"]


def test_not_started_is_stored_and_shown_as_not_started(talk):
    text = talk.text("吳欣穎", "回報 6-2 未開始")
    assert "進度：未開始" in text
    [row] = reports(talk, item(talk, "戶籍登記課", "6-2"))
    assert row.status is Status.not_started
    assert "未開始" in talk.text("吳欣穎", "查 6-2") or "未開始" in read(talk.send("吳欣穎", "本月"))


def test_quarters_and_halves_are_matched_by_occurrence_key(tmp_path, sqlite_db, now):
    path = write_plan_csv(tmp_path / "plan.csv", [
        ("戶籍登記課", "1", "季報", "每季陳報", "林志明", "每季"),
        ("戶籍登記課", "2", "半年報", "每半年陳報", "林志明", "每半年至少辦理一次"),
    ])
    with sqlite_db.sessions() as session:
        import_plan(session, path, 2024, now, office_name="測試戶所")
        staff = session.scalar(select(Staff).where(Staff.name == "林志明"))
        staff.line_user_id, staff.role = "Ulin", Role.staff
        session.commit()
        talk = Talk(session, FixedClock(now), Settings())
        talk.send("Ulin", "回報 1 第1季 完成")
        talk.send("Ulin", "回報 1 第三季 50%")
        talk.send("Ulin", "回報 2 上半年 完成")
        rows = session.scalars(select(ProgressReport).order_by(ProgressReport.id)).all()
        assert [r.occurrence_key for r in rows] == ["2024-01~2024-03", "2024-07~2024-09", "2024-01~2024-06"]


def test_an_item_is_found_by_its_place_in_words_or_by_name(talk):
    assert talk.text(STAFF_DATA, "回報 第12項 4月 完成").startswith("已記錄 ✅\n戶籍資料課 12 門牌點位及上傳管理")
    text = talk.text(STAFF_DATA, "回報 門牌點位 4月 50% 拍照中")
    assert text.startswith("已記錄 ✅\n戶籍資料課 12 門牌點位及上傳管理") and "備註：拍照中" in text
    [ask] = talk.send(STAFF_DATA, "回報 門牌 5月 完成")  # 11 and 12 both say 門牌
    assert ask.text.startswith("有 2 個項目和「門牌」有關，要回報哪一項？")
    assert {b.label[:3] for b in ask.quick_replies} == {"11 ", "12 "}
    assert talk.text(STAFF_DATA, "回報 沒有這種項目 完成").startswith("找不到和「沒有這種項目」有關、你可以回報的項目")


# ---------------------------------------------------------------- issue 11: undo, reasons, stale buttons


def test_delay_from_a_button_asks_why_and_keeps_the_next_message_as_the_reason(talk):
    it = item(talk, "戶籍資料課", "12")
    [ask] = talk.send(STAFF_DATA, "回報 12 4月")
    delayed = next(b for b in ask.quick_replies if b.label == "延後")
    text = read(talk.tap(STAFF_DATA, delayed.data))
    assert "進度：延後" in text and "延後的原因是什麼？" in text
    text = talk.text(STAFF_DATA, "等民政局回函，預計下週")
    assert text.startswith("已記下原因 ✅\n12 門牌點位及上傳管理\n備註：等民政局回函，預計下週")
    rows = reports(talk, it)
    assert [(r.status, r.note) for r in rows] == [(Status.delayed, ""), (Status.delayed, "等民政局回函，預計下週")]
    # The question is answered: the next free text is searched again, not taken as a reason.
    assert "門牌" in talk.text(STAFF_DATA, "門牌")
    assert len(reports(talk, it)) == 2


def test_a_command_after_the_question_is_answered_and_the_reason_asked_again_once(talk):
    it = item(talk, "戶籍資料課", "12")
    talk.send(STAFF_DATA, "回報 12 4月 延後")
    answer = talk.send(STAFF_DATA, "本週")
    assert read(answer).startswith("本週（") and read(answer[-1:]) == M.REPORT_ASK_REASON_AGAIN
    # The question was asked again: the next plain message is the reason.
    assert talk.text(STAFF_DATA, "門牌廠商缺料").startswith("已記下原因 ✅")
    assert [r.note for r in reports(talk, it)] == ["", "門牌廠商缺料"]


def test_the_reason_is_asked_again_once_only(talk):
    it = item(talk, "戶籍資料課", "12")
    talk.send(STAFF_DATA, "回報 12 4月 延後")
    assert read(talk.send(STAFF_DATA, "逾期")[-1:]) == M.REPORT_ASK_REASON_AGAIN
    assert M.REPORT_ASK_REASON_AGAIN not in talk.text(STAFF_DATA, "我的")  # asked twice: the question lapses
    talk.send(STAFF_DATA, "門牌廠商缺料")
    assert [r.note for r in reports(talk, it)] == [""]


@pytest.mark.parametrize("message", [
    "這禮拜還有什麼要交？", "我有沒有逾期的", "請問延後要寫什麼嗎", "說明", "11 完成", "我這個月還有什麼要交",
])
def test_a_question_or_a_sentence_command_is_never_kept_as_the_reason(talk, message):
    it = item(talk, "戶籍資料課", "12")
    talk.send(STAFF_DATA, "回報 12 4月 延後")
    text = talk.text(STAFF_DATA, message)
    assert not text.startswith("已記下原因") and text.endswith(M.REPORT_ASK_REASON_AGAIN)
    assert [r.note for r in reports(talk, it)] == [""]
    assert talk.text(STAFF_DATA, "民政局尚未回函").startswith("已記下原因 ✅")
    assert [r.note for r in reports(talk, it)] == ["", "民政局尚未回函"]


@pytest.mark.parametrize("reason", ["等民政局回函，預計下週", "人力不足 月底前補上", "廠商延遲交貨", "系統維護中"])
def test_a_reason_that_mentions_a_time_or_a_status_is_kept_as_the_reason(talk, reason):
    it = item(talk, "戶籍資料課", "12")
    talk.send(STAFF_DATA, "回報 12 4月 延後")
    assert talk.text(STAFF_DATA, reason).startswith("已記下原因 ✅")
    assert [r.note for r in reports(talk, it)] == ["", reason]


def test_undo_shows_the_report_and_takes_it_back_on_confirmation(talk):
    it = item(talk, "戶籍資料課", "12")
    talk.send(STAFF_DATA, "回報 12 4月 50% 初稿")
    talk.clock.advance(minutes=5)
    talk.send(STAFF_DATA, "回報 12 4月 完成")
    [ask] = talk.send(STAFF_DATA, "撤銷")
    assert ask.text.startswith("要撤銷你剛才的這筆回報嗎？\n戶籍資料課 12 門牌點位及上傳管理\n作業：4月：4/1（一）～4/30（二）\n進度：已完成")
    assert len(reports(talk, it)) == 2  # asking writes nothing
    confirm = ask.quick_replies[0]
    assert confirm.label == "確定撤銷"
    text = read(talk.tap(STAFF_DATA, confirm.data))
    assert text.startswith("已撤銷 ↩️") and "現在的進度：進行中 50%" in text
    rows = reports(talk, it)
    assert [(r.status, r.percent, r.note, r.via) for r in rows] == [
        (Status.in_progress, 50, "初稿", "line"), (Status.done, None, "", "line"), (Status.in_progress, 50, "初稿", "undo"),
    ]
    assert "🔄進行中 50%" in talk.text(STAFF_DATA, "本月")
    assert read(talk.tap(STAFF_DATA, confirm.data)) == "這筆回報已經撤銷了。"  # once only
    assert talk.text(STAFF_DATA, "取消").startswith("你在 24 小時內沒有可以撤銷的回報")


def test_undo_of_a_first_report_leaves_the_occurrence_unreported(talk):
    talk.send(STAFF_DATA, "回報 12 4月 未開始")
    assert "⬜未開始" in talk.text(STAFF_DATA, "本月")
    [ask] = talk.send(STAFF_DATA, "撤銷")
    assert "現在的進度：未回報" in read(talk.tap(STAFF_DATA, ask.quick_replies[0].data))
    assert "・12 門牌點位及上傳管理｜4月作業｜⬜未回報" in talk.text(STAFF_DATA, "本月")
    history = reports(talk, item(talk, "戶籍資料課", "12"))
    assert [r.status for r in history] == [Status.not_started, Status.not_started] and history[-1].via == "undo:none"


def test_undo_refuses_after_a_day_or_after_someone_else_reported(talk):
    talk.send(STAFF_DATA, "回報 12 4月 完成")
    [ask] = talk.send(STAFF_DATA, "撤銷")
    talk.send(STAFF_DATA_2, "回報 12 4月 延後 缺資料")
    assert read(talk.tap(STAFF_DATA, ask.quick_replies[0].data)).startswith("這次作業在你之後又有新的回報")
    talk.send(STAFF_DATA, "回報 11 4月 完成")
    [ask] = talk.send(STAFF_DATA, "撤銷")
    talk.clock.advance(hours=25)
    assert talk.text(STAFF_DATA, "撤銷").startswith("你在 24 小時內沒有可以撤銷的回報")
    assert read(talk.tap(STAFF_DATA, ask.quick_replies[0].data)).startswith("這筆回報已超過 24 小時")
    assert not any(r.via.startswith("undo") for r in reports(talk, item(talk, "戶籍資料課", "11")))


def test_an_old_button_asks_before_replacing_a_newer_report(talk):
    it = item(talk, "戶籍資料課", "12")
    [ask] = talk.send(STAFF_DATA, "回報 12 4月")
    old_delay = next(b for b in ask.quick_replies if b.label == "延後")
    talk.clock.advance(days=2)
    talk.send(STAFF_DATA_2, "回報 12 4月 完成")
    [confirm] = talk.tap(STAFF_DATA, old_delay.data)
    assert confirm.text == "「12 門牌點位及上傳管理」這次作業已由 劉宗佑 在 4/10（三） 回報為「已完成」，比這個按鈕新。要改成「延後」嗎？"
    assert [r.status for r in reports(talk, it)] == [Status.done]
    text = read(talk.tap(STAFF_DATA, confirm.quick_replies[0].data))
    assert "進度：延後" in text
    assert [r.status for r in reports(talk, it)] == [Status.done, Status.delayed]
    # A digest button (no report seen) that would say the same as the newest report just records.
    talk.tap(STAFF_DATA, f"a=report&i={it.id}&o=2024-04&s=delayed")
    assert [r.status for r in reports(talk, it)] == [Status.done, Status.delayed, Status.delayed]


def test_a_report_on_a_done_occurrence_asks_first_and_a_bare_one_goes_to_the_open_one(talk):
    """History is never rewritten silently: 完成 again asks; a bare 回報 goes to the open or overdue occurrence."""
    it = item(talk, "戶籍資料課", "1")  # 到校受理: one window, 3-5月
    talk.at("2024-05-20 10:00")
    assert read(talk.send(STAFF_DATA, "回報 1 完成")).startswith("已記錄 ✅")
    talk.at("2024-12-06 10:00")
    [ask] = talk.send(STAFF_DATA, "回報 1 完成")
    assert ask.text.endswith("的 3-5月 已於 5/20（一） 完成，要再記一筆嗎？")
    assert [b.label for b in ask.quick_replies] == ["再記一筆", "不用，看目前狀況"]
    assert len(reports(talk, it)) == 1  # nothing written until confirmed
    talk.tap(STAFF_DATA, ask.quick_replies[0].data)
    assert len(reports(talk, it)) == 2
    # The occurrence still reads as done on 5/20, on time: a second 完成 never moves the day it was done.
    from handlers.documents.exports import table_sheets

    [sheet] = table_sheets(talk.session, it.plan, it.section, None, talk.context().calendar, talk.context().today)
    row = next(r for r in sheet.rows if r[0] == "1")
    assert row[17] == "3-5月：已完成（5/20（一） 李冠緯）"

    # 12 (每月): March back-filled in December goes to March; a bare 完成 goes to December, the open one.
    twelve = item(talk, "戶籍資料課", "12")
    talk.send(STAFF_DATA, "回報 12 3月 完成")
    [card] = talk.send(STAFF_DATA, "查 戶籍資料課 12")
    rows = {r.label: r.value for r in card.rows}
    assert rows["本次作業"].startswith("12月") and not rows["最新狀況"].startswith("3月")
    [ask] = talk.send(STAFF_DATA, "回報 12 完成")  # earlier months are overdue: it asks which, December last
    assert ask.quick_replies[-1].label == "12月" and "3月" not in [b.label for b in ask.quick_replies]
    talk.tap(STAFF_DATA, ask.quick_replies[-1].data)
    assert [r.occurrence_key for r in reports(talk, twelve)][-1] == "2024-12"
