"""Render the console's year table for a 300-item plan with a year of reports (target: median < 300 ms).

Builds a fresh SQLite database (or `--database-url`), signs in as the coordinator and times GET /console/
through the Flask app: the query, the states of every occurrence and the Jinja page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import create_app  # noqa: E402 - after the path fix so the script runs from anywhere
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.simulator_sender import SimulatorSender  # noqa: E402
from handlers.core.agenda import item_occurrences  # noqa: E402
from schedules.calendar import WorkCalendar  # noqa: E402
from schedules.clock import TAIPEI, FixedClock  # noqa: E402
from schedules.phrases import parse_schedule  # noqa: E402
from storage import queries  # noqa: E402
from storage.console_tokens import create_link  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Item, ProgressReport, Role, Staff, Status  # noqa: E402

YEAR = 2024
ITEMS = 300
SECTIONS = 6
STAFF = 60
RUNS = 9
TARGET_SECONDS = 0.3
NOW = datetime(2024, 11, 15, 9, 0, tzinfo=TAIPEI)
MIX = ["1 月~12 月", "每月5日前陳報", "每月第1個工作日填報", "(3/1-4/30)完成清查", "實地(3月)", "書面(7-8 月)", "每3個月召開1次", "每月定期更新"]
STATUSES = (Status.done, Status.done, Status.done, Status.in_progress, Status.delayed)


def build(sessions) -> None:
    rng = random.Random(13)
    calendar = WorkCalendar()
    with sessions() as session:
        office = queries.get_or_create_office(session, "效能測試事務所")
        sections = [queries.get_or_create_section(session, office, f"第{n}課") for n in range(1, SECTIONS + 1)]
        people = [Staff(office_id=office.id, name=f"同仁{n}", section_id=sections[n % SECTIONS].id) for n in range(STAFF)]
        people.append(Staff(office_id=office.id, name="研考", section_id=sections[0].id, role=Role.coordinator))
        session.add_all(people)
        plan = queries.get_or_create_plan(session, office, YEAR)
        plan.imported_at = datetime(YEAR, 1, 2, tzinfo=TAIPEI)
        session.flush()
        for n in range(ITEMS):
            phrase = MIX[n % len(MIX)]
            item = Item(plan_id=plan.id, section_id=sections[n % SECTIONS].id, number=str(n // SECTIONS + 1), position=n,
                        title=f"計畫項目{n}", schedule_text=phrase, schedule=parse_schedule(phrase, None, YEAR).to_json(), months=[])
            session.add(item)
            session.flush()
            queries.set_owners(session, item, rng.sample(people[:STAFF], 2))
            for occ in item_occurrences(item, YEAR, calendar):
                if occ.due < NOW.date() and rng.random() < 0.85:
                    at = datetime.combine(occ.due, datetime.min.time(), TAIPEI) - timedelta(days=rng.randint(0, 3))
                    session.add(ProgressReport(item_id=item.id, occurrence_key=occ.key, status=rng.choice(STATUSES),
                                               note="", staff_id=item.owners[0].id, reported_at=at))
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    build(sessions)
    clock = FixedClock(NOW)
    app = create_app(Runtime(url, engine, sessions, clock, Settings()), SimulatorSender(), testing=True)
    with sessions() as session:
        coordinator = session.query(Staff).filter_by(role=Role.coordinator).one()
        token = create_link(session, coordinator, NOW, "bench")
        session.commit()
    client = app.test_client()
    assert client.post(f"/console/signin/{token}").status_code == 303
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get("/console/")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    median = statistics.median(times)
    size = len(response.get_data()) // 1024
    print(f"year table, {ITEMS} items with a year of reports: median {median * 1000:.0f} ms over {RUNS} runs"
          f" (min {min(times) * 1000:.0f} ms, page {size} KiB); target < {TARGET_SECONDS * 1000:.0f} ms:"
          f" {'met' if median < TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
