"""Write-before-send, mark sent, resend the unsent with the same retry key, expire after 24 h (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from fakes.line_api import HELD_REQUEST_TIMEOUT, FakeLineAPI
from sqlalchemy import func, select

from bot.clock import Clockwork
from bot.deliveries import SendOutcome, pushing_through
from bot.line_api import LineSender
from bot.run_lock import RunLock
from schedules.clock import TAIPEI, FixedClock
from schedules.phrases import parse_schedule
from storage.models import (
    Delivery,
    HeldLine,
    Item,
    ItemOwner,
    Office,
    Plan,
    ProgressReport,
    Role,
    Section,
    Staff,
    Status,
)
from storage.outbox import retry_key_for
from tests.sizes import size

# 每月5日前: due 1/5 (Fri), overdue 1/8, 1/10 and 1/12; the chief hears on 1/10.
SCHEDULE = "每月5日前"
DUE_DAY = date(2024, 1, 5)


def at(day: date, hour: int = 8, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TAIPEI)


def user_id(n: int) -> str:
    return f"U{n:032x}"


def seed_fanout(sessions, people: int, items_each: int = 1, chief: bool = False) -> list[str]:
    """Create one office where each of `people` linked staff owns `items_each` items due monthly; return their LINE ids."""
    schedule = parse_schedule(SCHEDULE, None, 2024).to_json()
    with sessions() as session:
        office = Office(name="測試區公所", settings={})
        session.add(office)
        session.flush()
        section = Section(office_id=office.id, name="民政課")
        plan = Plan(office_id=office.id, year=2024)
        session.add_all([section, plan])
        session.flush()
        staff = [
            Staff(office_id=office.id, name=f"同仁{n:03d}", section_id=section.id, role=Role.staff, line_user_id=user_id(n))
            for n in range(1, people + 1)
        ]
        if chief:
            staff.append(Staff(office_id=office.id, name="課長", section_id=section.id, role=Role.chief, line_user_id=user_id(9999)))
        session.add_all(staff)
        session.flush()
        position = 0
        for person in staff[:people]:
            for _ in range(items_each):
                position += 1
                item = Item(
                    plan_id=plan.id, section_id=section.id, number=f"{position}", position=position,
                    title=f"例行工作{position}", schedule_text=SCHEDULE, schedule=schedule,
                )
                session.add(item)
                session.flush()
                session.add(ItemOwner(item_id=item.id, staff_id=person.id, position=0))
        session.commit()
        return [s.line_user_id for s in staff]


class Recorder:
    """A sender that records pushes and fails on command (a small real object, not a mock)."""

    def __init__(self) -> None:
        self.pushes: list[tuple[str, str]] = []
        self.fail: dict[str, SendOutcome] = {}
        self.accepted: set[str] = set()

    def __call__(self, to, replies, retry_key) -> SendOutcome:
        if to in self.fail:
            return self.fail[to]
        if retry_key in self.accepted:
            return SendOutcome(True)  # LINE's 409: accepted earlier under this key
        self.accepted.add(retry_key)
        self.pushes.append((to, retry_key))
        return SendOutcome(True)


def clockwork(db, clock, send) -> Clockwork:
    return Clockwork(db.sessions, clock, send, RunLock(db.engine), pause=0, sleep=lambda s: None)


def rows(db, morning: date | None = None) -> list[Delivery]:
    with db.sessions() as session:
        stmt = select(Delivery).order_by(Delivery.id)
        if morning:
            stmt = stmt.where(Delivery.morning == morning)
        return list(session.scalars(stmt))


def test_write_before_send_then_mark_sent_and_never_twice(db):
    ids = seed_fanout(db.sessions, 3)
    send = Recorder()
    clock = FixedClock(at(DUE_DAY))
    report = clockwork(db, clock, send).morning()
    assert (report.planned, report.written, report.sent.sent) == (3, 3, 3)
    written = rows(db, DUE_DAY)
    assert [r.recipient for r in written] == ids
    assert all(r.sent_at is not None and r.attempts == 1 for r in written)
    assert written[0].key == f"digest:2024-01-05:{ids[0]}:due"
    assert written[0].retry_key == retry_key_for(written[0].key)
    # Run again at 11:00 (a restart, or `planbot remind --now`): nothing new, nothing resent.
    clock.set(at(DUE_DAY, 11))
    again = clockwork(db, clock, send).morning()
    assert (again.written, again.sent.calls) == (0, 0)
    assert len(send.pushes) == 3


def test_replan_with_other_reasons_does_not_make_a_second_digest(db):
    seed_fanout(db.sessions, 2, chief=True)
    send = Recorder()
    morning = date(2024, 1, 10)  # overdue day 3: owners hear overdue, the chief an escalation
    clockwork(db, FixedClock(at(morning)), send).morning()
    assert sorted(r.reasons for r in rows(db, morning)) == ["escalation", "overdue", "overdue"]
    with db.sessions() as session:
        item = session.scalars(select(Item).order_by(Item.id)).first()
        session.add(ProgressReport(item_id=item.id, occurrence_key="2024-01", status=Status.done, reported_at=at(morning, 10)))
        session.commit()
    # Re-planned at 10:30 the chief's reasons differ; still one digest per recipient and morning.
    report = clockwork(db, FixedClock(at(morning, 10, 30)), send).morning()
    assert report.written == 0
    assert Counter(to for to, _ in send.pushes) == Counter({user_id(1): 1, user_id(2): 1, user_id(9999): 1})


def test_restart_resends_only_the_unsent_with_the_same_retry_key(db):
    ids = seed_fanout(db.sessions, 4)
    send = Recorder()
    send.fail[ids[1]] = SendOutcome(False, retry=True, error="503: Service unavailable")
    work = clockwork(db, FixedClock(at(DUE_DAY)), send)
    work.passes = 1
    report = work.morning()
    assert (report.sent.sent, report.sent.left) == (3, 1)
    unsent = [r for r in rows(db) if r.sent_at is None]
    assert [r.recipient for r in unsent] == [ids[1]]
    key = unsent[0].retry_key
    del send.fail[ids[1]]
    tended = clockwork(db, FixedClock(at(DUE_DAY, 8, 35)), send).tend()
    assert tended.sent.sent == 1
    assert send.pushes[-1] == (ids[1], key)
    assert len(send.pushes) == 4


def test_a_push_lost_after_line_accepted_it_is_not_delivered_twice(db):
    ids = seed_fanout(db.sessions, 2)
    with FakeLineAPI() as fake:
        line = LineSender("token", base_url=fake.base_url, timeout=30, max_attempts=1)
        # The clock wrote the rows and pushed the first, then died before marking it sent.
        work = clockwork(db, FixedClock(at(DUE_DAY)), lambda *a: SendOutcome(False, retry=True, error="killed"))
        work.passes = 1
        work.morning()
        first = rows(db)[0]
        from bot.render import render
        from handlers.documents.digests import replies_from_payload

        assert line.push(first.recipient, render(replies_from_payload(first.payload)), first.retry_key).ok
        # Restarted: both are resent with their stored keys; LINE answers 409 for the first.
        report = clockwork(db, FixedClock(at(DUE_DAY, 9)), pushing_through(line)).tend()
        assert report.sent.sent == 2
        assert Counter(d.recipient for d in fake.delivered) == Counter(ids)
        assert fake.rejected == []


def test_refused_for_good_is_marked_failed_and_not_retried(db):
    ids = seed_fanout(db.sessions, 2)
    send = Recorder()
    send.fail[ids[0]] = SendOutcome(False, retry=False, error="400: The property, 'to', in the request body is invalid")
    report = clockwork(db, FixedClock(at(DUE_DAY)), send).morning()
    assert (report.sent.sent, report.sent.failed) == (1, 1)
    failed = [r for r in rows(db) if r.failed_at is not None]
    assert [r.recipient for r in failed] == [ids[0]] and "400" in failed[0].last_error
    assert clockwork(db, FixedClock(at(DUE_DAY, 9)), send).tend().sent.calls == 0


def test_yesterdays_unsent_digest_expires_and_today_says_what_is_still_overdue(db):
    ids = seed_fanout(db.sessions, 2)
    send = Recorder()
    send.fail[ids[0]] = SendOutcome(False, retry=True, error="timeout")
    morning = date(2024, 1, 8)  # overdue day 1
    work = clockwork(db, FixedClock(at(morning)), send)
    work.passes = 1
    work.morning()
    del send.fail[ids[0]]
    # The clock was down until the next morning: yesterday's digest is never sent as if new.
    today = date(2024, 1, 9)  # overdue day 2: nothing of its own
    report = clockwork(db, FixedClock(at(today)), send).morning()
    assert report.expired == 1 and report.missed == [morning]
    stale = next(r for r in rows(db, morning) if r.recipient == ids[0])
    assert stale.sent_at is None and stale.failed_at is not None and stale.last_error.startswith("expired")
    todays = rows(db, today)
    assert {r.recipient for r in todays} == set(ids)
    assert all(r.reasons == "overdue" for r in todays)
    assert [to for to, _ in send.pushes].count(ids[0]) == 1


def test_started_at_eleven_sends_that_mornings_digests_once(db):
    ids = seed_fanout(db.sessions, 3)
    send = Recorder()
    clock = FixedClock(at(DUE_DAY, 11))
    work = clockwork(db, clock, send)
    assert work.tend().written == 3  # catch-up on start
    clock.advance(minutes=5)
    assert work.tend().sent.calls == 0
    clock.set(at(DUE_DAY, 20))  # at night: nothing
    assert work.tend().skipped == "outside push hours"
    assert Counter(to for to, _ in send.pushes) == Counter(ids)


def test_a_day_without_a_run_is_caught_up_the_next_morning(db):
    ids = seed_fanout(db.sessions, 2)
    send = Recorder()
    clockwork(db, FixedClock(at(date(2024, 1, 4))), send).morning()  # a run with nothing to say
    # 1/5 (due) was missed entirely; on 1/8 (overdue day 1) the digest says overdue once, not due.
    report = clockwork(db, FixedClock(at(date(2024, 1, 8))), send).morning()
    assert report.missed == [DUE_DAY]
    assert {(r.recipient, r.reasons) for r in rows(db)} == {(i, "overdue") for i in ids}
    assert rows(db, DUE_DAY) == []


def test_rest_days_and_nights_push_nothing(db):
    seed_fanout(db.sessions, 1)
    send = Recorder()
    assert clockwork(db, FixedClock(at(date(2024, 1, 6))), send).morning().skipped == "rest day"
    assert clockwork(db, FixedClock(at(DUE_DAY, 7, 0)), send).morning().skipped == "outside push hours"
    assert send.pushes == [] and rows(db) == []


def test_long_digest_stays_within_line_limits(db):
    seed_fanout(db.sessions, 1, items_each=30)
    with FakeLineAPI() as fake:
        line = LineSender("token", base_url=fake.base_url, timeout=30)
        report = clockwork(db, FixedClock(at(DUE_DAY)), pushing_through(line)).morning()
        assert report.sent.sent == 1
        assert fake.rejected == []
        (delivery,) = fake.delivered
    (message,) = delivery.messages
    cards = message["contents"]["contents"]
    assert len(cards) == 12  # header, 10 items, and 更多 for the other 20
    more = cards[-1]["footer"]["contents"][0]["action"]
    assert more["label"] == "更多" and more["data"] == "a=more&m=2024-01-05&p=2"
    report_buttons = [b["action"]["data"] for b in cards[1]["footer"]["contents"]]
    assert report_buttons[0].startswith("a=report&i=") and report_buttons[0].endswith("&o=2024-01&s=done")


@pytest.mark.slow
def test_thirty_percent_of_pushes_failing_loses_nothing(db):
    people = size(200, 60)
    ids = seed_fanout(db.sessions, people)
    waits: list[float] = []
    with FakeLineAPI() as fake:
        # Server errors, rate limits, dropped connections and held requests (the client's timeout ends
        # them), before or after LINE accepted the push. The sender's waits are recorded, not slept.
        fake.fail_randomly(0.3, kinds=(500, 502, 429, "drop", "timeout"), seed=7, retry_after=0)
        line = LineSender("token", base_url=fake.base_url, timeout=HELD_REQUEST_TIMEOUT, max_attempts=2, sleep=waits.append)
        work = clockwork(db, FixedClock(at(DUE_DAY)), pushing_through(line))
        work.passes = 12
        report = work.morning()
        assert report.sent.sent == people and report.sent.failed == 0
        assert len(fake.faults_injected) > people // 4
        assert {f.kind for _, f in fake.faults_injected} == {500, 502, 429, "drop", "timeout"}
        assert any(f.when == "after" for _, f in fake.faults_injected)
        assert Counter(d.recipient for d in fake.delivered) == Counter(ids)
        assert fake.rejected == []
    assert waits, "retries waited through the injected sleep"
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Delivery).where(Delivery.sent_at.is_(None))) == 0


def test_housekeeping_expires_and_prunes(db):
    ids = seed_fanout(db.sessions, 2)
    send = Recorder()
    send.fail[ids[0]] = SendOutcome(False, retry=True, error="503")
    work = clockwork(db, FixedClock(at(DUE_DAY)), send)
    work.passes = 1
    work.morning()
    clock = FixedClock(at(DUE_DAY, 2) + timedelta(days=1))
    assert clockwork(db, clock, send).housekeeping() == 1
    clock.set(at(DUE_DAY) + timedelta(days=500))
    clockwork(db, clock, send).housekeeping()
    assert rows(db) == []


def test_housekeeping_prunes_held_lines_after_a_year_and_keeps_recent_ones(db):
    seed_fanout(db.sessions, 1)
    with db.sessions() as session:
        owner = session.scalar(select(Staff).where(Staff.role == Role.staff))
        for morning, told in ((DUE_DAY - timedelta(days=500), at(DUE_DAY)), (DUE_DAY - timedelta(days=499), None), (DUE_DAY, None)):
            session.add(HeldLine(staff_id=owner.id, morning=morning, item_id=None, occurrence_key=morning.isoformat(),
                                 reason="due", line={}, held_at=at(DUE_DAY), told_at=told))
        session.commit()
    clockwork(db, FixedClock(at(DUE_DAY)), Recorder()).housekeeping()
    with db.sessions() as session:
        assert [h.morning for h in session.scalars(select(HeldLine))] == [DUE_DAY]


def test_a_busy_lock_makes_the_other_clock_stand_by(db):
    seed_fanout(db.sessions, 1)
    send = Recorder()
    lock = RunLock(db.engine)
    with lock.hold(0) as held:
        assert held
        other = Clockwork(db.sessions, FixedClock(at(DUE_DAY)), send, RunLock(db.engine), pause=0)
        assert other.tend().skipped == "another clock is running"
        assert other.morning(wait=0.2).skipped == "another clock is running"
    assert send.pushes == []
