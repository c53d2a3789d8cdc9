"""Print what a PostgreSQL outage in the middle of a stream of messages does to the answers, and how fast they recover.

The events worker talks to PostgreSQL through a TCP proxy that is cut (every connection dropped, new ones
refused) for --outage seconds while messages keep coming, then restored. Printed: messages, answered, lost,
seconds from the database's return until every message was answered, and how long a message sent after the
return waited. Needs PostgreSQL: --database-url or TEST_DATABASE_URL (its tables are emptied).
Run: .venv/bin/python bench/bench_outage.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test_x
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.event_journal import EventJournal  # noqa: E402
from bot.events import Dispatcher  # noqa: E402
from bot.simulator_sender import SimulatorSender  # noqa: E402
from handlers.core.incoming import Settings  # noqa: E402
from schedules.clock import SystemClock  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Base, WebhookEvent  # noqa: E402
from tests.fakes import webhooks  # noqa: E402
from tests.fakes.tcp_proxy import TcpProxy  # noqa: E402


class SlowLine(SimulatorSender):
    """Takes replies and pushes as LINE does, after LINE's usual latency (so answers are in flight when it breaks)."""

    latency = 0.3

    def reply(self, reply_token, messages):
        time.sleep(self.latency)
        return super().reply(reply_token, messages)

    def push(self, to, messages, retry_key):
        time.sleep(self.latency)
        return super().push(to, messages, retry_key)


def unanswered(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(WebhookEvent).where(WebhookEvent.answered_at.is_(None))).scalar()


def answered(engine, event_id: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(WebhookEvent.answered_at).where(WebhookEvent.event_id == event_id)).scalar() is not None


def wait(predicate, limit: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--outage", type=float, default=20.0, help="seconds the database is away")
    parser.add_argument("--messages", type=int, default=120)
    parser.add_argument("--lease", type=float, default=10.0)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds LINE takes to answer a send")
    args = parser.parse_args()
    if not args.database_url:
        print("skipped: needs PostgreSQL (--database-url or TEST_DATABASE_URL)")
        return
    upgrade(args.database_url)
    direct = make_engine(args.database_url)
    with direct.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(t.name for t in Base.metadata.sorted_tables) + " RESTART IDENTITY CASCADE"))
    target = make_url(args.database_url)
    users = [webhooks.new_user_id() for _ in range(12)]
    journal = EventJournal(direct, lambda: datetime.now(UTC))
    with TcpProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        engine = make_engine(target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
        sender = SlowLine()
        sender.latency = args.latency
        worker = Dispatcher(session_factory(engine), SystemClock(), sender, Settings(), poll=0.2, lease=args.lease)
        worker.start()
        # A quarter of the messages before the outage, the rest while the database is away; then it returns.
        spacing = args.outage / (args.messages * 3 / 4)
        for n in range(args.messages):
            if n == args.messages // 4:
                proxy.cut()
            journal.record([webhooks.text_event(users[n % len(users)], "說明", timestamp=datetime.now(UTC))])
            worker.wake()
            time.sleep(spacing)
        proxy.restore()
        settled = wait(lambda: unanswered(direct) == 0, 180)
        late = [webhooks.text_event(user, "說明", timestamp=datetime.now(UTC)) for user in users]
        journal.record(late)  # every user writes again once the database is back
        worker.wake()
        after = wait(lambda: all(answered(direct, e["webhookEventId"]) for e in late), 60)
        left = unanswered(direct)
        worker.stop()
        worker.join(30)
        engine.dispose()
    direct.dispose()
    all_in = f"{settled:.1f} s" if settled is not None else "not within 180 s"
    print(f"database away {args.outage:.0f} s during {args.messages} messages from {len(users)} users "
          f"(lease {args.lease:.0f} s, LINE answering in {args.latency:.1f} s)")
    total = args.messages + len(users)
    print(f"  answered {total - left}/{total}, unanswered {left}")
    print(f"  every message answered {all_in} after the database came back")
    print(f"  a new message from each user after recovery: all answered within {after:.1f} s" if after is not None
          else "  a new message from each user after recovery: not all answered within 60 s")


if __name__ == "__main__":
    main()
