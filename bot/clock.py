"""The clock process (`planbot clock`): three fixed APScheduler jobs around one morning run, and catch-up when started late.

Jobs (never one per reminder):
- `morning` at 08:30 Asia/Taipei: plan the day's digests (due dates and the monthly round together,
  so a person still gets one message a morning) and write them, both in `bot/morning.run`; then push them.
  Rest days do nothing.
- `tend` every 5 minutes in push hours (and it sends the notices conversations queued and left unsent): run the morning if it has not run yet today (a clock started
  at 11:00, or a standby clock whose leader died), resend what is still unsent, and send the one-off
  reminders team leads asked for from 未回報 (`handlers/chat/nudges.py`). At any hour it
  deletes the export files whose links expired (or were used), so none outlives its link by long, and reads the
  DGPA's closure announcements when due (every 5 minutes from 17:00 to 09:00 while the county has an alert,
  else hourly; `bot/closure_feed.py`), so a closure's notices go out in the same round. The morning reads it first.
- `housekeeping` at night: expire unsent digests of past mornings and prune old ones. It pushes nothing.
Every job runs under the run lock, so two clock processes never both send. The process's edges (the LINE
sender or the log outbox, LINE's quota, the export link) are wired here by `clockwork`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as day_time

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from bot import deliveries, morning, push_budget
from bot.channels import Channels, SendersByOffice, office_channels
from bot.closure_feed import FeedClient, FeedWatch
from bot.line_api import QuotaGuard
from bot.morning import ExportLink
from bot.run_lock import RunLock
from bot.runtime import Runtime
from handlers.chat.held_reminders import prune as prune_held
from handlers.core.incoming import Settings as HandlerSettings
from handlers.core.replies import Text
from handlers.documents import exports, review_documents
from handlers.texts import reminders as T
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI, Clock, FixedClock
from schedules.dates import format_date
from schedules.plan_inputs import calendar_of
from schedules.planner import OfficeData, Planner
from storage import scope
from storage.closure_feed import prune_checks
from storage.db import unit_of_work
from storage.models import Office, Role, Staff
from storage.outbox import Kind, retry_key_for

log = logging.getLogger(__name__)

LOCK_WAIT = 600.0  # a scheduled morning waits this long for another clock's run to finish
KEEP_DAYS = 400
FEED_CHECKS_DAYS = 30  # readings of the closure feed kept (what they decided is kept with the closures)


@dataclass(frozen=True)
class ClockTimes:
    """When the clock process may push (one setting for the whole process, not per office)."""

    morning: day_time = day_time(8, 30)
    push_until: day_time = day_time(18, 0)  # nothing is pushed after this (or before the morning run)
    expire_hours: int = 24  # an unsent delivery older than this is never sent as if new


class MorningIncomplete(RuntimeError):
    """Some offices' mornings could not be planned (logged with why); the others' digests were written and sent."""

    def __init__(self, offices: list[int | None]) -> None:
        super().__init__(f"the morning of {len(offices)} office(s) could not be planned (office ids {offices}); "
                         "the catch-up tries again")
        self.offices = offices


@dataclass
class RunReport:
    """What one run did (printed by `planbot remind` and logged by the clock)."""

    morning: date
    skipped: str = ""
    planned: int = 0
    written: int = 0
    unreachable: int = 0
    expired: int = 0
    missed: list[date] = field(default_factory=list)
    mode: str = "normal"  # budget: the month's quota is short and the push budget decided
    pushes: int = 0  # pushes of the quota this morning takes
    held: int = 0  # lines not pushed, kept for the person's next reply
    warned: bool = False  # a quota warning was queued this morning
    sent: deliveries.SendReport = field(default_factory=deliveries.SendReport)
    nudges: deliveries.SendReport = field(default_factory=deliveries.SendReport)  # one-off reminders (tend)


def _add_morning(report: RunReport, written: morning.Written) -> None:
    """Add one office's morning to the run's report (a single office's morning is the whole report)."""
    decided = written.plan.decision
    report.expired += written.expired
    report.missed = sorted(set(report.missed) | set(written.plan.missed))
    report.planned += len(written.plan.planned)
    report.mode = decided.mode if report.mode == "normal" else report.mode
    report.pushes += decided.cost
    report.unreachable += len(decided.unreachable)
    report.written += written.written
    report.held += written.held
    report.warned |= written.warned


@dataclass
class Clockwork:
    """The jobs of the clock process, with their edges (database, clock, sender, lock) injected."""

    sessions: sessionmaker[Session]
    clock: Clock
    send: deliveries.PushReplies
    lock: RunLock
    times: ClockTimes = field(default_factory=ClockTimes)
    export_link: ExportLink | None = None
    review_link: ExportLink | None = None  # the monthly review's 彙整表 in the compiled round
    # Says whether LINE's monthly quota allows n more pushes; None where pushes cost nothing (the outbox).
    quota: Callable[[int], bool] | None = None
    # The month's quota for the push budget; None (or no limit known) pushes every digest.
    month_quota: push_budget.QuotaReader | None = None
    # Reads the DGPA's closure announcements when due (force: now); None where no feed is read.
    feed: Callable[[bool], object] | None = None
    # The quota of each office with a LINE account of its own (push_budget.office_quota_readers), read each morning:
    # those offices plan under their own account's quota, the others share the environment's (`month_quota`).
    office_quotas: Callable[[], dict[int, push_budget.QuotaReader]] | None = None
    passes: int = 4
    pause: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    # The month's plans under the push budget, per office, kept from one morning to the next while nothing changed.
    _planners: dict[tuple[int, ...], Planner] = field(default_factory=dict, init=False, repr=False)

    def morning(self, wait: float = LOCK_WAIT) -> RunReport:
        """Plan, write and push this morning's digests (once: a second run only sends what is unsent)."""
        now = self.clock.now()
        report = RunReport(now.date())
        with self.lock.hold(wait) as leading:
            if not leading:
                report.skipped = "another clock is running"
                return report
            if self.feed is not None:  # a closure announced at 04:30 reaches the digests it moves
                self._watch_feed(force=True)
                self._send_notices()
            self._morning(now, report)
        return report

    def tend(self) -> RunReport:
        """Catch up a morning not yet run today, and resend the unsent; skip if another clock is busy."""
        now = self.clock.now()
        report = RunReport(now.date())
        with self.lock.hold(0) as leading:
            if not leading:
                report.skipped = "another clock is running"
                return report
            with unit_of_work(self.sessions) as session:
                exports.prune(session, now)
            self._watch_feed(force=False)
            self._send_notices()  # at any hour: a closure announced in the evening is news that evening
            if not self._ran_for_all(now.date()):
                self._morning(now, report)
            elif self._may_push(now, report):
                report.sent = self._send(now.date())
            if self.times.morning <= now.time() < self.times.push_until:
                report.nudges = self._send_nudges()
        return report

    def notices(self, wait: float = 60.0) -> deliveries.SendReport:
        """Send the pushes conversations queued (a closure's notices to owners), quota permitting."""
        with self.lock.hold(wait) as leading:
            if not leading:
                return deliveries.SendReport()
            return self._send_notices()

    def _send_notices(self) -> deliveries.SendReport:
        now = self.clock.now()
        if self.quota is not None:
            with self.sessions() as session:
                waiting = len(deliveries.pending(session, None, now, self._max_age, Kind.NOTICE))
            if waiting and not self._quota_allows(waiting):
                log.error("LINE quota would be exceeded: %d notices not sent", waiting)
                return deliveries.SendReport(left=waiting, errors=["quota"])
        return deliveries.send_pending(
            self.sessions, self.send, self.clock.now, None, self._max_age, self.passes, self.pause, self.sleep,
            kind=Kind.NOTICE,
        )

    def _send_nudges(self) -> deliveries.SendReport:
        """Push the one-off reminders asked for from 未回報, if LINE's quota allows all of them."""
        with self.sessions() as session:
            waiting = len(deliveries.pending(session, None, self.clock.now(), self._max_age, Kind.NUDGE))
        if not waiting:
            return deliveries.SendReport()
        if self.quota is not None and not self._quota_allows(waiting):
            log.error("LINE quota would be exceeded: %d reminders asked for from 未回報 not sent", waiting)
            return deliveries.SendReport(left=waiting, errors=["quota"])
        return deliveries.send_pending(
            self.sessions, self.send, self.clock.now, None, self._max_age, self.passes, self.pause, self.sleep,
            kind=Kind.NUDGE,
        )

    def housekeeping(self) -> int:
        """Expire the unsent digests of past mornings, delete digests older than a year and export files past their link."""
        now = self.clock.now()
        with self.lock.hold(LOCK_WAIT) as leading:
            if not leading:
                return 0
            with unit_of_work(self.sessions) as session:
                expired = deliveries.expire_stale(session, now.date(), now, self._max_age)
                pruned = deliveries.prune(session, now.date() - timedelta(days=KEEP_DAYS))
                files = exports.prune(session, now)
                held = prune_held(session, now.date() - timedelta(days=KEEP_DAYS))
                prune_checks(session, now - timedelta(days=FEED_CHECKS_DAYS))
        log.info("housekeeping: %d expired, %d pruned, %d used or expired export files removed, %d held lines pruned",
                 len(expired), pruned, files, held)
        return len(expired)

    def _watch_feed(self, force: bool) -> None:
        if self.feed is None:
            return
        try:
            self.feed(force)
        except Exception:  # noqa: BLE001 - an unreadable feed must not stop the reminders; the check says it failed
            log.exception("closure feed round failed")

    @property
    def _max_age(self) -> timedelta:
        return timedelta(hours=self.times.expire_hours)

    def _may_push(self, now: datetime, report: RunReport) -> bool:
        if not self.times.morning <= now.time() < self.times.push_until:
            report.skipped = "outside push hours"
            return False
        return True

    def _morning(self, now: datetime, report: RunReport) -> None:
        today = now.date()
        readers = self._office_readers()
        shared: push_budget.ChannelQuota | None = None
        worked, planned, checked = False, False, True
        failed: list[int | None] = []
        links = morning.Links(self.export_link, self.review_link)
        with self.sessions() as session:
            ran = deliveries.offices_run(session, today)
        # Each office's morning is planned in a session that sees only that office, on its own calendar (a
        # typhoon closes one county), under its LINE account's quota: its own when it has one (a city: one office
        # out of pushes never stops another), else the environment's, which the offices without one share: read
        # once, each plans with what the others' pushes of the month and the earlier offices of this morning left.
        # Each is noted as it is written, so a clock stopped between two offices runs only the second's later.
        for office_id in self._office_ids() or [None]:
            if office_id in ran or None in ran:
                # Written already today (before a restart, or by another clock): only what is unsent goes out.
                if not worked and not self._may_push(now, report):
                    return
                worked = True
                continue
            try:
                with unit_of_work(self.sessions) as session:
                    if office_id is not None:
                        scope.scope_to(session, office_id)
                    calendar = calendar_of(session)
                    if not calendar.is_working_day(today):
                        continue
                    if not worked and not self._may_push(now, report):
                        return
                    worked = planned = True
                    if office_id in readers:
                        quota, account = self._month_quota(readers[office_id]), push_budget.Account.own(office_id)
                    else:
                        quota = shared = shared or self._month_quota()
                        account = push_budget.Account.shared(readers, self._warnings_to_come(today, office_id, readers))
                    checked = checked and quota.limit is not None
                    written = morning.run(session, calendar, now, quota, self._max_age, links, self._planner_for,
                                          office_id=office_id, account=account)
            except Exception:  # noqa: BLE001 - one office's failure must not cost the others their morning
                # Nothing of it was written (its transaction rolled back, its note with it): the catch-up tries it
                # again in five minutes, and the run ends in an error naming it once the others' digests are out.
                log.exception("the morning of office %s could not be planned; the other offices go on", office_id)
                failed.append(office_id)
                continue
            if office_id not in readers:
                # LINE's count is of pushes sent: the pushes this office just planned are the account's too.
                shared = replace(quota, line_used=quota.line_used + written.plan.decision.cost)
            _add_morning(report, written)
        if not worked:
            if failed:
                raise MorningIncomplete(failed)
            report.skipped = "rest day"
            return
        if report.unreachable:
            log.info("%s: %d people cannot be reached (no LINE link and no section group)", today, report.unreachable)
        # The push budget fitted this morning in the quota just read: the morning's own pushes are not checked again.
        report.sent = self._send(today, checked=planned and checked)
        if report.warned:
            self._send_notices()  # the quota warning goes out with the morning, not at the next tend
        if planned or report.sent.calls:
            log.info("morning %s: planned %d, new %d, sent %d, left %d", today, report.planned, report.written,
                     report.sent.sent, report.sent.left)
        if failed:
            raise MorningIncomplete(failed)

    def _planner_for(self, offices: list[OfficeData], calendar: WorkCalendar, today: date) -> Planner:
        key = tuple(o.id for o in offices)
        planner = self._planners.get(key)
        if planner is None or not planner.same_input(offices, calendar):
            planner = self._planners[key] = Planner(offices, calendar)
        planner.forget_before(today)
        return planner

    def _warnings_to_come(self, day: date, office_id: int | None, readers: dict) -> int:
        if office_id is None:
            return 0
        with self.sessions() as session:  # every office's coordinators: not the scoped session
            return push_budget.warnings_to_come(session, day, office_id, readers)

    def _ran_for_all(self, day: date) -> bool:
        """Say whether every office's morning of `day` was written (an office resting that day is looked at again)."""
        with self.sessions() as session:
            ran = deliveries.offices_run(session, day)
        return None in ran or all(o in ran for o in self._office_ids() or [None])

    def _office_ids(self) -> list[int]:
        with self.sessions() as session:
            return list(session.scalars(select(Office.id).order_by(Office.id)))

    def _office_readers(self) -> dict[int, push_budget.QuotaReader]:
        if self.office_quotas is None:
            return {}
        try:
            return self.office_quotas()
        except Exception:  # noqa: BLE001 - the channels cannot be read now: plan as one channel rather than not at all
            log.exception("could not read the offices' LINE channels; planning the morning as one channel")
            return {}

    def _month_quota(self, reader: push_budget.QuotaReader | None = None) -> push_budget.ChannelQuota:
        reader = reader or self.month_quota
        if reader is None:
            return push_budget.ChannelQuota(None)
        try:
            return reader()
        except Exception:  # noqa: BLE001 - an unreadable quota must not silence the reminders
            log.exception("could not read the month's quota; every digest is pushed")
            return push_budget.ChannelQuota(None)

    def _quota_allows(self, n: int) -> bool:
        if self._office_readers():
            # Offices with their own accounts: one shared count would let one office's pushes stop another's.
            # Conversations check their own office's quota; LINE refuses each account's beyond its own.
            return True
        try:
            return self.quota(n)
        except Exception:  # noqa: BLE001 - an unreadable quota must not silence the reminders
            log.exception("could not read LINE's message quota; sending anyway")
            return True

    def _tell_coordinators_of_quota(self, morning: date, count: int) -> None:
        """Refuse the fan-out and say so: in the log, and to the coordinators (one short push each, once a day)."""
        log.error("LINE quota would be exceeded: %d digests for %s not sent", count, morning)
        with self.sessions() as session:
            coordinators = _coordinator_ids(session)
        text = Text(T.QUOTA_REFUSED.format(day=format_date(morning), count=count))
        for line_id in coordinators:
            key = retry_key_for(f"quota:{morning.isoformat()}:{line_id}")
            outcome = self.send(line_id, [text], key)
            if not outcome.ok:
                log.error("could not tell coordinator %s about the quota: %s", line_id, outcome.error)

    def _send(self, morning: date, checked: bool = False) -> deliveries.SendReport:
        if self.quota is not None and not checked:
            with self.sessions() as session:
                waiting = len(deliveries.pending(session, morning, self.clock.now(), self._max_age))
            if waiting and not self._quota_allows(waiting):
                self._tell_coordinators_of_quota(morning, waiting)
                return deliveries.SendReport(left=waiting, errors=["quota"])
        return deliveries.send_pending(
            self.sessions, self.send, self.clock.now, morning, self._max_age, self.passes, self.pause, self.sleep
        )


def _coordinator_ids(session: Session) -> list[str]:
    rows = session.scalars(
        select(Staff.line_user_id).where(
            Staff.role == Role.coordinator, Staff.line_user_id.is_not(None), Staff.following.is_(True), Staff.active.is_(True)
        )
    )
    return [r for r in rows if r]


def build_scheduler(work: Clockwork, blocking: bool = True) -> BaseScheduler:
    """Return the scheduler with its three fixed jobs (blocking for `planbot clock`, background for the demo)."""
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(timezone=TAIPEI, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60})
    at = work.times.morning
    scheduler.add_job(work.morning, CronTrigger(hour=at.hour, minute=at.minute, timezone=TAIPEI), id="morning", name="morning run")
    scheduler.add_job(work.tend, IntervalTrigger(minutes=5, timezone=TAIPEI), id="tend", name="catch up and resend")
    scheduler.add_job(work.housekeeping, CronTrigger(hour=2, minute=30, timezone=TAIPEI), id="housekeeping", name="housekeeping")
    return scheduler


