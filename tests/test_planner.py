"""The planner: exactly the expected reasons per person on chosen 2024 mornings (hand-checked dates)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.occurrences import Occurrence
from schedules.planner import (
    OfficeData,
    Person,
    PlanItem,
    ReminderPolicy,
    Report,
    SectionInfo,
    plan_morning,
    policy_for,
)

CAL = WorkCalendar()
# Typhoon Gaemi: Taipei's offices closed on 2024-07-24 and 07-25.
TYPHOON = WorkCalendar(closures={date(2024, 7, 24), date(2024, 7, 25)})

SECTIONS = (SectionInfo(1, "戶籍登記課"), SectionInfo(2, "兵役課", "Cgroup2"), SectionInfo(3, "研考室"))
PEOPLE = (
    Person(1, "王承辦", 1, "staff", "U1"),
    Person(2, "李承辦", 1, "staff", "U2"),
    Person(3, "張課長", 1, "chief", "U3"),
    Person(4, "陳研考", 3, "coordinator", "U4"),
    Person(5, "林役男", 2, "staff", None),  # not linked; his section has a group
    Person(6, "黃約僱", 3, "staff", None),  # not linked, no group: cannot be reached
    Person(7, "吳課長", 2, "chief", "U7"),
)


def deadline(due: date, key: str | None = None) -> Occurrence:
    return Occurrence("deadline", None, due, key or due.isoformat(), "")


def window(starts: date, due: date) -> Occurrence:
    return Occurrence("window", starts, due, f"{starts}~{due}", "")


def event(day: date) -> Occurrence:
    return Occurrence("event", None, day, day.isoformat(), "")


def period(starts: date, due: date) -> Occurrence:
    return Occurrence("period", starts, due, f"{starts:%Y-%m}", "")


ITEMS = (
    # Due the first working day after the 2024 Lunar New Year holidays (2/8-2/14).
    PlanItem(1, "1", "戶籍資料清查", 1, (1,), (deadline(date(2024, 2, 15)),)),
    # Due on a holiday (Saturday 2/10 of the New Year): said on the next working morning, 2/15.
    PlanItem(2, "2", "春節前公告", 1, (2,), (deadline(date(2024, 2, 10)),)),
    # A clearance window 1/1-2/29: opened on 1/2 (1/1 is a holiday), closing five working days before.
    PlanItem(3, "3", "役男出境清查", 2, (5,), (window(date(2024, 1, 1), date(2024, 2, 29)),)),
    # An event the day after the holidays: told the working day before, which is 2/7.
    PlanItem(4, "4", "新春團拜", 3, (4, 6), (event(date(2024, 2, 15)),)),
    # Due on a Saturday.
    PlanItem(5, "5", "季報", 1, (1, 2), (deadline(date(2024, 3, 9)),)),
    # Due in the typhoon closure.
    PlanItem(6, "6", "防汛整備", 1, (1,), (deadline(date(2024, 7, 25)),)),
    # A monthly period for March, and a March deadline for the round.
    PlanItem(7, "7", "三月月報", 1, (2,), (period(date(2024, 3, 1), date(2024, 3, 31)),)),
    PlanItem(8, "8", "兵籍調查", 2, (5,), (deadline(date(2024, 3, 15)),)),
    # Due on 2/16: its first overdue morning is the make-up Saturday 2/17.
    PlanItem(9, "9", "補班日測試", 1, (2,), (deadline(date(2024, 2, 16)),)),
)


def office(items=ITEMS, reports=None, policy: ReminderPolicy | None = None, people=PEOPLE) -> OfficeData:
    return OfficeData(1, "文山區公所", SECTIONS, people, items, reports or {}, policy or ReminderPolicy())


def heard(day: date, data: OfficeData | None = None, calendar: WorkCalendar = CAL, missed=()) -> dict[str, set[tuple[str, str]]]:
    """Return {recipient: {(item number, reason)}} for the morning of `day`."""
    planned = plan_morning([data or office()], calendar, datetime(day.year, day.month, day.day, 8, 30, tzinfo=TAIPEI), missed)
    out: dict[str, set[tuple[str, str]]] = {}
    for p in planned:
        assert p.to not in out, f"{p.to} got two digests on {day}"
        out[p.to] = {(line.number or line.section, line.reason) for line in p.lines}
    return out


def test_before_the_lunar_new_year_holidays():
    # 2/5 is three working days before 2/15 (2/6, 2/7, then the holidays): both items are `upcoming`.
    # It is also February's 3rd working day: 林 has not answered for January's window (via his group).
    assert heard(date(2024, 2, 5)) == {
        "王承辦": {("1", "upcoming")},
        "李承辦": {("2", "upcoming")},
        "兵役課": {("3", "collect_followup")},
    }
    # The event on 2/15 is announced on 2/7, the last working day before it. 2/7 is also February's 5th
    # working day, but nothing of 兵役課 was due in January (its window runs to 2/29): the compiled round
    # counts occurrences due in the month, as 摘要 does, so nobody gets an empty one.
    assert heard(date(2024, 2, 7)) == {
        "陳研考": {("4", "event")},
        "黃約僱": {("4", "event")},
    }


def test_no_run_during_the_holidays():
    for d in range(8, 15):
        assert heard(date(2024, 2, d)) == {}


def test_after_the_holidays_due_and_holiday_due_dates_roll_forward():
    assert heard(date(2024, 2, 15)) == {"王承辦": {("1", "due")}, "李承辦": {("2", "due")}}
    # 2/16 is overdue day 1 for both, and 2/17 (make-up Saturday) day 2: nothing, then 2/19 day 3.
    assert heard(date(2024, 2, 16)) == {"王承辦": {("1", "overdue")}, "李承辦": {("2", "overdue"), ("9", "due")}}
    assert heard(date(2024, 2, 17)) == {"李承辦": {("9", "overdue")}}
    assert heard(date(2024, 2, 19)) == {
        "王承辦": {("1", "overdue")},
        "李承辦": {("2", "overdue")},
        "張課長": {("1", "escalation"), ("2", "escalation")},
    }
    assert heard(date(2024, 2, 21))["王承辦"] == {("1", "overdue")}


def test_a_done_report_silences_the_occurrence():
    reports = {(1, "2024-02-15"): Report("done", date(2024, 2, 15))}
    assert "王承辦" not in heard(date(2024, 2, 19), office(reports=reports))
    assert heard(date(2024, 2, 19), office(reports=reports))["張課長"] == {("2", "escalation")}
    # in progress or delayed is not done: the reminders go on.
    reports = {(1, "2024-02-15"): Report("delayed", date(2024, 2, 15))}
    assert heard(date(2024, 2, 19), office(reports=reports))["王承辦"] == {("1", "overdue")}


def test_window_opened_closing_due_and_overdue_go_to_the_section_group():
    # 林 has not linked LINE: his lines go to 兵役課's group digest.
    assert heard(date(2024, 1, 2))["兵役課"] == {("3", "opened")}
    # 2/28 is a holiday; five working days before 2/29 is 2/21 (2/27, 2/26, 2/23, 2/22, 2/21).
    assert heard(date(2024, 2, 21))["兵役課"] == {("3", "closing")}
    assert "兵役課" not in heard(date(2024, 2, 20))
    assert heard(date(2024, 2, 29))["兵役課"] == {("3", "due")}
    # 3/1 is also the round's first day; the window was active in February, but `overdue` wins.
    assert heard(date(2024, 3, 1))["兵役課"] == {("3", "overdue")}
    # Day 3 after the due date: the owner hears overdue, the chief (吳課長, linked) an escalation.
    assert heard(date(2024, 3, 5))["吳課長"] == {("3", "escalation")}


def test_a_weekend_due_date_is_said_on_monday():
    assert heard(date(2024, 3, 6))["王承辦"] == {("5", "upcoming")}
    assert heard(date(2024, 3, 8)).get("王承辦", set()) == set()
    assert heard(date(2024, 3, 9)) == {}  # Saturday: nothing is pushed
    assert heard(date(2024, 3, 11))["王承辦"] == {("5", "due")}
    assert heard(date(2024, 3, 11))["李承辦"] == {("5", "due")}


def test_typhoon_closure_moves_the_due_date_and_the_notices():
    assert heard(date(2024, 7, 22))["王承辦"] == {("6", "upcoming")}
    assert heard(date(2024, 7, 25))["王承辦"] == {("6", "due")}
    # With the closure: due is said on 7/26, and `upcoming` three working days before that, on 7/19.
    assert heard(date(2024, 7, 19), calendar=TYPHOON)["王承辦"] == {("6", "upcoming")}
    assert "王承辦" not in heard(date(2024, 7, 22), calendar=TYPHOON)
    assert heard(date(2024, 7, 24), calendar=TYPHOON) == {}
    assert heard(date(2024, 7, 26), calendar=TYPHOON)["王承辦"] == {("6", "due")}
    assert heard(date(2024, 7, 29), calendar=TYPHOON)["王承辦"] == {("6", "overdue")}


def test_monthly_round_asks_asks_again_and_compiles():
    # 4/1 (1st working day): March's owners are asked; 三月月報 is due today (3/31 was a Sunday), which wins.
    assert heard(date(2024, 4, 1)) == {
        "王承辦": {("5", "collect")},
        "李承辦": {("5", "collect"), ("7", "due")},
        "兵役課": {("8", "collect")},
    }
    reports = {
        (7, "2024-03"): Report("in_progress", date(2024, 4, 2)),
        (5, "2024-03-09"): Report("done", date(2024, 3, 11)),
    }
    # 4/3 (3rd working day): 李 answered on 4/2 and item 5 is done; only 林 hears again.
    assert heard(date(2024, 4, 3), office(reports=reports)) == {"兵役課": {("8", "collect_followup")}}
    # 4/9 (5th working day, after 4/4-4/5 holidays): the coordinator gets every section, chiefs their own.
    fifth = plan_morning([office(reports=reports)], CAL, datetime(2024, 4, 9, 8, 30, tzinfo=TAIPEI))
    by_name = {p.to: p for p in fifth}
    assert {(ln.section, ln.reason) for ln in by_name["陳研考"].lines} == {("戶籍登記課", "compiled"), ("兵役課", "compiled")}
    assert {(ln.section, ln.reason) for ln in by_name["張課長"].lines} == {("戶籍登記課", "compiled")}
    army = next(ln for ln in by_name["吳課長"].lines if ln.reason == "compiled")
    nothing = dict.fromkeys(("done_on_time", "done_late", "in_progress", "delayed", "not_started", "missing"), 0)
    assert dict(army.counts) == {**nothing, "missing": 1}
    assert army.missing == ("林役男",)
    household = next(ln for ln in by_name["陳研考"].lines if ln.section == "戶籍登記課")
    # 7 said 進行中 and is overdue: counted with what was said, never as 未回報.
    assert dict(household.counts) == {**nothing, "done_late": 1, "in_progress": 1}  # 5: due 3/9, done 3/11
    assert household.missing == ()


def test_missed_morning_is_folded_into_the_next():
    # The clock was down on the make-up Saturday 2/17: 李's overdue notice for item 9 comes on 2/19.
    assert ("9", "overdue") not in heard(date(2024, 2, 19))["李承辦"]
    caught = heard(date(2024, 2, 19), missed=[date(2024, 2, 17)])
    assert caught["李承辦"] == {("2", "overdue"), ("9", "overdue")}
    # A missed `upcoming` is restated as `due` once the due date has come.
    assert heard(date(2024, 2, 15), missed=[date(2024, 2, 5)])["王承辦"] == {("1", "due")}


def test_one_line_per_occurrence_most_urgent_first():
    planned = plan_morning([office()], CAL, datetime(2024, 2, 19, 8, 30, tzinfo=TAIPEI), [date(2024, 2, 17)])
    li = next(p for p in planned if p.to == "李承辦")
    assert [ln.reason for ln in li.lines] == ["overdue", "overdue"]
    assert [ln.number for ln in li.lines] == ["2", "9"]  # by due date
    assert li.key == "digest:2024-02-19:U2:overdue"


def test_per_item_lead_and_office_settings():
    items = (PlanItem(1, "1", "清查", 1, (1,), (deadline(date(2024, 3, 15)),), lead_days=10),)
    # Ten working days before 3/15 is 3/1.
    assert heard(date(2024, 3, 1), office(items=items))["王承辦"] == {("1", "upcoming")}
    policy = policy_for({"reminders": {"upcoming_days": 1, "overdue_days": [2], "escalate_day": 2, "group_digests": False}})
    items = (PlanItem(1, "1", "清查", 2, (5,), (deadline(date(2024, 3, 15)),)),)
    assert heard(date(2024, 3, 14), office(items=items, policy=policy))["林役男"] == {("1", "upcoming")}
    assert heard(date(2024, 3, 19), office(items=items, policy=policy)) == {"林役男": {("1", "overdue")}, "吳課長": {("1", "escalation")}}


def test_bad_office_settings_keep_the_defaults():
    policy = policy_for({"reminders": {"upcoming_days": "三", "overdue_days": [], "nonsense": 1, "group_digests": 1}})
    assert policy == ReminderPolicy()


def test_rest_day_plans_nothing_and_json_shape():
    assert plan_morning([office()], CAL, datetime(2024, 2, 10, 8, 30, tzinfo=TAIPEI)) == []
    planned = plan_morning([office()], CAL, datetime(2024, 2, 15, 8, 30, tzinfo=TAIPEI))
    data = [p.to_json() for p in planned]
    wang = next(d for d in data if d["to"] == "王承辦")
    assert wang["items"][0] | {} == wang["items"][0]
    assert {k: wang["items"][0][k] for k in ("item", "title", "reason", "due")} == {
        "item": "1", "title": "戶籍資料清查", "reason": "due", "due": "2024-02-15"
    }


@pytest.mark.parametrize("day", [date(2024, 1, 2), date(2024, 2, 21), date(2024, 4, 9)])
def test_group_digest_never_duplicates_a_linked_person(day):
    planned = plan_morning([office()], CAL, datetime(day.year, day.month, day.day, 8, 30, tzinfo=TAIPEI))
    recipients = [p.recipient for p in planned if p.recipient]
    assert len(recipients) == len(set(recipients))


# -- the demo plan (demo/wenshan-113.ods, demo/staff.csv) over its whole year ---------------------

DEMO_IMPORTED = datetime(2024, 1, 1, 9, 0, tzinfo=TAIPEI)


@pytest.fixture(scope="module")
def demo_url(sqlite_template, tmp_path_factory) -> str:
    """A SQLite database holding the demo plan and staff, imported once for this module."""
    from bot.cli import main as planbot
    from handlers.office.imports.plan import import_plan
    from storage.db import make_engine, session_factory
    from tests.conftest import DEMO, copy_sqlite

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    copy_sqlite(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with session_factory(engine)() as session:
        import_plan(session, DEMO / "wenshan-113.ods", 2024, DEMO_IMPORTED)
        session.commit()
    engine.dispose()
    assert planbot(["--database-url", url, "staff", "import", str(DEMO / "staff.csv")]) == 0
    return url


def demo_plan(url: str, day: date) -> dict[str, set[tuple[str, str, str]]]:
    """Return {person: {(section, item number, reason)}} for the demo office's morning of `day`."""
    from schedules.plan_inputs import calendar_of, office_inputs
    from storage.db import make_engine, session_factory

    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            calendar = calendar_of(session)
            offices = office_inputs(session, calendar, day)
    finally:
        engine.dispose()
    planned = plan_morning(offices, calendar, datetime(day.year, day.month, day.day, 8, 30, tzinfo=TAIPEI))
    out: dict[str, set[tuple[str, str, str]]] = {}
    for p in planned:
        assert p.to not in out and p.via == "user"  # every demo person has linked LINE
        out[p.to] = {(ln.section, ln.number, ln.reason) for ln in p.lines}
    return out


