"""Each office's morning is noted as it is written: a clock that dies between two offices' mornings sends the
second office's digests once it is back (the 5-minute catch-up, `planbot clock --once`, or the next working
morning's catch-up of missed mornings), and never sends the first office's twice (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot import morning
from bot.clock import Clockwork, MorningIncomplete
from bot.deliveries import RUN_ACTION
from bot.run_lock import RunLock
from schedules.clock import TAIPEI, FixedClock
from schedules.plan_inputs import calendar_of
from storage import queries, scope
from storage.models import Delivery, Staff
from tests.handler_fixtures import OFFICE
from tests.test_deliveries import Recorder
from tests.test_office_isolation import _build_b

EARLIER = datetime(2024, 4, 3, 8, 30, tzinfo=TAIPEI)  # a working Wednesday both offices' mornings ran
MONDAY = datetime(2024, 4, 8, 8, 30, tzinfo=TAIPEI)  # the crash: after A's morning, in B's planning
WEDNESDAY = datetime(2024, 4, 10, 8, 30, tzinfo=TAIPEI)  # the next working morning of both (B was closed on 4/9)


@pytest.fixture
def two(demo_both, tmp_path):
    """Office A (the demo) and office B (its plan and roster again, closed on 4/9), on the environment's account."""
    with demo_both.sessions() as session:
        b = _build_b(session, tmp_path)
        session.commit()
    with demo_both.sessions() as session:
        a = queries.find_office(session, OFFICE).id
    return demo_both, a, b


def clock_at(db, moment: datetime, send: Recorder) -> Clockwork:
    """A clock process started at `moment` (a new one each time: what a restart gets)."""
    return Clockwork(db.sessions, FixedClock(moment), send, RunLock(db.engine), pause=0, sleep=lambda _s: None)


class Killed(BaseException):
    """The process dies here: nothing after it runs (unlike an error, which the clock survives office by office)."""


def crash_in_planning_of(office_id: int, monkeypatch, how: type[BaseException] = Killed) -> list[int]:
    """Make the office's next planning raise once (by default as a process killed there would stop); return the
    offices planned."""
    planned: list[int] = []
    real = morning.office_inputs

    def inputs(session, calendar, day, office=None):
        planned.append(scope.office_of(session))  # each office's morning is planned in a session scoped to it
        if planned[-1] == office_id and planned.count(office_id) == 1:
            raise how("the clock dies here")
        return real(session, calendar, day, office)

    monkeypatch.setattr(morning, "office_inputs", inputs)
    return planned


def digests(db, day: date) -> list[Delivery]:
    with db.sessions() as session:
        return list(session.scalars(select(Delivery).where(Delivery.morning == day, Delivery.key.startswith("digest:"))))


def office_of_recipients(db) -> dict[str, int]:
    with db.sessions() as session:
        return {s.line_user_id: s.office_id for s in session.scalars(select(Staff).where(Staff.line_user_id.is_not(None)))}


@pytest.mark.parametrize("restart", ["tend", "once"])
def test_a_clock_that_died_between_two_offices_sends_the_second_offices_digests_once(two, monkeypatch, restart):
    db, a, b = two
    send = Recorder()
    planned = crash_in_planning_of(b, monkeypatch)
    with pytest.raises(Killed):
        clock_at(db, MONDAY, send).morning()
    assert planned == [a, b]
    written = digests(db, MONDAY.date())
    assert written and all(d.office_id == a and d.sent_at is None for d in written)  # A's, written, not yet pushed
    assert send.pushes == []

    # The clock comes back at 08:35: its 5-minute catch-up (or `planbot clock --once`) runs B's morning only.
    back = clock_at(db, MONDAY.replace(minute=35), send)
    report = back.tend() if restart == "tend" else back.morning()
    assert planned[2:] == [b]
    assert report.written > 0 and report.sent.failed == 0 and report.sent.left == 0
    offices = office_of_recipients(db)
    pushed = Counter(to for to, _ in send.pushes)
    assert {offices.get(to) for to in pushed} >= {a, b}
    assert set(pushed.values()) == {1}  # each person (and group) one digest: A's unsent ones, then B's
    assert {d.recipient for d in digests(db, MONDAY.date())} == set(pushed)

    # Later the same morning nothing is planned again, nothing is pushed again.
    later = clock_at(db, MONDAY.replace(hour=9, minute=0), send)
    assert later.tend().written == 0 and later.morning().written == 0
    assert planned[3:] == []
    assert Counter(to for to, _ in send.pushes) == pushed


