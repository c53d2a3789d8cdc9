"""The monthly review (管考): lights, 落後原因 / 因應對策 from the owner in the chat, the report filed upward."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.core import postbacks
from handlers.core.agenda import agenda
from handlers.documents.review import month_review
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.lights import Light, Thresholds, light, worst
from schedules.occurrences import Occurrence
from schedules.plan_inputs import calendar_of
from schedules.status import Said, Standing, status_of
from storage import queries
from storage.models import LagReason, ProgressReport, Status
from storage.sheets import read_tables
from tests.handler_fixtures import CHIEF_DATA, STAFF_DATA, STAFF_REG, buttons, read

CAL = WorkCalendar()
LIMITS = Thresholds()


# -- lights ------------------------------------------------------------------------------------------


def _light(due, today, done_on=None, remedy=True, limits=LIMITS):
    """Return the light of a deadline on `today` (done on `done_on`, else not reported), through the status model."""
    stood = Standing(Said.done, None, done_on, done_on) if done_on else None
    occ = Occurrence("deadline", None, due, due.isoformat(), "")
    return light(status_of(occ, stood, today, None, CAL), remedy, limits)


def test_lights_follow_planbots_documented_defaults():
    due = date(2024, 4, 1)  # Monday
    assert _light(due, date(2024, 4, 1)) is Light.green  # due today: still on schedule
    assert _light(due, date(2024, 4, 2)) is Light.yellow  # 1 working day late, with a 因應對策
    assert _light(due, date(2024, 4, 2), remedy=False) is Light.red  # late without a 因應對策
    assert _light(due, date(2024, 4, 10)) is Light.yellow  # 4/2, 4/3, 4/8, 4/9, 4/10: 5 working days (4/4-4/7 off)
    assert _light(due, date(2024, 4, 11)) is Light.red  # the 6th
    assert _light(due, date(2024, 5, 1), done_on=date(2024, 4, 1)) is Light.done
    assert _light(due, date(2024, 5, 1), done_on=date(2024, 4, 2)) is Light.yellow  # done late


def test_the_offices_thresholds_move_the_lights():
    due = date(2024, 4, 1)
    lenient = Thresholds(yellow_days=2, red_days=10)
    assert _light(due, date(2024, 4, 3), limits=lenient) is Light.green  # within the office's grace
    assert _light(due, date(2024, 4, 3), remedy=False, limits=lenient) is Light.green
    assert _light(due, date(2024, 4, 8), limits=lenient) is Light.yellow
    assert _light(due, date(2024, 4, 11), limits=lenient) is Light.yellow
    assert Thresholds(5, 3).problem() == "order" and Thresholds(-1, 3).problem() == "range"
    assert worst([Light.done, Light.green]) is Light.green and worst([Light.yellow, Light.red]) is Light.red
    assert worst([Light.done, Light.done]) is Light.done


# -- reasons in the chat ------------------------------------------------------------------------------


def _overdue(talk, name):
    """Return (item, occurrence key) of one of the person's occurrences overdue today."""
    plan = queries.latest_plan(talk.session, talk.staff(name).office_id)
    items = queries.items_owned_by(talk.session, talk.staff(name).id, plan.id)
    today = talk.clock.now().date()
    late = [d for d in agenda(talk.session, items, plan.year, calendar_of(talk.session)) if d.is_overdue(today)]
    assert late, f"{name} has nothing overdue on {today}"
    return late[-1].item, late[-1].occ.key


def _reason(talk, item, key):
    return talk.session.scalar(select(LagReason).where(LagReason.item_id == item.id, LagReason.occurrence_key == key))


def test_the_overdue_reminders_button_asks_the_owner_for_cause_and_remedy(talk):
    item, key = _overdue(talk, STAFF_DATA)
    asked = talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    assert "落後原因" in read(asked) and "稍後再填" in [b.label for b in buttons(asked[-1])]
    assert "因應對策" in talk.text(STAFF_DATA, "等待區公所提供新門牌資料")
    kept = talk.text(STAFF_DATA, "已函催區公所，預計下週補齊")
    assert "等待區公所提供新門牌資料" in kept and "已函催區公所" in kept
    row = _reason(talk, item, key)
    assert (row.cause, row.remedy) == ("等待區公所提供新門牌資料", "已函催區公所，預計下週補齊")
    assert row.writer.name == STAFF_DATA and row.written_at is not None


