"""`make demo`: migrate the SQLite file, import the demo plan and staff, run the clock and the web app."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from bot.cli import main as cli
from bot.clock import run_in_thread
from bot.runtime import Runtime
from bot.settings import Settings
from schedules.clock import SystemClock

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"


def main() -> int:
    """Set up and serve the demo on http://127.0.0.1:5000 with the simulator."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'planbot.db'}")
    os.environ["PLANBOT_SIMULATOR"] = "1"
    year = _this_year()
    steps = [
        ["db", "upgrade"],
        ["import", str(DEMO / "wenshan-113.ods"), "--year", str(year)],
        ["staff", "import", str(DEMO / "staff.csv")],
    ]
    for args in steps:
        code = cli(args)
        if code:
            print(f"示範資料準備失敗：planbot {' '.join(args)}", file=sys.stderr)
            return code
    _start_clock()
    port = os.environ.get("PORT", "5000")
    print(f"\n示範已就緒：請用瀏覽器開啟 http://127.0.0.1:{port}/simulator （選一位同仁，輸入「說明」或「本月」）")
    print(f"LINE webhook：http://127.0.0.1:{port}/callback　按 Ctrl+C 結束。\n")
    return cli(["serve", "--host", "127.0.0.1", "--port", port])


def _this_year() -> int:
    return SystemClock().now().year


def _start_clock() -> None:
    """Run the reminder clock in this process so the simulator shows pushes (production runs it apart)."""
    runtime = Runtime.from_settings(Settings.from_env())
    threading.Thread(target=run_in_thread, args=(runtime,), name="planbot-clock", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
