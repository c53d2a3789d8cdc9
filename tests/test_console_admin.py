"""The console's 匯入計畫, 提醒 and 匯出 pages over HTTP: what each shows, and who is refused (nothing changes)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from schedules.clock import TAIPEI
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import plan_morning
from storage import queries
from storage.models import AuditLog, ConsoleUpload, Delivery, Item, Plan
from tests.console_signin import sign_in
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, STAFF_DATA, STAFF_REG
from tests.test_console import Console, csrf_of, text_of

GOOD = "編號,課室,計畫項目,承辦人,預定作業時程\n1,戶籍資料課,測試項目甲,李冠緯,每月5日前\n2,戶籍資料課,測試項目乙,李冠緯,3月31日前\n"
BAD = GOOD + "3,戶籍資料課," + "很長" * 101 + ",李冠緯,6月30日前\n"


@pytest.fixture
def console(demo_db) -> Console:
    return Console(demo_db)


def plans(console) -> int:
    with console.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Plan))


def items(console) -> int:
    with console.db.sessions() as session:
        return session.scalar(select(func.count()).select_from(Item))


def upload(client, token: str, text: str, name: str = "plan.csv", year: str = "2025"):
    data = {"csrf": token, "year": year, "file": (io.BytesIO(text.encode("utf-8")), name)}
    return client.post("/console/import/preview", data=data, content_type="multipart/form-data")


def upload_id(page: str) -> str:
    return re.search(r'name="upload" value="([^"]+)"', page).group(1)


def test_a_file_with_a_bad_row_shows_the_problem_by_row_and_column_and_imports_nothing(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/import")))
    before = items(console)
    shown = upload(client, token, BAD)
    page = text_of(shown)
    assert shown.status_code == 422
    row = re.search(r'<tr class="problem fatal" data-row="4">(.*?)</tr>', page, re.S).group(1)
    assert "第 4 列" in row and "計畫項目" in row and "200" in row
    assert "確定匯入" not in page and "沒有寫入任何資料" in page
    assert items(console) == before and plans(console) == 1


def test_a_good_file_is_previewed_with_its_readings_then_imported_on_confirmation(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/import")))
    preview = upload(client, token, GOOD)
    page = text_of(preview)
    assert preview.status_code == 200
    assert "讀到 2 個項目：新增 2、更新 0、未變 0" in page
    assert "每月5日前" in page and "每月 5 日前" in page  # the phrase and its reading
    assert "還沒有任何變動" in page and plans(console) == 1
    confirmed = client.post("/console/import/confirm", data={"csrf": token, "upload": upload_id(page)})
    assert confirmed.status_code == 200 and "已匯入" in text_of(confirmed)
    with console.db.sessions() as session:
        plan = queries.plan_for(session, queries.only_office(session).id, 2025)
        assert [i.title for i in queries.items_of_plan(session, plan.id)] == ["測試項目甲", "測試項目乙"]
        assert plan.source == "plan.csv"
        assert session.scalar(select(AuditLog.actor).where(AuditLog.action == "plan.import").order_by(AuditLog.id.desc()).limit(1)).startswith("console:staff:")
        assert session.scalar(select(ConsoleUpload.content)) == b""
    again = client.post("/console/import/confirm", data={"csrf": token, "upload": upload_id(page)})
    assert again.status_code == 410 and "重新上傳" in text_of(again)


def test_an_upload_is_confirmed_only_by_the_session_that_sent_it_with_its_form_token(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/import")))
    kept = upload_id(text_of(upload(client, token, GOOD)))
    other = console.signed_in(COORDINATOR)
    other_token = csrf_of(text_of(other.get("/console/import")))
    assert other.post("/console/import/confirm", data={"csrf": other_token, "upload": kept}).status_code == 410
    assert client.post("/console/import/confirm", data={"csrf": "forged", "upload": kept}).status_code == 403
    assert client.post("/console/import/confirm", data={"csrf": token, "upload": "made-up"}).status_code == 410
    with console.db.sessions() as session:  # the bytes were changed behind the page's back
        row = session.scalar(select(ConsoleUpload))
        row.content = row.content + "9,戶籍資料課,偷加的項目,李冠緯,12月31日前\n".encode()
        session.commit()
    assert client.post("/console/import/confirm", data={"csrf": token, "upload": kept}).status_code == 410
    assert plans(console) == 1


def test_only_the_coordinator_and_director_import_and_only_signed_in_with_the_form_token(console):
    chief = console.signed_in(CHIEF_DATA)
    chief_token = csrf_of(text_of(chief.get("/console/")))
    assert chief.get("/console/import").status_code == 403
    assert upload(chief, chief_token, GOOD).status_code == 403
    coordinator = console.signed_in(COORDINATOR)
    assert upload(coordinator, "forged", GOOD).status_code == 403
    assert upload(console.app.test_client(), chief_token, GOOD).status_code == 401
    assert console.app.test_client().get("/console/import").status_code == 401
    with console.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ConsoleUpload)) == 0
    assert plans(console) == 1


def test_an_unreadable_type_or_year_is_refused(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/import")))
    assert "看不懂這種檔案" in text_of(upload(client, token, GOOD, name="plan.pages"))
    assert "看不懂年度" in text_of(upload(client, token, GOOD, year="明年"))
    assert plans(console) == 1


def add_delivery(console, morning: date, name: str, line: dict, error: str | None = None, sent: bool = True) -> None:
    with console.db.sessions() as session:
        person = queries.find_staff(session, name)
        now = console.clock.now()
        session.add(Delivery(
            key=f"digest:{morning}:{person.id}:{line['reason']}", morning=morning, recipient=person.line_user_id or "x",
            staff_id=person.id, reasons=line["reason"], retry_key="0" * 36, created_at=now, attempts=1,
            payload={"office_id": person.office_id, "to": name, "lines": [line], "replies": []},
            sent_at=now if sent else None, failed_at=None if sent else now, last_error=error,
        ))
        session.commit()


def test_the_reminders_page_plans_the_next_30_days_and_logs_what_was_sent(console):
    item = console.item("戶籍資料課", "11")
    add_delivery(console, date(2024, 4, 8), STAFF_DATA, {"item_id": item, "occurrence": "2024-04", "reason": "due"})
    add_delivery(console, date(2024, 4, 8), CHIEF_DATA, {"item_id": item, "occurrence": "2024-04", "reason": "escalation"},
                 error="400 The user hasn't added the LINE Official Account as a friend.", sent=False)
    client = console.signed_in(COORDINATOR)
    page = text_of(client.get("/console/reminders"))
    assert "本月已推播 1 則" in page
    days = re.findall(r'<ul class="outlook" data-day="([\d-]+)"', page)
    assert days and all(date(2024, 4, 9) <= date.fromisoformat(d) <= date(2024, 5, 8) for d in days)
    assert f'data-to="{STAFF_DATA}"' in page
    assert 'data-state="sent"' in page and 'data-state="failed"' in page
    assert "hasn&#39;t added the LINE Official Account" in page
    cell = text_of(client.get(f"/console/items/{item}/months/4"))
    assert "4/8（一） → 李冠緯：今天到期（已送出）" in cell
    assert "4/8（一） → 江淑惠：同仁逾期（失敗）" in cell


def test_the_outlook_is_what_the_clocks_planner_would_send(console):
    client = console.signed_in(COORDINATOR)
    page = text_of(client.get("/console/reminders"))
    first = re.search(r'<ul class="outlook" data-day="([\d-]+)"', page).group(1)
    day = date.fromisoformat(first)
    with console.db.sessions() as session:
        cal = calendar_of(session)
        moment = datetime(day.year, day.month, day.day, 8, 30, tzinfo=TAIPEI)
        planned = plan_morning(office_inputs(session, cal, date(2024, 4, 8)), cal, moment)
    block = page[page.index(f'data-day="{first}"'):].split("<h3", 1)[0]
    assert planned and sorted(re.findall(r'<li data-to="([^"]+)"', block)) == sorted(p.to for p in planned)


def test_a_chief_sees_the_reminders_of_their_own_section_only(console):
    item = console.item("戶籍資料課", "11")
    add_delivery(console, date(2024, 4, 8), STAFF_DATA, {"item_id": item, "occurrence": "2024-04", "reason": "due"})
    add_delivery(console, date(2024, 4, 8), STAFF_REG, {"item_id": item, "occurrence": "2024-04", "reason": "due"})
    page = text_of(console.signed_in(CHIEF_DATA).get("/console/reminders"))
    with console.db.sessions() as session:
        own = {s.name for s in queries.staff_of_office(session, queries.only_office(session).id)
               if s.section and s.section.name == "戶籍資料課"}
    shown = set(re.findall(r'<li data-to="([^"]+)"', page))
    assert shown and shown <= own
    logged = re.findall(r'<tr data-state="[a-z]+"><td>[^<]*</td><td>([^<]+)</td>', page)
    assert logged == [STAFF_DATA]
    assert console.app.test_client().get("/console/reminders").status_code == 401


@pytest.mark.parametrize("fmt, magic", [("ods", b"PK"), ("xlsx", b"PK"), ("print", b"PK"), ("pdf", b"%PDF")])
def test_the_coordinator_downloads_the_control_table(console, fmt, magic):
    client = console.signed_in(COORDINATOR)
    assert "匯出年度管制表" in text_of(client.get("/console/export"))
    got = client.get(f"/console/export/table.{fmt}")
    assert got.status_code == 200 and got.data.startswith(magic)
    assert "attachment" in got.headers["Content-Disposition"] and got.headers["Cache-Control"] == "no-store"
    if fmt in ("print", "pdf"):  # one page per section, the report log after it
        assert "%E5%88%97%E5%8D%B0%E7%89%88" in got.headers["Content-Disposition"]  # 列印版 in the file name


def test_a_pdf_without_a_chinese_font_says_how_to_install_one(console, monkeypatch):
    from storage.sheets import pdf

    monkeypatch.setattr(pdf, "FONT_CANDIDATES", (("/nonexistent/font.ttc", None),))
    monkeypatch.setattr(pdf.find_cjk_font, "__defaults__", (pdf.FONT_CANDIDATES,))
    monkeypatch.delenv("PLANBOT_CJK_FONT", raising=False)
    got = console.signed_in(COORDINATOR).get("/console/export/table.pdf")
    assert got.status_code == 503 and "fonts-noto-cjk" in text_of(got)


def test_a_chief_exports_their_own_section_only(console):
    chief = console.signed_in(CHIEF_DATA)
    with console.db.sessions() as session:
        office = queries.only_office(session).id
        own = queries.find_section(session, office, "戶籍資料課").id
        other = queries.find_section(session, office, "戶籍登記課").id
    page = text_of(chief.get("/console/export"))
    assert "戶籍資料課" in page and "戶籍登記課" not in page
    assert chief.get(f"/console/export/table.xlsx?section={own}").status_code == 200
    assert chief.get(f"/console/export/table.xlsx?section={other}").status_code == 403
    assert console.app.test_client().get("/console/export/table.xlsx").status_code == 401


def test_staff_who_sign_in_may_not_import_export_or_see_reminders(console):
    from handlers.chat.console_link import link_for
    from handlers.core.incoming import Context
    from handlers.core.incoming import Settings as HandlerSettings

    with console.db.sessions() as session:
        staff = queries.find_staff(session, STAFF_DATA)
        path = link_for(Context(session, console.clock, HandlerSettings()), staff, "test").split("5000", 1)[1]
        session.commit()
    client = console.app.test_client()
    assert sign_in(client, path).status_code == 303
    token = csrf_of(text_of(client.get("/console/")))
    for url in ("/console/import", "/console/reminders", "/console/export", "/console/export/table.ods", "/console/staff"):
        assert client.get(url).status_code == 403, url
    assert upload(client, token, GOOD).status_code == 403
    assert client.post("/console/staff/sheet", data={"csrf": token}).status_code == 403
    assert plans(console) == 1


def test_an_expired_session_is_refused_everywhere(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/import")))
    console.clock.advance(hours=8, seconds=1)
    for url in ("/console/import", "/console/reminders", "/console/export", "/console/export/table.pdf", "/console/staff"):
        assert client.get(url).status_code == 401, url
    assert upload(client, token, GOOD).status_code == 401
    assert client.post("/console/staff/sheet", data={"csrf": token}).status_code == 401
    assert plans(console) == 1
    assert timedelta(hours=8)  # the session lifetime the test steps past


def test_a_damaged_file_is_a_problem_of_the_whole_file(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/import")))
    shown = upload(client, token, "not a zip", name="plan.xlsx")
    assert shown.status_code == 422
    row = re.search(r'<tr class="problem fatal" data-row="0">(.*?)</tr>', text_of(shown), re.S).group(1)
    assert "整個檔案" in row and "第 0 列" not in row
    assert plans(console) == 1


def test_a_preview_of_more_plan_rows_than_a_plan_has_is_refused_and_says_so(console):
    from bot.console.import_pages import PREVIEW_MAX_ROWS

    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/import")))
    rows = "".join(f"{n},戶籍資料課,項目{n},李冠緯,每月5日前\n" for n in range(1, PREVIEW_MAX_ROWS + 2))
    shown = upload(client, token, "編號,課室,計畫項目,承辦人,預定作業時程\n" + rows)
    page = text_of(shown)
    assert shown.status_code == 422 and "5,001 列，超過管理頁一次能預覽的 5,000 列計畫項目" in page
    assert 'name="upload"' not in page and "planbot import" in page
    with console.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ConsoleUpload)) == 0


def test_reading_the_schedules_past_the_time_stops_the_import_and_says_so(demo_db, tmp_path):
    from handlers.office.imports.plan import ImportFailed, import_plan

    path = tmp_path / "plan.csv"
    path.write_text(GOOD * 1 + "".join(f"{n},戶籍資料課,項目{n},李冠緯,每月5日前\n" for n in range(3, 300)), encoding="utf-8")
    looks = []

    def time_left() -> bool:  # the time runs out at the third look (no clock involved)
        looks.append(1)
        return len(looks) < 3

    with demo_db.sessions() as session:
        with pytest.raises(ImportFailed) as failed:
            import_plan(session, path, 2025, datetime(2025, 1, 2, tzinfo=TAIPEI), time_left=time_left)
        assert any("時限內讀不完" in p.message for p in failed.value.report.fatal)
        assert session.scalar(select(func.count()).select_from(Plan).where(Plan.year == 2025)) == 0


def test_the_preview_names_a_section_nobody_is_in_and_the_people_left_without_items(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/import")))
    typo = GOOD.replace("戶籍資料課", "一、戶藉資料課")
    page = text_of(upload(client, token, typo))
    assert "「戶藉資料課」" in page and "一、戶藉資料課" not in page  # the heading's ordinal is not the name
    assert "名冊裡沒有人屬於這個課室，課長與同仁會看不到這些項目；名冊裡最接近的是「戶籍資料課」" in page
    assert "課長 江淑惠、承辦人 李冠緯" in page and "計畫裡最接近的是「戶藉資料課」" in page
    assert plans(console) == 1  # a preview writes nothing
