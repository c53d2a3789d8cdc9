"""The push budget on a small office's tight month: 10 people, a plan shaped like the seed plans, 45 pushes a month.

What is guaranteed (README, the push budget): on a budget month each person gets one digest a week naming what
falls due before the next week's digest. A month's need is therefore one push per person and week in which they
have a due date (the week's digest morning being the last one on or before the date; a push to the section group
of someone who has not linked LINE costs its members), plus the coordinator's 80% warning. When the quota covers
that need, every due date — an event on a Sunday included — is pushed to its owner on or before its day. When it
does not, the weeks are paid for in order: a due date is told late only from the week where the month's need
passed the quota, and every line not pushed is held for the owner's next reply on or before its day (and counted
by the forecast).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from bot.cli import main
from schedules.calendar import WorkCalendar
from schedules.occurrences import expand
from schedules.phrases import parse_schedule
from schedules.planner import MonthState, OfficeData, Person, PlanItem, Planner, SectionInfo, forecast
from schedules.planner.budget import week_start
from storage.models import Item, ItemOwner, Office, Plan, Role, Section, Staff

YEAR = 2024
TIGHT = 45
GROUP = "C" + "3" * 32
SECTIONS = ((1, "戶籍登記課", None), (2, "戶籍資料課", None), (3, "行政庶務課", GROUP))
UNLINKED = {10}  # has not linked LINE: hears through the 行政庶務課 group, whose pushes cost its 3 members
PEOPLE = (
    (1, "林雅婷", 1, "chief"), (2, "陳怡君", 1, "staff"), (3, "黃柏翔", 1, "staff"), (4, "周佳蓉", 1, "staff"),
    (5, "張淑芬", 2, "chief"), (6, "李俊宏", 2, "staff"), (7, "王美玲", 2, "staff"),
    (8, "吳志明", 3, "chief"), (9, "劉淑敏", 3, "coordinator"), (10, "蔡宗翰", 3, "staff"),
)
# (section, 計畫項目, 預定作業時程 as the seed plans write it, owners)
PLAN = (
    (1, "戶籍登記案件統計", "每月5日前陳報", (2,)),
    (1, "跨機關通報清查", "當月案件應於次月2日前完成登錄，以工作日計算", (3,)),
    (1, "歸化測試監場", "每年1、4、7、11月的第3個星期日", (2, 3)),
    (1, "國籍業務講習", "每年1、4、7、11月的第3個星期日", (1,)),
    (1, "遷出逾期清查", "(1/1-2/28)完成清查", (3,)),
    (1, "門牌清查", "(3/1-4/30)完成清查", (2,)),
    (1, "戶籍登記稽核", "每月第1個工作日填報", (1,)),
    (1, "戶口校正", "每月5日前陳報", (4,)),
    (1, "外籍配偶關懷", "每月第2個星期三", (4,)),
    (1, "志工訪視", "4月25日-8月31日每週一", (4,)),
    (2, "戶籍資料更新", "每月第1個工作日填報", (6,)),
    (2, "資料檔案清查", "(5/1-6/30)完成清查", (7,)),
    (2, "資料品質抽查", "每季終了後25日內", (6, 7)),
    (2, "役男資料", "(9/1-12/31)完成清查", (7,)),
    (2, "檔案銷毀", "每月第2個星期三", (5,)),
    (2, "人口統計月報", "每月5日前陳報", (5, 6)),
    (3, "為民服務會議", "每3個月召開1次", (8,)),
    (3, "研考月報", "每月5日前陳報", (9,)),
    (3, "庶務檢查", "每月第2個星期三", (8,)),
    (3, "滿意度調查", "書面(7-8 月)", (9,)),
    (3, "工作檢討", "每季終了後25日內", (8, 9)),
    (3, "公文稽催", "每月第1個工作日填報", (10,)),
    (3, "資訊設備檢查", "當月案件應於次月2日前完成登錄，以工作日計算", (10,)),
    # Monthly meetings on the month's last working day: the last week's digests, which the first weeks'
    # repeated overdue lines must not have spent.
    (1, "戶政業務會報", "每月最後1個工作日", (2, 3, 4)),
    (2, "資料課務會議", "每月最後1個工作日", (6, 7)),
    (3, "庶務會議", "每月最後1個工作日", (10,)),
)


def small_office(calendar: WorkCalendar) -> OfficeData:
    items = []
    for n, (section, title, phrase, owners) in enumerate(PLAN, 1):
        schedule = parse_schedule(phrase, None, YEAR)
        assert schedule.rules, phrase
        occurrences = tuple(expand(schedule, YEAR, calendar))
        items.append(PlanItem(n, str(n), title, section, owners, occurrences, tracking_from=date(YEAR, 1, 1)))
    people = tuple(Person(i, name, s, role, line_id(i)) for i, name, s, role in PEOPLE)
    return OfficeData(1, "測試戶政事務所", tuple(SectionInfo(*s) for s in SECTIONS), people, tuple(items))


def line_id(person: int) -> str | None:
    return None if person in UNLINKED else f"U{person:032x}"


def recipient(person: int) -> tuple[str, int]:
    """Who a push for this person goes to, and what it costs: their own chat, or their section's group."""
    section = next(s for i, _name, s, _role in PEOPLE if i == person)
    if person in UNLINKED:
        return GROUP, sum(1 for _i, _name, s, _role in PEOPLE if s == section)
    return line_id(person), 1


