"""Exactly once: write each digest before sending it, mark it sent when LINE accepts, resend only the unsent."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.render import render
from bot.sender import Pusher, Result, should_retry
from handlers.core.replies import Reply, to_dict
from handlers.documents.digests import replies_from_payload
from schedules.clock import TAIPEI
from schedules.planner import PlannedDelivery
from storage import queries
from storage.models import AuditLog, Delivery
from storage.outbox import Kind, enqueue, of_kind, queue_notice

log = logging.getLogger(__name__)

RUN_ACTION = "remind.morning"


@dataclass(frozen=True)
class SendOutcome:
    """What became of one push: accepted (or accepted earlier under the same retry key), or why not."""

    ok: bool
    retry: bool = False  # a server error, rate limit or lost connection: try again with the same key
    error: str = ""


class PushReplies(Protocol):
    """Push our replies to a LINE user or group under a retry key: a `bot.sender.Pusher` behind `pushing_through`."""

    def __call__(self, to: str, replies: list[Reply], retry_key: str) -> SendOutcome: ...


@dataclass
class SendReport:
    """What one sending pass did."""

    sent: int = 0
    failed: int = 0
    left: int = 0  # still unsent after a retryable error; the next pass or the next run resends them
    calls: int = 0
    errors: list[str] = field(default_factory=list)


def record(
    session: Session, planned: Sequence[PlannedDelivery], payloads: Mapping[str, dict], now: datetime,
    costs: Mapping[str, int] | None = None,
) -> int:
    """Write the digests not yet written for their recipient and morning; return how many are new.

    `costs` gives a delivery's pushes of the monthly quota by key (a group's members; default 1).
    """
    reachable = [p for p in planned if p.recipient]
    mornings = {p.morning for p in reachable}
    if not mornings:
        return 0
    # One digest per recipient per morning even when a re-plan (after a report came in) gives other reasons.
    written = set(
        session.execute(
            select(Delivery.morning, Delivery.recipient).where(
                Delivery.morning.in_(mornings), of_kind(Kind.DIGEST)
            )
        ).all()
    )
    new = 0
    for p in reachable:
        if (p.morning, p.recipient) in written:
            continue
        written.add((p.morning, p.recipient))
        new += enqueue(
            session, p.key, recipient=p.recipient, staff_id=p.staff_id, reasons=",".join(p.reasons),
            payload=payloads[p.key], now=now, morning=p.morning, cost=(costs or {}).get(p.key, 1), checked=True,
            office_id=p.office_id,
        )
    return new


def record_notice(session: Session, key: str, morning: date, recipient: str, replies: Sequence[Reply], now: datetime,
                  office_id: int | None = None) -> bool:
    """Write a one-off push of the clock (sent with the morning's digests) unless written before; True when new."""
    return queue_notice(session, key, recipient, None, key.split(":")[0], {"replies": [to_dict(r) for r in replies]},
                        now, morning=morning, office_id=office_id)


def pushes_counted(session: Session, first: date, last: date, office_id: int | None = None,
                   besides: Collection[int] = ()) -> int:
    """Return the pushes of the quota taken by deliveries of mornings first..last: sent, or still to be sent.

    With `office_id`: that office's alone (an office's own LINE account has a quota of its own). With `besides`:
    every office's but those (the environment's account, shared by the offices without one of their own and by
    the pushes of no office, does not pay for the offices with their own).
    """
    stmt = select(func.coalesce(func.sum(Delivery.cost), 0)).where(
        Delivery.morning >= first, Delivery.morning <= last, Delivery.failed_at.is_(None)
    )
    if office_id is not None:
        stmt = stmt.where(Delivery.office_id == office_id)  # office scope: each account's own quota
    if besides:
        stmt = stmt.where(Delivery.office_id.is_(None) | Delivery.office_id.not_in(sorted(besides)))
    return int(session.scalar(stmt) or 0)


def mark_run(session: Session, morning: date, now: datetime, written: int, office_id: int | None = None, **detail) -> None:
    """Note that an office's morning was planned and written (catch-up after downtime and a restart look for these).

    Each office's morning is noted on its own: a clock stopped between two offices' mornings catches up the second.
    """
    if office_id is not None:
        detail["office_id"] = office_id
    queries.audit(session, now, "clock", RUN_ACTION, morning=morning.isoformat(), written=written, **detail)


def _runs(session: Session, since: date) -> list[tuple[date, int | None, dict]]:
    """Return (morning, office or None, detail) of every morning noted on or after `since`, oldest note first."""
    # Filter on the indexed `at` first, with a margin; the morning itself is in the detail.
    start = datetime(since.year, since.month, since.day, tzinfo=TAIPEI) - timedelta(days=2)
    rows = session.scalars(select(AuditLog.detail).where(AuditLog.action == RUN_ACTION, AuditLog.at >= start)
                           .order_by(AuditLog.id))
    found = ((date.fromisoformat(r["morning"]), r.get("office_id"), r) for r in rows if r and "morning" in r)
    return [(day, office, r) for day, office, r in found if day >= since]


def run_details(session: Session, since: date, office_id: int | None = None) -> dict[date, dict]:
    """Return the detail of each morning planned on or after `since` (its mode under the push budget).

    With `office_id`: the mornings planned for that office. A note that names no office was written before mornings
    were noted per office (or by a clock of that time still running), when one note stood for the whole morning:
    it counts for every office, so an old database's mornings are neither caught up nor run twice.
    """
    out: dict[date, dict] = {}
    for day, office, detail in sorted(_runs(session, since), key=lambda r: r[1] is not None):
        if office_id is None or office is None or office == office_id:
            out[day] = detail  # an office's own note wins over an old one of the same morning
    return out


def run_mornings(session: Session, since: date, office_id: int | None = None) -> set[date]:
    """Return the mornings planned on or after `since` (with `office_id`: that office's, as `run_details` counts them)."""
    return set(run_details(session, since, office_id))


def offices_run(session: Session, morning: date) -> set[int | None]:
    """Return the offices whose `morning` was planned; None among them: an old note, standing for every office."""
    return {office for day, office, _ in _runs(session, morning) if day == morning}


def expire_stale(session: Session, today: date, now: datetime, max_age: timedelta,
                 office_id: int | None = None) -> list[Delivery]:
    """Mark failed what was never sent and is of an earlier morning or older than max_age; return those rows.

    With `office_id`: that office's alone (its morning is planned on its own).
    """
    stmt = select(Delivery).where(
        Delivery.sent_at.is_(None),
        Delivery.failed_at.is_(None),
        of_kind(Kind.DIGEST),
        (Delivery.morning < today) | (Delivery.created_at < now - max_age),
    )
    if office_id is not None:
        stmt = stmt.where(Delivery.office_id == office_id)  # office scope: this office's morning
    rows = list(session.scalars(stmt))
    for row in rows:
        row.failed_at = now
        row.last_error = f"expired: not sent by {now:%Y-%m-%d %H:%M} (morning {row.morning})"
        log.warning("delivery %s expired unsent after %s attempts; its lines are said again today", row.key, row.attempts)
    session.flush()
    return rows


def pending(
    session: Session, morning: date | None, now: datetime, max_age: timedelta, kind: Kind = Kind.DIGEST,
    office_id: int | None = None,
) -> list[tuple[int, str, str, dict, int | None]]:
    """Return (id, recipient, retry key, payload, office) of the morning's digests still to send, oldest first.

    With `kind=Kind.NOTICE` and no morning: the pushes a conversation queued (a closure's notices). With
    `office_id`: that office's alone.
    """
    stmt = (
        select(Delivery.id, Delivery.recipient, Delivery.retry_key, Delivery.payload, Delivery.office_id)
        .where(
            Delivery.sent_at.is_(None),
            Delivery.failed_at.is_(None),
            Delivery.created_at >= now - max_age,
            of_kind(kind),
        )
        .order_by(Delivery.id)
    )
    if morning is not None:
        stmt = stmt.where(Delivery.morning == morning)
    if office_id is not None:
        stmt = stmt.where(Delivery.office_id == office_id)  # office scope: one account's quota decides
    return [tuple(r) for r in session.execute(stmt)]


def send_pending(
    sessions: sessionmaker[Session],
    send: PushReplies,
    now: Callable[[], datetime],
    morning: date,
    max_age: timedelta = timedelta(hours=24),
    passes: int = 4,
    pause: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    workers: int = 8,
    kind: Kind = Kind.DIGEST,
    office_id: int | None = None,
) -> SendReport:
    """Push the morning's unsent digests; a retryable failure is tried again (same retry key) a few passes later."""
    report = SendReport()
    # Pushes wait on the network, so a few run at once; only this thread touches the session.
    with sessions() as session, ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="push") as pool:
        for n in range(passes):
            rows = pending(session, morning, now(), max_age, kind, office_id)
            session.rollback()
            if not rows:
                break
            futures = {pool.submit(_push, send, recipient, data, key, office): row_id
                       for row_id, recipient, key, data, office in rows}
            retry = 0
            for future in as_completed(futures):
                report.calls += 1
                retry += _settle(session, futures[future], future.result(), now(), report)
            report.left = retry
            if not retry or n == passes - 1:
                break
            sleep(pause * 2**n)
    return report