def test_a_command_typed_instead_of_an_answer_is_a_command(talk):
    item, key = _overdue(talk, STAFF_DATA)
    talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    answer = talk.text(STAFF_DATA, "本週")
    assert "因應對策" not in answer
    row = _reason(talk, item, key)
    assert row is None or row.cause == ""
    assert "落後原因" not in talk.text(STAFF_DATA, "本週")  # the question lapsed


def test_an_empty_or_over_long_answer_is_refused_and_nothing_is_kept(talk):
    item, key = _overdue(talk, STAFF_DATA)
    talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    assert "太長了" in talk.text(STAFF_DATA, "因" * 101)
    assert (_reason(talk, item, key).cause) == ""
    assert "因應對策" in talk.text(STAFF_DATA, "人力不足")  # still waiting for the cause, and now it came


def test_answer_later_stops_waiting(talk):
    item, key = _overdue(talk, STAFF_DATA)
    talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    later = read(talk.tap(STAFF_DATA, postbacks.encode("why_later")))
    assert "稍後再填" in later or "稍後" in later
    assert "因應對策" not in talk.text(STAFF_DATA, "人力不足")  # no longer taken as an answer
    assert _reason(talk, item, key).cause == ""


def test_someone_else_cannot_write_the_reasons_even_with_a_forged_button(talk):
    item, key = _overdue(talk, STAFF_DATA)
    refused = read(talk.tap(STAFF_REG, postbacks.encode("why", i=item.id, o=key)))
    assert "不是您承辦" in refused
    assert _reason(talk, item, key) is None
    forged = read(talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o="2024-12")))
    assert "沒有落後" in forged and _reason(talk, item, "2024-12") is None


def test_the_chief_may_write_them_for_the_section(talk):
    item, key = _overdue(talk, STAFF_DATA)
    assert "落後原因" in read(talk.tap(CHIEF_DATA, postbacks.encode("why", i=item.id, o=key)))
    talk.text(CHIEF_DATA, "承辦人請假")
    talk.text(CHIEF_DATA, "由課長指派代理")
    assert _reason(talk, item, key).writer.name == CHIEF_DATA


def test_a_delay_with_its_reason_asks_the_remedy_once(talk):
    item, key = _overdue(talk, STAFF_DATA)
    month = int(key[5:7]) if key[:4].isdigit() and len(key) == 7 else None
    which = f" {month}月" if month else ""
    first = talk.text(STAFF_DATA, f"回報 {item.number}{which} 延後 等民政局回函")
    assert "因應對策" in first
    talk.text(STAFF_DATA, "每週電話追蹤")
    row = _reason(talk, item, key)
    assert (row.cause, row.remedy) == ("等民政局回函", "每週電話追蹤")
    again = talk.text(STAFF_DATA, f"回報 {item.number}{which} 延後 仍在等回函")
    assert "因應對策" not in again  # asked once per occurrence


def test_the_overdue_reminder_card_carries_the_explain_button():
    from handlers.documents.digests import digest
    from schedules.planner import Line, PlannedDelivery

    line = Line(reason="overdue", item_id=7, occurrence_key="2024-03", section="戶籍資料課", number="11", title="門牌",
                kind="deadline", starts=None, due=date(2024, 3, 5), days=3)
    planned = PlannedDelivery(office_id=1, morning=date(2024, 4, 8), to="李冠緯", via="user", recipient="U1",
                              staff_id=1, section_id=1, lines=(line,))
    card = digest(planned)[0].cards[1]
    labels = [b.label for b in card.buttons]
    assert "說明落後原因" in labels
    data = postbacks.decode(card.buttons[labels.index("說明落後原因")].data)
    assert (data["a"], data["i"], data["o"]) == ("why", "7", "2024-03")
    assert not any("落後原因與因應對策" in r.label for r in card.rows)  # asked in words on the first overdue morning only
    first = PlannedDelivery(office_id=1, morning=date(2024, 3, 6), to="李冠緯", via="user", recipient="U1", staff_id=1,
                            section_id=1, lines=(Line(**{**line.__dict__, "days": 1}),))
    assert any("落後原因與因應對策" in r.label for r in digest(first)[0].cards[1].rows)


