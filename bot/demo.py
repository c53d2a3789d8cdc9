"""`make demo`: migrate the SQLite file, import the demo plan and staff, run the clock and the web app."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

from bot.cli import main as cli
from bot.clock import run_in_thread
from bot.demo_history import make_history
from bot.demo_review import make_review
from bot.demo_review import summary as review_summary
from bot.runtime import Runtime
from bot.settings import Settings
from bot.simulator_sender import SimulatorSender
from handlers.texts import cli as C
from schedules.clock import SystemClock
from schedules.dates import format_date
from storage import queries

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"


def main() -> int:
    """Set up and serve the demo on http://127.0.0.1:5000 (or $PORT) with the simulator."""
    os.environ.update(environment(os.environ))
    port = os.environ["PORT"]
    year = _this_year()
    steps = [
        ["db", "upgrade"],
        # Tracked since the year's first day, with the history below filling it.
        ["import", str(DEMO / "wenshan-113.ods"), "--year", str(year), "--tracking-from", f"{year}-01-01"],
        ["staff", "import", str(DEMO / "staff.csv")],
        # The demo office is in 臺北市文山區: a replayed typhoon night (demo/typhoon_night.json) closes its days.
        ["office", "location", "--county", "臺北市", "--district", "文山區"],
    ]
    for args in steps:
        code = cli(args)
        if code:
            print(f"示範資料準備失敗：planbot {' '.join(args)}", file=sys.stderr)
            return code
    _fill_history(year)
    _start_clock()
    print(f"\n示範已就緒：請用瀏覽器開啟 http://127.0.0.1:{port}/simulator （選一位同仁，輸入「說明」或「本月」）")
    print(f"LINE webhook：http://127.0.0.1:{port}/callback　按 Ctrl+C 結束。")
    print(C.DEMO_TYPHOON.format(path=DEMO / "typhoon_night.json") + "\n")
    return cli(["serve", "--host", "127.0.0.1", "--port", port])


def environment(env: Mapping[str, str]) -> dict[str, str]:
    """Return the demo's settings: its SQLite file, the simulator, and links to the port it serves on ($PORT, 5000)."""
    port = env.get("PORT") or "5000"
    return {
        "PORT": port,
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{ROOT / 'instance' / 'planbot.db'}",
        "PLANBOT_SIMULATOR": "1",
        # The demo reads no announcements from the internet unless asked to; `planbot calendar feed replay` shows them.
        "PLANBOT_CLOSURE_FEED_URL": env.get("PLANBOT_CLOSURE_FEED_URL") or "off",
        # Download and sign-in links point where the demo is served, unless PUBLIC_URL says otherwise.
        "PUBLIC_URL": env.get("PUBLIC_URL") or f"http://127.0.0.1:{port}",
    }


def _this_year() -> int:
    return SystemClock().now().year


def _fill_history(year: int) -> None:
    """Give the demo office the reports its owners would have made up to today."""
    runtime = Runtime.from_settings(Settings.from_env())
    with runtime.sessions() as session:
        plan = queries.plan_for(session, queries.only_office(session).id, year)
        now = runtime.clock.now()
        history = make_history(session, plan, runtime.calendar(session), now)
        review = None if history.skipped else make_review(session, plan, runtime.calendar(session), now)
        session.commit()
    if history.skipped:
        print(C.DEMO_HISTORY_KEPT)
    else:
        print(C.DEMO_HISTORY.format(today=format_date(now.date()), reports=history.reports, on_time=history.on_time,
                                    late=history.late, in_progress=history.in_progress))
        if review is not None and review.month is not None:
            print(review_summary(review))


def _start_clock() -> None:
    """Run the reminder clock in this process so the simulator shows pushes (production runs it apart)."""
    runtime = Runtime.from_settings(Settings.from_env())
    # Through the simulator's recording sender (the web app's too), so pushes show in the chats as they are sent.
    threading.Thread(target=run_in_thread, args=(runtime, SimulatorSender.shared()), name="planbot-clock",
                     daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
