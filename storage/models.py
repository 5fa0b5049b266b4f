"""The tables of ldl-inbox (SQLAlchemy 2, typed).

The store answers one question, for each union and obligation: submitted on time, late, or
not yet?  Raw messages are kept whole and content-addressed (``blobs``), so every decision
below them (submissions, triage, ignored) can be re-made from the store by ``ldl reprocess``.
Every stored time is an aware UTC datetime (:class:`UTCDateTime`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive UTC text) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} refused: store aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Union(Base):
    """A grassroots union (CĐCS) of the directory."""

    __tablename__ = "unions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    bloc: Mapped[str] = mapped_column(String(8), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    active_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    aliases: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    addresses: Mapped[list[UnionAddress]] = relationship(
        back_populates="union", cascade="all, delete-orphan", order_by="UnionAddress.id"
    )


class UnionAddress(Base):
    """An address a union mails from; one address belongs to one union only."""

    __tablename__ = "union_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("unions.id", ondelete="CASCADE"), index=True)
    address: Mapped[str] = mapped_column(String(320), unique=True)
    source: Mapped[str] = mapped_column(String(16), default="directory")  # directory | learned
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    union: Mapped[Union] = relationship(back_populates="addresses")


class Obligation(Base):
    """An obligation of the calendar, mirrored from config so that SQL views can use it."""

    __tablename__ = "obligations"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str | None] = mapped_column(String(8), nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    deadline_text: Mapped[str] = mapped_column(String(200), default="")
    due_at: Mapped[datetime] = mapped_column()
    last_day: Mapped[date] = mapped_column(Date)


class ObligationBloc(Base):
    """Which blocs owe an obligation (one row per bloc), so views can join on it."""

    __tablename__ = "obligation_blocs"

    obligation_key: Mapped[str] = mapped_column(
        ForeignKey("obligations.key", ondelete="CASCADE"), primary_key=True
    )
    bloc: Mapped[str] = mapped_column(String(8), primary_key=True)


class Blob(Base):
    """Bytes stored once by their sha256: raw messages and attachment files."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Message(Base):
    """A received message: its raw bytes (by sha256), headers worth querying and its fate."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_message_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998), nullable=True)
    from_addr: Mapped[str] = mapped_column(String(320), default="")
    from_name: Mapped[str] = mapped_column(String(300), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    date_header: Mapped[datetime | None] = mapped_column(nullable=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    received_source: Mapped[str] = mapped_column(String(16), default="internaldate")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    source: Mapped[str] = mapped_column(String(500))  # imap://user@host/INBOX, maildir:/path
    source_ref: Mapped[str] = mapped_column(String(1000), default="")  # UID or file name
    # new | credited | triaged | ignored | quarantined
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    defects: Mapped[list[Any]] = mapped_column(JSON, default=list)
    body_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The run processing it now (ingest/claims.py): one run at a time, a dead run's claim
    # is taken over.
    claimed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)
    # Marked by ``ldl reprocess``: re-decide it; the old decision stands until replaced.
    rules_pending: Mapped[bool] = mapped_column(Boolean, default=False,
                                                server_default=false(), index=True)
    # An earlier message with the same Message-ID but another sender or date (both kept).
    message_id_clash_of: Mapped[int | None] = mapped_column(Integer, nullable=True)

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="Attachment.id"
    )


class Attachment(Base):
    """A file of a message, its bytes in ``blobs`` and the text that could be read from it."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"),
                                            index=True)
    filename: Mapped[str] = mapped_column(String(1000))
    content_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    text: Mapped[str] = mapped_column(Text, default="")
    heading: Mapped[str] = mapped_column(String(500), default="")
    # ok | partial | empty | skipped | timeout | failed; extract_error says why
    extract_status: Mapped[str] = mapped_column(String(16), default="pending")
    extract_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    message: Mapped[Message] = relationship(back_populates="attachments")


class Submission(Base):
    """A message credited to a union for an obligation.  Resends are later versions."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("message_id", "obligation_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"),
                                            index=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("unions.id"), index=True)
    obligation_key: Mapped[str] = mapped_column(ForeignKey("obligations.key"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    counted: Mapped[bool] = mapped_column(Boolean, default=True)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    decided_by: Mapped[str] = mapped_column(String(100), default="rules")  # rules | operator:x
    model_title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TriageItem(Base):
    """A message the machine could not place with confidence; a person decides."""

    __tablename__ = "triage_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"),
                                            unique=True)
    reason: Mapped[str] = mapped_column(Text)
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # open | assigned | dismissed
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Exemption(Base):
    """An operator's decision that a union does not owe an obligation."""

    __tablename__ = "exemptions"
    __table_args__ = (UniqueConstraint("union_id", "obligation_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    union_id: Mapped[int] = mapped_column(ForeignKey("unions.id", ondelete="CASCADE"))
    obligation_key: Mapped[str] = mapped_column(ForeignKey("obligations.key"))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OutboxItem(Base):
    """Outgoing mail.  The unique ``dedup_key`` is what makes every mail go out once."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # reminder | digest | receipt
    recipients: Mapped[list[Any]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(Text)
    mime_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"), nullable=True)
    message_id_header: Mapped[str] = mapped_column(String(998))
    # pending | sending | sent | failed | uncertain | superseded (docs/schema.md)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MailboxState(Base):
    """Per-mailbox retrieval state (getmail6-style): what has been taken already."""

    __tablename__ = "mailbox_state"
    __table_args__ = (UniqueConstraint("account", "folder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(500))
    folder: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuditEvent(Base):
    """Who did what, when: imports, exemptions, triage decisions, sends."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(500), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ReminderLog(Base):
    """One row per (union, obligation, stage) ever queued or superseded: sent at most once.

    A reminder mail may list several obligations, so the outbox key alone cannot say which
    stages went out; this table's unique key can, even with two daemons on one database.
    """

    __tablename__ = "reminder_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)  # remind:U:O:stage
    union_id: Mapped[int] = mapped_column(ForeignKey("unions.id", ondelete="CASCADE"),
                                          index=True)
    obligation_key: Mapped[str] = mapped_column(ForeignKey("obligations.key"))
    stage: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))  # queued | superseded
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
