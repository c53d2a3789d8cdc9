"""Print how long the console's plan preview takes on a 10 MB CSV (56,000 rows) and on a 5,000-row plan, with its bounds.

The preview runs in a web worker's thread, so it is bounded (bot/console/import_pages.py: PREVIEW_MAX_ROWS plan
rows, PREVIEW_SECONDS for reading the schedules); this shows what the bounds cost and save.
Run: .venv/bin/python bench/bench_import_preview.py
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.console.import_pages import PREVIEW_MAX_ROWS, PREVIEW_SECONDS  # noqa: E402
from handlers.office.imports.plan import ImportFailed, import_plan  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

NOW = datetime(2024, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))


def write_plan(path: Path, rows: int) -> int:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["編號", "課室", "計畫項目", "工作內容", "承辦人", "預定作業時程"])
        for n in range(rows):
            out.writerow([str(n + 1), f"第{n % 5}課", f"項目{n}", "門牌月報表每月5日前陳報，報表正確無誤，" * 3, f"人員{n % 40}", "每月5日前"])
    return path.stat().st_size


def preview(session, path: Path, bounded: bool) -> tuple[float, str]:
    deadline = time.monotonic() + PREVIEW_SECONDS
    limits = {"max_rows": PREVIEW_MAX_ROWS, "time_left": lambda: time.monotonic() < deadline} if bounded else {}
    start = time.monotonic()
    try:
        import_plan(session, path, 2024, NOW, dry_run=True, **limits)
        outcome = "previewed"
    except ImportFailed as failed:
        outcome = "; ".join(p.message for p in failed.report.fatal)[:70] or "refused"
    return time.monotonic() - start, outcome


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        session = session_factory(make_engine(url))()
        for rows, bounded in ((56_000, False), (56_000, True), (PREVIEW_MAX_ROWS, True)):
            path = Path(folder) / f"plan-{rows}.csv"
            size = write_plan(path, rows)
            seconds, outcome = preview(session, path, bounded)
            label = "bounded" if bounded else "unbounded"
            print(f"{rows:>6} rows {size / 1e6:5.1f} MB {label:>9}: {seconds:6.2f} s  {outcome}")


if __name__ == "__main__":
    main()