def its_day(calendar: WorkCalendar, occ) -> date:
    # An event is held on its day, a Sunday too; a deadline on a rest day is due the next working day.
    return occ.due if occ.kind == "event" else calendar.next_working_day(occ.due)


def digest_morning(calendar: WorkCalendar, day: date) -> date:
    """The morning of the weekly digest that must name a date: the last week start (or month start) on or before it."""
    d = day
    while not calendar.is_working_day(d) or (week_start(calendar, d) != d and _first_morning(calendar, d) != d):
        d -= timedelta(days=1)
    return d


def _first_morning(calendar: WorkCalendar, day: date) -> date:
    return calendar.next_working_day(day.replace(day=1))


def run_year(quota: int):
    calendar = WorkCalendar()
    office = small_office(calendar)
    months = forecast(Planner([office], calendar), date(YEAR, 1, 1), date(YEAR, 12, 31), lambda _m: quota)
    pushed: dict[tuple[int, int, str], date] = {}
    held: dict[tuple[int, int, str], date] = {}
    for month in months:
        for morning in month.mornings:
            for delivery in morning.pushed:
                for line in delivery.lines:
                    for person in [delivery.staff_id] if delivery.staff_id else named(office, line, delivery):
                        pushed.setdefault((person, line.item_id, line.occurrence_key), morning.day)
            for staff_id, lines in morning.held.items():
                for line in lines:
                    held.setdefault((staff_id, line.item_id, line.occurrence_key), morning.day)
    # Every owner's due date in the plan year, with the week (digest morning) that must tell it.
    dues = []
    for item in office.items:
        for occ in item.occurrences:
            day = its_day(calendar, occ)
            if day.year == YEAR and day >= _first_morning(calendar, date(YEAR, 1, 1)):
                for owner in item.owners:
                    dues.append((owner, item.id, occ.key, day, digest_morning(calendar, day)))
    need: dict[date, set[tuple[str, int, date]]] = defaultdict(set)  # month -> (recipient, cost, digest morning)
    for owner, _item, _key, _day, week in dues:
        need[week.replace(day=1)].add((*recipient(owner), week))
    return calendar, months, pushed, held, dues, need


def named(office: OfficeData, line, delivery) -> list[int]:
    return [p.id for p in office.people if p.name in line.people and p.section_id == delivery.section_id]


def pushes(need: set[tuple[str, int, date]], until: date = date.max) -> int:
    return sum(cost for _to, cost, week in need if week <= until)


def late_of(dues, pushed) -> list[tuple]:
    return [d for d in dues if pushed.get(d[:3], date.max) > d[3]]