def _push(send: PushReplies, recipient: str, data: dict, retry_key: str, office_id: int | None = None) -> SendOutcome:
    try:
        through = send.of(office_id) if isinstance(send, ByOffice) else send
        return through(recipient, replies_from_payload(data), retry_key)
    except Exception as exc:  # noqa: BLE001 - a broken push must not stop the others; it stays unsent
        log.exception("push to %s raised", recipient)
        return SendOutcome(False, retry=True, error=f"{type(exc).__name__}: {exc}")


def _settle(session: Session, row_id: int, outcome: SendOutcome, at: datetime, report: SendReport) -> int:
    values: dict = {"attempts": Delivery.attempts + 1}
    if outcome.ok:
        values["sent_at"] = at
        report.sent += 1
    elif outcome.retry:
        values["last_error"] = outcome.error[:1000]
    else:
        values.update(failed_at=at, last_error=outcome.error[:1000])
        report.failed += 1
        report.errors.append(outcome.error)
        log.warning("delivery %s refused for good: %s", row_id, outcome.error)
    session.execute(update(Delivery).where(Delivery.id == row_id, Delivery.sent_at.is_(None)).values(**values))
    session.commit()
    return 0 if outcome.ok or not outcome.retry else 1


def prune(session: Session, before: date) -> int:
    """Delete digests and notices of mornings before `before` (sent or given up), and one-off reminders; return how many."""
    result = session.execute(
        delete(Delivery).where(
            Delivery.morning < before,
            of_kind(Kind.DIGEST) | of_kind(Kind.NOTICE),
            (Delivery.sent_at.is_not(None)) | (Delivery.failed_at.is_not(None)),
        )
    )
    # One-off reminders are never resent after a day, sent or not.
    nudges = session.execute(delete(Delivery).where(Delivery.morning < before, of_kind(Kind.NUDGE)))
    return (result.rowcount or 0) + (nudges.rowcount or 0)