def run_clock(
    work: Clockwork, blocking: bool = True, sleep: Callable[[float], None] = time.sleep, backoff_cap: float = 60.0
) -> BaseScheduler:
    """Catch up now (a clock started after 08:30 still sends today's digests once), then start the jobs.

    A database that is down (or not migrated yet) when the clock starts is waited for with backoff, as the
    running clock does, instead of exiting and leaving the mornings to whoever restarts it.
    """
    wait = 1.0
    while True:
        try:
            report = work.tend()
            break
        except DBAPIError as exc:
            log.warning("clock: the database does not answer (%s); retrying in %.0f s",
                        str(exc.orig or exc).splitlines()[0][:200], wait)
            sleep(wait)
            wait = min(wait * 2, backoff_cap)
    log.info("clock started: %s", report.skipped or f"caught up {report.morning}")
    scheduler = build_scheduler(work, blocking)
    scheduler.start()
    return scheduler


# The process: its edges from the environment, and how it runs.


def sender_for(runtime: Runtime, outbox=None, channels: Channels | None = None) -> deliveries.PushReplies:
    """Return the pushes' sender: the runtime's LINE client, else the outbox (logging each push).

    With `channels`: a delivery of an office with its own LINE account goes out with that account's token.
    """
    default = _default_sender(runtime, outbox, quiet=channels is not None and channels.stored)
    if channels is None:
        return default
    clients = SendersByOffice(channels, lambda token: runtime.line_client(token=token))

    def of(office_id: int | None) -> deliveries.PushReplies:
        client = clients(office_id)
        return deliveries.pushing_through(client) if client is not None else default

    return deliveries.ByOffice(of)