HOUSEHOLD, RECORDS = "戶籍登記課", "戶籍資料課"
# Demo items by what they say, not by 編號 (the importer's numbering of sub-items may change).
FIRST_WORKING_DAY = (HOUSEHOLD, "每月第1個工作日")  # 跨機關通報服務: due the 1st working day of each month
DOORPLATES = (RECORDS, "每月5日前")  # 門牌指標設置及定期巡查管理
NEXT_MONTH_2ND = (HOUSEHOLD, "次月2日前（以工作日計算）")  # 6歲以下逕遷戶所人口訪查
CLEARANCE_JAN_FEB = (HOUSEHOLD, "1/1-2/28")  # 戶籍清查 window
CLEARANCE_MAR_APR = (HOUSEHOLD, "3/1-4/30")
MONTHLY_CHILDBIRTH = (HOUSEHOLD, "助您好孕專案")  # a monthly period
WEEKLY_SCHOOL_LIST = (RECORDS, "4月25日-8月31日每週一")  # 提供學齡兒童異動名冊


@pytest.fixture(scope="module")
def n(demo_url):
    """Return the 編號 of a demo item given (section, its schedule text or its title)."""
    from sqlalchemy import select

    from storage.db import make_engine, session_factory
    from storage.models import Item

    engine = make_engine(demo_url)
    with session_factory(engine)() as session:
        items = list(session.scalars(select(Item).order_by(Item.position)))
        found = {}
        for item in items:
            for text in (item.schedule_text, item.title):
                found.setdefault((item.section.name, text), item.number)
    engine.dispose()
    return lambda key: (key[0], found[key])


