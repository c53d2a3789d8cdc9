"""Post signed text-message webhooks to the app under gunicorn and to a bare Flask endpoint; print both.

Run: .venv/bin/python bench/bench_webhook.py [--requests 3000] [--rounds 3] [--concurrency 8] [--database-url URL]
The web process runs as the Procfile has it (PLANBOT_EVENT_WORKER=separate: it verifies, records and
acknowledges); then `planbot events` answers what was recorded, and its rate is printed too. The webhook's
throughput should be at least 80% of the bare endpoint's on the same machine on PostgreSQL, half on SQLite.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app: str, env: dict, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    """Start gunicorn and return once every worker has loaded the app."""
    port = free_port()
    ready = tempfile.mkdtemp(prefix="bench-ready-")
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
           "--worker-class", "gthread", "--log-level", "warning", "--config", str(ROOT / "bench" / "gunicorn_ready.py"), app]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**env, "BENCH_READY_DIR": ready})
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if len(os.listdir(ready)) >= workers:
                return proc, port
            time.sleep(0.1)
    finally:
        shutil.rmtree(ready, ignore_errors=True)
    proc.kill()
    raise RuntimeError(f"{app} did not start")


def body(user: str, n: int) -> bytes:
    event = {
        "type": "message", "mode": "active", "timestamp": 1712538000000 + n,
        "source": {"type": "user", "userId": user}, "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False}, "replyToken": uuid.uuid4().hex,
        "message": {"type": "text", "id": str(n), "quoteToken": "q", "text": "本週"},
    }
    return json.dumps({"destination": "Ubench", "events": [event]}).encode()


def load(port: int, total: int, concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    lock = threading.Lock()
    per = total // concurrency

    def worker(w: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        for n in range(per):
            raw = body(f"U{w:032x}", n)
            sig = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
            t0 = time.perf_counter()
            conn.request("POST", "/callback", raw, {"Content-Type": "application/json", "X-Line-Signature": sig})
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - t0)
            if resp.status != 200:
                raise RuntimeError(f"status {resp.status}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - t0), latencies


def wait_until_answered(url: str, expected: int, since: datetime, limit: float = 120.0) -> float:
    """Wait until every event recorded since then is handled; return how long that took."""
    from sqlalchemy import func, select

    from storage.db import make_engine
    from storage.models import WebhookEvent

    engine = make_engine(url)
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < limit:
            with engine.connect() as conn:
                handled = conn.scalar(select(func.count()).where(WebhookEvent.handled_at.is_not(None),
                                                                 WebhookEvent.received_at >= since))
            if handled >= expected:
                return time.monotonic() - t0
            time.sleep(0.2)
    finally:
        engine.dispose()
    raise RuntimeError(f"only {handled} of {expected} events answered after {limit:.0f} s")


def report(name: str, rps: float, lat: list[float], cpu: float | None = None) -> None:
    lat = sorted(lat)
    p50, p99 = statistics.median(lat) * 1000, lat[int(len(lat) * 0.99) - 1] * 1000
    used = f"   server CPU {cpu * 1e6:4.0f} us/request" if cpu is not None else ""
    print(f"{name:<22} {rps:8.0f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms{used}   ({len(lat)} requests)")


def worker_cpu(master: subprocess.Popen) -> float:
    """Return the CPU seconds the master's workers have used so far."""
    total = 0.0
    for pid in subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout.split():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def commit_latency(db: str, samples: int = 200) -> float | None:
    """Return the median seconds PostgreSQL takes now to commit a one-row INSERT (its flush to disk).

    No request can be acknowledged sooner: it is the webhook's floor, and it moves with the disk's other work.
    """
    if not db.startswith("postgresql"):
        return None
    from storage.db import make_engine

    engine = make_engine(db)
    times = []
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bench_commit_probe (n integer)")
            for n in range(samples):
                started = time.perf_counter()
                conn.exec_driver_sql("INSERT INTO bench_commit_probe VALUES (%s)", (n,))
                times.append(time.perf_counter() - started)
            conn.exec_driver_sql("DROP TABLE bench_commit_probe")
    finally:
        engine.dispose()
    return statistics.median(times)


