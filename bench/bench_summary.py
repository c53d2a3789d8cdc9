"""Time 摘要 (the card) and `planbot summary --json` for a 300-item office with a year of reports (target: < 200 ms).

Uses the 300-item plan of bench_console.py on a fresh SQLite database (or `--database-url`) and times, for the
whole office and for one section, the year so far and one month: counting every occurrence with the status
model, then the card (摘要) or the JSON (`summary --json`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_console import NOW, build  # noqa: E402 - after the path fix so the script runs from anywhere
from handlers.chat.summaries import period_of, summarize, summary_card  # noqa: E402
from schedules.plan_inputs import calendar_of  # noqa: E402
from storage import queries  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

RUNS = 9
TARGET_SECONDS = 0.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade(url)
    sessions = session_factory(make_engine(url))
    build(sessions)
    today = NOW.date()
    with sessions() as session:
        office = queries.only_office(session)
        plan = queries.plan_for(session, office.id, today.year)
        section = queries.sections_of(session, office.id)[0]
        cases = [("全所 year so far, card", None, None, "card"), ("全所 11月, JSON", None, 11, "json"),
                 (f"{section.name} year so far, card", section, None, "card"), (f"{section.name} 11月, JSON", section, 11, "json")]
        for name, sec, month, shape in cases:
            times = []
            for _ in range(RUNS):
                session.expire_all()
                start = time.perf_counter()
                first, last = period_of(plan.year, month, today)
                result = summarize(session, plan, sec, first, last, today, calendar_of(session))
                if shape == "card":
                    summary_card(result, "逾期")
                else:
                    json.dumps(result.to_json(), ensure_ascii=False)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            print(f"摘要 {name}: {result.counts.due} occurrences due; median {median * 1000:.0f} ms over {RUNS} runs"
                  f" (min {min(times) * 1000:.0f} ms); target < {TARGET_SECONDS * 1000:.0f} ms:"
                  f" {'met' if median < TARGET_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
