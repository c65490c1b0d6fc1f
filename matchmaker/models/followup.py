"""What happens after both sides said "interested": the first video call, its proposed slots, and surveys."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.clock import utcnow
from matchmaker.models.base import Base

CALL_STATES = ("proposed", "confirmed")
SLOT_PROPOSERS = ("system", "FR", "KR")


class FirstCall(Base):
    """The first video call of a mutual pair: proposed slots until both sides accept one, then confirmed."""

    __tablename__ = "first_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(12), default="proposed")
    starts_at: Mapped[datetime | None]  # the confirmed instant (UTC)
    minutes: Mapped[int] = mapped_column(default=60)
    meeting_link: Mapped[str | None] = mapped_column(String(500))
    interpreter_note: Mapped[str | None] = mapped_column(Text)
    fr_answered_at: Mapped[datetime | None]
    kr_answered_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    slots: Mapped[list["CallSlot"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallSlot.starts_at"
    )

    __table_args__ = (CheckConstraint("state IN ('proposed', 'confirmed')", name="state"),)


class CallSlot(Base):
    """One proposed start of the first call, and whether each side can make it (None: not answered yet)."""

    __tablename__ = "call_slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("first_call.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    proposed_by: Mapped[str] = mapped_column(String(6), default="system")
    fr_accepts: Mapped[bool | None]
    kr_accepts: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[FirstCall] = relationship(back_populates="slots")

    __table_args__ = (
        UniqueConstraint("call_id", "starts_at"),
        CheckConstraint("proposed_by IN ('system', 'FR', 'KR')", name="proposed_by"),
        Index("ix_call_slot_starts_at", "starts_at"),
    )


SURVEY_WAVES = (1, 3, 6)  # months after mutual interest
SURVEY_ANSWERS = ("no_contact", "met", "letter_of_intent", "agreement", "stopped")
STOP_REASONS = ("no_reply", "priorities_changed", "not_a_fit", "language", "other")


class SurveyAnswer(Base):
    """One side's answer to "What came of it?" 1, 3 or 6 months after mutual interest (None until answered)."""

    __tablename__ = "survey_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(2))
    wave: Mapped[int]
    answer: Mapped[str | None] = mapped_column(String(20))
    stop_reason: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("suggestion_id", "side", "wave"),
        CheckConstraint("side IN ('FR', 'KR')", name="side"),
        CheckConstraint(
            "answer IS NULL OR answer IN ('no_contact', 'met', 'letter_of_intent', 'agreement', 'stopped')",
            name="answer",
        ),
    )


class ProfileReminder(Base):
    """The one time a collectivité's digest reminded it of what its questionnaire answers still miss."""

    __tablename__ = "profile_reminder"

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    percent: Mapped[int]
    reminded_at: Mapped[datetime] = mapped_column(default=utcnow)
