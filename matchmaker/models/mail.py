"""Email: digest recipients and their subscriptions, and the outbox every email passes through."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.clock import utcnow
from matchmaker.models.base import Base

SUBSCRIPTION_KINDS = ("reviewer_digest", "partner_digest", "reminder")
FREQUENCIES = ("weekly", "monthly", "yearly", "never")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "ambiguous")


class DigestRecipient(Base):
    """Someone who receives digests: a staff member or a collectivité's contact, with language and time zone."""

    __tablename__ = "digest_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="fr")
    timezone: Mapped[str] = mapped_column(String(40), default="Europe/Paris")
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    subscriptions: Mapped[list["Subscription"]] = relationship(back_populates="recipient", cascade="all, delete-orphan")


class Subscription(Base):
    """One kind of digest for one recipient, at a frequency, until unsubscribed."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("digest_recipient.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    frequency: Mapped[str] = mapped_column(String(8), default="weekly")
    unsubscribed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recipient: Mapped[DigestRecipient] = relationship(back_populates="subscriptions")

    __table_args__ = (
        UniqueConstraint("recipient_id", "kind"),
        CheckConstraint("frequency IN ('weekly', 'monthly', 'yearly', 'never')", name="frequency"),
    )


class OutboxMessage(Base):
    """One email, written in the same transaction as the change it reports; delivered later by a job.

    ``key`` is unique (e.g. ``review-digest:<recipient>:<period>``), so building the same email twice is harmless.
    """

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="fr")
    subject: Mapped[str] = mapped_column(String(998))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict] = mapped_column(default=dict)
    message_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sending_started_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous')", name="status"),
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_message_recipient", "recipient"),
    )


class OutboxAttachment(Base):
    """A file sent with an outbox email (e.g. the iCalendar invitation of a first call), written with it."""

    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(120))
    content: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_outbox_attachment_message_id", "message_id"),)