def test_demo_lunar_new_year(demo_url, n):
    # 跨機關通報 (due 2/1) is overdue on its 1st, 3rd and 5th working days after: 2/2, 2/6, 2/15.
    # 門牌指標 (due 2/5) gets overdue on 2/6, 2/15 (+ the chief's escalation) and 2/17, the make-up Saturday.
    # 人口訪查 (due 2/2): its 5th working day after is 2/16, the holidays not counted.
    for d in range(8, 15):
        assert demo_plan(demo_url, date(2024, 2, d)) == {}
    assert demo_plan(demo_url, date(2024, 2, 15)) == {
        "張書維": {(*n(FIRST_WORKING_DAY), "overdue")},
        "林佩蓉": {(*n(FIRST_WORKING_DAY), "overdue")},
        "李冠緯": {(*n(DOORPLATES), "overdue")},
        "江淑惠": {(*n(DOORPLATES), "escalation")},
    }
    assert demo_plan(demo_url, date(2024, 2, 16)) == {
        "吳欣穎": {(*n(NEXT_MONTH_2ND), "overdue")},
        "陳怡君": {(*n(NEXT_MONTH_2ND), "overdue")},
    }
    assert demo_plan(demo_url, date(2024, 2, 17)) == {"李冠緯": {(*n(DOORPLATES), "overdue")}}
    assert demo_plan(demo_url, date(2024, 2, 18)) == {}


