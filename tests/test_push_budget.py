"""The push budget: a 30-person, 300-item office on LINE's free 200-push quota never goes over it, and never
drops a deadline in silence.

What counts as told: an owner is told of an occurrence's due date when, on or before its day (the working
day the due date falls on, or is moved to; an event's own day, a Sunday too), a push that was sent names that occurrence for them: their own
digest (the weekly digest included), or their section group's digest listing them, or a held line attached
to a reply they got. Here nobody writes to the bot, so every due date must be told by a push.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.clock import clockwork
from bot.runtime import Runtime
from bot.settings import Settings as BotSettings
from handlers.chat.held_reminders import attach, hold
from handlers.core.incoming import Incoming
from handlers.core.replies import Text
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI, FixedClock
from schedules.phrases import parse_schedule
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import Line, MonthState, Planner, budget_morning, plan_morning, push_cost
from storage.models import Delivery, HeldLine, Item, ItemOwner, Office, Plan, Role, Section, Staff
from tests.fakes.line_api import FakeLineAPI
from tests.sizes import size

YEAR = 2024
PEOPLE, ITEMS, SECTIONS = 30, 300, 5
QUOTA = 200
GROUP_SECTION = 4  # this section has a LINE group; two of its people are not linked and hear through it
# Deadlines, windows, periods and meetings as offices write them; weights give about 300 x 12 occurrences.
MIX = [
    ("每月5日前陳報", 30), ("每月第1個工作日填報", 10), ("每月定期更新", 10), ("當月案件應於次月2日前完成登錄，以工作日計算", 8),
    ("(1/1-2/28)完成清查", 4), ("(3/1-4/30)完成清查", 4), ("每季終了後25日內", 10), ("書面(7-8 月)", 6),
    ("每3個月召開1次", 6), ("每年 1、4、7、11 月的第 3 個星期日", 2), ("每月第2個星期三", 5), ("實地(3月)", 5),
]


def build_office(db) -> None:
    """Write the office: 5 sections of 6, a coordinator and 5 chiefs among them, 300 items of 1 or 2 owners."""
    rng = random.Random(14)
    with db.sessions() as session:
        office = Office(name="測試戶政事務所", settings={})
        session.add(office)
        session.flush()
        sections = [
            Section(office_id=office.id, name=f"第{n + 1}課", line_group_id=f"C{n:032x}" if n == GROUP_SECTION else None)
            for n in range(SECTIONS)
        ]
        session.add_all(sections)
        session.flush()
        people = []
        for n in range(PEOPLE):
            section = sections[n % SECTIONS]
            role = Role.chief if n < SECTIONS else Role.coordinator if n == SECTIONS else Role.staff
            unlinked = section.line_group_id is not None and n >= PEOPLE - 2 * SECTIONS and role == Role.staff
            people.append(Staff(office_id=office.id, name=f"同仁{n:02d}", section_id=section.id, role=role,
                                line_user_id=None if unlinked else f"U{n:032x}"))
        session.add_all(people)
        plan = Plan(office_id=office.id, year=YEAR, tracking_from=date(YEAR, 1, 1))
        session.add(plan)
        session.flush()
        phrases = [p for p, w in MIX for _ in range(w)]
        schedules = {p: parse_schedule(p, None, YEAR).to_json() for p, _ in MIX}
        for i in range(ITEMS):
            phrase = rng.choice(phrases)
            section = sections[i % SECTIONS]
            members = [p for p in people if p.section_id == section.id]
            item = Item(plan_id=plan.id, section_id=section.id, number=str(i + 1), position=i, title=f"工作項目{i + 1}",
                        schedule_text=phrase, schedule=schedules[phrase])
            session.add(item)
            session.flush()
            for pos, owner in enumerate(rng.sample(members, 1 if rng.random() < 0.8 else 2)):
                session.add(ItemOwner(item_id=item.id, staff_id=owner.id, position=pos))
        session.commit()


def runtime_for(db, api: FakeLineAPI, at: datetime) -> Runtime:
    env = {"LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_API_BASE": api.base_url, "PLANBOT_PUSH_TIMEOUT": "5"}
    return Runtime(db.url, db.engine, db.sessions, FixedClock(at), BotSettings.from_env(env))


def mornings(calendar: WorkCalendar, start: date, end: date) -> list[date]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [d for d in days if calendar.is_working_day(d)]


@pytest.fixture
def office_db(sqlite_db):
    build_office(sqlite_db)
    return sqlite_db


@pytest.fixture
def office_any(db):
    """The office on SQLite and on PostgreSQL in turn."""
    build_office(db)
    return db


@pytest.mark.slow
def test_a_year_on_the_free_quota_tells_every_deadline_and_never_goes_over(office_db):
    # CI: the whole plan year from its first day; locally one month (March, with the year's first two behind it).
    start = date(YEAR, size(1, 3), 1)
    end = date(YEAR, 12, 31) if start.month == 1 else date(YEAR, 3, 31)
    clock = FixedClock(datetime.combine(start, time(7, 0), TAIPEI))
    with FakeLineAPI(access_token="t") as api:
        api.set_quota(QUOTA, used=0)
        runtime = runtime_for(office_db, api, clock.now())
        runtime.clock = clock
        _quota, forecast = _forecast(runtime, start, end)
        assert any(m.normal > QUOTA for m in forecast), "the office must need the budget to test it"
        work = clockwork(runtime, clock)
        work.pause, work.sleep = 0, (lambda _s: None)
        with office_db.sessions() as session:
            calendar = calendar_of(session)
            members = Counter(s.section_id for s in session.scalars(select(Staff)))
            groups = {s.line_group_id: members[s.id] for s in session.scalars(select(Section)) if s.line_group_id}
        sent_per_morning: dict[date, int] = {}
        used = Counter()
        for day in mornings(calendar, start, end):
            if day.month not in used:
                api.set_quota(QUOTA, used=0)  # LINE counts each month afresh
                used[day.month] = 0
            before = len(api.delivered)
            clock.set(datetime.combine(day, time(8, 30), TAIPEI))
            report = work.morning()
            assert report.sent.left == 0 and report.sent.failed == 0, report
            cost = sum(groups.get(d.recipient, 1) for d in api.delivered[before:])
            sent_per_morning[day] = cost
            used[day.month] += cost
        assert api.rejected == []
        # No month over the quota, group pushes counted once per member.
        assert max(used.values()) <= QUOTA, used
        # The forecast made on the first morning is what the clock then pushed, morning by morning.
        forecast_per_morning = {m.day: m.cost for month in forecast for m in month.mornings}
        assert forecast_per_morning == sent_per_morning
        assert [m.total for m in forecast] == [used[m.month.month] for m in forecast]
        # One warning a month to the coordinator when the month passed 80%.
        warnings = [d for d in api.delivered if "超過額度" in str(d.messages)]
        assert len(warnings) == sum(1 for m in forecast if m.total > 0.8 * QUOTA) > 0
        _assert_every_due_date_told(office_db, calendar, start, end)


def _forecast(runtime: Runtime, start: date, end: date):
    from bot.push_budget import forecast_for

    found = forecast_for(runtime, start, end)
    return found.quota, found.months


def _assert_every_due_date_told(db, calendar: WorkCalendar, start: date, end: date) -> None:
    with db.sessions() as session:
        names = {s.name: s.id for s in session.scalars(select(Staff))}
        told: dict[tuple[int, int, str], date] = {}
        for row in session.scalars(select(Delivery).where(Delivery.sent_at.is_not(None), Delivery.key.startswith("digest:"))):
            for data in row.payload.get("lines", ()):
                line = Line.from_json(data)
                owners = [row.staff_id] if row.staff_id else [names[n] for n in line.people]
                for owner in owners:
                    key = (owner, line.item_id, line.occurrence_key)
                    told[key] = min(told.get(key, row.morning), row.morning)
        offices = office_inputs(session, calendar, start)
    untold = []
    checked = 0
    for item in offices[0].items:
        for occ in item.occurrences:
            # An event is held on its day, a rest day too (a Sunday exam): told by then, not by the next working day.
            day = occ.due if occ.kind == "event" else calendar.next_working_day(occ.due)
            if not start <= day <= end:
                continue
            for owner in item.owners:
                checked += 1
                when = told.get((owner, item.id, occ.key))
                if when is None or when > day:
                    untold.append((item.number, occ.key, owner, when))
    assert checked > 200
    assert untold == []


def test_forecast_and_range_plan_commands(office_any, capsys):
    env = {"DATABASE_URL": office_any.url, "LINE_MONTHLY_QUOTA": str(QUOTA)}
    assert main(["quota", "forecast", "--month", f"{YEAR}-03", "--json"], env) == 0
    (march,) = json.loads(capsys.readouterr().out)
    assert march["month"] == f"{YEAR}-03" and march["quota"] == QUOTA and march["normal"] > QUOTA >= march["pushes"] > 0
    assert march["budget_days"] > 0 and march["held"] > 0
    # The month is read as the chat reads one: 3月 and 三月 are March too; a day is not a month.
    for spelled in (f"{YEAR}/3月", f"{YEAR}-三月"):
        assert main(["quota", "forecast", "--month", spelled, "--json"], env) == 0
        assert json.loads(capsys.readouterr().out) == [march]
    assert main(["quota", "forecast", "--month", f"{YEAR}/3月5日"], env) == 1
    assert "看不懂月份" in capsys.readouterr().err
    assert main(["quota", "forecast", "--month", f"{YEAR - 1911}/3"], env) == 0
    out = capsys.readouterr().out
    assert "額度取自 LINE_MONTHLY_QUOTA" in out and f"／額度 {QUOTA}" in out and "節約模式" in out
    assert main(["remind", "--from", f"{YEAR}-03-01", "--to", f"{YEAR}-03-31", "--dry-run", "--json"], env) == 0
    days = json.loads(capsys.readouterr().out)
    assert [d["morning"][:7] for d in days] == [f"{YEAR}-03"] * len(days) and len(days) > 15
    assert sum(d["pushes"] for d in days) == march["pushes"]
    assert {d["mode"] for d in days} == {"budget"}
    # Bad input changes nothing and says why.
    assert main(["remind", "--from", f"{YEAR}-03-31", "--to", f"{YEAR}-03-01", "--dry-run"], env) == 1
    assert "對調" in capsys.readouterr().err
    assert main(["remind", "--from", f"{YEAR}-03-01", "--to", f"{YEAR}-03-31"], env) == 1
    assert "--dry-run" in capsys.readouterr().err
    assert main(["quota", "forecast", "--month", "13"], env) == 1
    assert "看不懂月份" in capsys.readouterr().err


def test_without_a_quota_every_digest_is_planned_as_before(office_db):
    with office_db.sessions() as session:
        calendar = calendar_of(session)
        offices = office_inputs(session, calendar, date(YEAR, 3, 1))
    day = date(YEAR, 3, 5)
    planned = [p for p in plan_morning(offices, calendar, datetime.combine(day, time(8, 30), TAIPEI)) if p.recipient]
    decision = budget_morning(Planner(offices, calendar), day, MonthState(None))
    assert decision.mode == "normal" and list(decision.pushed) == planned and decision.held == {}
    roomy = budget_morning(Planner(offices, calendar), day, MonthState(100_000))
    assert roomy.mode == "normal" and list(roomy.pushed) == planned
    assert roomy.cost == sum(push_cost(p, offices) for p in planned)


def test_held_lines_ride_along_with_the_next_reply_once(office_any, now):
    with office_any.sessions() as session:
        calendar = calendar_of(session)
        offices = office_inputs(session, calendar, date(YEAR, 3, 1))
        decision = budget_morning(Planner(offices, calendar), date(YEAR, 3, 6), MonthState(QUOTA, used=QUOTA - 5))
        assert decision.mode == "budget" and decision.cost <= 5 and decision.held
        staff_id, lines = next(iter(decision.held.items()))
        hold(session, decision.held, date(YEAR, 3, 6), now)
        hold(session, decision.held, date(YEAR, 3, 6), now)  # held again: still one line per occurrence
        assert session.query(HeldLine).filter_by(staff_id=staff_id).count() == len(lines)
        person = session.get(Staff, staff_id)
        incoming = Incoming("text", person.line_user_id, text="本週")
        first = attach(session, incoming, [Text("本週沒有到期的工作。")], now)
        again = attach(session, incoming, [Text("本週沒有到期的工作。")], now)
        in_group = attach(session, Incoming("text", person.line_user_id, text="本週", group_id="C1"), [Text("x")], now)
    assert len(first) == 2 and "沒有推播" in first[1].text and lines[0].title in first[1].text
    assert len(again) == 1 and len(in_group) == 1


def test_on_a_tight_quota_an_event_on_a_rest_day_is_told_on_or_before_its_day(office_db):
    # 每年1、4、7、11月的第3個星期日 (a naturalization test): Sunday 4/21/2024. On the free quota every April morning
    # is a budget morning; the week's digest of Monday 4/15 must name it, not the next week's after the event.
    from schedules.planner import forecast

    start, end = date(YEAR, 4, 1), date(YEAR, 4, 30)
    with office_db.sessions() as session:
        calendar = calendar_of(session)
        offices = office_inputs(session, calendar, start)
    planner = Planner(offices, calendar)
    (april,) = forecast(planner, start, end, lambda _month: QUOTA)
    assert april.budget_days == len(april.mornings) and april.total <= QUOTA
    told: dict[tuple[int, int, str], date] = {}
    for morning in april.mornings:
        for delivery in morning.pushed:
            for line in delivery.lines:
                for owner in [delivery.staff_id] if delivery.staff_id else _named(offices[0], line, delivery):
                    told.setdefault((owner, line.item_id, line.occurrence_key), morning.day)
    events = [
        (item, occ) for item in offices[0].items for occ in item.occurrences
        if occ.kind == "event" and start <= occ.due <= end and not calendar.is_working_day(occ.due)
    ]
    assert {occ.due for _, occ in events} == {date(YEAR, 4, 21)}
    late = [
        (item.number, occ.key, owner, told.get((owner, item.id, occ.key)))
        for item, occ in events for owner in item.owners
        if told.get((owner, item.id, occ.key), date.max) > occ.due
    ]
    assert late == []


def _named(office, line: Line, delivery) -> list[int]:
    return [p.id for p in office.people if p.name in line.people and p.section_id == delivery.section_id]
