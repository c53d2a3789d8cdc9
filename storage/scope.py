"""Which office a database session sees: once a session is scoped to an office, every ORM query in it sees
only that office's rows, and a row of another office cannot be written through it.

One mechanism for the whole program (SQLAlchemy's documented recipe for global criteria): a `do_orm_execute`
listener adds `with_loader_criteria` for every office-owned model to each ORM SELECT, UPDATE and DELETE (and,
through `propagate_to_loaders`, to the lazy loads of what they return); a `before_flush` listener refuses a new
or changed row whose office is not the session's. Handlers never filter by office for isolation; the place that
learns who asks (the chat, the console, the clock's morning of one office, a CLI command with --office) scopes
the session once. A session nobody scoped (migrations, the clock's outer loop, the CLI across offices) sees all.

On PostgreSQL the database keeps the same wall a second time (row-level security, migration 0018): a scoped
session tells each of its transactions' connections its office as the transaction begins, and the tables' policies
then hide and refuse other offices' rows to any SQL, the ORM's or not.

`OWNED` says how each office-owned model belongs to an office, `SHARED` why the others are not filtered; a test
checks that every mapped class is in one of them, so a new model cannot be forgotten.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Select, event, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from storage.models import (
    AuditLog,
    CalendarOverride,
    CityViewer,
    ConsoleToken,
    ConsoleUpload,
    ConversationState,
    CoveredReport,
    Delivery,
    ExportFile,
    FeedAction,
    FeedCheck,
    HeldLine,
    InviteCode,
    Item,
    ItemOwner,
    LagReason,
    Leave,
    LinkAttempt,
    Office,
    OfficeChannel,
    OnboardingRequest,
    Plan,
    ProgressReport,
    Resolution,
    ReviewDecision,
    RichMenuLink,
    RichMenuRecord,
    Section,
    Staff,
    StaffDeputies,
    WebhookEvent,
)

KEY = "office_id"


class CrossOfficeWrite(RuntimeError):
    """A session scoped to one office was asked to write a row of another office (a bug, stopped here)."""


# -- how a model belongs to an office --------------------------------------------------------------------


def plans_of(office_id: int) -> Select:
    return select(Plan.id).where(Plan.office_id == office_id)


def staff_of(office_id: int) -> Select:
    return select(Staff.id).where(Staff.office_id == office_id)


def items_of(office_id: int) -> Select:
    return select(Item.id).join(Plan, Item.plan_id == Plan.id).where(Plan.office_id == office_id)


def reports_of(office_id: int) -> Select:
    return select(ProgressReport.id).where(ProgressReport.item_id.in_(items_of(office_id)))


@dataclass(frozen=True)
class Owned:
    """An office-owned model: `column` is its own office_id, or its link to the row that owns it (`parent`).

    `relation` names the relationship to the parent, read when the link is still empty on a pending row.
    """

    column: str
    parent: type | None = None
    relation: str | None = None

    def criteria(self, model: type, office_id: int) -> ColumnElement[bool]:
        """Return the WHERE criterion that keeps the model's rows of the office."""
        column = getattr(model, self.column)
        if self.parent is None:
            return column == office_id
        return column.in_(PARENT_ROWS[self.parent](office_id))


PARENT_ROWS: dict[type, Callable[[int], Select]] = {
    Plan: plans_of,
    Staff: staff_of,
    Item: items_of,
    ProgressReport: reports_of,
}

OWNED: dict[type, Owned] = {
    Office: Owned("id"),
    Plan: Owned("office_id"),
    Section: Owned("office_id"),
    Staff: Owned("office_id"),
    CalendarOverride: Owned("office_id"),  # a typhoon closes 臺北市, not 高雄市
    FeedCheck: Owned("office_id"),
    FeedAction: Owned("office_id"),
    OfficeChannel: Owned("office_id"),  # read unscoped by the webhook, which finds the office by it
    Item: Owned("plan_id", Plan, "plan"),
    Resolution: Owned("plan_id", Plan),
    ProgressReport: Owned("item_id", Item, "item"),
    ItemOwner: Owned("item_id", Item),
    LagReason: Owned("item_id", Item, "item"),
    ReviewDecision: Owned("item_id", Item, "item"),
    CoveredReport: Owned("report_id", ProgressReport),
    Leave: Owned("staff_id", Staff, "staff"),
    StaffDeputies: Owned("staff_id", Staff),
    InviteCode: Owned("staff_id", Staff, "staff"),
    ConsoleToken: Owned("staff_id", Staff, "staff"),
    ConsoleUpload: Owned("staff_id", Staff),
    HeldLine: Owned("staff_id", Staff),
    OnboardingRequest: Owned("staff_id", Staff, "staff"),
}

