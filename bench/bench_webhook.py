"""Post signed text-message webhooks to the app under gunicorn and to a bare Flask endpoint; print both.

Run: .venv/bin/python bench/bench_webhook.py [--requests 3000] [--rounds 3] [--concurrency 8] [--database-url URL]
The web process runs as the Procfile has it (PLANBOT_EVENT_WORKER=separate: it verifies, records and
acknowledges); then `planbot events` answers what was recorded, and its rate is printed too. The webhook's
throughput should be at least 80% of the bare endpoint's on the same machine on PostgreSQL, half on SQLite.
On PostgreSQL a third server runs beside them, the bare endpoint plus one committed INSERT (the least a webhook
that keeps what it acknowledges does), and each process's CPU a request is printed: where the time goes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import resource
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

from bare_app import FLOOR_TABLE  # beside this script: the yardsticks gunicorn serves
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"
TARGET = 0.8  # PostgreSQL: the webhook's throughput against the bare endpoint's
BARE, FLOOR, PLANBOT = "bare Flask endpoint", "bare Flask + 1 commit", "planbot /callback"


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
    pids = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout.split()
    return sum(process_cpu(Path(f"/proc/{pid}/stat")) or 0.0 for pid in pids)


def postgres_cpu() -> float | None:
    """Return the CPU seconds PostgreSQL's processes on this machine have used so far (None: it runs elsewhere)."""
    found = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split()
    if not found:
        return None
    # With the children's time: a backend that exited during the round is counted in the postmaster's.
    return sum(process_cpu(Path(f"/proc/{pid}/stat"), children=True) or 0.0 for pid in found)


