"""Render the city page for 24 offices, each with the demo's 113 plan and its reports (target: median < 5 s).

Each office is counted as its own 摘要 and 管考 count it (no shortcut), so the page costs about one office's
summary and review times the number of offices: this prints where a city of 24 stands, and what 400 would take.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import create_app  # noqa: E402 - after the path fix so the script runs from anywhere
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.simulator_sender import SimulatorSender  # noqa: E402
from handlers.core.agenda import item_occurrences  # noqa: E402
from handlers.office import city_viewers  # noqa: E402
from handlers.office.imports.plan import import_plan  # noqa: E402
from schedules.calendar import WorkCalendar  # noqa: E402
from schedules.clock import TAIPEI, FixedClock  # noqa: E402
from storage import console_tokens, queries  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Office, ProgressReport, Status  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "demo" / "wenshan-113.ods"
OFFICES = 24
RUNS = 3
TARGET_SECONDS = 5.0
NOW = datetime(2024, 11, 15, 9, 0, tzinfo=TAIPEI)


def build(sessions) -> str:
    """Make the offices, their reports and a city viewer; return the viewer's sign-in token."""
    rng = random.Random(27)
    calendar = WorkCalendar()
    with sessions() as session:
        for n in range(OFFICES):
            import_plan(session, DEMO, 2024, NOW, office_name=f"第{n + 1:02d}戶政事務所", tracking_from=date(2024, 1, 1))
        for office in session.query(Office):
            plan = queries.plan_for(session, office.id, 2024)
            for item in queries.items_of_plan(session, plan.id):
                for occ in item_occurrences(item, 2024, calendar):
                    if occ.due < NOW.date() and rng.random() < 0.8:
                        at = datetime.combine(occ.due, datetime.min.time(), TAIPEI) + timedelta(days=rng.randint(-3, 4))
                        session.add(ProgressReport(item_id=item.id, occurrence_key=occ.key, status=Status.done, reported_at=at))
        viewer = city_viewers.add(session, "效能測試", "市府", NOW, "bench").viewer
        token = console_tokens.create_city_link(session, viewer, NOW, "bench")
        session.commit()
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    token = build(sessions)
    app = create_app(Runtime(url, engine, sessions, FixedClock(NOW), Settings()), SimulatorSender(), testing=True)
    client = app.test_client()
    assert client.post(f"/console/city/signin/{token}").status_code == 303
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get("/console/city/?month=10")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    median = statistics.median(times)
    print(f"city page, {OFFICES} offices of the demo plan with reports: median {median:.2f} s over {RUNS} runs"
          f" (min {min(times):.2f} s; about {median / OFFICES * 1000:.0f} ms an office, so 400 offices ≈ {median / OFFICES * 400:.0f} s);"
          f" target < {TARGET_SECONDS:.0f} s: {'met' if median < TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