WARNING = 1  # one coordinator, warned once a month past 80%


def test_a_tight_45_push_month_tells_every_due_date_on_or_before_its_day():
    calendar, months, pushed, _held, dues, need = run_year(TIGHT)
    # The office needs the budget: most months would push more than 45, and run on it.
    budget_months = [m for m in months if m.budget_days and m.normal > TIGHT]
    assert len(budget_months) >= 9, [(m.month, m.normal, m.budget_days) for m in months]
    assert max(m.total for m in months) <= TIGHT
    # 45 covers each month's need: a digest a week to whoever has a due date that week, and the warning.
    assert all(pushes(need[m.month]) + WARNING <= TIGHT for m in months), {m.month: pushes(need[m.month]) for m in months}
    assert len(dues) > 180
    sundays = {d[3] for d in dues if not calendar.is_working_day(d[3])}  # the naturalization tests among them
    assert {date(YEAR, 4, 21), date(YEAR, 7, 21)} <= sundays
    assert late_of(dues, pushed) == []
    assert [m.late for m in months] == [0] * 12


@pytest.mark.parametrize("quota", [20, 15, 10])
def test_a_month_that_cannot_pay_for_every_due_date_tells_the_earliest_first_and_holds_the_rest(quota):
    calendar, months, pushed, held, dues, need = run_year(quota)
    assert max(m.total for m in months) <= quota
    short = {m.month for m in months if pushes(need[m.month]) + WARNING > quota}
    late = late_of(dues, pushed)
    assert short and late  # the check below is about something
    # Late only in months that cannot pay for their weeks, and only from the week where the need passed the quota.
    assert {d[4].replace(day=1) for d in late} <= short
    for month in short:
        weeks = sorted({week for _to, _cost, week in need[month]})
        first_late = min((d[4] for d in late if d[4].replace(day=1) == month), default=None)
        if first_late is None:
            continue
        upto = pushes(need[month], first_late)
        assert upto + WARNING > quota, (month, first_late, upto, weeks)
    # What was not pushed in time is held for the owner's next reply, on or before its day, and forecast as held.
    assert [d for d in late if held.get(d[:3], date.max) > d[3]] == []
    assert all(m.held_lines > 0 for m in months if m.month in {d[4].replace(day=1) for d in late})
    # The forecast says how many due dates of each month the quota could not push in time.
    assert {m.month: m.late for m in months if m.late} == Counter(d[3].replace(day=1) for d in late)


def write_office(db) -> None:
    """The same office and plan in the database, as `planbot import` and `planbot staff import` would leave it."""
    with db.sessions() as session:
        office = Office(name="測試戶政事務所", settings={})
        session.add(office)
        session.flush()
        sections = {n: Section(office_id=office.id, name=name, line_group_id=group) for n, name, group in SECTIONS}
        session.add_all(sections.values())
        session.flush()
        staff = {
            i: Staff(office_id=office.id, name=name, section_id=sections[s].id, role=Role[role], line_user_id=line_id(i))
            for i, name, s, role in PEOPLE
        }
        session.add_all(staff.values())
        plan = Plan(office_id=office.id, year=YEAR, tracking_from=date(YEAR, 1, 1))
        session.add(plan)
        session.flush()
        for n, (section, title, phrase, owners) in enumerate(PLAN, 1):
            item = Item(plan_id=plan.id, section_id=sections[section].id, number=str(n), position=n, title=title,
                        schedule_text=phrase, schedule=parse_schedule(phrase, None, YEAR).to_json())
            session.add(item)
            session.flush()
            for pos, owner in enumerate(owners):
                session.add(ItemOwner(item_id=item.id, staff_id=staff[owner].id, position=pos))
        session.commit()