SHARED: dict[type, str] = {
    WebhookEvent: "infrastructure: the event log is claimed and answered before anyone knows who asks",
    Delivery: "infrastructure: the outbox is sent by the clock for every office, and the push quota is counted per "
              "LINE account across its rows",
    LinkAttempt: "counted per LINE account (rate-limiting 綁定 guesses), before the account belongs to any office",
    RichMenuRecord: "the rich menus installed at the LINE account, not an office's data",
    RichMenuLink: "which menu a LINE account shows: kept per account, not an office's data",
    ConversationState: "keyed by the asker's own actor and read only for that asker; it names no office's rows",
    ExportFile: "reached only by its unguessable download token; its bytes were made inside the asker's scope",
    CityViewer: "the city's people belong to no office; their page reads each office by its id, read-only",
    AuditLog: "an append-only record read by administrators from the CLI (and for the clock's run notes), never "
              "shown in the chat or the console",
}


# -- scoping a session -----------------------------------------------------------------------------------


def scope_to(session: Session, office_id: int) -> Session:
    """Make the session see (and write) only the office's rows from now on."""
    current = session.info.get(KEY)
    if current is not None and current != office_id:
        raise CrossOfficeWrite(f"session already scoped to office {current}, not {office_id}")
    session.info[KEY] = office_id
    if current is None and session.in_transaction():
        _tell_database(session.connection(), office_id)  # the transaction under way; later ones at their start
    return session


def office_of(session: Session) -> int | None:
    """Return the office the session is scoped to (None: unscoped, it sees every office)."""
    return session.info.get(KEY)


# -- the listeners -----------------------------------------------------------------------------------------

_BY_TABLE = {model.__table__: model for model in OWNED}


@event.listens_for(Session, "do_orm_execute")
def _filter(state: ORMExecuteState) -> None:
    office_id = state.session.info.get(KEY)
    if office_id is None or state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    # Only the criteria of the owned models the statement reads from (joins and subqueries included): each one
    # adds to the statement's cache key, which is computed at every execution. They are plain expressions, built
    # once per office, with the office as a bound parameter of the cached compiled statement.
    named = {_BY_TABLE.get(t) for t in find_tables(state.statement, include_joins=True)}
    options = _options(office_id)
    state.statement = state.statement.options(*(options[m] for m in named if m in options))


@event.listens_for(Session, "after_begin")
def _scope_transaction(session: Session, _transaction, connection: Connection) -> None:
    office_id = session.info.get(KEY)
    if office_id is not None:
        _tell_database(connection, office_id)


def _tell_database(connection: Connection, office_id: int) -> None:
    """Put PostgreSQL's row-level security (migration 0018) on the office for this transaction: the second wall."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_SET_OFFICE, (str(office_id),))


_SET_OFFICE = "SELECT set_config('planbot.office_id', %s, true)"


@functools.lru_cache(maxsize=512)
def _options(office_id: int) -> dict[type, object]:
    return {
        model: with_loader_criteria(model, owned.criteria(model, office_id), propagate_to_loaders=True)
        for model, owned in OWNED.items()
    }


@event.listens_for(Session, "before_flush")
def _refuse_other_offices(session: Session, _context, _instances) -> None:
    office_id = session.info.get(KEY)
    if office_id is None:
        return
    with session.no_autoflush:
        for row in (*session.new, *session.dirty):
            if type(row) in OWNED and office_of_row(session, row) != office_id:
                raise CrossOfficeWrite(f"{type(row).__name__} of another office written in office {office_id}'s session")


def office_of_row(session: Session, row: object) -> int | None:
    """Return the office a row belongs to (None when its owner cannot be seen from this session)."""
    owned = OWNED[type(row)]
    if type(row) is Office:
        return row.id if row.id is not None else None
    value = getattr(row, owned.column)
    if owned.parent is None:
        if value is None and isinstance(getattr(row, "office", None), Office):
            value = row.office.id
        return value
    parent = getattr(row, owned.relation) if owned.relation and value is None else None
    if parent is None and value is not None:
        parent = session.get(owned.parent, value)
    return office_of_row(session, parent) if parent is not None else None
