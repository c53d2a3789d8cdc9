"""The console's 管考 page: lights with their legend, reasons, 列管 suggestions and decisions, 決議 as follow-ups."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from handlers.documents.review import month_review
from schedules.plan_inputs import calendar_of
from storage import queries
from storage.models import Item, LagReason, Resolution, ReviewDecision
from storage.sheets import read_tables
from tests.handler_fixtures import CHIEF_DATA, CHIEF_REG, COORDINATOR, STAFF_DATA
from tests.test_console import Console, csrf_of, text_of

MONTH = 3


@pytest.fixture
def console(demo_db) -> Console:
    return Console(demo_db)


def _rows(console):
    """Return (item id, section) of the rows of March's review on 4/8, as the handlers see them."""
    with console.db.sessions() as session:
        plan = queries.latest_plan(session, queries.only_office(session).id)
        found = month_review(session, plan, MONTH, console.clock.now().date(), calendar_of(session))
        return [(r.item.id, r.item.section.name, [b.due.occ.key for b in r.behind]) for r in found.rows]


def _page(client):
    return text_of(client.get(f"/console/review?month={MONTH}"))


def test_the_coordinator_sees_the_months_lights_with_their_legend_and_downloads_the_report(console, tmp_path):
    client = console.signed_in(COORDINATOR)
    page = _page(client)
    assert "113年3月管考" in page and "燈號說明" in page and "紅燈：逾期超過 5 個工作天" in page
    rows = _rows(console)
    assert page.count('<tr data-item="') == len(rows) > 0
    response = client.get(f"/console/review/report.odt?month={MONTH}")
    assert response.status_code == 200
    target = tmp_path / "report.odt"
    target.write_bytes(response.get_data())
    table = read_tables(target)[0]
    assert table.rows[0][:3] == ["項次", "工作項目", "主辦課室"] and len(table.rows) == len(rows) + 1
    assert client.get(f"/console/review/pack.docx?month={MONTH}").status_code == 200
    assert client.get(f"/console/review/pack.xls?month={MONTH}").status_code == 404


def test_reasons_suggestion_and_decision_each_by_whom_may(console):
    item_id, section, keys = next(r for r in _rows(console) if r[1] == "戶籍資料課" and r[2])
    chief = console.signed_in(CHIEF_DATA)
    csrf = csrf_of(_page(chief))
    form = {"csrf": csrf, "item": item_id, "occurrence": keys[-1], "cause": "人力不足", "remedy": "調派支援"}
    assert chief.post(f"/console/review/reason?month={MONTH}", data={**form, "cause": "因" * 101}).status_code == 400
    assert chief.post(f"/console/review/reason?month={MONTH}", data=form).status_code == 200
    assert chief.post(f"/console/review/suggest?month={MONTH}", data={"csrf": csrf, "item": item_id, "listing": "keep"}).status_code == 200
    other = console.signed_in(CHIEF_REG)  # another section's chief, with a forged form
    other_csrf = csrf_of(_page(other))
    refused = other.post(f"/console/review/suggest?month={MONTH}", data={"csrf": other_csrf, "item": item_id, "listing": "release"})
    assert refused.status_code == 400
    assert chief.post(f"/console/review/decide?month={MONTH}", data={"csrf": csrf, "item": item_id, "listing": "release"}).status_code == 400
    coordinator = console.signed_in(COORDINATOR)
    ok = coordinator.post(f"/console/review/decide?month={MONTH}",
                          data={"csrf": csrf_of(_page(coordinator)), "item": item_id, "listing": "keep", "opinion": "下月再檢討"})
    assert ok.status_code == 200
    with console.db.sessions() as session:
        reason = session.scalar(select(LagReason).where(LagReason.item_id == item_id, LagReason.occurrence_key == keys[-1]))
        assert (reason.cause, reason.remedy, reason.writer.name) == ("人力不足", "調派支援", CHIEF_DATA)
        decision = session.scalar(select(ReviewDecision).where(ReviewDecision.item_id == item_id))
        assert (decision.suggestion.value, decision.decision.value, decision.opinion) == ("keep", "keep", "下月再檢討")
    # 繼續列管 brings the item back into next month's review
    with console.db.sessions() as session:
        plan = queries.latest_plan(session, queries.only_office(session).id)
        april = month_review(session, plan, MONTH + 1, console.clock.now().date(), calendar_of(session))
        assert any(r.item.id == item_id and r.carried_from is not None for r in april.rows)