@pytest.mark.parametrize("month, sunday", [(4, 21), (7, 21)])
def test_the_range_plan_on_45_pushes_names_the_sunday_test_to_its_owners_before_the_day(db, capsys, month, sunday):
    write_office(db)
    env = {"DATABASE_URL": db.url, "LINE_MONTHLY_QUOTA": str(TIGHT)}
    last = (date(YEAR, month + 1, 1) - timedelta(days=1)).isoformat()
    assert main(["remind", "--from", f"{YEAR}-{month:02d}-01", "--to", last, "--dry-run", "--json"], env) == 0
    mornings = json.loads(capsys.readouterr().out)
    assert {m["mode"] for m in mornings} == {"budget"} and sum(m["pushes"] for m in mornings) <= TIGHT
    told: dict[tuple[str, str, str], str] = {}  # (to, 編號, due) -> first morning that named it
    for m in mornings:
        for d in m["deliveries"]:
            for line in d["items"]:
                told.setdefault((d["to"], line["item"], line["due"]), m["morning"])
    exam = date(YEAR, month, sunday).isoformat()
    assert {to for to, number, due in told if number == "3" and due == exam} == {"陳怡君", "黃柏翔"}
    # Every due date of the month, as the plan gives it, named to each owner on or before its day.
    calendar = WorkCalendar()
    names = {i: name for i, name, _s, _r in PEOPLE}
    late, checked = [], 0
    for item in small_office(calendar).items:
        for occ in item.occurrences:
            day = its_day(calendar, occ)
            if day.month == month and day >= date.fromisoformat(mornings[0]["morning"]):
                for owner in item.owners:
                    checked += 1
                    # 蔡宗翰 hears through the section's group (its items here are his alone).
                    to = "行政庶務課" if owner in UNLINKED else names[owner]
                    when = told.get((to, item.number, occ.due.isoformat()), "9999")
                    if when > day.isoformat():
                        late.append((names[owner], item.title, occ.due, when))
    assert checked > 20 and late == []
    assert main(["quota", "forecast", "--month", f"{YEAR}-{month:02d}", "--json"], env) == 0
    (forecast_json,) = json.loads(capsys.readouterr().out)
    assert forecast_json["normal"] > TIGHT >= forecast_json["pushes"] == sum(m["pushes"] for m in mornings)
    assert forecast_json["late"] == 0


def test_the_forecast_says_how_many_due_dates_a_short_quota_cannot_push_in_time(sqlite_db, capsys):
    write_office(sqlite_db)
    env = {"DATABASE_URL": sqlite_db.url, "LINE_MONTHLY_QUOTA": "15"}
    assert main(["quota", "forecast", "--month", f"{YEAR}-07", "--json"], env) == 0
    (july,) = json.loads(capsys.readouterr().out)
    _calendar, months, pushed, _held, dues, _need = run_year(15)
    expected = sum(1 for d in late_of(dues, pushed) if d[3].month == 7)
    assert july["pushes"] <= 15 and july["late"] == expected > 0
    assert main(["quota", "forecast", "--month", "113/7"], env) == 0
    assert f"{expected} 筆到期事項無法在到期日前推播給承辦人" in capsys.readouterr().out


@pytest.mark.parametrize("start", [date(YEAR, 4, 17), date(YEAR, 7, 10), date(YEAR, 11, 13)])
def test_a_forecast_from_mid_week_does_not_count_as_late_what_the_week_s_digest_told(start):
    # `planbot quota forecast` starts today, often a Wednesday whose week's digests already went out (what they
    # named is not in the forecast): the due dates they told must not be counted as not pushed in time.
    quota = 20
    calendar, months, pushed, _held, dues, _need = run_year(quota)
    before = [m for m in months[start.month - 1].mornings if m.day < start]
    first = MonthState(quota, sum(m.cost for m in before), any(m.warn for m in before), digested=True)
    month_end = date(YEAR, start.month + 1, 1) - timedelta(days=1)
    (month,) = forecast(Planner([small_office(calendar)], calendar), start, month_end, lambda _m: quota, first)
    late_from_start = sum(1 for d in late_of(dues, pushed) if start <= d[3] <= month_end)
    assert late_from_start > 0 and month.late <= late_from_start