def test_demo_window_last_week(demo_url, n):
    # 戶籍清查 1/1-2/28: 2/28 is a holiday, so it is due 2/29; `closing` five working days before (2/21).
    assert demo_plan(demo_url, date(2024, 2, 21)) == {"吳欣穎": {(*n(CLEARANCE_JAN_FEB), "closing")}}
    assert (*n(CLEARANCE_JAN_FEB), "due") in demo_plan(demo_url, date(2024, 2, 29))["吳欣穎"]
    # 3/1: the window is overdue, the next one opens, February's 人口訪查 is in the monthly round.
    assert demo_plan(demo_url, date(2024, 3, 1))["吳欣穎"] == {
        (*n(MONTHLY_CHILDBIRTH), "overdue"),
        (*n(CLEARANCE_JAN_FEB), "overdue"),
        (*n(CLEARANCE_MAR_APR), "opened"),
        (*n(NEXT_MONTH_2ND), "collect"),
    }


def test_demo_weekend(demo_url, n):
    assert demo_plan(demo_url, date(2024, 3, 2)) == {}
    assert demo_plan(demo_url, date(2024, 3, 3)) == {}
    # February's periods were due Thursday 2/29: 3/1 is day 1, Monday 3/4 day 2, Tuesday 3/5 day 3.
    assert (*n(MONTHLY_CHILDBIRTH), "overdue") not in demo_plan(demo_url, date(2024, 3, 4)).get("陳怡君", set())
    tuesday = demo_plan(demo_url, date(2024, 3, 5))
    assert (*n(MONTHLY_CHILDBIRTH), "overdue") in tuesday["陳怡君"]
    assert (*n(MONTHLY_CHILDBIRTH), "escalation") in tuesday["沈志明"]


