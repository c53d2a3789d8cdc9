"""The push budget's edges: the channel's monthly quota (LINE's quota endpoints or LINE_MONTHLY_QUOTA), what this
month already took (the deliveries table, or LINE's count when higher), and the morning decision the clock and
`planbot remind --from/--to`, `planbot quota forecast` share (`schedules.planner.budget` decides)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import deliveries
from bot.channels import office_channels
from bot.line_api import LineApiError
from bot.runtime import Runtime
from schedules.calendar import WorkCalendar
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import (
    BUDGET,
    MonthForecast,
    MonthState,
    Morning,
    OfficeData,
    Planner,
    Sharer,
    budget_morning,
    forecast,
)
from schedules.planner.budget import week_start
from storage import queries, scope
from storage.models import Delivery, Office, Role, Staff
from storage.outbox import Kind, Topic, of_kind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelQuota:
    """The month's pushes allowed (None: no limit known), LINE's count of this month's pushes, and where the limit came from."""

    limit: int | None
    line_used: int = 0
    source: str = "none"  # line, setting, none


QuotaReader = Callable[[], ChannelQuota]


@dataclass(frozen=True)
class Account:
    """The LINE account whose monthly quota an office's pushes take: its own, or the environment's, which it shares.

    An office with a channel of its own (`office_id`) pays for its own pushes alone. The environment's account
    (LINE_CHANNEL_ACCESS_TOKEN) pushes for every office without a channel of its own, so its quota is theirs
    together: it counts every push but those of the offices in `besides` (the offices with their own). The
    default, an office on the environment's account with no office having its own, counts every push, as one
    office alone always did.
    """

    office_id: int | None = None
    besides: frozenset[int] = frozenset()
    # The 80% warnings the other offices sharing the account are still to get this month (`warnings_to_come`).
    kept: int = 0

    @classmethod
    def own(cls, office_id: int) -> Account:
        """The account of an office with a LINE channel of its own."""
        return cls(office_id)

    @classmethod
    def shared(cls, with_own: Iterable[int] = (), kept: int = 0) -> Account:
        """The environment's account, shared by every office but those with a channel of their own (`with_own`)."""
        return cls(None, frozenset(with_own), kept)

    def pushes(self, session: Session, first: date, last: date) -> int:
        """Return the pushes this account's quota took for the mornings first..last (sent, or still to be sent)."""
        return deliveries.pushes_counted(session, first, last, self.office_id, self.besides)


SHARED = Account()  # one office, or offices that all push through the environment's account


def warnings_to_come(session: Session, day: date, office_id: int, with_own: Iterable[int] = ()) -> int:
    """Return the 80% warnings the other offices on the environment's account have not had in `day`'s month.

    One push per coordinator who can be pushed to, of each such office not warned yet: an office planning its
    morning keeps room for them, so the office planned first never spends another office's warning on digests.
    `session` must see every office (not scoped to one).
    """
    first = month_of(day)[0]
    warnings = select(Delivery.office_id).where(of_kind(Kind.NOTICE, Topic.QUOTA_WARNING, f"{first:%Y-%m}"))
    if session.scalar(warnings.where(Delivery.office_id.is_(None)).limit(1)) is not None:
        return 0  # a warning of no office was given when one warning stood for every office (as `month_state` reads it)
    warned = warnings.where(Delivery.office_id.is_not(None))
    stmt = select(func.count()).select_from(Staff).where(
        Staff.role == Role.coordinator, Staff.active.is_(True), Staff.following.is_(True), Staff.line_user_id.is_not(None),
        Staff.office_id != office_id, Staff.office_id.not_in(warned),
    )
    own = sorted(set(with_own))
    if own:
        stmt = stmt.where(Staff.office_id.not_in(own))
    return int(session.scalar(stmt) or 0)


def office_quota_readers(runtime: Runtime, channels) -> Callable[[], dict[int, QuotaReader]]:
    """Return, when asked (each morning), the quota reader of every office with a LINE account of its own.

    Each office's quota is read with its own token: LINE counts each official account's pushes on their own.
    """

    def readers() -> dict[int, QuotaReader]:
        return {c.office_id: quota_reader(runtime, c.token) for c in channels.all()}

    return readers


