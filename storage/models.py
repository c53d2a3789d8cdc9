"""Typed SQLAlchemy models of an office's annual work plan and what happens around it."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Return the current UTC time (used only for audit defaults; business logic takes a clock)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store aware datetimes as UTC and always hand back aware UTC datetimes (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Role(enum.StrEnum):
    staff = "staff"
    chief = "chief"
    coordinator = "coordinator"
    director = "director"


class Status(enum.StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    delayed = "delayed"


class Via(enum.StrEnum):
    """Where a person acts from (the chat, the console, the demo's history), as `ProgressReport.via` stores it, and
    the two marks 撤銷 writes there instead. The column stays a string: these are its values."""

    line = "line"
    console = "console"
    demo = "demo"
    undo = "undo"  # 撤銷: back to the report before
    taken_back = "undo:none"  # 撤銷: back to nothing

    @classmethod
    def is_undo(cls, via: str) -> bool:
        """Say whether a stored via marks a report 撤銷 wrote."""
        return via in (cls.undo, cls.taken_back)


class RequestStatus(enum.StrEnum):
    """Where a 我是 request stands (OnboardingRequest.status, a string column holding these values)."""

    pending = "pending"
    approved = "approved"
    refused = "refused"
    expired = "expired"
    replaced = "replaced"  # the same account asked again, or another request for the person was approved


class OverrideKind(enum.StrEnum):
    closure = "closure"
    workday = "workday"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=20, validate_strings=True)


class Office(Base):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    # Where the office is, as the DGPA's closure announcements name places (臺 spelling; district None = the county)
    county: Mapped[str | None] = mapped_column(String(10))
    district: Mapped[str | None] = mapped_column(String(10))

    plans: Mapped[list[Plan]] = relationship(back_populates="office")
    sections: Mapped[list[Section]] = relationship(back_populates="office")


class OfficeChannel(Base):
    """An office's own LINE official account: the bot's user ID (the webhook's `destination`), secret and token.

    The secret and the token are stored encrypted (Fernet, with PLANBOT_SECRET_KEY), so a dump of the database
    alone does not give them away.
    """

    __tablename__ = "office_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), unique=True)
    bot_user_id: Mapped[str] = mapped_column(String(33), unique=True)
    secret_enc: Mapped[str] = mapped_column(Text)
    token_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Plan(Base):
    """One office's plan for one (AD) year."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("office_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(500))
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Occurrences due before this day (and never reported) are history the office did not track here.
    tracking_from: Mapped[date | None] = mapped_column(Date)

    office: Mapped[Office] = relationship(back_populates="plans")
    items: Mapped[list[Item]] = relationship(back_populates="plan", order_by="Item.position")


class Section(Base):
    """A 課室 of an office."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(50))
    line_group_id: Mapped[str | None] = mapped_column(String(64), unique=True)

    office: Mapped[Office] = relationship(back_populates="sections")


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(50))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.staff)
    line_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    following: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    office: Mapped[Office] = relationship()
    section: Mapped[Section | None] = relationship()


class ItemOwner(Base):
    __tablename__ = "item_owners"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Item(Base):
    """One row of the control table: a piece of work with its schedule."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("plan_id", "section_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"))
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    schedule_text: Mapped[str] = mapped_column(Text, default="")
    months: Mapped[list] = mapped_column(JSON, default=list)
    schedule: Mapped[dict | None] = mapped_column(JSON)
    schedule_problem: Mapped[str | None] = mapped_column(Text)
    kpi: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[float | None] = mapped_column(Float)
    status_text: Mapped[str] = mapped_column(Text, default="")
    source_row: Mapped[int | None] = mapped_column(Integer)
    lead_days: Mapped[int | None] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="items")
    section: Mapped[Section] = relationship()
    owners: Mapped[list[Staff]] = relationship(
        secondary="item_owners", order_by="ItemOwner.position", viewonly=True
    )


class ProgressReport(Base):
    """One report on one occurrence of an item; history is kept, never overwritten."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    occurrence_key: Mapped[str] = mapped_column(String(40))
    status: Mapped[Status] = mapped_column(_enum(Status, "status"))
    percent: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    via: Mapped[str] = mapped_column(String(20), default=Via.line.value)  # a Via

    item: Mapped[Item] = relationship()
    staff: Mapped[Staff | None] = relationship()


class CalendarOverride(Base):
    """A typhoon closure or an extra workday of one office that wins over the official calendar."""

    __tablename__ = "calendar_overrides"
    __table_args__ = (UniqueConstraint("office_id", "day", name="uq_calendar_overrides_office_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[OverrideKind] = mapped_column(_enum(OverrideKind, "override_kind"))
    reason: Mapped[str] = mapped_column(String(200), default="")


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class InviteCode(Base):
    __tablename__ = "invite_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff] = relationship()


class LinkAttempt(Base):
    """A failed 綁定 try, kept to rate-limit guessing."""

    __tablename__ = "link_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookEvent(Base):
    """A LINE webhook event, recorded before it is handled so it is handled exactly once."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    source_key: Mapped[str] = mapped_column(String(80), index=True)
    timestamp_ms: Mapped[int] = mapped_column(BigInteger)
    mode: Mapped[str] = mapped_column(String(20), default="active")
    body: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str | None] = mapped_column(String(200))
    # The worker holding the event and until when (wall time, renewed while it lives); a claim past its
    # lease belongs to a dead worker and is taken over. Handling commits only while the claim is still its.
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The answer, rendered and committed with the effects before it is sent (an outbox); answered_at is
    # set once LINE took it (or nothing was to be sent), so a restart sends what a crash left unsent.
    answer: Mapped[list | None] = mapped_column(JSON)
    retry_key: Mapped[str | None] = mapped_column(String(36))
    send_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Set when a reply got no answer from LINE (it may still be accepted): until LINE says what became of the
    # reply token, the answer is not pushed, which would be a second copy.
    reply_unclear_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The office whose LINE account received the event (None: the one channel of the environment).
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"))