def test_demo_typhoon_closure_added_with_the_cli(demo_url, n, tmp_path):
    from bot.cli import main as planbot
    from tests.conftest import copy_sqlite

    path = tmp_path / "typhoon.db"
    # The CLI's engine may still hold the demo database open, with the roster's LINE ids in its WAL.
    copy_sqlite(Path(demo_url.split("///", 1)[1]), path)
    url = f"sqlite:///{path}"
    weekly = n(WEEKLY_SCHOOL_LIST)
    before = {d: demo_plan(url, date(2024, 7, d)).get("李冠緯", set()) for d in (22, 24, 25, 29)}
    # Without the closure: the Monday list is `upcoming` on 7/24 for 7/29; 7/22's is overdue on 7/25.
    assert before[24] == {(*weekly, "upcoming")}
    assert before[25] == {(*weekly, "overdue")}
    for day in ("2024-07-24", "113/7/25"):
        assert planbot(["--database-url", url, "calendar", "closure", "add", day, "--reason", "凱米颱風停止上班"]) == 0
    # With 7/24-7/25 closed: 7/29's notice moves to 7/22 (7/26, 7/23, 7/22); nothing on the closed days;
    # 7/22's third overdue working day becomes 7/29 (7/23, 7/26, 7/29), with the chief's escalation.
    assert demo_plan(url, date(2024, 7, 22))["李冠緯"] == {(*weekly, "due"), (*weekly, "overdue"), (*weekly, "upcoming")}
    assert demo_plan(url, date(2024, 7, 24)) == {}
    assert demo_plan(url, date(2024, 7, 25)) == {}
    after = demo_plan(url, date(2024, 7, 29))
    assert after["李冠緯"] == {(*weekly, "due"), (*weekly, "overdue")}
    assert after["江淑惠"] == {(*weekly, "escalation")}