def own_cpu() -> float:
    """Return the CPU seconds this process (the load generator) has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def commit_probe(db: str, samples: int = 400) -> tuple[float, float | None] | None:
    """Return the median seconds PostgreSQL takes now to commit a one-row INSERT (its flush to disk), and the CPU
    seconds its server process spent on each (None when PostgreSQL runs on another machine).

    No request can be acknowledged sooner: the time is the webhook's floor, and it moves with the disk's other
    work. The CPU is what each durable commit costs the machine, whatever the web process does.
    """
    if not db.startswith("postgresql"):
        return None
    from storage.db import make_engine

    engine = make_engine(db)
    times = []
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bench_commit_probe (n integer)")
            server = Path(f"/proc/{conn.exec_driver_sql('SELECT pg_backend_pid()').scalar()}/stat")
            cpu_before = process_cpu(server)
            for n in range(samples):
                started = time.perf_counter()
                conn.exec_driver_sql("INSERT INTO bench_commit_probe VALUES (%s)", (n,))
                times.append(time.perf_counter() - started)
            cpu_after = process_cpu(server)
            conn.exec_driver_sql("DROP TABLE bench_commit_probe")
    finally:
        engine.dispose()
    cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / samples
    return statistics.median(times), cpu


def process_cpu(stat: Path, children: bool = False) -> float | None:
    """Return the CPU seconds of a process of this machine, by its /proc stat file (None: not here); `children`
    adds those of its children that have exited."""
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = sum(int(f) for f in fields[11:15 if children else 13])
    return ticks / os.sysconf("SC_CLK_TCK")


def print_commit_floor(db: str, concurrency: int) -> None:
    probe = commit_probe(db)
    if probe is None:
        return
    latency, cpu = probe
    print(f"PostgreSQL commits a one-row INSERT in {latency * 1000:.2f} ms now (median): {concurrency} clients "
          f"waiting on commits get at most about {concurrency / latency:.0f} req/s")
    if cpu is not None:
        print(f"PostgreSQL's own CPU for each such commit (its server process, the flush included): {cpu * 1e6:.0f} us")


def floor_table(db: str, create: bool) -> None:
    """Make (or drop) the table the committing yardstick writes to."""
    from storage.db import make_engine

    engine = make_engine(db)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
            if create:
                conn.exec_driver_sql(f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, body text NOT NULL)")
    finally:
        engine.dispose()


def compare(db: str, workers: int, threads: int, requests: int, concurrency: int, rounds: int) -> dict:
    """Load the bare endpoint and planbot's webhook in alternating rounds; return each one's median round.

    Other work on the machine comes and goes: alternating rounds exposes both servers to the same
    moments, and the median round of each is compared.
    """
    env = {**os.environ, "DATABASE_URL": db, "LINE_CHANNEL_SECRET": SECRET, "PUBLIC_URL": "https://bench.invalid",
           # As the Procfile runs it: the web process records and acknowledges, `planbot events` answers.
           "PLANBOT_EVENT_WORKER": "separate"}
    env.pop("LINE_CHANNEL_ACCESS_TOKEN", None)
    apps = [(BARE, "bench.bare_app:create_app()"), (PLANBOT, "bot.wsgi:app")]
    if db.startswith("postgresql"):
        env["BENCH_PSYCOPG_URL"] = make_url(db).set(drivername="postgresql").render_as_string(hide_password=False)
        apps.insert(1, (FLOOR, "bench.bare_app:create_committing_app()"))
        floor_table(db, create=True)
    servers = {}
    try:
        for name, app in apps:
            servers[name] = start(app, env, workers, threads)
            load(servers[name][1], 200, concurrency)  # warm-up
        runs: dict[str, list] = {name: [] for name in servers}
        for _ in range(rounds):
            for name, (proc, port) in servers.items():
                before, pg_before, mine_before = worker_cpu(proc), postgres_cpu(), own_cpu()
                rps, lat = load(port, requests, concurrency)
                pg_after = postgres_cpu()
                pg = None if pg_before is None or pg_after is None else (pg_after - pg_before) / len(lat)
                runs[name].append((rps, lat, (worker_cpu(proc) - before) / len(lat), pg, (own_cpu() - mine_before) / len(lat)))
    finally:
        for proc, _port in servers.values():
            proc.terminate()
            proc.wait(10)
        if db.startswith("postgresql"):
            floor_table(db, create=False)
    return {name: sorted(results, key=lambda r: r[0])[len(results) // 2] for name, results in runs.items()}


def where_the_time_goes(results: dict) -> None:
    """Print each server's CPU a request on this machine, by process, and what 80% of the bare rate leaves for the rest.

    The load generator, the web workers and PostgreSQL share this machine's cores, and both servers keep them
    busy: the rates then stand in the inverse ratio of the CPU each request costs the whole machine.
    """
    totals = {}
    for name, (_rps, _lat, workers, pg, mine) in results.items():
        parts = [("web workers", workers), ("PostgreSQL", pg), ("load generator", mine)]
        shown = [(label, v) for label, v in parts if v is not None and (label != "PostgreSQL" or v > 0.000005)]
        totals[name] = sum(v for _label, v in shown)
        print(f"CPU a request, {name}: " + " + ".join(f"{label} {v * 1e6:.0f}" for label, v in shown)
              + f" = {totals[name] * 1e6:.0f} us")
    bare, ours = totals.get(BARE), totals.get(PLANBOT)
    if bare and ours:
        print(f"at 80% of the bare rate a request may cost the machine {bare / 0.8 * 1e6:.0f} us in all "
              f"({(bare / 0.8 - bare) * 1e6:.0f} us more than the bare endpoint's); planbot's costs "
              f"{(ours - bare) * 1e6:.0f} us more")


def show(db: str, results: dict, concurrency: int) -> str:
    """Print the rounds' figures and where the time goes; return the verdict line (printed last by the caller)."""
    print_commit_floor(db, concurrency)
    for name, (rps, lat, cpu, _pg, _mine) in results.items():
        report(name, rps, lat, cpu)
    where_the_time_goes(results)
    ratio = results[PLANBOT][0] / results[BARE][0]
    if FLOOR in results:
        floor = results[FLOOR][0] / results[BARE][0]
        print(f"the bare endpoint plus one committed INSERT (the least a webhook that keeps what it acknowledges does) "
              f"reaches {floor:.0%} of the bare endpoint's throughput; planbot reaches {ratio / floor:.0%} of that")
    # SQLite's target stays at half: one writer at a time, a single worker process.
    target = TARGET if db.startswith("postgresql") else 0.5
    return f"webhook throughput is {ratio:.0%} of the bare endpoint's (target: at least {target:.0%})"


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
        shown = show(db, results, args.concurrency)
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
        print(shown)
        ratio = results[PLANBOT][0] / results[BARE][0]
        target = TARGET if db.startswith("postgresql") else 0.5
        return 0 if ratio >= target else 1


if __name__ == "__main__":
    sys.exit(main())
