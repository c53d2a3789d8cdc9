"""The city on one service: 24 offices x 30 staff x 300 items with a year of reports, then 400 offices.

Run: .venv/bin/python bench/bench_city.py [--db URL] [--offices 24] [--country 400] [--events 500]
The database is PostgreSQL: --db, else TEST_DATABASE_URL or BENCH_DATABASE_URL; the bench works in a
database of its own beside it (its name + `_city`), which it empties and fills directly with COPY.
It prints
- the webhook's throughput under gunicorn beside a bare Flask endpoint (bench_webhook's alternating rounds);
- how many events per second `planbot events` answers, sent by staff of every office;
- the worst office's planning time for the worst of four mornings (bot.morning.plan, as the clock and
  `planbot remind --dry-run` plan), and the whole city's planned at once;
- the same morning at the country's scale (--country offices): the worst office and all of them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_webhook  # noqa: E402 - after the path fix so the script runs from anywhere
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot import morning  # noqa: E402
from bot.events import event_rows, insert_ignoring_duplicates  # noqa: E402
from schedules.calendar import WorkCalendar  # noqa: E402
from schedules.clock import TAIPEI  # noqa: E402
from schedules.occurrences import expand  # noqa: E402
from schedules.phrases import parse_schedule  # noqa: E402
from schedules.plan_inputs import calendar_of  # noqa: E402
from storage.db import database_url, make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import WebhookEvent  # noqa: E402

YEAR = 2024
STAFF, ITEMS, SECTIONS = 30, 300, 5
# A month start (due + the round's ask), its 3rd working day, its 5th (compiled round), a late day: in
# December, so a year of reports lies behind each.
MORNINGS = (date(2024, 12, 2), date(2024, 12, 4), date(2024, 12, 6), date(2024, 12, 24))
MIX = [
    ("1 月~12 月", 30), ("每月5日前陳報", 14), ("每月第1個工作日填報", 8), ("當月案件應於次月2日前完成登錄，以工作日計算", 8),
    ("(1/1-2/28)完成清查", 4), ("(3/1-4/30)完成清查", 4), ("於4月25日-8月31日每週一列印名冊", 3), ("實地(3月)", 6),
    ("書面(7-8 月)", 6), ("每3個月召開1次", 5), ("每月定期更新", 8), ("每年 1、4、7、11 月的第 3 個星期日", 2),
]
STATUSES = ("done", "done", "done", "in_progress", "delayed")
QUESTIONS = ("本週", "本月", "我的")


def city_url(base: str) -> str:
    """Return the URL of the bench's own database beside `base`, created when missing."""
    url = make_url(database_url(base))
    name = f"{url.database}_city"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def reset(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    upgrade(url)


class City:
    """Synthetic offices written straight into the tables with COPY; ids are handed out here."""

    def __init__(self, url: str, seed: int = 27) -> None:
        self.url = url
        self.rng = random.Random(seed)
        calendar = WorkCalendar()
        self.schedules = {p: (parse_schedule(p, None, YEAR), w) for p, w in MIX}
        self.occurrences = {p: expand(s, YEAR, calendar) for p, (s, _w) in self.schedules.items()}
        self.phrases = [p for p, w in MIX for _ in range(w)]
        self.offices = self.staff = self.items = self.reports = 0
        self.linked: list[str] = []

    def add(self, count: int) -> float:
        """Add `count` offices; return the seconds it took."""
        started = time.perf_counter()
        rows: dict[str, list[tuple]] = {t: [] for t in ("offices", "plans", "sections", "staff", "items", "item_owners",
                                                         "progress_reports")}
        imported = datetime(YEAR, 1, 2, tzinfo=UTC)
        for _ in range(count):
            self._office(rows, imported)
        engine = make_engine(self.url)
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cur:
                for table, data in rows.items():
                    columns = COLUMNS[table]
                    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in data:
                            copy.write_row(row)
                for table in ("offices", "plans", "sections", "staff", "items", "progress_reports"):
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                cur.execute("ANALYZE")
            raw.commit()
        finally:
            raw.close()
            engine.dispose()
        return time.perf_counter() - started

    def _office(self, rows: dict[str, list[tuple]], imported: datetime) -> None:
        rng = self.rng
        self.offices += 1
        office = self.offices
        rows["offices"].append((office, f"第{office}區公所", "{}", "臺北市", f"第{office}區"))
        rows["plans"].append((office, office, YEAR, "bench", imported, None))
        sections = [(office - 1) * SECTIONS + s + 1 for s in range(SECTIONS)]
        for n, section in enumerate(sections):
            group = f"C{office:08x}{n:024x}" if n == 0 else None
            rows["sections"].append((section, office, f"第{n + 1}課", group))
        members: dict[int, list[int]] = {s: [] for s in sections}
        for n in range(STAFF):
            self.staff += 1
            section = sections[n % SECTIONS]
            role = "chief" if n < SECTIONS else "coordinator" if n == SECTIONS else "director" if n == SECTIONS + 1 else "staff"
            line = f"U{office:08x}{n:024x}" if rng.random() < 0.9 else None
            if line:
                self.linked.append(line)
            rows["staff"].append((self.staff, office, f"同仁{office}-{n}", section, role, line, True, True))
            members[section].append(self.staff)
        month_start = datetime(MORNINGS[0].year, MORNINGS[0].month, 1, tzinfo=TAIPEI)
        for i in range(ITEMS):
            self.items += 1
            item, section = self.items, sections[i % SECTIONS]
            phrase = rng.choice(self.phrases)
            schedule = self.schedules[phrase][0]
            occurrences = self.occurrences[phrase]
            months = sorted({o.due.month for o in occurrences})
            rows["items"].append((item, office, section, f"{i // 10 + 1}-{i % 10 + 1}", i, f"工作項目{i}", "", phrase,
                                  json.dumps(months), json.dumps(schedule.to_json(), ensure_ascii=False), "", "", None))
            for position, owner in enumerate(rng.sample(members[section], 1 if rng.random() < 0.8 else 2)):
                rows["item_owners"].append((item, owner, position))
            # A year of history: a few reports on most past occurrences, as staff tap buttons.
            for occ in occurrences:
                due = datetime(occ.due.year, occ.due.month, occ.due.day, 17, tzinfo=TAIPEI)
                if due >= month_start or rng.random() < 0.15:
                    continue
                for k in range(rng.randint(1, 3)):
                    self.reports += 1
                    status = rng.choice(STATUSES)
                    rows["progress_reports"].append((self.reports, item, occ.key, status, 100 if status == "done" else 50,
                                                     "", None, due + timedelta(days=k), "line"))


COLUMNS = {
    "offices": ("id", "name", "settings", "county", "district"),
    "plans": ("id", "office_id", "year", "source", "imported_at", "tracking_from"),
    "sections": ("id", "office_id", "name", "line_group_id"),
    "staff": ("id", "office_id", "name", "section_id", "role", "line_user_id", "following", "active"),
    "items": ("id", "plan_id", "section_id", "number", "position", "title", "content", "schedule_text", "months",
              "schedule", "kpi", "status_text", "points"),
    "item_owners": ("item_id", "staff_id", "position"),
    "progress_reports": ("id", "item_id", "occurrence_key", "status", "percent", "note", "staff_id", "reported_at", "via"),
}


def plan_offices(url: str, day: date, offices: int) -> tuple[float, int, float, int]:
    """Plan the morning office by office; return the worst office's seconds, which, the total and the digests."""
    sessions = session_factory(make_engine(url))
    worst, worst_office, total, digests = 0.0, 0, 0.0, 0
    with sessions() as session:
        for office in range(1, offices + 1):
            calendar = calendar_of(session, office)  # each office on its own calendar, as the clock plans it
            started = time.perf_counter()
            decided = morning.plan(session, calendar, day, office_id=office)  # office scope: one office at a time
            took = time.perf_counter() - started
            session.expunge_all()  # each office read afresh, as a clock planning them in turn would
            digests += len(decided.planned)
            total += took
            if took > worst:
                worst, worst_office = took, office
    return worst, worst_office, total, digests


def plan_all(url: str, day: date) -> tuple[float, int]:
    """Plan the morning for every office at once, as the clock does; return the seconds and the digests."""
    sessions = session_factory(make_engine(url))
    with sessions() as session:
        # The benchmark's offices have no closures of their own, so the first office's calendar is every office's.
        calendar = calendar_of(session, 1)
        started = time.perf_counter()
        decided = morning.plan(session, calendar, day)
        return time.perf_counter() - started, len(decided.planned)


def questions(linked: list[str], count: int, rng: random.Random) -> list[dict]:
    """Return `count` text events from linked staff picked across the offices."""
    now = int(time.time() * 1000)
    return [{
        "type": "message", "mode": "active", "timestamp": now + n,
        "source": {"type": "user", "userId": rng.choice(linked)}, "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False}, "replyToken": uuid.uuid4().hex,
        "message": {"type": "text", "id": str(n), "quoteToken": "q", "text": rng.choice(QUESTIONS)},
    } for n in range(count)]


def answer_events(url: str, linked: list[str], count: int) -> tuple[float, int]:
    """Time a running `planbot events` answering `count` questions from staff of every office."""
    engine = make_engine(url)
    rng = random.Random(5)

    def record(events: list[dict]) -> datetime:
        now = datetime.now(UTC)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            insert_ignoring_duplicates(conn, event_rows(events, now))
        return now

    def wait(since: datetime, expected: int, started: float) -> None:
        while True:
            with engine.connect() as conn:
                handled = conn.scalar(select(func.count()).where(WebhookEvent.handled_at.is_not(None),
                                                                 WebhookEvent.received_at >= since))
            if handled >= expected:
                return
            if time.perf_counter() - started > 900:
                raise RuntimeError(f"only {handled} of {expected} events answered after 15 minutes")
            time.sleep(0.1)

    env = {**os.environ, "DATABASE_URL": url, "PUBLIC_URL": "https://bench.invalid"}
    env.pop("LINE_CHANNEL_ACCESS_TOKEN", None)
    answering = subprocess.Popen([sys.executable, "-m", "bot.cli", "events"], cwd=ROOT, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait(record(questions(linked, 8, rng)), 8, time.perf_counter())  # the process has started and warmed up
        events = questions(linked, count, rng)
        started = time.perf_counter()
        wait(record(events), count, started)
        took = time.perf_counter() - started
    finally:
        answering.terminate()
        answering.wait(10)
        engine.dispose()
    return took, len({e["source"]["userId"] for e in events})


def mornings(url: str, offices: int) -> date:
    """Print each morning's worst office and the whole city's; return the worst morning."""
    worst_day, worst = MORNINGS[0], -1.0
    for day in MORNINGS:
        slowest, which, total, digests = plan_offices(url, day, offices)
        together, _ = plan_all(url, day)
        print(f"  {day}: worst office {slowest * 1000:.0f} ms (office {which}), {offices} offices one by one "
              f"{total:.1f} s, all at once {together:.1f} s; {digests} digests")
        if slowest > worst:
            worst_day, worst = day, slowest
    return worst_day


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=os.environ.get("TEST_DATABASE_URL") or os.environ.get("BENCH_DATABASE_URL"),
                    help="PostgreSQL URL; the bench works in the database named like it plus _city")
    ap.add_argument("--offices", type=int, default=24)
    ap.add_argument("--country", type=int, default=400, help="offices at the country's scale (0: skip)")
    ap.add_argument("--events", type=int, default=500)
    ap.add_argument("--requests", type=int, default=3000, help="webhook requests per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-webhook", action="store_true")
    args = ap.parse_args()
    if not args.db or not database_url(args.db).startswith("postgresql"):
        print("skipped: needs PostgreSQL (--db or TEST_DATABASE_URL)")
        return 0
    url = city_url(args.db)
    reset(url)
    city = City(url)
    took = city.add(args.offices)
    print(f"city: {city.offices} offices x {STAFF} staff x {ITEMS} items, {city.reports} progress reports "
          f"(a year), written in {took:.1f} s")
    ok = True
    if not args.no_webhook:
        results = bench_webhook.compare(url, 2, 8, args.requests, 8, args.rounds)
        print(bench_webhook.show(url, results, 8))
        ok = results[bench_webhook.PLANBOT][0] / results[bench_webhook.BARE][0] >= bench_webhook.TARGET
        with make_engine(url).begin() as conn:  # the webhook's events are not the questions timed next
            conn.execute(text("TRUNCATE webhook_events"))
    took, users = answer_events(url, city.linked, args.events)
    print(f"`planbot events` answered {args.events} questions from {users} staff of {city.offices} offices "
          f"in {took:.1f} s ({args.events / took:.0f} events/s)")
    print(f"morning planning (bot.morning.plan), {city.offices} offices:")
    day = mornings(url, city.offices)
    if args.country > city.offices:
        took = city.add(args.country - city.offices)
        print(f"country: {city.offices} offices, {city.reports} progress reports (written in {took:.1f} s)")
        slowest, which, total, digests = plan_offices(url, day, city.offices)
        print(f"  {day}: worst office {slowest * 1000:.0f} ms (office {which}), {city.offices} offices one by one "
              f"{total:.1f} s; {digests} digests")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
