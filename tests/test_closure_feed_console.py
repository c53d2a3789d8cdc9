"""The console's 行事曆 and the closure feed: the office's place, the last reading (or its failure), the attribution."""

from __future__ import annotations

from datetime import datetime

from fakes.closure_feed import FakeClosureFeed, entry
from sqlalchemy import select

from bot.closure_feed import FeedClient, check_offices
from handlers.office.feed_closures import Unreached
from schedules.clock import TAIPEI
from storage.models import Office
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR
from tests.test_console import Console, csrf_of, text_of

ATTRIBUTION = "資料來源：行政院人事行政總處（國家災害防救科技中心發布）"


def office_place(db) -> tuple[str | None, str | None]:
    with db.sessions() as session:
        office = session.scalars(select(Office)).one()
        return office.county, office.district


def test_the_place_is_set_on_the_calendar_page_and_bad_input_changes_nothing(demo_db):
    console = Console(demo_db)
    client = console.signed_in(COORDINATOR)
    page = text_of(client.get("/console/calendar"))
    assert "尚未設定機關所在地" in page
    bad = client.post("/console/calendar/location", data={"csrf": csrf_of(page), "county": "北市", "district": "文山區"})
    assert bad.status_code == 400 and "看不懂縣市「北市」" in text_of(bad)
    assert office_place(demo_db) == (None, None)
    chief = console.signed_in(CHIEF_DATA)
    chief_page = text_of(chief.get("/console/calendar"))
    refused = chief.post("/console/calendar/location", data={"csrf": csrf_of(chief_page), "county": "臺北市"})
    assert refused.status_code == 403 and office_place(demo_db) == (None, None)
    saved = client.post("/console/calendar/location", data={"csrf": csrf_of(page), "county": "台北市", "district": "文山區"})
    assert saved.status_code == 200 and "臺北市文山區" in text_of(saved)
    assert office_place(demo_db) == ("臺北市", "文山區")


def test_the_page_shows_the_last_reading_the_feeds_closures_with_their_source_and_a_failure_as_a_failure(demo_db):
    console = Console(demo_db)
    with demo_db.sessions() as session:
        office = session.scalars(select(Office)).one()
        office.county, office.district = "臺北市", "文山區"
        session.commit()
        office_id = office.id
    evening = datetime(2024, 4, 7, 21, 5, tzinfo=TAIPEI)
    with FakeClosureFeed() as feed:
        feed.publish([entry(evening.replace(minute=0), "臺北市", "明天停止上班、停止上課")])
        check_offices(demo_db.sessions, [office_id], FeedClient(feed.url).fetch(), evening)
    client = console.signed_in(COORDINATOR)
    console.clock.set(evening.replace(hour=23))
    page = text_of(client.get("/console/calendar"))
    assert "上次查詢 21:05：臺北市 明天停止上班（已套用）" in page
    row = page[page.index('data-day="2024-04-08"'):]
    assert "臺北市:明天停止上班、停止上課" in row[:600] and ATTRIBUTION in row[:600]

    check_offices(demo_db.sessions, [office_id], Unreached("timeout"), evening.replace(hour=22))
    page = text_of(client.get("/console/calendar"))
    assert "查詢失敗（22:05）：公告網站沒有回應" in page and "上次查詢" not in page
    console.clock.advance(hours=2)  # after midnight: a reading of another day says its date
    assert "查詢失敗（4/7（日）22:05）" in text_of(client.get("/console/calendar"))
