"""The clock process's edges: the LINE sender (or an outbox without a token), render, and the entry point."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.runtime import Runtime
from schedules.clock import Clock, FixedClock, parse_moment
from schedules.deliveries import Sender, SendOutcome
from schedules.leader import RunLock
from schedules.scheduler import Clockwork, RunReport, run_clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxResult:
    """The answer of an outbox push, shaped like LineSender's."""

    ok: bool = True
    status: int = 200
    duplicate: bool = False
    error: str | None = None


class LogOutbox:
    """Without a LINE token: log each push and accept it (the payload stays in the deliveries table)."""

    def push(self, to: str, messages: list, retry_key: str) -> OutboxResult:
        """Log the push and report it accepted."""
        log.info("outbox: %d message(s) to %s (retry key %s)", len(messages), to, retry_key)
        return OutboxResult()


def outcome(result) -> SendOutcome:
    """Map a LineSender result to what the deliveries table needs: sent, retry later, or failed for good."""
    if result.ok or getattr(result, "duplicate", False):
        return SendOutcome(True)
    status = getattr(result, "status", None)
    retry = status is None or status == 429 or status >= 500
    return SendOutcome(False, retry, f"{status}: {getattr(result, 'error', '')}")


def pushing_through(client) -> Sender:
    """Return a Sender that renders our replies and pushes them with the client (LineSender or an outbox)."""
    from bot.render import render

    def send(to: str, replies: list, retry_key: str) -> SendOutcome:
        return outcome(client.push(to, render(replies), retry_key))

    return send


def line_sender(env: Mapping[str, str]):
    """Return a LineSender when LINE_CHANNEL_ACCESS_TOKEN is set, else None."""
    token = env.get("LINE_CHANNEL_ACCESS_TOKEN")
    if not token:
        return None
    from bot.line_api import LineSender

    timeout = float(env.get("PLANBOT_PUSH_TIMEOUT") or 10)
    return LineSender(token, base_url=env.get("LINE_API_BASE") or None, timeout=timeout)


def sender_from_env(env: Mapping[str, str], outbox=None) -> Sender:
    """Return the real LINE sender when LINE_CHANNEL_ACCESS_TOKEN is set, else the outbox."""
    client = line_sender(env)
    if client is not None:
        return pushing_through(client)
    if outbox is None:
        outbox = _default_outbox(env)
    return pushing_through(outbox)


def quota_check(env: Mapping[str, str]):
    """Return a check of LINE's monthly quota for n pushes, or None without a LINE channel."""
    client = line_sender(env)
    if client is None:
        return None
    from bot.line_api import QuotaGuard

    return QuotaGuard(client.quota, reserve=int(env.get("PLANBOT_QUOTA_RESERVE") or 0)).can_send


def _default_outbox(env: Mapping[str, str]):
    if env.get("PLANBOT_SIMULATOR") == "1":
        # The simulator shows pushed digests from the deliveries table, whichever process sent them.
        return LogOutbox()
    log.warning("LINE_CHANNEL_ACCESS_TOKEN is not set: pushes go to the log only (kept in the deliveries table)")
    return LogOutbox()


def export_link(env: Mapping[str, str]):
    """Return the function that makes the compiled round's export link, when the conversation side offers one."""
    try:
        from handlers.exports import create_export_link
    except ImportError:
        return None
    from handlers.incoming import Settings
    from storage.models import Office, Section

    settings = Settings.from_env(env)

    def link(session: Session, office_id: int, section_id: int | None, month: date, now: datetime) -> str | None:
        office = session.get(Office, office_id)
        section = session.get(Section, section_id) if section_id else None
        made = create_export_link(session, office, now, settings, section=section, month=month)
        return getattr(made, "url", made)

    return link


def clockwork(runtime: Runtime, clock: Clock | None = None, outbox=None) -> Clockwork:
    """Return the clock's jobs wired to the runtime's database and the sender of its environment."""
    return Clockwork(
        sessions=runtime.sessions,
        clock=clock or runtime.clock,
        send=sender_from_env(runtime.env, outbox),
        lock=RunLock(runtime.engine),
        export_link=export_link(runtime.env),
        quota=quota_check(runtime.env),
    )


def report_json(report: RunReport) -> dict:
    """Return a run report as plain data."""
    data = asdict(report)
    data["morning"] = report.morning.isoformat()
    data["missed"] = [d.isoformat() for d in report.missed]
    return data


def serve(runtime: Runtime, once: bool = False, at: datetime | None = None, outbox=None) -> int:
    """Run the clock: one morning run and exit (`once`), or the scheduler until stopped."""
    logging.basicConfig(
        level=runtime.env.get("PLANBOT_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    work = clockwork(runtime, FixedClock(at) if at else None, outbox)
    if once:
        report = work.morning()
        print(json.dumps(report_json(report), ensure_ascii=False), flush=True)
        return 0 if not report.sent.failed else 1
    try:
        run_clock(work, blocking=True)
    except (KeyboardInterrupt, SystemExit):
        log.info("clock stopped")
    return 0


def run_in_thread(outbox=None) -> None:
    """Run the clock in the calling thread from the environment (the demo starts it beside the web app)."""
    serve(Runtime.from_env(), outbox=outbox)


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    """Run the clock process (`python -m schedules`, `planbot clock`, Procfile `clock:`); env adds to os.environ."""
    parser = argparse.ArgumentParser(prog="python -m schedules", description="planbot 提醒排程程序")
    parser.add_argument("--once", action="store_true", help="只執行一次早上的提醒後結束")
    parser.add_argument("--at", help="假裝現在是這個時間（例：2024-04-08T08:30），用於測試與示範")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    merged = {**os.environ, **(env or {})}
    at = parse_moment(args.at) if args.at else None
    return serve(Runtime.from_env(args.database_url, env=merged), once=args.once, at=at)


if __name__ == "__main__":
    sys.exit(main())