class Delivery(Base):
    """A push decided by the clock or a fan-out; written before sending so a restart resends it."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    morning: Mapped[date] = mapped_column(Date, index=True)
    recipient: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    reasons: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON)
    retry_key: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    cost: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # pushes of the monthly quota (a group: its members)
    # The office whose LINE account sends it and whose quota it takes (None: the one channel of the environment).
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"), index=True)


class ExportFile(Base):
    """A generated control-table file behind a one-time download link, kept here so every process can serve it.

    Only the SHA-256 of the link's token is kept. The bytes are dropped once the whole file was sent, and
    the row goes when the link expires (storage/export_files.py).
    """

    __tablename__ = "export_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ConsoleToken(Base):
    """A console sign-in link (kind `link`, 10 minutes, once) or a signed-in session (kind `session`, 8 hours).

    Only the SHA-256 of the token is kept: a copy of the database opens no console. An office's staff hold
    `link` and `session` rows; a city viewer holds `city_link` and `city_session` rows (0017), and the
    constraint keeps each kind to its holder, so no staff check can ever read a viewer's row as staff.
    """

    __tablename__ = "console_tokens"
    __table_args__ = (
        CheckConstraint(
            "(kind IN ('link', 'session') AND staff_id IS NOT NULL AND viewer_id IS NULL) OR "
            "(kind IN ('city_link', 'city_session') AND viewer_id IS NOT NULL AND staff_id IS NULL)",
            name="ck_console_tokens_holder",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("city_viewers.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    staff: Mapped[Staff | None] = relationship()  # always set on `link` and `session` rows (the constraint)
    viewer: Mapped[CityViewer | None] = relationship()


class CityViewer(Base):
    """Someone of the city (民政局, 研考會) who reads every office's figures and review reports, and nothing else.

    Not staff of any office: no LINE account, no section, no role in a plan; signs in with a console link.
    """

    __tablename__ = "city_viewers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    unit: Mapped[str] = mapped_column(String(100))  # e.g. 臺北市政府民政局
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConsoleUpload(Base):
    """A plan file uploaded in the console, kept between its dry-run report and the confirmation.

    Bound to the session that uploaded it (only the session token's hash is kept): another session, or a
    form naming another upload, cannot confirm it; the bytes are checked against their hash on confirmation.
    """

    __tablename__ = "console_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_hash: Mapped[str] = mapped_column(String(64), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# -- onboarding requests and rich menus ---------------------------------------------------------------


class OnboardingRequest(Base):
    """A LINE account that said 我是 NAME: waits for the coordinator's (or the section chief's) 同意 for 72 hours.

    status: pending, approved, refused, expired or replaced (the same account asked again).
    """

    __tablename__ = "onboarding_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_user_id: Mapped[str] = mapped_column(String(64), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=RequestStatus.pending.value)  # a RequestStatus
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))

    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id])


class RichMenuRecord(Base):
    """A rich menu `planbot richmenu install` made at LINE: which page of which role's menu, and its alias.

    Rich menus live in one LINE channel: an office with its own account has its own (office_id); None is the
    environment's channel.
    """

    __tablename__ = "rich_menus"
    __table_args__ = (UniqueConstraint("office_id", "page", name="uq_rich_menus_office_page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page: Mapped[str] = mapped_column(String(32))  # also the alias id, e.g. planbot-chief-2
    menu_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))


class RichMenuLink(Base):
    """The rich menu planbot last linked to a LINE account (so a role change or an unlink switches it once)."""

    __tablename__ = "rich_menu_links"

    line_user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    page: Mapped[str] = mapped_column(String(32))
    menu_id: Mapped[str] = mapped_column(String(100))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime)


# Deputies and leave (職務代理人, 請假)


class StaffDeputies(Base):
    """A person's first and second deputy (職務代理人順序), who take their reminders while they are on leave."""

    __tablename__ = "staff_deputies"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True)
    first_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    second_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))