def _default_sender(runtime: Runtime, outbox=None, quiet: bool = False) -> deliveries.PushReplies:
    client = runtime.line_client()
    if client is not None:
        return deliveries.pushing_through(client)
    if outbox is None:
        if not runtime.settings.simulator and not quiet:  # the simulator shows pushes from the deliveries table
            log.warning("LINE_CHANNEL_ACCESS_TOKEN is not set: pushes go to the log only (kept in the deliveries table)")
        outbox = deliveries.LogOutbox()
    return deliveries.pushing_through(outbox)


def quota_check(runtime: Runtime) -> Callable[[int], bool] | None:
    """Return a check of LINE's monthly quota for n pushes, or None without a LINE channel."""
    client = runtime.line_client()
    if client is None:
        return None
    return QuotaGuard(client.quota, reserve=runtime.settings.quota_reserve).can_send


def review_link(settings: HandlerSettings) -> ExportLink:
    """Return the function that makes the compiled round's link to the month's review report (.odt)."""

    def link(session: Session, office_id: int, section_id: int | None, month: date, now: datetime) -> str | None:
        return review_documents.monthly_link(session, settings, office_id, section_id, month, now)

    return link


def export_link(settings: HandlerSettings) -> ExportLink:
    """Return the function that makes the compiled round's export link."""

    def link(session: Session, office_id: int, section_id: int | None, month: date, now: datetime) -> str | None:
        return exports.monthly_link(session, settings, office_id, section_id, month, now)

    return link


