"""Plan one morning for 50 offices x 300 items x 3 owners with a year of progress history (target: planning < 1 s).

Prints the planning time and the LINE API calls the digests need (one push per recipient; no
multicast, as every digest is personal), beside what one push per reminder would need. Then the
year's pushes of one 30-person, 300-item office that nobody reports in, with and without the push
budget on LINE's free 200-push quota (the budget's forecast, as the clock would send it).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from schedules.calendar import WorkCalendar  # noqa: E402 - after the path fix so the script runs from anywhere
from schedules.clock import TAIPEI  # noqa: E402
from schedules.occurrences import expand  # noqa: E402
from schedules.phrases import parse_schedule  # noqa: E402
from schedules.planner import (  # noqa: E402
    OfficeData,
    Person,
    PlanItem,
    Planner,
    Report,
    SectionInfo,
    forecast,
    plan_morning,
)

YEAR = 2024
OFFICES = 50
ITEMS = 300
OWNERS = 3
STAFF = 60
SECTIONS = 6
RUNS = 5
TARGET_SECONDS = 1.0
# A month start (due + the round's ask), its 3rd working day, its 5th (compiled round), and a mid-month day.
MORNINGS = (date(2024, 4, 1), date(2024, 4, 3), date(2024, 4, 9), date(2024, 4, 25))
MIX = [
    ("1 月~12 月", 30), ("每月5日前陳報", 14), ("每月第1個工作日填報", 8), ("當月案件應於次月2日前完成登錄，以工作日計算", 8),
    ("(1/1-2/28)完成清查", 4), ("(3/1-4/30)完成清查", 4), ("於4月25日-8月31日每週一列印名冊", 3), ("實地(3月)", 6),
    ("書面(7-8 月)", 6), ("每3個月召開1次", 5), ("每月定期更新", 8), ("每年 1、4、7、11 月的第 3 個星期日", 2),
]
STATUSES = ("done", "done", "done", "in_progress", "delayed")


def build_office(office_id: int, rng: random.Random, calendar: WorkCalendar, today: date) -> tuple[OfficeData, int]:
    """Return one synthetic office, and how many progress reports its year of history held."""
    phrases = [p for p, w in MIX for _ in range(w)]
    schedules = {p: expand(parse_schedule(p, None, YEAR), YEAR, calendar) for p, _ in MIX}
    sections = tuple(
        SectionInfo(office_id * 100 + s, f"第{s}課", f"C{office_id:04d}{s:028d}" if s == 1 else None) for s in range(SECTIONS)
    )
    people = []
    for n in range(STAFF):
        section = sections[n % SECTIONS].id
        role = "chief" if n < SECTIONS else ("coordinator" if n == SECTIONS else "staff")
        linked = f"U{office_id:08x}{n:024x}" if rng.random() < 0.9 else None
        people.append(Person(office_id * 1000 + n, f"同仁{office_id}-{n}", section, role, linked))
    items, history = [], []
    for i in range(ITEMS):
        occurrences = tuple(schedules[rng.choice(phrases)])
        owners = tuple(rng.sample([p.id for p in people], OWNERS))
        item_id = office_id * 10_000 + i
        items.append(PlanItem(item_id, f"{i // 10 + 1}-{i % 10 + 1}", f"工作項目{i}", sections[i % SECTIONS].id, owners, occurrences))
        # A year of history: a few reports on most past occurrences, oldest first, as staff tap buttons.
        for occ in occurrences:
            if occ.due >= today or rng.random() < 0.15:
                continue
            for k in range(rng.randint(1, 3)):
                history.append(((item_id, occ.key), Report(rng.choice(STATUSES), occ.due + timedelta(days=k))))
    latest = dict(history)  # what storage.queries.latest_reports returns: the newest report per occurrence
    return OfficeData(office_id, f"機關{office_id}", sections, tuple(people), tuple(items), latest), len(history)


def year_office(calendar: WorkCalendar) -> OfficeData:
    """Return a 30-person office (5 sections, one with a LINE group) with 300 items and no reports."""
    rng = random.Random(14)
    phrases = [p for p, w in MIX for _ in range(w)]
    schedules = {p: tuple(expand(parse_schedule(p, None, YEAR), YEAR, calendar)) for p, _ in MIX}
    sections = tuple(SectionInfo(s, f"第{s + 1}課", "C" + "0" * 32 if s == 4 else None) for s in range(5))
    people = tuple(
        Person(n, f"同仁{n}", n % 5, "chief" if n < 5 else "coordinator" if n == 5 else "staff",
               None if n % 5 == 4 and n >= 20 else f"U{n:032x}")
        for n in range(30)
    )
    items = []
    for i in range(300):
        members = [p.id for p in people if p.section_id == i % 5]
        owners = tuple(rng.sample(members, 1 if rng.random() < 0.8 else 2))
        items.append(PlanItem(i, str(i + 1), f"工作項目{i}", i % 5, owners, schedules[rng.choice(phrases)], None, date(YEAR, 1, 1)))
    return OfficeData(1, "三十人的所", sections, people, tuple(items))


def year_pushes(calendar: WorkCalendar, quota: int = 200) -> None:
    """Print the year's pushes with and without the budget policy for one office on a `quota`-push month."""
    office = year_office(calendar)
    planner = Planner([office], calendar)
    t = time.perf_counter()
    months = forecast(planner, date(YEAR, 1, 1), date(YEAR, 12, 31), lambda _m: quota)
    took = time.perf_counter() - t
    without = [m.normal for m in months]
    budgeted = [m.pushes for m in months]
    held = sum(m.held_lines for m in months)
    print(f"a year of one office (30 people, 300 items, nobody reports) on a {quota}-push month: "
          f"without the budget {sum(without)} pushes (busiest month {max(without)}); "
          f"with it {sum(budgeted)} (busiest month {max(budgeted)}), {held} lines held for replies; "
          f"forecast in {took:.1f} s")
    assert all(n <= quota for n in budgeted)


def main() -> int:
    """Run the benchmark and print the figures; exit 1 when planning misses the target."""
    rng = random.Random(113)
    calendar = WorkCalendar()
    started = time.perf_counter()
    built = [build_office(n, rng, calendar, MORNINGS[0]) for n in range(1, OFFICES + 1)]
    offices = [office for office, _ in built]
    reports = sum(n for _, n in built)
    print(f"{OFFICES} offices x {ITEMS} items x {OWNERS} owners, {OFFICES * STAFF} staff, "
          f"{reports} progress reports in the year (built in {time.perf_counter() - started:.1f} s)")
    worst = 0.0
    for morning in MORNINGS:
        moment = datetime(morning.year, morning.month, morning.day, 8, 30, tzinfo=TAIPEI)
        times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            planned = plan_morning(offices, calendar, moment)
            times.append(time.perf_counter() - t)
        worst = max(worst, statistics.median(times))
        pushes = sum(1 for p in planned if p.recipient)
        unreachable = sum(1 for p in planned if p.recipient is None)
        lines = sum(len(p.lines) for p in planned if p.recipient)
        print(
            f"{morning}: planned in {statistics.median(times) * 1000:.0f} ms (median of {RUNS}); "
            f"LINE calls: {pushes} pushes + 0 multicasts = {pushes} "
            f"(one push per reminder: {lines}, {lines / max(pushes, 1):.1f}x more); {unreachable} unreachable"
        )
    year_pushes(calendar)
    verdict = "OK" if worst < TARGET_SECONDS else "TOO SLOW"
    print(f"worst median {worst * 1000:.0f} ms, target {TARGET_SECONDS * 1000:.0f} ms: {verdict}")
    return 0 if worst < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