def quota_reader(runtime: Runtime, token: str | None = None) -> QuotaReader:
    """Return how the clock reads the quota: LINE's endpoints when there is a channel, LINE_MONTHLY_QUOTA, the lower wins.

    `token`: an office's own channel (each LINE account has its own quota); default the environment's.
    """
    settings = runtime.settings

    def read() -> ChannelQuota:
        line_limit, used = None, 0
        client = runtime.line_client(token=token)
        if client is not None:
            try:
                quota = client.quota()
                line_limit, used = quota.limit, quota.used
            except LineApiError as exc:
                log.warning("could not read LINE's quota (%s); using LINE_MONTHLY_QUOTA if set", exc)
            finally:
                client.close()
        limits = [n for n in (line_limit, settings.monthly_quota) if n is not None]
        if not limits:
            return ChannelQuota(None, used)
        source = "line" if line_limit is not None and line_limit == min(limits) else "setting"
        return ChannelQuota(max(min(limits) - settings.quota_reserve, 0), used, source)

    return read


PushRoom = Callable[[Session, date, int], bool]


def push_room(runtime: Runtime, account: Callable[[], Account] = lambda: SHARED) -> PushRoom | None:
    """Return the check a conversation makes before queuing a push (None: no quota known, every push goes).

    The month's pushes are the higher of what the deliveries table counts for the environment's account
    (`account`: every office's but those with a channel of their own) and LINE's own count, against the quota the
    clock plans with (LINE's or LINE_MONTHLY_QUOTA, the lower, less PLANBOT_QUOTA_RESERVE).
    """
    if not runtime.settings.access_token and runtime.settings.monthly_quota is None:
        return None
    read = quota_reader(runtime)

    def room(session: Session, today: date, n: int) -> bool:
        return _has_room(session, today, n, read(), account())

    return room


OfficePushRoom = Callable[[Session, date, int, "int | None"], bool]


def push_room_by_office(runtime: Runtime, channels) -> OfficePushRoom:
    """Return the check a conversation makes before queuing a push, against the quota of its own office's account.

    An office with a channel of its own counts only its own deliveries against its own account's quota (read with
    its token), so one office running out never stops another's pushes; an office without one (or no office) is
    checked as `push_room` checks the environment's account, whose pushes it shares with every office without one.
    """
    default = push_room(runtime, lambda: Account.shared(c.office_id for c in channels.all()))

    def room(session: Session, today: date, n: int, office_id: int | None) -> bool:
        channel = channels.of_office(office_id)
        if channel is None:
            return default is None or default(session, today, n)
        return _has_room(session, today, n, quota_reader(runtime, channel.token)(), Account.own(channel.office_id))

    return room


def _has_room(session: Session, today: date, n: int, quota: ChannelQuota, account: Account) -> bool:
    if quota.limit is None:
        return True
    first, last = month_of(today)
    return max(account.pushes(session, first, last), quota.line_used) + n <= quota.limit


def month_of(day: date) -> tuple[date, date]:
    """Return the first and last day of `day`'s month."""
    first = day.replace(day=1)
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def month_state(session: Session, calendar: WorkCalendar, day: date, quota: ChannelQuota,
                office_id: int | None = None, account: Account | None = None) -> MonthState:
    """Return where `day`'s month stands before its morning: pushes counted, the warning, this week's digests.

    The pushes are the account's (default: the office's own with `office_id`, else every office's): offices sharing
    the environment's account plan with what the others left. The warning and the week's digests are the office's
    (`office_id`): each office's coordinators are told, and each office's people got their own digests.
    """
    first, last = month_of(day)
    if account is None:
        account = Account.own(office_id) if office_id is not None else SHARED
    used = max(account.pushes(session, first, last), quota.line_used)
    warning = select(Delivery.id).where(of_kind(Kind.NOTICE, Topic.QUOTA_WARNING, f"{first:%Y-%m}"))
    if office_id is not None:
        # Each office's coordinators are warned; one of no office was given when one warning stood for them all.
        warning = warning.where((Delivery.office_id == office_id) | Delivery.office_id.is_(None))
    warned = session.scalar(warning.limit(1)) is not None
    since = max(week_start(calendar, day) or day, first)
    runs = deliveries.run_details(session, since, office_id)
    digested = any(d < day and r.get("mode") == BUDGET for d, r in runs.items())
    return MonthState(quota.limit, used, warned, digested, account.kept)