def feed_watch(runtime: Runtime, clock: Clock) -> Callable[[bool], object] | None:
    """Return the closure feed's round for the clock, or None when the feed is turned off."""
    url = runtime.settings.closure_feed_url
    if not url:
        return None
    watch = FeedWatch(runtime.sessions, FeedClient(url, runtime.settings.closure_feed_key), clock)
    return watch.round


def clockwork(runtime: Runtime, clock: Clock | None = None, outbox=None) -> Clockwork:
    """Return the clock's jobs wired to the runtime's database, sender and settings."""
    clock = clock or runtime.clock
    channels = office_channels(runtime)  # a PLANBOT_SECRET_KEY that cannot open them stops the clock here
    return Clockwork(
        sessions=runtime.sessions,
        clock=clock,
        send=sender_for(runtime, outbox, channels),
        lock=RunLock(runtime.engine),
        export_link=export_link(runtime.settings.handlers),
        review_link=review_link(runtime.settings.handlers),
        quota=quota_check(runtime),
        month_quota=push_budget.quota_reader(runtime),
        feed=feed_watch(runtime, clock),
        office_quotas=push_budget.office_quota_readers(runtime, channels),
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
        level=runtime.settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
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


def run_in_thread(runtime: Runtime, outbox=None) -> None:
    """Run the clock in the calling thread (the demo starts it beside the web app)."""
    serve(runtime, outbox=outbox)