class Leave(Base):
    """One leave of one person, whole days from `starts` to `ends` (a half day counts as the whole day)."""

    __tablename__ = "leaves"
    __table_args__ = (UniqueConstraint("staff_id", "starts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20), default="")  # 假別 (特休, 事假…) as the leave system says it
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(100), default="")

    staff: Mapped[Staff] = relationship()


class CoveredReport(Base):
    """A report made by a deputy on an owner's item while covering for them (on behalf of the owner)."""

    __tablename__ = "covered_reports"

    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)


# The push budget: reminder lines not pushed (the month's quota), told with the person's next reply.


class HeldLine(Base):
    """A reminder line the push budget did not push; attached once to the person's next reply, then marked told."""

    __tablename__ = "held_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    morning: Mapped[date] = mapped_column(Date)
    item_id: Mapped[int | None] = mapped_column(Integer)
    occurrence_key: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(String(30))
    line: Mapped[dict] = mapped_column(JSON)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


# ---------------------------------------------------------------- conversation state (0011)


class ConversationState(Base):
    """What the bot waits for from one person (a reason after 延後, the page after 更多): one row per person."""

    __tablename__ = "conversation_state"

    actor: Mapped[str] = mapped_column(String(100), primary_key=True)  # as the audit log names people
    topic: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# ---------------------------------------------------------------- closure announcements (0012)


class FeedCheck(Base):
    """One reading of the DGPA's closure feed for an office: what was read and decided, or why it failed."""

    __tablename__ = "feed_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ok: Mapped[bool] = mapped_column(Boolean)
    alert: Mapped[bool] = mapped_column(Boolean, default=False)  # an entry named the office's county
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class FeedAction(Base):
    """What an announcement made planbot do for a day, once: a closure applied, or a question to the coordinator."""

    __tablename__ = "feed_actions"
    __table_args__ = (UniqueConstraint("office_id", "day", "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(20))
    entry_id: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


# ---------------------------------------------------------------- the monthly review, 管考 (0014)


class LagReason(Base):
    """Why an occurrence is behind (落後原因) and what is done about it (因應對策), as its owner or the chief wrote them.

    One row per occurrence: a later answer replaces the text (the audit log keeps every version). `asked_at`
    says the owner was asked in the chat, so they are asked once.
    """

    __tablename__ = "lag_reasons"
    __table_args__ = (UniqueConstraint("item_id", "occurrence_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    occurrence_key: Mapped[str] = mapped_column(String(40))
    cause: Mapped[str] = mapped_column(Text, default="")
    remedy: Mapped[str] = mapped_column(Text, default="")
    written_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    written_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[Item] = relationship()
    writer: Mapped[Staff | None] = relationship()


class Listing(enum.StrEnum):
    """列管: a section's suggestion and the coordinator's decision for an item that was behind."""

    release = "release"  # 解除列管
    keep = "keep"  # 繼續列管


class ReviewDecision(Base):
    """One item's 列管 in one month's review: the section's suggestion and the coordinator's decision."""

    __tablename__ = "review_decisions"
    __table_args__ = (UniqueConstraint("item_id", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    suggestion: Mapped[Listing | None] = mapped_column(_enum(Listing, "listing"))
    suggested_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    suggested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[Listing | None] = mapped_column(_enum(Listing, "listing_decision"))
    opinion: Mapped[str] = mapped_column(Text, default="")  # 研考意見
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    item: Mapped[Item] = relationship()


class Resolution(Base):
    """A 決議 of a monthly review meeting; with an owner and a date it is tracked as a follow-up item of the plan."""

    __tablename__ = "resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)  # the month reviewed at the meeting
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))  # the item discussed
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    due: Mapped[date | None] = mapped_column(Date)
    followup_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    item: Mapped[Item | None] = relationship(foreign_keys=[item_id])
    followup: Mapped[Item | None] = relationship(foreign_keys=[followup_id])
    owner: Mapped[Staff | None] = relationship(foreign_keys=[owner_id])
