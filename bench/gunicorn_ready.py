"""Gunicorn settings for the benchmarks: each worker leaves a file once it has loaded the app.

gunicorn listens before its workers have imported the app (seconds on a busy machine), so a benchmark
that starts when the port opens times its first requests against the import.
"""

import os
from pathlib import Path


def post_worker_init(worker) -> None:
    folder = os.environ.get("BENCH_READY_DIR")
    if folder:
        Path(folder, str(worker.pid)).touch()