def test_a_resolution_with_an_owner_and_a_date_becomes_a_tracked_follow_up(console):
    coordinator = console.signed_in(COORDINATOR)
    csrf = csrf_of(_page(coordinator))
    bad = coordinator.post(f"/console/review/resolution?month={MONTH}",
                           data={"csrf": csrf, "text": "加強門牌巡查", "owner": STAFF_DATA, "due": "114/1/10"})
    assert bad.status_code == 400 and "不在 113 年度計畫內" in text_of(bad)
    half = coordinator.post(f"/console/review/resolution?month={MONTH}", data={"csrf": csrf, "text": "加強門牌巡查", "owner": STAFF_DATA})
    assert half.status_code == 400
    with console.db.sessions() as session:
        assert session.scalars(select(Resolution)).all() == []
    ok = coordinator.post(f"/console/review/resolution?month={MONTH}",
                          data={"csrf": csrf, "text": "加強門牌巡查並每週回報", "owner": STAFF_DATA, "due": "113/4/30"})
    assert ok.status_code == 200 and "將提醒並列入追蹤" in text_of(ok)
    with console.db.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        followup = session.get(Item, resolution.followup_id)
        assert followup.title == "【會議決議】加強門牌巡查並每週回報" and [o.name for o in followup.owners] == [STAFF_DATA]
        assert "會議決議" in followup.kpi
        others = session.scalars(select(Item.number).where(Item.section_id == followup.section_id, Item.id != followup.id)).all()
        number = followup.number
        assert number == "91" and number not in others
    # like a plan item: the owner finds it among their work and can report on it
    assert "加強門牌巡查並每週回報" in console.chat(STAFF_DATA, "我的")
    assert "已記錄" in console.chat(STAFF_DATA, f"回報 {number} 完成")
    # and the next meeting's pack says where it stands
    pack = coordinator.get(f"/console/review/pack.docx?month={MONTH + 1}")
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(pack.get_data())).paragraphs)
    assert f"加強門牌巡查並每週回報（追蹤項目 {number}，李冠緯，4/30（二） 前）：如期完成" in text


def test_a_chief_may_not_record_resolutions_or_change_the_thresholds(console):
    chief = console.signed_in(CHIEF_DATA)
    csrf = csrf_of(_page(chief))
    assert chief.post(f"/console/review/resolution?month={MONTH}", data={"csrf": csrf, "text": "x"}).status_code == 400
    assert chief.post(f"/console/review/lights?month={MONTH}", data={"csrf": csrf, "yellow_days": "1", "red_days": "9"}).status_code == 400
    coordinator = console.signed_in(COORDINATOR)
    csrf = csrf_of(_page(coordinator))
    assert coordinator.post(f"/console/review/lights?month={MONTH}", data={"csrf": csrf, "yellow_days": "9", "red_days": "1"}).status_code == 400
    assert coordinator.post(f"/console/review/lights?month={MONTH}", data={"csrf": csrf, "yellow_days": "1", "red_days": "9"}).status_code == 200
    assert "紅燈：逾期超過 9 個工作天" in _page(coordinator)


def test_the_cell_page_has_the_same_reasons_form(console):
    item_id, section, keys = next(r for r in _rows(console) if r[1] == "戶籍資料課" and r[2])
    with console.db.sessions() as session:
        from handlers.core.agenda import agenda

        item = session.get(Item, item_id)
        month = next(d for d in agenda(session, [item], 2024, calendar_of(session)) if d.occ.key == keys[-1]).occ.due.month
    client = console.signed_in(CHIEF_DATA)
    page = text_of(client.get(f"/console/items/{item_id}/months/{month}"))
    assert 'name="cause"' in page and "（未填）" in page
    form = {"csrf": csrf_of(page), "occurrence": keys[-1], "cause": "", "remedy": "調派支援"}
    assert client.post(f"/console/items/{item_id}/months/{month}/reason", data=form).status_code == 400
    saved = client.post(f"/console/items/{item_id}/months/{month}/reason", data={**form, "cause": "人力不足"})
    assert saved.status_code == 200 and "人力不足" in text_of(saved) and f"{CHIEF_DATA}" in text_of(saved)
    other = console.signed_in(CHIEF_REG)
    refused = other.post(f"/console/items/{item_id}/months/{month}/reason",
                         data={**form, "csrf": csrf_of(text_of(other.get("/console/"))), "cause": "亂填"})
    assert refused.status_code == 403
    with console.db.sessions() as session:
        row = session.scalar(select(LagReason).where(LagReason.item_id == item_id))
        assert (row.cause, row.writer.name) == ("人力不足", CHIEF_DATA)


