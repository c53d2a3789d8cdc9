"""Print how many copies people get when LINE takes replies without ever answering them (a hanging LINE).

30 messages, each reply held by the fake LINE API past the sender's timeout; for a share of them LINE has
already delivered the reply (the answer was lost on the way back), for the rest it dropped the request.
The events worker's wall clock is moved past its reply window instead of waiting. Printed: answers delivered
per message (replies and pushes), and how many messages got two.
Run: .venv/bin/python bench/bench_reply_hangs.py
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.event_journal import EventJournal  # noqa: E402
from bot.events import REPLY_WINDOW, Dispatcher  # noqa: E402
from bot.line_api import LineSender  # noqa: E402
from handlers.core.incoming import Settings  # noqa: E402
from schedules.clock import FixedClock  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.fakes import webhooks  # noqa: E402
from tests.fakes.line_api import FakeLineAPI  # noqa: E402

NOW = datetime(2024, 4, 8, 9, 0, tzinfo=ZoneInfo("Asia/Taipei"))
MESSAGES = 30
TOKEN = "bench-token"


class Wall:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, FakeLineAPI(access_token=TOKEN) as line:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        users = [webhooks.new_user_id() for _ in range(MESSAGES)]
        journal = EventJournal(engine, FixedClock(NOW).now)
        for n, user in enumerate(users):
            # One in three replies LINE delivers before its answer is lost; the others it drops unprocessed.
            line.fail_next(1, "timeout", when="after" if n % 3 == 0 else "before", path="/reply")
            journal.record([webhooks.text_event(user, "說明", reply_token=line.issue_reply_token(user),
                                                timestamp=NOW + timedelta(seconds=n))])
        wall = Wall()
        sender = LineSender(TOKEN, base_url=line.base_url, sleep=lambda _s: None, timeout=0.5, max_attempts=1)
        worker = Dispatcher(session_factory(engine), FixedClock(NOW), sender, Settings(), wall=wall, threads=4)
        rounds = 0
        while worker.drain() or rounds < 2:
            rounds += 1
            wall.now += REPLY_WINDOW + 1
        copies = Counter(d.recipient for d in line.delivered) + Counter(r.recipient for r in line.replied)
        got = [copies.get(user, 0) for user in users]
        print(f"{MESSAGES} messages, every reply hanging past the {sender.timeout:.1f} s timeout "
              f"({sum(1 for n in range(MESSAGES) if n % 3 == 0)} of them delivered by LINE before its answer was lost)")
        print(f"  replies delivered {len(line.replied)}, pushes delivered {len(line.delivered)}")
        print(f"  messages answered once {got.count(1)}, twice or more {sum(1 for g in got if g > 1)}, never {got.count(0)}")
        worker.shutdown()
        engine.dispose()


if __name__ == "__main__":
    main()