def test_a_clock_down_until_the_next_working_morning_folds_in_what_each_office_missed(two, monkeypatch):
    db, a, b = two
    send = Recorder()
    clock_at(db, EARLIER, send).morning()  # both offices ran on 4/3
    crash_in_planning_of(b, monkeypatch)
    with pytest.raises(Killed):
        clock_at(db, MONDAY, send).morning()
    # Down until Wednesday: A missed Tuesday 4/9; B, closed on 4/9, missed Monday's morning, never planned.
    missed = {}
    for office_id in (a, b):
        with db.sessions() as session:
            scope.scope_to(session, office_id)
            missed[office_id] = morning.plan(session, calendar_of(session), WEDNESDAY.date(), office_id=office_id).missed
    assert missed == {a: [date(2024, 4, 9)], b: [date(2024, 4, 8)]}
    report = clock_at(db, WEDNESDAY, send).morning()
    assert report.missed == [date(2024, 4, 8), date(2024, 4, 9)]


def test_an_old_databases_note_of_a_morning_still_counts_for_every_office(two, monkeypatch):
    """A clock of before the notes were per office wrote one note naming no office: the morning is not run again."""
    db, a, b = two
    send = Recorder()
    with db.sessions() as session:
        queries.audit(session, MONDAY, "clock", RUN_ACTION, morning=MONDAY.date().isoformat(), written=12, mode="normal")
        session.commit()
    planned = crash_in_planning_of(-1, monkeypatch)  # counts the offices planned; none raises
    work = clock_at(db, MONDAY.replace(minute=35), send)
    assert work.tend().written == 0 and work.morning().written == 0
    assert planned == [] and digests(db, MONDAY.date()) == []
    # Nor is that morning caught up on the next one (A's Tuesday 4/9 is: no clock ran it; B was closed that day).
    missed = {}
    for office_id in (a, b):
        with db.sessions() as session:
            scope.scope_to(session, office_id)
            missed[office_id] = morning.plan(session, calendar_of(session), WEDNESDAY.date(), office_id=office_id).missed
    assert missed == {a: [date(2024, 4, 9)], b: []}


def test_an_office_whose_morning_fails_does_not_cost_the_others_theirs(two, monkeypatch, caplog):
    """A's planning raises (a broken plan, a database hiccup): B's digests still go out at 08:30, and A's follow at the
    next catch-up, each person's once."""
    db, a, b = two
    send = Recorder()
    planned = crash_in_planning_of(a, monkeypatch, how=RuntimeError)
    with pytest.raises(MorningIncomplete) as failed:
        clock_at(db, MONDAY, send).morning()
    assert failed.value.offices == [a]
    assert f"the morning of office {a} could not be planned" in caplog.text
    assert planned == [a, b]
    offices = office_of_recipients(db)
    first = Counter(to for to, _ in send.pushes)
    assert first and {offices.get(to) for to in first} == {b}  # B's people have theirs; A's nothing yet
    assert all(d.office_id == b for d in digests(db, MONDAY.date()))

    report = clock_at(db, MONDAY.replace(minute=35), send).tend()  # the 5-minute catch-up
    assert planned[2:] == [a]
    assert report.written > 0 and report.sent.left == 0
    pushed = Counter(to for to, _ in send.pushes)
    assert {offices.get(to) for to in pushed} >= {a, b}
    assert set(pushed.values()) == {1}