def test_demo_whole_year_one_digest_per_person_and_only_on_working_days(demo_url):
    from schedules.plan_inputs import calendar_of, office_inputs
    from storage.db import make_engine, session_factory

    engine = make_engine(demo_url)
    with session_factory(engine)() as session:
        calendar = calendar_of(session)
        offices = office_inputs(session, calendar, date(2024, 6, 1))
    engine.dispose()
    day, mornings = date(2024, 1, 1), 0
    while day.year == 2024:
        planned = plan_morning(offices, calendar, datetime(day.year, day.month, day.day, 8, 30, tzinfo=TAIPEI))
        if not calendar.is_working_day(day):
            assert planned == []
        mornings += bool(planned)
        keys = [p.key for p in planned]
        assert len({p.recipient for p in planned}) == len(planned) == len(set(keys))
        for p in planned:
            assert [ln.sort_key() for ln in p.lines] == sorted(ln.sort_key() for ln in p.lines)
        day = day.fromordinal(day.toordinal() + 1)
    assert mornings > 150


def test_cli_dry_run_json_prints_the_plan(demo_url, n, capsys):
    from bot.cli import main as planbot

    assert planbot(["--database-url", demo_url, "remind", "--at", "2024-02-15T08:30", "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(set(d) == {"to", "items"} and all(set(i) == {"item", "title", "reason", "due"} for i in d["items"]) for d in data)
    got = {d["to"]: d["items"] for d in data}
    first, doorplates = n(FIRST_WORKING_DAY)[1], n(DOORPLATES)[1]
    assert got == {
        "張書維": [{"item": first, "title": "跨機關通報服務", "reason": "overdue", "due": "2024-02-01"}],
        "林佩蓉": [{"item": first, "title": "跨機關通報服務", "reason": "overdue", "due": "2024-02-01"}],
        "李冠緯": [{"item": doorplates, "title": "門牌指標設置及定期巡查管理", "reason": "overdue", "due": "2024-02-05"}],
        "江淑惠": [{"item": doorplates, "title": "門牌指標設置及定期巡查管理", "reason": "escalation", "due": "2024-02-05"}],
    }
    # A rest day plans nothing; the dry run never writes.
    assert planbot(["--database-url", demo_url, "remind", "--at", "113/2/10 08:30", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert planbot(["--database-url", demo_url, "remind", "--dry-run"]) == 1
    assert "--at" in capsys.readouterr().err