# The LINE side of the outbox: a client (LineSender, or the log outbox without a token) as a Sender.


@dataclass(frozen=True)
class OutboxResult:
    """The answer of an outbox push, shaped like LineSender's."""

    ok: bool = True
    status: int | None = 200
    duplicate: bool = False
    error: str | None = None
    token_invalid: bool = False
    maybe_delivered: bool = False


class LogOutbox:
    """Without a LINE token: log each push and accept it (the payload stays in the deliveries table)."""

    def push(self, to: str, messages: list, retry_key: str) -> OutboxResult:
        """Log the push and report it accepted."""
        log.info("outbox: %d message(s) to %s (retry key %s)", len(messages), to, retry_key)
        return OutboxResult()


def outcome(result: Result) -> SendOutcome:
    """Map a LineSender result to what the deliveries table needs: sent, retry later, or failed for good."""
    if result.ok or result.duplicate:
        return SendOutcome(True)
    return SendOutcome(False, should_retry(result.status), f"{result.status}: {result.error or ''}")


@dataclass(frozen=True)
class ByOffice:
    """Pushes that go out through the LINE account of each delivery's office (`of`); called plainly, no office's."""

    of: Callable[[int | None], PushReplies]

    def __call__(self, to: str, replies: list, retry_key: str) -> SendOutcome:
        return self.of(None)(to, replies, retry_key)


def pushing_through(client: Pusher) -> PushReplies:
    """Return a Sender that renders our replies and pushes them with the client (LineSender or an outbox)."""
    def send(to: str, replies: list, retry_key: str) -> SendOutcome:
        return outcome(client.push(to, render(replies), retry_key))

    return send


# Notices: pushes a conversation queued (a 我是 … card for the coordinator, the answer to the person), sent
# after the event that queued them, through the same settle path as the digests.


def send_notices(sessions: sessionmaker[Session], send: PushReplies, now: Callable[[], datetime],
                 max_age: timedelta = timedelta(hours=24)) -> SendReport:
    """Push the queued notices not yet sent (one pass; what LINE refused for now waits for the next event)."""
    report = SendReport()
    with sessions() as session:
        rows = session.execute(
            select(Delivery.id, Delivery.recipient, Delivery.retry_key, Delivery.payload, Delivery.office_id)
            .where(of_kind(Kind.NOTICE), Delivery.sent_at.is_(None), Delivery.failed_at.is_(None),
                   Delivery.created_at >= now() - max_age)
            .order_by(Delivery.id)
        ).all()
        session.rollback()
        for row_id, recipient, key, data, office in rows:
            report.calls += 1
            report.left += _settle(session, row_id, _push(send, recipient, data, key, office), now(), report)
    return report