def _pack_text(client, month):
    import docx

    document = docx.Document(io.BytesIO(client.get(f"/console/review/pack.docx?month={month}").get_data()))
    cells = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    return "\n".join(p.text for p in document.paragraphs), cells


def _row_html(page, item_id):
    return page.split(f'<tr data-item="{item_id}"', 1)[1].split("</tr>", 1)[0]


def test_each_resolution_is_shown_under_its_item_and_followed_in_the_next_pack(console):
    with console.db.sessions() as session:
        plan = queries.latest_plan(session, queries.only_office(session).id)
        found = month_review(session, plan, MONTH, console.clock.now().date(), calendar_of(session))
        hot = next(r for r in found.rows if r.behind and r.light.value in ("red", "yellow") and r.item.section.name == "戶籍資料課")
        other = next(r for r in found.rows if r.item.id != hot.item.id)
        item_id, number, title = hot.item.id, hot.item.number, hot.item.title
        other_id = other.item.id
    coordinator = console.signed_in(COORDINATOR)
    csrf = csrf_of(_page(coordinator))
    url = f"/console/review/resolution?month={MONTH}"
    assert coordinator.post(url, data={"csrf": csrf, "item": item_id, "text": "請加派人力於月底前補齊",
                                       "owner": STAFF_DATA, "due": "113/4/30"}).status_code == 200
    assert coordinator.post(url, data={"csrf": csrf, "text": "各課室下次會議前檢視進度"}).status_code == 200
    with console.db.sessions() as session:
        followup_number = session.scalars(select(Resolution).where(Resolution.item_id == item_id)).one().followup.number
    page = _page(coordinator)
    assert "請加派人力於月底前補齊" in _row_html(page, item_id)  # beside its item, not only in a list
    assert "請加派人力於月底前補齊" not in _row_html(page, other_id)
    assert re.search(rf"【戶籍資料課 {number} {re.escape(title)}】請加派人力於月底前補齊（追蹤項目 {followup_number}，李冠緯，4/30（二） 前）：\S+", page)
    assert "【綜合決議】各課室下次會議前檢視進度（只記錄，不追蹤）" in page
    # the pack made again after the meeting carries each 決議 on its item's row
    text, cells = _pack_text(coordinator, MONTH)
    assert cells[0][-1] == "會議決議"
    mine = next(r for r in cells[1:] if r[2].startswith(f"{number} "))
    assert mine[-1] == "請加派人力於月底前補齊"
    assert "五、本次會議決議" in text and f"【戶籍資料課 {number} {title}】請加派人力於月底前補齊（追蹤項目 {followup_number}，李冠緯，4/30（二） 前）" in text
    # next month's pack: last meeting's 決議, per item, with where its follow-up stands
    text, _ = _pack_text(coordinator, MONTH + 1)
    last = text.split("四、上次會議決議追蹤", 1)[1]
    assert re.search(rf"【戶籍資料課 {number} {re.escape(title)}】請加派人力於月底前補齊（追蹤項目 {followup_number}，李冠緯，4/30（二） 前）：\S+", last)
    assert "【綜合決議】各課室下次會議前檢視進度" in last
    console.chat(STAFF_DATA, f"回報 {followup_number} 完成")
    text, _ = _pack_text(coordinator, MONTH + 1)
    assert f"請加派人力於月底前補齊（追蹤項目 {followup_number}，李冠緯，4/30（二） 前）：如期完成" in text
    # the chief of another section sees neither of this section's 決議 on the page
    assert "請加派人力於月底前補齊" not in _page(console.signed_in(CHIEF_REG))


