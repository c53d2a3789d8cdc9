"""Reading the DGPA's closure announcements: the grammar, the traps measured on the archive, and when to read again."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from fakes.closure_feed import entry, feed_of

from schedules.clock import TAIPEI
from schedules.closure_feed import FeedError, decide, entries_of, next_check, read_text

EVENING = datetime(2025, 9, 16, 20, 30, tzinfo=TAIPEI)


def doc(*entries: dict, wrapped: bool = False) -> bytes:
    return json.dumps(feed_of(list(entries), wrapped), ensure_ascii=False).encode()


def days(reading) -> list[tuple[str, str, str]]:
    return [(v.day.isoformat(), v.state, v.part) for v in reading.verdicts]


REAL = (
    '{"id":"dgpa.gov.tw_workSchlClos_20260822141104_i_6403700_001","updated":"2026-08-22T14:11:04+08:00",'
    '"author":{"name":"行政院人事行政總處"},"status":"Actual","msgType":"Alert","summary":{"#text":"[停班停課通知]'
    '高雄市桃源區:今天下午已達停止上班及上課標準。行政院人事行政總處。如有任何問題請撥1999(市內直撥)。"},'
    '"effective":"2026/8/22 下午 02:10:00","expires":"2026/8/23 上午 12:00:00"}'
)


@pytest.mark.parametrize("shape", [f'{{"entry":[{REAL}]}}', f'{{"feed":{{"entry":[{REAL}]}}}}', f'{{"entry":{REAL}}}'])
def test_the_real_entry_is_read_in_every_wrapping(shape):
    entries = entries_of(shape.encode())
    reading = decide(entries, "高雄市", "桃源區", datetime(2026, 8, 22, 15, 0, tzinfo=TAIPEI))
    assert days(reading) == [("2026-08-22", "closed", "下午")]
    assert not reading.verdicts[0].whole_day_closed, "an afternoon closure is not a day off"


@pytest.mark.parametrize("body, code", [(b"<html>busy</html>", "not_json"), (b"[1, 2]", "no_entries"),
                                        (b'{"entry": "x"}', "no_entries")])
def test_a_document_that_is_not_the_feed_is_an_error_not_an_empty_feed(body, code):
    with pytest.raises(FeedError) as caught:
        entries_of(body)
    assert caught.value.code == code


@pytest.mark.parametrize("said, state, part", [
    ("明天停止上班、停止上課", "closed", ""),
    ("明天照常上班、停止上課", "open", ""),
    ("明天照常上班、照常上課", "open", ""),
    ("今天上午已達停止上班及上課標準", "closed", "上午"),
    ("今天中午已達停止上班及上課標準", "closed", "中午"),
    ("今天晚上停止上班、停止上課", "closed", "晚上"),
    ("今天14:00起停止上班、停止上課", "closed", "14:00起"),
    ("明天未達停止上班及上課標準", "not_reached", ""),  # contains 停止上班: must not read as closed
    ("明天尚未宣布消息", "pending", ""),
    ("明天尚未列入警戒區", "not_in_area", ""),
])
def test_each_status_of_the_grammar(said, state, part):
    said_ = read_text(f"[停班停課通知]臺北市:{said}。行政院人事行政總處。", date(2025, 9, 16))
    assert (said_.state, said_.part) == (state, part)


def test_days_are_the_ones_the_text_names():
    assert read_text("[停班停課通知]臺北市:明天停止上班、停止上課。", date(2025, 9, 16)).day == date(2025, 9, 17)
    assert read_text("[停班停課通知]臺北市:9/18停止上班、停止上課。", date(2025, 9, 16)).day == date(2025, 9, 18)
    assert read_text("[停班停課通知]臺北市:1/2停止上班、停止上課。", date(2025, 12, 31)).day == date(2026, 1, 2)
    assert read_text("[停班停課通知]臺北市:2/30停止上班。", date(2025, 2, 1)) == "bad_day"


@pytest.mark.parametrize("text, why", [
    ("颱風來了", "not_an_announcement"),
    ("[停班停課通知]臺北市明天停止上班。", "no_area"),
    ("[停班停課通知]火星市:明天停止上班。", "unknown_area"),
    ("[停班停課通知]臺北市:下週一停止上班。", "no_day"),
    ("[停班停課通知]臺北市:明天視情況而定。", "unknown_status"),
])
def test_what_cannot_be_read_says_why(text, why):
    assert read_text(text, date(2025, 9, 16)) == why


def test_an_unreadable_entry_for_our_county_is_kept_visible_never_taken_for_open():
    broken = entry(EVENING, "臺北市", "明天視情況而定")
    reading = decide(entries_of(doc(broken)), "臺北市", "文山區", EVENING)
    assert reading.verdicts == [] and [u.why for u in reading.unreadable] == ["unknown_status"]


def test_an_old_unreadable_entry_does_not_stay_on_show_for_weeks():
    old = entry(EVENING - timedelta(days=17), "臺北市", "今天視情況而定")
    reading = decide(entries_of(doc(old)), "臺北市", "文山區", EVENING)
    assert reading.unreadable == [] and reading.ignored == {"past": 1}


def test_an_unreadable_entry_of_another_county_is_not_ours():
    elsewhere = entry(EVENING, "高雄市桃源區", "明天視情況而定", code="6403700")
    reading = decide(entries_of(doc(elsewhere)), "臺北市", "文山區", EVENING)
    assert reading.unreadable == [] and reading.ignored == {"other_place": 1}


def test_only_actual_messages_count():
    # 2025-09-17: a status=Test message caused false closure pushes elsewhere.
    test = entry(EVENING, "臺北市", "明天停止上班、停止上課", status="Test")
    reading = decide(entries_of(doc(test)), "臺北市", "文山區", EVENING)
    assert reading.verdicts == [] and reading.ignored == {"not_actual": 1}


def test_old_entries_count_only_for_their_own_day_and_expires_is_never_read():
    old = entry(EVENING - timedelta(days=17), "臺北市", "今天停止上班、停止上課")
    reading = decide(entries_of(doc(old)), "臺北市", "文山區", EVENING)
    assert reading.verdicts == [] and reading.ignored == {"past": 1}
    # An evening announcement for tomorrow 'expires' at midnight; it still decides tomorrow.
    tomorrow = entry(EVENING, "臺北市", "明天停止上班、停止上課")
    after_midnight = EVENING + timedelta(hours=4)
    assert days(decide(entries_of(doc(tomorrow)), "臺北市", "文山區", after_midnight)) == [("2025-09-17", "closed", "")]


def test_updates_re_announce_and_the_latest_wins():
    first = entry(EVENING, "臺北市", "明天尚未宣布消息")
    update = entry(EVENING + timedelta(minutes=40), "臺北市", "明天停止上班、停止上課", msg_type="Update")
    reading = decide(entries_of(doc(update, first)), "臺北市", "文山區", EVENING + timedelta(hours=1))
    assert days(reading) == [("2025-09-17", "closed", "")]
    assert reading.verdicts[0].entry.msg_type == "Update"


def test_a_district_entry_covers_only_its_district_and_names_are_matched_with_their_county():
    # 2025-11-10: 新北市 closed 7 mountain districts only; 信義區 is in 基隆市 and in 臺北市.
    mountains = entry(EVENING, "新北市烏來區", "明天停止上班、停止上課", code="6501900")
    city = entry(EVENING, "新北市", "明天照常上班、照常上課", code="6500000")
    keelung = entry(EVENING, "基隆市信義區", "明天停止上班、停止上課", code="1001704")
    entries = entries_of(doc(mountains, city, keelung))
    assert days(decide(entries, "新北市", "烏來區", EVENING)) == [("2025-09-17", "closed", "")]
    assert days(decide(entries, "新北市", "板橋區", EVENING)) == [("2025-09-17", "open", "")]
    taipei_xinyi = decide(entries, "臺北市", "信義區", EVENING)
    assert taipei_xinyi.verdicts == [] and not taipei_xinyi.alert
    assert days(decide(entries, "基隆市", "信義區", EVENING)) == [("2025-09-17", "closed", "")]


def test_a_county_wide_entry_covers_every_district_and_tai_is_tai():
    county = entry(EVENING, "台北市", "明天停止上班、停止上課")
    assert days(decide(entries_of(doc(county)), "臺北市", "文山區", EVENING)) == [("2025-09-17", "closed", "")]
    assert days(decide(entries_of(doc(county)), "台北市", None, EVENING)) == [("2025-09-17", "closed", "")]


def test_entries_published_after_the_moment_asked_about_are_not_seen():
    later = entry(EVENING + timedelta(hours=1), "臺北市", "明天停止上班、停止上課")
    reading = decide(entries_of(doc(later)), "臺北市", "文山區", EVENING)
    assert reading.verdicts == [] and reading.ignored == {"not_yet": 1}


def test_the_feed_is_read_every_few_minutes_on_alert_nights_and_hourly_otherwise():
    night, noon = datetime(2025, 9, 16, 21, 0, tzinfo=TAIPEI), datetime(2025, 9, 16, 12, 0, tzinfo=TAIPEI)
    early = datetime(2025, 9, 17, 4, 30, tzinfo=TAIPEI)
    assert next_check(night, night, alert=True, failures=0) == night + timedelta(minutes=5)
    assert next_check(early, early, alert=True, failures=0) == early + timedelta(minutes=5)
    assert next_check(noon, noon, alert=True, failures=0) == noon + timedelta(hours=1)
    assert next_check(night, night, alert=False, failures=0) == night + timedelta(hours=1)
    # After failures it waits longer, up to two hours, never hammering the host.
    assert next_check(night, night, alert=True, failures=1) == night + timedelta(minutes=10)
    assert next_check(night, night, alert=True, failures=9) == night + timedelta(hours=2)
    assert next_check(None, night, alert=False, failures=0) == night