def decide(session: Session, calendar: WorkCalendar, offices: Sequence[OfficeData], day: date, missed: Sequence[date],
           quota: ChannelQuota) -> Morning:
    """Return the morning's decision under the month's quota (what the clock pushes, holds and warns)."""
    return budget_morning(Planner(offices, calendar), day, month_state(session, calendar, day, quota), missed)


def forecast_range(session: Session, calendar: WorkCalendar, offices: Sequence[OfficeData], start: date, end: date,
                   quota: ChannelQuota, today: date, office_id: int | None = None, account: Account | None = None,
                   sharing: Sequence[Sharer] = ()) -> list[MonthForecast]:
    """Return the month-by-month forecast of start..end; start's month begins from what was counted before start.

    `office_id`, `account`: the office forecast and its LINE account (as `month_state`); `sharing`: the other
    offices on that account, whose mornings take their share each day as the clock plans them.
    """
    first = month_state(session, calendar, start, _of_month(quota, start, today), office_id, account)
    return forecast(Planner(offices, calendar), start, end, lambda _month: quota.limit, first, sharing)


def _of_month(quota: ChannelQuota, start: date, today: date) -> ChannelQuota:
    # LINE's count is this month's: a forecast of a later month starts from nothing LINE counted.
    return quota if month_of(start)[0] == month_of(today)[0] else replace(quota, line_used=0)


def warning_key(day: date, recipient: str) -> str:
    """Return the quota warning's key: once a month per coordinator."""
    return f"{Topic.QUOTA_WARNING}:{day:%Y-%m}:{recipient}"


@dataclass(frozen=True)
class QuotaForecast:
    """What `planbot quota forecast` prints: the account's quota, its months, and the offices it is shared with."""

    quota: ChannelQuota
    months: list[MonthForecast]
    shared_with: tuple[str, ...] = ()  # the other offices pushing through the same account, in the clock's order


def forecast_for(runtime: Runtime, start: date, end: date, office: Callable[[Session], object] | None = None,
                 channels=None) -> QuotaForecast:
    """Return the office's LINE account's quota and the forecast of start..end from the database (what the CLI prints).

    `office` picks (and scopes the session to) the office forecast, as the CLI's --office does; default the only
    office. An office with a LINE account of its own is forecast under its own quota. One on the environment's
    account shares it: its months count what the other offices without an account of their own will push too.
    """
    today = runtime.clock.now().date()
    with runtime.sessions() as session:
        chosen = office(session) if office is not None else None
        office_id = getattr(chosen, "id", None) or scope.office_of(session) or getattr(queries.only_office(session), "id", None)
        own = {c.office_id: c for c in (channels or office_channels(runtime)).all()}
        if office_id in own:
            quota, account, names = quota_reader(runtime, own[office_id].token)(), Account.own(office_id), []
        else:
            quota, account = quota_reader(runtime)(), Account.shared(own)
            names = [(i, n) for i, n in _offices(runtime) if i not in own and i != office_id] if office_id else []
        calendar = calendar_of(session)
        offices = office_inputs(session, calendar, start)
        sharing = [_sharer(runtime, other, office_id, start, _of_month(quota, start, today), account)
                   for other, _name in names]
        months = forecast_range(session, calendar, offices, start, end, quota, today, office_id, account, sharing)
    return QuotaForecast(quota, months, tuple(name for _id, name in names))


def _offices(runtime: Runtime) -> list[tuple[int, str]]:
    with runtime.sessions() as session:  # every office: the forecast's own session sees its office alone
        return [(i, n) for i, n in session.execute(select(Office.id, Office.name).order_by(Office.id))]


def _sharer(runtime: Runtime, office_id: int, forecast_of: int | None, start: date, quota: ChannelQuota,
            account: Account) -> Sharer:
    """Return another office on the same account as the forecast plans it: in its own scope, on its own calendar."""
    with runtime.sessions() as session:
        scope.scope_to(session, office_id)
        calendar = calendar_of(session)
        planner = Planner(office_inputs(session, calendar, start, office_id), calendar)
        first = month_state(session, calendar, start, quota, office_id, account)
    return Sharer(planner, before=forecast_of is not None and office_id < forecast_of, first=first)
