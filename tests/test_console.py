"""The console over HTTP: signing in through a LINE link, sessions, CSRF, and who may see and change what."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.cli import main
from bot.runtime import Runtime
from bot.settings import Settings as BotSettings
from bot.simulator_sender import SimulatorSender
from handlers.chat.console_link import link_for
from handlers.core.incoming import Context
from handlers.core.incoming import Settings as HandlerSettings
from schedules.clock import FixedClock
from storage import queries
from storage.models import ConsoleToken, Item, ProgressReport, Section
from tests.console_signin import proof_of, sign_in
from tests.handler_fixtures import (
    CHIEF_DATA,
    COORDINATOR,
    DIRECTOR,
    MONDAY,
    STAFF_DATA,
    STAFF_REG,
    Talk,
)

LINK = re.compile(r"https?://\S+/console/signin/(\S+)")


class Console:
    """The web app on the demo database, a Flask test client per person, and the chat beside it."""

    def __init__(self, db, public_url: str = "http://127.0.0.1:5000"):
        self.db = db
        self.clock = FixedClock(MONDAY)
        settings = BotSettings(handlers=HandlerSettings(public_url=public_url))
        self.app = create_app(Runtime(db.url, db.engine, db.sessions, self.clock, settings), SimulatorSender(), testing=True)
        self.public_url = public_url

    def chat(self, who: str, text: str) -> str:
        with self.db.sessions() as session:
            talk = Talk(session, self.clock, HandlerSettings(public_url=self.public_url))
            answer = talk.text(who, text)
            session.commit()
        return answer

    def link(self, who: str) -> str:
        found = LINK.search(self.chat(who, "管理"))
        assert found, f"no sign-in link for {who}"
        return f"/console/signin/{found.group(1)}"

    def signed_in(self, who: str):
        client = self.app.test_client()
        assert sign_in(client, self.link(who)).status_code == 303
        return client

    def item(self, section: str, number: str) -> int:
        with self.db.sessions() as session:
            return session.scalar(select(Item.id).join(Section).where(Section.name == section, Item.number == number))

    def reports(self) -> int:
        with self.db.sessions() as session:
            return session.scalar(select(func.count()).select_from(ProgressReport))


@pytest.fixture
def console(demo_db) -> Console:
    return Console(demo_db)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_coordinator_signs_in_through_the_chat_link_and_sees_every_section(console):
    client = console.app.test_client()
    response = sign_in(client, console.link(COORDINATOR))
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Max-Age=28800" in cookie
    page = text_of(client.get("/console/"))
    assert "2024 年度管制表" in page
    for section in ("戶籍資料課", "戶籍登記課", "行政庶務課"):
        assert f'data-section="{section}"' in page
    assert "簡心怡（研考）" in page and "登出" in page


def test_the_cookie_is_secure_when_the_console_is_served_over_https(demo_db):
    console = Console(demo_db, public_url="https://planbot.example.gov.tw")
    response = sign_in(console.app.test_client(), console.link(DIRECTOR))
    assert "Secure" in response.headers["Set-Cookie"]


def test_links_and_sessions_are_stored_hashed(console):
    path = console.link(CHIEF_DATA)
    token = path.rsplit("/", 1)[1]
    with console.db.sessions() as session:
        hashes = list(session.scalars(select(ConsoleToken.token_hash)))
    assert hashes and token not in hashes


def test_a_used_link_says_so_and_how_to_get_another(console):
    path = console.link(COORDINATOR)
    assert sign_in(console.app.test_client(), path).status_code == 303
    again = console.app.test_client().post(path)
    assert again.status_code == 410
    assert "已經用過" in text_of(again) and "輸入「管理」" in text_of(again)
    assert "Set-Cookie" not in again.headers


def test_a_link_older_than_ten_minutes_has_expired(console):
    path = console.link(COORDINATOR)
    console.clock.advance(minutes=10, seconds=1)
    response = console.app.test_client().post(path)
    assert response.status_code == 410
    assert "已經過期" in text_of(response) and "輸入「管理」" in text_of(response)


def test_a_staff_members_expired_link_tells_them_to_ask_the_coordinator_not_to_type_管理(console):
    from storage import queries
    from storage.console_tokens import create_link

    with console.db.sessions() as session:  # as `planbot console link 李冠緯` gives it
        token = create_link(session, queries.find_staff(session, STAFF_DATA), console.clock.now(), "cli")
        session.commit()
    console.clock.advance(minutes=10, seconds=1)
    response = console.app.test_client().get(f"/console/signin/{token}")
    assert response.status_code == 410
    assert "已經過期" in text_of(response) and "向研考索取" in text_of(response) and "「管理」" not in text_of(response)


def test_a_made_up_link_opens_nothing(console):
    response = console.app.test_client().get("/console/signin/not-a-real-token")
    assert response.status_code == 410 and "無效" in text_of(response)


def test_staff_are_not_sent_a_link_by_chat(console):
    answer = console.chat(STAFF_DATA, "管理")
    assert "/console/signin/" not in answer and "研考、主任與課長" in answer


def test_without_a_session_every_page_and_action_refuses(console):
    client = console.app.test_client()
    item = console.item("戶籍資料課", "11")
    before = console.reports()
    assert client.get("/console/").status_code == 401
    assert "輸入「管理」" in text_of(client.get("/console/"))
    assert client.get(f"/console/items/{item}/months/4").status_code == 401
    posted = client.post(f"/console/items/{item}/months/4/report", data={"csrf": "x", "occurrence": "2024-04", "status": "done"})
    assert posted.status_code == 401
    assert console.reports() == before


def test_a_session_ends_after_eight_hours(console):
    client = console.signed_in(COORDINATOR)
    console.clock.advance(hours=7, minutes=59)
    assert client.get("/console/").status_code == 200
    console.clock.advance(minutes=1)
    assert client.get("/console/").status_code == 401


def test_signing_out_needs_the_form_token_and_then_ends_the_session(console):
    client = console.signed_in(COORDINATOR)
    page = text_of(client.get("/console/"))
    assert client.post("/console/signout", data={"csrf": "forged"}).status_code == 403
    assert client.get("/console/").status_code == 200
    assert client.post("/console/signout", data={"csrf": csrf_of(page)}).status_code == 200
    assert client.get("/console/").status_code == 401


def test_a_chief_sees_only_their_section_and_is_refused_another(console):
    client = console.signed_in(CHIEF_DATA)
    page = text_of(client.get("/console/"))
    assert 'data-section="戶籍資料課"' in page
    assert 'data-section="戶籍登記課"' not in page and 'data-section="行政庶務課"' not in page
    other = console.item("戶籍登記課", "3")
    assert client.get(f"/console/items/{other}/months/4").status_code == 403
    before = console.reports()
    posted = client.post(
        f"/console/items/{other}/months/4/report",
        data={"csrf": csrf_of(page), "occurrence": "2024-04", "status": "done"},
    )
    assert posted.status_code == 403
    assert console.reports() == before


def test_staff_who_sign_in_see_only_their_own_items(console):
    with console.db.sessions() as session:
        staff = queries.find_staff(session, STAFF_REG)
        path = link_for(Context(session, console.clock, HandlerSettings()), staff, "test").split("5000", 1)[1]
        owned = {i.id for i in queries.items_owned_by(session, staff.id, queries.only_office(session).plans[0].id)}
        session.commit()
    client = console.app.test_client()
    assert sign_in(client, path).status_code == 303
    page = text_of(client.get("/console/"))
    shown = {int(i) for i in re.findall(r'<tr data-item="(\d+)"', page)}
    assert shown and shown == owned


def test_reporting_a_cell_needs_the_form_token_and_records_like_the_chat(console):
    client = console.signed_in(COORDINATOR)
    item = console.item("戶籍資料課", "11")
    page = text_of(client.get(f"/console/items/{item}/months/4"))
    assert "未到期" in page and "還沒有人回報" in page
    before = console.reports()
    forged = client.post(f"/console/items/{item}/months/4/report", data={"csrf": "forged", "occurrence": "2024-04", "status": "done"})
    assert forged.status_code == 403 and "沒有做任何變更" in text_of(forged)
    missing = client.post(f"/console/items/{item}/months/4/report", data={"occurrence": "2024-04", "status": "done"})
    assert missing.status_code == 403
    assert console.reports() == before
    done = client.post(
        f"/console/items/{item}/months/4/report",
        data={"csrf": csrf_of(page), "occurrence": "2024-04", "status": "done", "percent": "", "note": "已全數設置"},
    )
    assert done.status_code == 200
    shown = text_of(done)
    assert "已記錄 ✅" in shown and "回報人：簡心怡（09:00）" in shown
    assert "4/8（一） 09:00　簡心怡：已完成：已全數設置（管理頁）" in shown
    with console.db.sessions() as session:
        report = session.scalars(select(ProgressReport).order_by(ProgressReport.id.desc())).first()
        assert (report.item_id, report.occurrence_key, report.via, report.note) == (item, "2024-04", "console", "已全數設置")
        assert report.staff.name == COORDINATOR
    table = text_of(client.get("/console/"))
    row = re.search(rf'<tr data-item="{item}">(.*?)</tr>', table, re.S).group(1)
    assert 'data-month="4" data-state="done_on_time"' in row


def test_planbot_console_link_prints_a_working_link(console, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", console.db.url)
    monkeypatch.setenv("PUBLIC_URL", "https://planbot.example.gov.tw")
    assert main(["console", "link", COORDINATOR]) == 0
    printed = capsys.readouterr().out
    found = re.search(r"https://planbot\.example\.gov\.tw(/console/signin/\S+)", printed)
    assert found and "10 分鐘內有效" in printed
    client = console.app.test_client()
    assert sign_in(client, found.group(1)).status_code == 303
    assert "2024 年度管制表" in text_of(client.get("/console/"))


def test_planbot_console_link_refuses_a_name_not_on_the_roster(console, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", console.db.url)
    assert main(["console", "link", "不存在的人"]) == 1
    assert "不存在的人" in capsys.readouterr().err


def overrides_count(console) -> int:
    with console.db.sessions() as session:
        return len(queries.list_overrides(session, queries.only_office(session).id))


def test_a_closure_shows_the_due_dates_it_moves_before_it_is_saved(console):
    client = console.signed_in(COORDINATOR)
    page = text_of(client.get("/console/calendar"))
    form = {"csrf": csrf_of(page), "day": "2024-04-08", "kind": "closure", "reason": "颱風停止上班"}
    preview = client.post("/console/calendar/preview", data=form)
    assert preview.status_code == 200
    shown = text_of(preview)
    # 戶籍資料課 11 (每月5日前) was already moved from Children's Day to Monday 4/8; closing 4/8 moves it to 4/9.
    assert "門牌指標" in shown and "4/8（一） → 4/9（二）" in shown, shown[shown.find("<main>"):]
    assert overrides_count(console) == 0
    saved = client.post("/console/calendar", data=form)
    assert saved.status_code == 200 and "已儲存" in text_of(saved)
    assert 'data-day="2024-04-08"' in text_of(client.get("/console/calendar"))
    with console.db.sessions() as session:
        (row,) = queries.list_overrides(session, queries.only_office(session).id)
        assert (row.day.isoformat(), row.kind.value, row.reason) == ("2024-04-08", "closure", "颱風停止上班")


def test_only_the_coordinator_and_director_change_the_calendar_and_only_with_the_form_token(console):
    chief = console.signed_in(CHIEF_DATA)
    page = text_of(chief.get("/console/calendar"))
    assert "只有研考與主任" in page
    form = {"csrf": csrf_of(page), "day": "2024-04-08", "kind": "closure", "reason": "颱風"}
    assert chief.post("/console/calendar/preview", data=form).status_code == 403
    assert chief.post("/console/calendar", data=form).status_code == 403
    director = console.signed_in(DIRECTOR)
    assert director.post("/console/calendar", data={**form, "csrf": "forged"}).status_code == 403
    assert console.app.test_client().post("/console/calendar", data=form).status_code == 401
    assert overrides_count(console) == 0
    assert director.post("/console/calendar", data={**form, "csrf": csrf_of(text_of(director.get("/console/calendar")))}).status_code == 200
    assert overrides_count(console) == 1


def test_the_calendar_preview_says_when_a_closure_postpones_out_of_the_year(console):
    client = console.signed_in(COORDINATOR)
    page = text_of(client.get("/console/calendar"))
    form = {"csrf": csrf_of(page), "day": "2024-12-31", "kind": "closure", "reason": "颱風停止上班"}
    shown = text_of(client.post("/console/calendar/preview", data=form))
    assert "12/31（二） → 114/1/2（四）（跨入114年）" in shown and "→ 12/30" not in shown
    assert "順延到 114 年，已跨出原本的年度" in shown


def test_a_closure_without_a_reason_or_a_date_is_refused(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/calendar")))
    no_reason = client.post("/console/calendar", data={"csrf": token, "day": "2024-04-08", "kind": "closure", "reason": ""})
    assert no_reason.status_code == 400 and "請寫下原因" in text_of(no_reason)
    bad_day = client.post("/console/calendar/preview", data={"csrf": token, "day": "4月8日", "kind": "closure", "reason": "颱風"})
    assert bad_day.status_code == 400 and "看不懂這個日期" in text_of(bad_day)
    assert overrides_count(console) == 0


def test_opening_a_link_uses_nothing_up_only_its_button_signs_in(console):
    path = console.link(COORDINATOR)
    scanner = console.app.test_client()
    for method in (scanner.head, scanner.get, scanner.get):  # a link scanner, LINE's prefetch, the colleague
        response = method(path)
        assert response.status_code == 200 and "planbot_console" not in response.headers.get("Set-Cookie", "")
    page = text_of(scanner.get(path))
    assert "簡心怡" in page and "登入" in page and 'method="post"' in page
    assert scanner.get("/console/").status_code == 401
    colleague = console.app.test_client()
    assert sign_in(colleague, path).status_code == 303
    assert "2024 年度管制表" in text_of(colleague.get("/console/"))


def _sessions(db) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count()).select_from(ConsoleToken).where(ConsoleToken.kind == "session"))


@pytest.fixture
def console_any(demo_any) -> Console:
    """The console on the demo plan, on SQLite and on PostgreSQL in turn."""
    return Console(demo_any)


def test_two_requests_racing_with_one_link_open_one_session(console_any):
    console = console_any
    if console.db.kind != "postgresql":
        pytest.skip("row locks: the race is PostgreSQL's (SQLite serialises writers)")
    from storage import console_tokens

    token = console.link(COORDINATOR).rsplit("/", 1)[1]
    now = console.clock.now()
    first = console.db.sessions()
    assert console_tokens.redeem_link(first, token, now).outcome == "signed_in"  # not committed yet
    seen: list[str] = []

    def second() -> None:
        with console.db.sessions() as session:
            seen.append(console_tokens.redeem_link(session, token, now).outcome)
            session.commit()

    racing = threading.Thread(target=second)
    racing.start()
    racing.join(0.5)  # it waits on the first one's row lock (or has already run, before the fix)
    first.commit()
    first.close()
    racing.join(30)
    assert seen == ["used"] and _sessions(console.db) == 1


def test_twenty_parallel_posts_of_one_link_open_one_session(console_any):
    console = console_any
    path = console.link(COORDINATOR)
    codes: list[int] = []
    browsers = [console.app.test_client() for _ in range(20)]
    proofs = [proof_of(browser.get(path)) for browser in browsers]  # each shown the page, then all press 登入

    def open_link(browser, proof: str) -> None:
        codes.append(browser.post(path, data={"proof": proof}).status_code)

    threads = [threading.Thread(target=open_link, args=pair) for pair in zip(browsers, proofs, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(codes) == [303] + [410] * 19 and _sessions(console.db) == 1


def test_every_console_response_forbids_framing_sniffing_and_foreign_content(console):
    client = console.signed_in(COORDINATOR)
    for response in (client.get("/console/"), client.get("/console/staff"), console.app.test_client().get("/console/"),
                     console.app.test_client().get("/console/signin/not-a-real-token")):
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy and "script-src" not in policy


def test_the_console_refuses_a_closure_or_workday_on_a_past_day(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/calendar")))
    for url in ("/console/calendar/preview", "/console/calendar"):
        refused = client.post(url, data={"csrf": token, "day": "2024-04-05", "kind": "closure", "reason": "颱風"})
        assert refused.status_code == 400 and "2024-04-05 已經過去，沒有儲存" in text_of(refused)
    assert overrides_count(console) == 0


def test_a_chief_whose_section_has_no_items_is_told_so_and_whom_to_ask_not_that_no_row_fits_a_filter(console):
    from storage.models import Role, Staff

    with console.db.sessions() as session:
        office = queries.only_office(session)
        section = queries.get_or_create_section(session, office, "會計室")
        session.add(Staff(office_id=office.id, name="錢文華", section_id=section.id, role=Role.chief, line_user_id="U" + "7" * 32))
        session.commit()
    page = text_of(console.signed_in("錢文華").get("/console/"))
    assert "會計室在 2024 年度工作計畫裡沒有任何項目。" in page and f"請洽研考（{COORDINATOR}）" in page
    assert "沒有符合篩選條件的項目" not in page
    # A filter that matches nothing is still said to be the filter's doing.
    chief = console.signed_in(CHIEF_DATA)
    filtered = text_of(chief.get("/console/?owner=999999"))
    assert "沒有符合篩選條件的項目" in filtered and "沒有任何項目" not in filtered