def print_commit_floor(db: str, concurrency: int) -> None:
    latency = commit_latency(db)
    if latency is not None:
        print(f"PostgreSQL commits a one-row INSERT in {latency * 1000:.2f} ms now (median): {concurrency} clients "
              f"waiting on commits get at most about {concurrency / latency:.0f} req/s")


def compare(db: str, workers: int, threads: int, requests: int, concurrency: int, rounds: int) -> dict:
    """Load the bare endpoint and planbot's webhook in alternating rounds; return each one's median round.

    Other work on the machine comes and goes: alternating rounds exposes both servers to the same
    moments, and the median round of each is compared.
    """
    env = {**os.environ, "DATABASE_URL": db, "LINE_CHANNEL_SECRET": SECRET, "PUBLIC_URL": "https://bench.invalid",
           # As the Procfile runs it: the web process records and acknowledges, `planbot events` answers.
           "PLANBOT_EVENT_WORKER": "separate"}
    env.pop("LINE_CHANNEL_ACCESS_TOKEN", None)
    servers = {}
    try:
        for name, app in (("bare Flask endpoint", "bench.bare_app:create_app()"), ("planbot /callback", "bot.wsgi:app")):
            servers[name] = start(app, env, workers, threads)
            load(servers[name][1], 200, concurrency)  # warm-up
        runs: dict[str, list] = {name: [] for name in servers}
        for _ in range(rounds):
            for name, (proc, port) in servers.items():
                before = worker_cpu(proc)
                rps, lat = load(port, requests, concurrency)
                runs[name].append((rps, lat, (worker_cpu(proc) - before) / len(lat)))
    finally:
        for proc, _port in servers.values():
            proc.terminate()
            proc.wait(10)
    return {name: sorted(results, key=lambda r: r[0])[len(results) // 2] for name, results in runs.items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=3000, help="requests per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 1 on SQLite, 2 otherwise)")
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                    help="database for the webhook (default: a fresh SQLite file)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.database_url or f"sqlite:///{tmp}/bench.db"
        env = {**os.environ, "DATABASE_URL": db}
        subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        # SQLite has one writer at a time: a single worker process with threads avoids lock waits between
        # processes, and is how an SQLite deployment should run; PostgreSQL takes several workers.
        workers = args.workers or (1 if db.startswith("sqlite") else 2)
        print(f"gunicorn: {workers} worker(s) x {args.threads} threads, database {db.split(':')[0]}, "
              f"{args.rounds} alternating rounds of {args.requests} requests, the median round of each shown")
        since = datetime.now(UTC)
        results = compare(db, workers, args.threads, args.requests, args.concurrency, args.rounds)
        print_commit_floor(db, args.concurrency)
        for name, (rps, lat, cpu) in results.items():
            report(name, rps, lat, cpu)
        # The web process and `planbot events` are measured one after the other, so each figure is the
        # component's own on this machine.
        sent = args.requests // args.concurrency * args.concurrency  # load() splits them evenly
        total = sent * args.rounds + 200 // args.concurrency * args.concurrency
        answering = subprocess.Popen([sys.executable, "-m", "bot.cli", "events"], cwd=ROOT,
                                     env={**env, "LINE_CHANNEL_SECRET": SECRET}, stdout=subprocess.DEVNULL)
        try:
            took = wait_until_answered(db, total, since, limit=600)
        finally:
            answering.terminate()
            answering.wait(10)
        print(f"`planbot events` then answered all {total} recorded events in {took:.1f} s ({total / took:.0f} events/s)")
        ratio = results["planbot /callback"][0] / results["bare Flask endpoint"][0]
        # SQLite's target stays at half: one writer at a time, a single worker process.
        target = 0.8 if db.startswith("postgresql") else 0.5
        print(f"webhook throughput is {ratio:.0%} of the bare endpoint's (target: at least {target:.0%})")
        return 0 if ratio >= target else 1


if __name__ == "__main__":
    sys.exit(main())
