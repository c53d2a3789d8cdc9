"""The year table's data, as handlers.documents.control_table builds it for the console (called directly)."""

from __future__ import annotations

from datetime import UTC, date

from sqlalchemy import select

from handlers.core.request import Asker
from handlers.documents.control_table import Filters, control_table, month_view, months_of
from schedules.calendar import WorkCalendar
from schedules.occurrences import Occurrence
from schedules.status import ReportFact, standing, status_of
from storage import queries
from storage.models import Item, Plan, ProgressReport, Section, Status
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, MONDAY, STAFF_DATA, Talk


def asker(talk: Talk, name: str) -> Asker:
    return Asker("", talk.staff(name), via="console")


def row_of(table, number: str, section: str):
    sec = next(s for s in table.sections if s.name == section)
    return next(r for r in sec.rows if r.number == number)


def test_each_month_of_a_monthly_deadline_has_its_state(talk):
    table = control_table(talk.session, asker(talk, COORDINATOR), talk.context().calendar, MONDAY.date())
    row = row_of(table, "11", "戶籍資料課")
    states = [c.state for c in row.cells]
    # Tracked from 1/1 (the plan's own start, not the day it was imported): January to March are overdue,
    # April (due today, 4/8) is not yet due.
    assert states[:3] == ["overdue"] * 3
    assert states[3:] == ["not_due"] * 9
    assert [c.mark for c in row.cells[:5]] == ["×", "×", "×", "○", "○"]
    assert row.status_text.splitlines() == ["1月：逾期未回報", "2月：逾期未回報", "3月：逾期未回報"]
    assert row.owners == [STAFF_DATA]
    assert row.reading.startswith("每月 5 日前") and row.schedule_problem is None


def test_a_missed_deadline_is_overdue_and_a_report_changes_the_cell(talk):
    talk.at("2024-05-13 09:00")
    who = asker(talk, COORDINATOR)
    row = row_of(control_table(talk.session, who, talk.context().calendar, date(2024, 5, 13)), "11", "戶籍資料課")
    assert row.cells[3].state == "overdue" and row.cells[4].state == "overdue"
    talk.send(STAFF_DATA, "回報 11 4月 延遲 等廠商")
    talk.send(STAFF_DATA, "回報 11 5月 50%")
    row = row_of(control_table(talk.session, who, talk.context().calendar, date(2024, 5, 13)), "11", "戶籍資料課")
    assert row.cells[3].state == "overdue"  # 延後 is what the owner said; the occurrence is still overdue
    assert row.cells[4].state == "overdue"  # due 5/6, half done is still overdue
    assert row.status_text.splitlines()[3:] == [
        "4月：逾期 35 天，延後，等廠商（5/13（一） 李冠緯）", "5月：逾期 7 天，進行中 50%（5/13（一） 李冠緯）",
    ]
    talk.send(STAFF_DATA, "回報 11 5月 完成")
    row = row_of(control_table(talk.session, who, talk.context().calendar, date(2024, 5, 13)), "11", "戶籍資料課")
    assert row.cells[4].state == "done_late"
    assert row.status_text.splitlines()[-1] == "5月：逾期完成（逾 7 天，5/13（一） 李冠緯）"


def test_in_progress_before_the_deadline(talk):
    talk.send(STAFF_DATA, "回報 11 4月 進行中")
    row = row_of(control_table(talk.session, asker(talk, COORDINATOR), talk.context().calendar, MONDAY.date()), "11", "戶籍資料課")
    assert row.cells[3].state == "not_due"
    assert row.status_text.splitlines()[-1] == "4月：進行中（4/8（一） 李冠緯）"