def test_an_item_kept_stays_listed_month_after_month_until_released(console):
    from datetime import date

    from handlers.documents.review_documents import report_rows

    item_id, section, keys = next(r for r in _rows(console) if r[2])
    coordinator = console.signed_in(COORDINATOR)
    csrf = csrf_of(_page(coordinator))
    assert coordinator.post(f"/console/review/decide?month={MONTH}", data={"csrf": csrf, "item": item_id, "listing": "keep"}).status_code == 200

    def may():
        with console.db.sessions() as session:
            plan = queries.latest_plan(session, queries.only_office(session).id)
            found = month_review(session, plan, 5, date(2024, 6, 10), calendar_of(session))
            row = next((r for r in found.rows if r.item.id == item_id), None)
            return (row.carried_from.month if row and row.carried_from else None,
                    next((r[1] for r in report_rows(found) if row and r[1].startswith(f"{row.item.number} ")), ""))

    month, title = may()  # April had no decision: that does not release it
    assert month == MONTH and title.endswith("（3月起繼續列管）")
    released = coordinator.post(f"/console/review/decide?month={MONTH + 1}",
                                data={"csrf": csrf, "item": item_id, "listing": "release", "opinion": "已改善"})
    assert released.status_code == 200
    assert may()[0] is None


def test_a_done_late_row_keeps_its_reasons_form(console):
    with console.db.sessions() as session:
        item = session.scalars(select(Item).where(Item.number == "11")).first()
        item_id = item.id
    assert "才完成" in console.chat(STAFF_DATA, "回報 11 3月 完成")
    chief = console.signed_in(CHIEF_DATA)
    page = _page(chief)
    row = _row_html(page, item_id)
    assert "逾期完成" in row and 'data-occurrence="2024-03"' in row
    assert 'name="occurrence" value="2024-03"' in row  # the report's row of a done-late occurrence still wants them
    form = {"csrf": csrf_of(page), "item": item_id, "occurrence": "2024-03", "cause": "系統停機", "remedy": "已補辦完成"}
    assert chief.post(f"/console/review/reason?month={MONTH}", data=form).status_code == 200
    with console.db.sessions() as session:
        reason = session.scalar(select(LagReason).where(LagReason.item_id == item_id, LagReason.occurrence_key == "2024-03"))
        assert (reason.cause, reason.remedy, reason.writer.name) == ("系統停機", "已補辦完成", CHIEF_DATA)


def test_a_resolution_naming_an_item_the_plan_does_not_have_is_refused_and_nothing_is_recorded(console, tmp_path):
    from handlers.office.imports.plan import import_plan
    from tests.handler_fixtures import MONDAY, OFFICE, write_plan_csv

    with console.db.sessions() as session:  # last year's plan of the office, and an item of it
        plan = write_plan_csv(tmp_path / "112.csv", [("戶籍資料課", "11", "門牌整編（112年）", "", STAFF_DATA, "每月5日前")])
        import_plan(session, plan, 2023, MONDAY, office_name=OFFICE)
        session.commit()
        old = session.scalar(select(Item.id).where(Item.title == "門牌整編（112年）"))
        items = len(session.scalars(select(Item.id)).all())
    coordinator = console.signed_in(COORDINATOR)
    csrf = csrf_of(_page(coordinator))
    url = f"/console/review/resolution?month={MONTH}"
    form = {"csrf": csrf, "text": "請加派人力於月底前補齊", "owner": STAFF_DATA, "due": "113/4/30"}
    last_year = coordinator.post(url, data={**form, "item": old})
    assert last_year.status_code == 400
    assert "「戶籍資料課 11 門牌整編（112年）」是 112 年度計畫的項目，不在 113 年度計畫內，決議沒有記錄" in text_of(last_year)
    for forged in ("999999", "abc"):
        refused = coordinator.post(url, data={**form, "item": forged})
        assert refused.status_code == 400 and "找不到所選的工作項目，決議沒有記錄" in text_of(refused)
    with console.db.sessions() as session:
        assert session.scalars(select(Resolution)).all() == []
        assert len(session.scalars(select(Item.id)).all()) == items  # no follow-up made either
    # without an item, the confirmation says plainly that none was linked
    general = coordinator.post(url, data={**form, "item": ""})
    assert general.status_code == 200 and "未連結工作項目" in text_of(general)