# -- the report ---------------------------------------------------------------------------------------


@pytest.fixture
def cli(talk, demo_db, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", demo_db.url)

    def run(*args):
        talk.session.commit()
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.mark.parametrize("suffix", [".odt", ".docx"])
def test_the_report_has_a_row_for_every_item_behind_with_its_reasons(talk, cli, tmp_path, suffix):
    item, key = _overdue(talk, STAFF_DATA)
    talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    talk.text(STAFF_DATA, "等待區公所提供資料")
    talk.text(STAFF_DATA, "已函催")
    month = talk.clock.now().month
    out = tmp_path / f"r{suffix}"
    code, printed, err = cli("review", "report", "--month", str(month - 1), "--at", "2024-04-08", "--out", str(out))
    assert code == 0, err
    table = read_tables(out)[0]
    header = table.rows[0]
    assert header == ["項次", "工作項目", "主辦課室", "承辦人", "預定完成日", "實際完成日", "執行情形", "燈號",
                      "落後原因", "因應對策", "課室建議", "研考決定", "研考意見"]
    review = month_review(talk.session, item.plan, month - 1, date(2024, 4, 8), calendar_of(talk.session))
    assert len(table.rows) - 1 == len(review.rows) > 0
    titles = [r[1] for r in table.rows[1:]]
    assert len(set(titles)) == len(titles)
    if any(r.item.id == item.id for r in review.rows):
        row = next(r for r in table.rows[1:] if r[1].startswith(f"{item.number} {item.title}"))
        assert "等待區公所提供資料" in row[8] and "已函催" in row[9] and row[7] in ("黃燈", "紅燈")
    assert f"{len(review.rows)} 項" in printed


def test_the_report_as_pdf(talk, cli, tmp_path):
    out = tmp_path / "r.pdf"
    code, printed, err = cli("review", "report", "--month", "3", "--at", "2024-04-08", "--out", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")


def test_a_month_with_nothing_behind_says_so(talk, cli, tmp_path):
    out = tmp_path / "r.odt"
    code, printed, err = cli("review", "report", "--month", "1", "--at", "2024-01-02", "--out", str(out))
    assert code == 0, err
    assert "沒有落後的項目" in printed
    from odf import teletype
    from odf.opendocument import load
    from odf.text import P

    paragraphs = [teletype.extractText(p) for p in load(str(out)).getElementsByType(P)]
    assert any("113年1月沒有落後的項目" in p for p in paragraphs)
    assert [len(t.rows) for t in read_tables(out)] == [1]  # the columns, and no row


def test_bad_input_to_the_review_commands_changes_nothing(talk, cli, tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    assert cli("review", "report", "--month", "13", "--out", str(tmp_path / "a.odt"))[0] != 0
    code, _, err = cli("review", "report", "--month", "3", "--at", "2025-04-01", "--out", str(tmp_path / "a.odt"))
    assert code != 0 and "沒有匯入的工作計畫" in err
    assert cli("review", "report", "--month", "3", "--out", str(tmp_path / "a.txt"))[0] != 0
    assert not list(tmp_path.iterdir())
    code, _, err = cli("review", "lights", "--yellow-days", "6", "--red-days", "3")
    assert code != 0 and "須小於" in err
    assert "超過 0 個工作天黃燈、超過 5 個工作天紅燈" in cli("review", "lights")[1]
    assert cli("review", "lights", "--red-days", "8")[0] == 0
    assert "超過 8 個工作天紅燈" in cli("review", "lights")[1]


def test_the_report_sees_the_day_it_is_made_for(talk, cli, tmp_path):
    item, key = _overdue(talk, STAFF_DATA)
    talk.session.add(ProgressReport(item_id=item.id, occurrence_key=key, status=Status.done, note="", staff_id=talk.staff(STAFF_DATA).id,
                                    reported_at=datetime(2024, 5, 2, 10, tzinfo=TAIPEI)))
    talk.session.flush()
    due = next(d for d in agenda(talk.session, [item], 2024, calendar_of(talk.session)) if d.occ.key == key)
    review = month_review(talk.session, item.plan, due.occ.due.month, date(2024, 4, 8), calendar_of(talk.session))
    row = next(r for r in review.rows if r.item.id == item.id)
    assert all(b.done_on is None for b in row.behind if b.due.occ.key == key)  # done only later, in May


# -- 管考 in the chat: the chief's suggestion ----------------------------------------------------------


def _chief_button(replies, number):
    return next(b for b in buttons(replies[-1]) if b.label == f"列管建議 {number}")


def test_a_chief_sees_the_sections_lights_and_suggests_a_listing(talk):
    item, key = _overdue(talk, STAFF_DATA)
    month = int(next(d for d in agenda(talk.session, [item], 2024, calendar_of(talk.session)) if d.occ.key == key).occ.due.month)
    shown = talk.send(CHIEF_DATA, f"管考 {month}月")
    text = read(shown)
    assert "戶籍資料課：" in text and "燈號說明" in text and "戶籍登記課：" not in text
    assert "2月：落後原因：（未填）" in text and "3月：落後原因：（未填）" in text  # which occurrence each is
    assert f"{item.number} " in text
    asked = talk.tap(CHIEF_DATA, _chief_button(shown, item.number).data)
    keep = next(b for b in buttons(asked[-1]) if b.label == "繼續列管")
    assert "繼續列管" in read(talk.tap(CHIEF_DATA, keep.data))
    review = month_review(talk.session, item.plan, month, talk.clock.now().date(), calendar_of(talk.session))
    row = next(r for r in review.rows if r.item.id == item.id)
    assert row.decision.suggestion.value == "keep" and row.decision.suggested_by == talk.staff(CHIEF_DATA).id


def test_a_forged_suggestion_is_refused_and_changes_nothing(talk):
    from storage.models import ReviewDecision

    item, key = _overdue(talk, STAFF_DATA)
    month = int(next(d for d in agenda(talk.session, [item], 2024, calendar_of(talk.session)) if d.occ.key == key).occ.due.month)
    for who in (STAFF_DATA, STAFF_REG):
        said = read(talk.tap(who, postbacks.encode("suggest", i=item.id, m=month, s="release")))
        assert "只有該課室的課長" in said
    assert "請選" in read(talk.tap(CHIEF_DATA, postbacks.encode("suggest", i=item.id, m=month, s="forever")))
    assert "沒有落後" in read(talk.tap(CHIEF_DATA, postbacks.encode("suggest", i=item.id, m=12, s="keep")))
    assert talk.session.scalars(select(ReviewDecision)).all() == []


def test_staff_see_their_own_items_behind_with_a_button_to_explain(talk):
    item, key = _overdue(talk, STAFF_DATA)
    month = int(next(d for d in agenda(talk.session, [item], 2024, calendar_of(talk.session)) if d.occ.key == key).occ.due.month)
    shown = talk.send(STAFF_DATA, f"管考 {month}月")
    assert "戶籍資料課：" not in read(shown)  # section lights are for the chief and the coordinator
    labels = [b.label for b in buttons(shown[-1])]
    assert f"說明 {item.number}" in labels
    assert "落後原因" in read(talk.tap(STAFF_DATA, buttons(shown[-1])[labels.index(f"說明 {item.number}")].data))


def test_the_item_card_shows_the_reasons_and_who_wrote_them(talk):
    item, key = _overdue(talk, STAFF_DATA)
    talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    talk.text(STAFF_DATA, "等待區公所提供資料")
    talk.text(STAFF_DATA, "已函催")
    card = read(talk.tap(CHIEF_DATA, postbacks.encode("card", i=item.id)))
    assert "落後原因" in card and "等待區公所提供資料" in card and "已函催（李冠緯 4/8（一） 填寫）" in card


def test_the_control_table_export_carries_the_reasons(talk):
    from handlers.documents.exports import table_sheets

    item, key = _overdue(talk, STAFF_DATA)
    talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    talk.text(STAFF_DATA, "等待區公所提供資料")
    talk.text(STAFF_DATA, "已函催")
    sheets = table_sheets(talk.session, item.plan, item.section, None, calendar_of(talk.session), talk.clock.now().date())
    row = next(r for r in sheets[0].rows if r[0] == item.number)
    assert "落後原因：等待區公所提供資料；因應對策：已函催" in row[-3]


def test_the_demo_has_a_real_review_of_last_month(demo_db):
    from bot.demo_history import make_history
    from bot.demo_review import make_review
    from storage.models import Resolution, ReviewDecision

    now = datetime(2024, 4, 15, 9, 0, tzinfo=TAIPEI)
    with demo_db.sessions() as session:
        plan = queries.latest_plan(session, queries.only_office(session).id)
        make_history(session, plan, calendar_of(session), now)
        done = make_review(session, plan, calendar_of(session), now)
        assert done.month == 3 and done.reasons > 0 and done.decisions > 0 and done.resolutions == 1
        review = month_review(session, plan, 3, now.date(), calendar_of(session))
        lights = {r.light for r in review.rows}
        assert Light.red in lights  # some owners did not answer: the demo shows what that does
        assert any(b.reason and b.reason.remedy for r in review.rows for b in r.behind)
        late = [b for r in review.rows for b in r.behind if b.done_on is not None]
        assert late and any(b.reason and b.reason.cause for b in late)  # done late: asked on its 完成, mostly answered
        assert all(r.decision is not None and r.decision.suggestion and r.decision.decision for r in review.rows)
        resolution = session.scalars(select(Resolution)).one()
        assert resolution.followup is not None and resolution.followup.owners
        again = make_review(session, plan, calendar_of(session), now)
        assert (again.reasons, again.decisions, again.resolutions) == (0, 0, 0)
        assert len(session.scalars(select(ReviewDecision)).all()) == done.decisions


def test_the_coordinators_review_covers_the_office_and_points_to_the_console(talk):
    from tests.handler_fixtures import COORDINATOR

    text = talk.text(COORDINATOR, "管考 3月")
    assert "113年3月管考" in text
    assert all(f"{s}：" in text for s in ("戶籍資料課", "戶籍登記課"))
    assert "管理頁" in text and "燈號說明" in text
    assert "請輸入「管考」" in talk.text(COORDINATOR, "管考 十三月")


def test_in_a_group_the_review_goes_to_the_asker_alone(talk):
    group = "C" + "1" * 32
    said = read(talk.send(CHIEF_DATA, "管考 3月", group=group))
    assert said.startswith(f"{CHIEF_DATA}，這則回覆") and "已私訊給你" in said and "113年3月管考" not in said


def test_the_meeting_pack_from_the_command_line(talk, cli, tmp_path):
    import docx

    item, key = _overdue(talk, STAFF_DATA)
    month = int(next(d for d in agenda(talk.session, [item], 2024, calendar_of(talk.session)) if d.occ.key == key).occ.due.month)
    talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    talk.text(STAFF_DATA, "等待區公所提供資料")
    talk.text(STAFF_DATA, "已函催")
    out = tmp_path / "pack.docx"
    code, printed, err = cli("review", "pack", "--month", str(month), "--at", "2024-04-08", "--out", str(out))
    assert code == 0, err
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    for heading in ("一、各課室燈號", "二、紅燈、黃燈項目", "三、上月繼續列管項目辦理情形", "四、上次會議決議追蹤", "燈號說明"):
        assert heading in text
    assert "戶籍資料課：" in text
    cells = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    assert cells[0] == ["項次", "主辦課室", "工作項目", "承辦人", "燈號", "落後原因", "因應對策", "課室建議", "會議決議"]
    mine = next(r for r in cells[1:] if r[2].startswith(f"{item.number} "))
    assert mine[4] in ("黃燈", "紅燈") and "等待區公所提供資料" in mine[5] and "已函催" in mine[6]


# -- the chief corrects the reasons from the chat; a done-late occurrence asks its owner -------------------


def _explained(talk, who, item, key, cause, remedy):
    talk.tap(who, postbacks.encode("why", i=item.id, o=key))
    talk.text(who, cause)
    return talk.text(who, remedy)


def test_the_chief_corrects_the_reasons_from_the_review_and_the_card(talk):
    item, key = _overdue(talk, STAFF_DATA)
    month = int(next(d for d in agenda(talk.session, [item], 2024, calendar_of(talk.session)) if d.occ.key == key).occ.due.month)
    _explained(talk, STAFF_DATA, item, key, "等待區公所提供資料", "已函催")
    asked = talk.tap(CHIEF_DATA, _chief_button(talk.send(CHIEF_DATA, f"管考 {month}月"), item.number).data)
    assert "落後原因：等待區公所提供資料" in read(asked) and "因應對策：已函催" in read(asked)
    edit = next(b for b in buttons(asked[-1]) if b.label == "修改落後原因")
    question = read(talk.tap(CHIEF_DATA, edit.data))
    assert "目前的落後原因：等待區公所提供資料" in question and "請簡述落後原因" in question
    talk.text(CHIEF_DATA, "區公所資料延至 4/15 提供")
    assert "已記下" in talk.text(CHIEF_DATA, "課長協調每日追蹤")
    row = _reason(talk, item, key)
    assert (row.cause, row.remedy, row.writer.name) == ("區公所資料延至 4/15 提供", "課長協調每日追蹤", CHIEF_DATA)
    card = talk.tap(CHIEF_DATA, postbacks.encode("card", i=item.id))
    assert "修改落後原因" in [b.label for b in buttons(card[-1])]
    assert "區公所資料延至 4/15 提供" in read(card)


def test_a_forged_edit_of_the_reasons_is_refused_and_changes_nothing(talk):
    from tests.handler_fixtures import CHIEF_REG

    item, key = _overdue(talk, STAFF_DATA)
    _explained(talk, STAFF_DATA, item, key, "等待區公所提供資料", "已函催")
    for who in (CHIEF_REG, STAFF_REG):  # another section's chief, a colleague of another section
        assert "不是您承辦" in read(talk.tap(who, postbacks.encode("why", i=item.id, o=key)))
        talk.text(who, "亂寫的原因")
        assert "修改落後原因" not in [b.label for b in buttons(talk.tap(who, postbacks.encode("card", i=item.id))[-1])]
    refused = read(talk.tap(CHIEF_REG, postbacks.encode("listing", i=item.id, m=3)))
    assert "只有該課室的課長" in refused and "修改落後原因" not in refused
    row = _reason(talk, item, key)
    assert (row.cause, row.remedy, row.writer.name) == ("等待區公所提供資料", "已函催", STAFF_DATA)


def test_an_occurrence_done_late_asks_its_owner_for_the_reasons_once(talk):
    from handlers.core.agenda import seen_report

    item, key = _overdue(talk, STAFF_DATA)
    done = postbacks.encode("report", i=item.id, o=key, s="done", v=seen_report(talk.session, item.id, key))
    confirmed = talk.tap(STAFF_DATA, done)
    said = read(confirmed)
    assert "才完成" in said and "請簡述落後原因" in said and "稍後再填" in [b.label for b in buttons(confirmed[-1])]
    assert "因應對策" in talk.text(STAFF_DATA, "戶政系統更新停機三天")
    talk.text(STAFF_DATA, "已排定系統更新前先行作業")
    row = _reason(talk, item, key)
    assert (row.cause, row.remedy) == ("戶政系統更新停機三天", "已排定系統更新前先行作業")
    again = postbacks.encode("report", i=item.id, o=key, s="done", v=seen_report(talk.session, item.id, key))
    assert "請簡述落後原因" not in read(talk.tap(STAFF_DATA, again))  # asked once
    due = next(d for d in agenda(talk.session, [item], 2024, calendar_of(talk.session)) if d.occ.key == key)
    review = month_review(talk.session, item.plan, due.occ.due.month, talk.clock.now().date(), calendar_of(talk.session))
    behind = next(b for r in review.rows if r.item.id == item.id for b in r.behind if b.due.occ.key == key)
    assert behind.done_on is not None and behind.reason.cause == "戶政系統更新停機三天"


def test_done_on_time_asks_nothing_and_answering_later_points_to_the_card(talk):
    from handlers.core.agenda import seen_report

    item, key = _overdue(talk, STAFF_DATA)
    ahead = next(d for d in agenda(talk.session, [item], 2024, calendar_of(talk.session)) if d.occ.due > talk.clock.now().date())
    done = postbacks.encode("report", i=item.id, o=ahead.occ.key, s="done", v=seen_report(talk.session, item.id, ahead.occ.key))
    assert "落後原因" not in read(talk.tap(STAFF_DATA, done))
    talk.tap(STAFF_DATA, postbacks.encode("why", i=item.id, o=key))
    later = read(talk.tap(STAFF_DATA, postbacks.encode("why_later")))
    assert f"查 {item.number}" in later
    card = talk.send(STAFF_DATA, f"查 {item.number}")
    assert "說明落後原因" in [b.label for b in buttons(card[-1])]