def test_the_tracking_start_is_the_plans_own_and_a_reimport_keeps_it(talk):
    """The console's cutoff is the plan's tracking start, never the day of the last import."""
    plan = talk.session.scalar(select(Plan))
    who, cal = asker(talk, COORDINATOR), talk.context().calendar
    plan.tracking_from = date(2024, 3, 1)
    row = row_of(control_table(talk.session, who, cal, MONDAY.date()), "11", "戶籍資料課")
    assert [c.state for c in row.cells[:4]] == ["before_tracking", "before_tracking", "overdue", "not_due"]
    from datetime import datetime

    plan.imported_at = datetime(2024, 4, 8, 1, 0, tzinfo=UTC)  # a later re-import moves nothing
    again = row_of(control_table(talk.session, who, cal, MONDAY.date()), "11", "戶籍資料課")
    assert [c.state for c in again.cells] == [c.state for c in row.cells]


def test_filters_by_section_owner_and_state(talk):
    who, cal, today = asker(talk, COORDINATOR), talk.context().calendar, MONDAY.date()
    data = queries.find_section(talk.session, talk.staff(STAFF_DATA).office_id, "戶籍資料課")
    by_section = control_table(talk.session, who, cal, today, Filters(section_id=data.id))
    assert [s.name for s in by_section.sections] == ["戶籍資料課"]
    owner = talk.staff(STAFF_DATA)
    by_owner = control_table(talk.session, who, cal, today, Filters(owner_id=owner.id))
    assert by_owner.sections and all(STAFF_DATA in r.owners for s in by_owner.sections for r in s.rows)
    talk.send(STAFF_DATA, "回報 11 4月 完成")
    done = control_table(talk.session, who, cal, today, Filters(state="done_on_time"))
    assert [r.number for s in done.sections for r in s.rows] == ["11"]


def test_a_chief_sees_their_section_only(talk):
    table = control_table(talk.session, asker(talk, CHIEF_DATA), talk.context().calendar, MONDAY.date())
    assert [s.name for s in table.sections] == ["戶籍資料課"]
    assert [s.name for s in table.section_choices] == ["戶籍資料課"]


def test_month_view_lists_the_reports_and_refuses_another_section(talk):
    item = talk.session.scalar(select(Item).join(Section).where(Section.name == "戶籍資料課", Item.number == "11"))
    talk.send(STAFF_DATA, "回報 11 4月 50% 已完成初稿")
    view = month_view(talk.session, asker(talk, CHIEF_DATA), item.id, 4, talk.context().calendar, MONDAY.date())
    assert [o.due.occ.key for o in view.occurrences] == ["2024-04"]
    (report,) = view.occurrences[0].reports
    assert (report.staff.name, report.percent, report.note) == (STAFF_DATA, 50, "已完成初稿")
    assert view.may_report
    other = talk.session.scalar(select(Item).join(Section).where(Section.name == "戶籍登記課", Item.number == "3"))
    assert month_view(talk.session, asker(talk, CHIEF_DATA), other.id, 4, talk.context().calendar, MONDAY.date()) is None
    assert talk.session.scalar(select(ProgressReport).where(ProgressReport.item_id == other.id)) is None


CAL = WorkCalendar(closures=frozenset(), workdays=frozenset())


def test_a_window_fills_every_month_it_spans():
    occ = Occurrence("window", date(2024, 3, 1), date(2024, 5, 31), "2024-03-01~2024-05-31", "")
    assert months_of(occ, 2024) == [3, 4, 5]
    assert status_of(occ, None, date(2024, 6, 3), date(2024, 1, 2), CAL).state == "overdue"
    assert status_of(occ, None, date(2024, 6, 3), date(2024, 6, 1), CAL).state == "before_tracking"


def test_a_report_not_started_is_still_overdue_after_the_deadline():
    occ = Occurrence("deadline", None, date(2024, 4, 8), "2024-04", "4月")
    said = standing([ReportFact(Status.not_started, None, date(2024, 4, 1))])
    st = status_of(occ, said, date(2024, 4, 9), date(2024, 1, 2), CAL)
    assert st.state == "overdue" and st.said == "not_started" and not st.not_reported
