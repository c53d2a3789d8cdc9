"""The city's read-only page: three offices with their own plans and reports, counted as each office's own 摘要
counts itself; each office's report is its own; city viewers see figures only, and staff never see the page."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.cli import main
from bot.runtime import Runtime
from bot.settings import Settings as BotSettings
from bot.simulator_sender import SimulatorSender
from handlers.core.agenda import item_occurrences
from handlers.core.incoming import Settings as HandlerSettings
from handlers.documents.review import set_thresholds
from handlers.office import city_viewers
from handlers.office.imports.plan import import_plan
from handlers.texts import city as CT
from handlers.texts import console as T
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI, FixedClock
from schedules.lights import Thresholds
from storage import console_tokens, queries
from storage.models import (
    AuditLog,
    ConsoleToken,
    Item,
    LagReason,
    Office,
    ProgressReport,
    Role,
    Staff,
    Status,
)
from tests.console_signin import proof_of, sign_in
from tests.handler_fixtures import MONDAY, write_plan_csv
from tests.test_console import Console, text_of

# Three offices, each its own plan, people and history (names and titles differ, so a leak would show).
PLANS = {
    "臺北市文山區戶政事務所": [
        ("民政課", "1", "甲所里鄰調整", "", "甲一", "每月5日前"),
        ("民政課", "2", "甲所路燈巡查", "", "甲二", "每月10日前"),
    ],
    "臺北市大安區戶政事務所": [
        ("戶籍課", "1", "乙所門牌整編", "", "乙一", "每月5日前"),
        ("行政課", "2", "乙所檔案清查", "", "乙二", "3/1-3/29"),
    ],
    "臺北市士林區戶政事務所": [
        ("社會課", "1", "丙所急難救助", "", "丙一", "每月5日前"),
    ],
}
A, B, C = PLANS
VIEWER = "王民政"


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=TAIPEI)


class City(Console):
    """The web app over three offices, a city viewer beside them."""

    def __init__(self, db, tmp_path):
        super().__init__(db)
        with db.sessions() as session:
            for name, rows in PLANS.items():
                path = write_plan_csv(tmp_path / f"{name}.csv", rows)
                import_plan(session, path, 2024, MONDAY, office_name=name, tracking_from=date(2024, 1, 1))
            session.flush()
            self._history(session)
            session.commit()

    def _history(self, session) -> None:
        def report(office: str, number: str, month: str, status: Status, when: str) -> None:
            item = self.item_of(session, office, number)
            [key] = [o.key for o in item_occurrences(item, 2024, WorkCalendar()) if f"{o.due:%Y-%m}" == month]
            session.add(ProgressReport(item_id=item.id, occurrence_key=key, status=status, reported_at=at(when), via="line"))

        for month in (1, 2, 3, 4):  # 甲: item 1 always on time; item 2 too, but late in March
            report(A, "1", f"2024-{month:02d}", Status.done, f"2024-{month:02d}-02")
        report(A, "2", "2024-01", Status.done, "2024-01-09")
        report(A, "2", "2024-02", Status.done, "2024-02-07")
        report(A, "2", "2024-03", Status.done, "2024-03-15")
        report(B, "2", "2024-03", Status.in_progress, "2024-03-20")  # 乙: item 1 never reported, item 2 late
        for month in (1, 2, 3, 4):  # 丙: everything on time
            report(C, "1", f"2024-{month:02d}", Status.done, f"2024-{month:02d}-01")
        b1 = self.item_of(session, B, "1")
        session.add(LagReason(item_id=b1.id, occurrence_key="2024-03", cause="乙所人力不足", remedy="乙所加派人手"))
        set_thresholds(session, session.scalar(select(Office).where(Office.name == B)), Thresholds(1, 3))
        for office, name, role in ((A, "甲主任", Role.director), (B, "乙研考", Role.coordinator), (A, "甲課長", Role.chief)):
            off = session.scalar(select(Office).where(Office.name == office))
            session.add(Staff(office_id=off.id, name=name, role=role))

    @staticmethod
    def item_of(session, office: str, number: str) -> Item:
        off = session.scalar(select(Office).where(Office.name == office))
        plan = queries.plan_for(session, off.id, 2024)
        return next(i for i in queries.items_of_plan(session, plan.id) if i.number == number)

    def viewer_link(self, name: str = VIEWER) -> str:
        with self.db.sessions() as session:
            found = city_viewers.find(session, name) or city_viewers.add(session, name, "臺北市政府民政局", self.clock.now(), "test").viewer
            url = city_viewers.link(session, found, self.public_url, self.clock.now(), "test")
            session.commit()
        return url.removeprefix(self.public_url)

    def viewer(self, name: str = VIEWER):
        client = self.app.test_client()
        assert sign_in(client, self.viewer_link(name)).status_code == 303
        return client

    def staff_link(self, name: str) -> str:
        with self.db.sessions() as session:
            person = session.scalar(select(Staff).where(Staff.name == name))
            token = console_tokens.create_link(session, person, self.clock.now(), "test")
            session.commit()
        return f"/console/signin/{token}"

    def staff(self, name: str):
        client = self.app.test_client()
        assert sign_in(client, self.staff_link(name)).status_code == 303
        return client

    def app_at(self, moment: datetime):
        """The same service with its clock at `moment`."""
        settings = BotSettings(handlers=HandlerSettings(public_url=self.public_url))
        runtime = Runtime(self.db.url, self.db.engine, self.db.sessions, FixedClock(moment), settings)
        return create_app(runtime, SimulatorSender(), testing=True)

    def rows(self) -> dict[str, int]:
        return queries.count_rows(self.db.sessions())


@pytest.fixture
def city(sqlite_db, tmp_path) -> City:
    return City(sqlite_db, tmp_path)


def office_row(page: str, office: str) -> dict[str, str]:
    row = re.search(rf'<tr data-office="{office}"[^>]*>(.*?)</tr>', page, re.S).group(1)
    return dict(re.findall(r'data-col="(\w+)">([^<]*)', row))


def summary_json(city: City, office: str, month: int, capsys) -> dict:
    capsys.readouterr()
    args = ["summary", "--office", office, "--month", str(month), "--at", "2024-04-08", "--json"]
    assert main(args, {"DATABASE_URL": city.db.url}) == 0
    return json.loads(capsys.readouterr().out)


def test_the_city_table_shows_each_office_as_its_own_summary_counts_it(city, capsys):
    client = city.viewer()
    for month in (3, 4):
        page = text_of(client.get(f"/console/city/?month={month}"))
        assert f"113年{month}月 各所工作計畫進度" in page
        shown = {office: office_row(page, office) for office in PLANS}
        for office in PLANS:
            own = summary_json(city, office, month, capsys)
            figures = {k: int(shown[office][k]) for k in ("due", "done_on_time", "done_late", "overdue", "not_reported")}
            assert figures == {k: own[k] for k in figures}, (office, month)
            assert shown[office]["completion"] == (f"{round(own['completion'] * 100)}%" if own["completion"] is not None
                                                   else CT.NOTHING_DUE)
        assert len({json.dumps(r, sort_keys=True) for r in shown.values()}) == 3  # three offices, three stories
        if month == 3:  # 乙: two overdue, one of them reported 進行中, so one 未回報
            assert (shown[B]["overdue"], shown[B]["not_reported"]) == ("2", "1")
    march = text_of(client.get("/console/city/?month=3"))
    lights = {o: re.search(rf'<tr data-office="{o}" data-light="(\w+)"', march).group(1) for o in PLANS}
    assert lights == {A: "yellow", B: "red", C: "done"}  # done late; overdue past 3 days; all on time


def test_the_city_page_shows_figures_only_nothing_of_an_office_inside(city):
    page = text_of(city.viewer().get("/console/city/?month=3"))
    inside = [t for rows in PLANS.values() for r in rows for t in (r[0], r[2], r[4])]
    inside += ["乙所人力不足", "乙所加派人手", "甲主任", "乙研考"]
    assert [word for word in inside if word in page] == []
    assert "<script" not in page and "王民政（臺北市政府民政局）" in page
    # both offices' thresholds differ, so each gets its legend with its numbers
    assert "逾期超過 3 個工作天" in page and "逾期超過 5 個工作天" in page


def test_this_month_by_default_and_only_months_of_the_year_so_far(city):
    client = city.viewer()
    page = text_of(client.get("/console/city/"))
    assert "113年4月 各所工作計畫進度" in page and '<option value="5"' not in page
    for wrong in ("5", "13", "abc"):
        answer = client.get(f"/console/city/?month={wrong}")
        assert answer.status_code == 400 and "113年4月" in text_of(answer)
        assert "月份只能選今年 1 月到 4 月" in text_of(answer)


def odt_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as odt:
        return re.sub(r"<[^>]+>", " ", odt.read("content.xml").decode())


def test_each_offices_report_is_that_offices_own(city):
    client = city.viewer()
    with city.db.sessions() as session:
        ids = {o.name: o.id for o in session.scalars(select(Office))}
    for office, others in ((A, (B, C)), (B, (A, C))):
        answer = client.get(f"/console/city/offices/{ids[office]}/report.odt?month=3")
        assert answer.status_code == 200
        assert "attachment" in answer.headers["Content-Disposition"]
        text = odt_text(answer.data)
        assert "113年3月工作計畫執行情形彙整表" in text and office in text
        own = [r[2] for r in PLANS[office]]
        assert any(title in text for title in own)
        leaked = [r[2] for o in others for r in PLANS[o]] + [o for o in others]
        assert [word for word in leaked if word in text] == []
    assert client.get(f"/console/city/offices/{ids[A]}/report.xls?month=3").status_code == 404
    assert client.get(f"/console/city/offices/{max(ids.values()) + 1}/report.odt?month=3").status_code == 404
    assert client.get(f"/console/city/offices/{ids[A]}/report.odt?month=9").status_code == 404


@pytest.mark.parametrize("who", ["甲主任", "乙研考", "甲課長"])
def test_office_staff_of_any_role_are_refused_on_the_city_page(city, who):
    client = city.staff(who)
    before = city.rows()
    for url in ("/console/city/", "/console/city/?month=3", "/console/city/offices/1/report.odt"):
        answer = client.get(url)
        assert answer.status_code == 403 and CT.CITY_ONLY in text_of(answer)
    assert "甲所里鄰調整" not in text_of(client.get("/console/city/"))
    assert city.rows() == before


def test_a_city_viewer_is_refused_on_office_pages(city):
    client = city.viewer()
    for url in ("/console/", "/console/review", "/console/staff", "/console/calendar"):
        answer = client.get(url)
        assert answer.status_code == 403 and CT.OFFICE_ONLY in text_of(answer), url
        assert "甲所里鄰調整" not in text_of(answer)


def test_a_staff_link_does_not_open_the_city_page_nor_a_city_link_the_console(city):
    staff_token = city.staff_link("甲主任").rsplit("/", 1)[1]
    city_token = city.viewer_link().rsplit("/", 1)[1]
    client = city.app.test_client()
    assert client.post(f"/console/city/signin/{staff_token}").status_code == 410
    assert client.post(f"/console/signin/{city_token}").status_code == 410
    assert client.get("/console/city/").status_code == 401  # no session came of either
    assert sign_in(client, f"/console/city/signin/{city_token}").status_code == 303  # each link still works where it belongs
    assert sign_in(client, f"/console/signin/{staff_token}").status_code == 303


def test_a_city_link_shows_its_button_signs_in_once(city):
    path = city.viewer_link()
    first = city.app.test_client()
    shown = first.get(path)
    assert shown.status_code == 200 and "王民政（臺北市政府民政局）您好" in text_of(shown)
    assert shown.headers["Content-Security-Policy"].startswith("default-src 'none'")
    answer = first.post(path, data={"proof": proof_of(shown)})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/console/city/")
    assert "HttpOnly" in answer.headers["Set-Cookie"]
    again = city.app.test_client().post(path)
    assert again.status_code == 410 and T.SIGNIN_USED in text_of(again)
    with city.db.sessions() as session:
        kinds = sorted(session.scalars(select(ConsoleToken.kind).where(ConsoleToken.viewer_id.is_not(None))))
    assert kinds == ["city_link", "city_session"]


def test_forged_expired_and_deactivated_sessions_are_refused_and_change_nothing(city):
    client = city.viewer()
    page = text_of(client.get("/console/city/"))
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    before = city.rows()
    forged = client.post("/console/city/signout", data={"csrf": "forged"})
    assert forged.status_code == 403 and T.BAD_CSRF in text_of(forged)
    assert city.rows() == before and client.get("/console/city/").status_code == 200  # still signed in
    stranger = city.app.test_client()
    stranger.set_cookie("planbot_console", "made-up", path="/console")
    assert stranger.get("/console/city/").status_code == 401
    app = city.app_at(MONDAY + timedelta(hours=9))  # the 8-hour session is over
    late = app.test_client()
    late.set_cookie("planbot_console", client.get_cookie("planbot_console", path="/console").value, path="/console")
    assert late.get("/console/city/").status_code == 401
    with city.db.sessions() as session:
        assert city_viewers.deactivate(session, VIEWER, city.clock.now(), "test") == 1
        session.commit()
    refused = client.get("/console/city/")
    assert refused.status_code == 401 and T.NEED_SIGNIN in text_of(refused)
    assert client.post("/console/city/signout", data={"csrf": csrf}).status_code == 401
    with city.db.sessions() as session:  # coming back does not revive the old session
        city_viewers.add(session, VIEWER, "臺北市政府民政局", city.clock.now(), "test")
        session.commit()
    assert client.get("/console/city/").status_code == 401


def test_signing_out_ends_the_city_session(city):
    client = city.viewer()
    csrf = re.search(r'name="csrf" value="([^"]+)"', text_of(client.get("/console/city/"))).group(1)
    answer = client.post("/console/city/signout", data={"csrf": csrf})
    assert answer.status_code == 200 and CT.SIGNED_OUT in text_of(answer)
    assert client.get("/console/city/").status_code == 401


def test_planbot_city_viewer_commands(city, capsys):
    env = {"DATABASE_URL": city.db.url, "PUBLIC_URL": city.public_url}
    assert main(["city", "viewer", "add", "林研考", "--unit", "臺北市政府研究發展考核委員會"], env) == 0
    out = capsys.readouterr().out
    assert "已新增市府檢視者 林研考（臺北市政府研究發展考核委員會）" in out
    first = re.search(r"(/console/city/signin/\S+)", out).group(1)
    assert main(["city", "viewer", "link", "林研考"], env) == 0
    second = re.search(r"(/console/city/signin/\S+)", capsys.readouterr().out).group(1)
    assert first != second
    client = city.app.test_client()
    assert sign_in(client, second).status_code == 303 and client.get("/console/city/").status_code == 200
    assert main(["city", "viewer", "add", "林研考", "--unit", "別的單位"], env) == 1
    assert "已有市府檢視者「林研考」" in capsys.readouterr().err
    assert main(["city", "viewer", "deactivate", "林研考"], env) == 0
    assert "已停用市府檢視者 林研考" in capsys.readouterr().out
    assert client.get("/console/city/").status_code == 401
    assert city.app.test_client().post(first).status_code == 410  # the unused link ended too
    before = city.rows()
    assert main(["city", "viewer", "link", "林研考"], env) == 1
    assert main(["city", "viewer", "add", "", "--unit", "x"], env) == 1
    assert main(["city", "viewer", "deactivate", "沒有這人"], env) == 1
    assert city.rows() == before
    with city.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action.like("city.%"))) >= 4


def test_city_tokens_and_staff_tokens_never_pass_for_each_other(db, now):
    """On SQLite and PostgreSQL: each kind is read only by its own check, and the database holds each to its holder."""
    from sqlalchemy.exc import IntegrityError

    with db.sessions() as session:
        office = Office(name="測試所", settings={})
        session.add(office)
        session.flush()
        person = Staff(office_id=office.id, name="研考", role=Role.coordinator)
        session.add(person)
        viewer = city_viewers.add(session, VIEWER, "臺北市政府民政局", now, "test").viewer
        staff_session = console_tokens.redeem_link(session, console_tokens.create_link(session, person, now, "t"), now)
        city_session = console_tokens.redeem_city_link(session, console_tokens.create_city_link(session, viewer, now, "t"), now)
        assert console_tokens.session_viewer(session, city_session.session_token, now).name == VIEWER
        assert console_tokens.session_staff(session, city_session.session_token, now) is None
        assert console_tokens.session_viewer(session, staff_session.session_token, now) is None
        assert console_tokens.redeem_link(session, city_session.session_token, now).outcome.value == "unknown"
        session.commit()
        for wrong in ({"kind": "session", "viewer_id": viewer.id}, {"kind": "city_session", "staff_id": person.id},
                      {"kind": "link", "staff_id": person.id, "viewer_id": viewer.id}):
            session.add(ConsoleToken(token_hash=wrong["kind"] + str(len(wrong)), created_at=now, expires_at=now, **wrong))
            with pytest.raises(IntegrityError):
                session.flush()
            session.rollback()


def test_parallel_posts_of_one_city_link_open_one_session(db, now):
    """On SQLite and PostgreSQL, as a staff link: of many 登入 presses racing with one link, one opens a session."""
    import threading

    with db.sessions() as session:
        viewer = city_viewers.add(session, VIEWER, "臺北市政府民政局", now, "test").viewer
        path = city_viewers.link(session, viewer, "http://x", now, "test").removeprefix("http://x")
        session.commit()
    settings = BotSettings(handlers=HandlerSettings(public_url="http://x"))
    app = create_app(Runtime(db.url, db.engine, db.sessions, FixedClock(now), settings), SimulatorSender(), testing=True)
    codes: list[int] = []
    browsers = [app.test_client() for _ in range(10)]
    proofs = [proof_of(browser.get(path)) for browser in browsers]

    def press(browser, proof: str) -> None:
        codes.append(browser.post(path, data={"proof": proof}).status_code)

    threads = [threading.Thread(target=press, args=pair) for pair in zip(browsers, proofs, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with db.sessions() as session:
        opened = session.scalar(select(func.count()).select_from(ConsoleToken).where(ConsoleToken.kind == "city_session"))
    assert sorted(codes) == [303] + [410] * 9 and opened == 1
