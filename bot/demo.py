"""`make demo`: migrate the SQLite file, import the demo plan and staff, run the clock and the web app."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bot.cli import main as cli
from bot.clock import run_in_thread
from bot.demo_history import make_history
from bot.demo_review import make_review
from bot.demo_review import summary as review_summary
from bot.runtime import Runtime
from bot.settings import DEMO_ADDRESS, Settings
from bot.simulator_sender import SimulatorSender
from handlers.chat.console_link import link_for
from handlers.core.incoming import Context
from handlers.texts import cli as C
from schedules.clock import SystemClock
from schedules.dates import format_date
from storage import queries, scope
from storage.models import Office, Role

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"


@dataclass(frozen=True)
class DemoOffice:
    """One office of the demo: its plan, its staff and where it is (for the closure announcements)."""

    name: str
    plan: Path
    staff: Path
    county: str
    district: str


OFFICES = (
    DemoOffice("臺北市文山區戶政事務所", DEMO / "wenshan-113.ods", DEMO / "staff.csv", "臺北市", "文山區"),
    DemoOffice("臺北市大同區公所", DEMO / "datong-113.ods", DEMO / "staff-datong.csv", "臺北市", "大同區"),
)


def main() -> int:
    """Set up and serve the demo on http://127.0.0.1:5000 (or $PORT) with the simulator."""
    os.environ.update(environment(os.environ))
    port = os.environ["PORT"]
    year = _this_year()
    count = demo_offices(os.environ)
    if count is None:
        print(C.DEMO_OFFICES_BAD.format(most=len(OFFICES)), file=sys.stderr)
        return 2
    offices = OFFICES[:count]
    for args in steps(offices, year):
        code = cli(args)
        if code:
            print(f"示範資料準備失敗：planbot {' '.join(args)}", file=sys.stderr)
            return code
    for office in offices:
        _fill_history(office.name, year, several=count > 1)
    remember_address(os.environ["PUBLIC_URL"])
    _start_clock()
    print(C.DEMO_READY.format(url=f"http://127.0.0.1:{port}"))
    if count > 1:
        print(C.DEMO_OFFICES.format(count=count, names="、".join(o.name for o in offices)))
    for office in offices:
        signin = console_signin(office.name)
        if signin is not None:
            print(C.DEMO_CONSOLE.format(name=signin[0], url=signin[1], office=f" --office {office.name}" if count > 1 else ""))
    print(C.DEMO_TYPHOON.format(path=DEMO / "typhoon_night.json"))
    print(C.DEMO_WEBHOOK.format(url=f"http://127.0.0.1:{port}"))
    return cli(["serve", "--host", "127.0.0.1", "--port", port])


def demo_offices(env: Mapping[str, str]) -> int | None:
    """Return how many demo offices to load (PLANBOT_DEMO_OFFICES, 1 by default), or None when it is not 1 or 2."""
    text = (env.get("PLANBOT_DEMO_OFFICES") or "1").strip()
    if not text.isdigit() or not 1 <= int(text) <= len(OFFICES):
        return None
    return int(text)


def steps(offices: Sequence[DemoOffice], year: int) -> list[list[str]]:
    """Return the `planbot` commands that load the offices (each named: with two, no command may guess)."""
    out = [["db", "upgrade"]]
    for office in offices:
        # Tracked since the year's first day, with the history below filling it.
        out += [
            ["import", str(office.plan), "--year", str(year), "--tracking-from", f"{year}-01-01", "--office", office.name],
            ["staff", "import", str(office.staff), "--office", office.name],
            # Where the office is: a replayed typhoon night (demo/typhoon_night.json) closes 臺北市's days.
            ["office", "location", "--county", office.county, "--district", office.district, "--office", office.name],
        ]
    return out


def console_signin(office_name: str) -> tuple[str, str] | None:
    """Return the office's coordinator and a console sign-in link (10 minutes, once), as `planbot console link` does."""
    runtime = Runtime.from_settings(Settings.from_env())
    with runtime.sessions() as session:
        office = session.scalar(select(Office).where(Office.name == office_name))
        if office is None:
            return None
        scope.scope_to(session, office.id)
        people = queries.staff_of_office(session, office.id)
        coordinator = next((p for p in people if p.role is Role.coordinator and p.active), None)
        if coordinator is None:
            return None
        url = link_for(Context(session, runtime.clock, runtime.settings.handlers), coordinator, "demo")
        session.commit()
        return coordinator.name, url


def remember_address(public_url: str) -> None:
    """Note where the demo is served, so `planbot remind --at` in another terminal writes links to this port."""
    DEMO_ADDRESS.parent.mkdir(parents=True, exist_ok=True)
    DEMO_ADDRESS.write_text(public_url + "\n", encoding="utf-8")


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


def _fill_history(office_name: str, year: int, several: bool = False) -> None:
    """Give the demo office the reports its owners would have made up to today."""
    runtime = Runtime.from_settings(Settings.from_env())
    with runtime.sessions() as session:
        office = session.scalar(select(Office).where(Office.name == office_name))
        scope.scope_to(session, office.id)
        plan = queries.plan_for(session, office.id, year)
        now = runtime.clock.now()
        calendar = runtime.calendar(session)
        history = make_history(session, plan, calendar, now)
        review = None if history.skipped else make_review(session, plan, calendar, now)
        session.commit()
    if several:
        print(C.DEMO_OFFICE_HEAD.format(office=office_name))
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
