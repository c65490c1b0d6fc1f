"""What staff and collectivités did with a pair: decisions (audit trail), notes, introductions, outcomes."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.clock import utcnow
from matchmaker.models.base import Base

DECISIONS = ("approve", "reject")
ANSWERS = ("interested", "not_interested")
OUTCOME_KINDS = ("meeting", "letter_of_intent", "agreement", "no_follow_up")


class ReviewDecision(Base):
    """One association's approval or rejection of a pair, kept forever as the audit trail."""

    __tablename__ = "review_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id", ondelete="CASCADE"))
    org: Mapped[str] = mapped_column(String(8))
    decision: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["StaffUser | None"] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("org IN ('CUF', 'GAROK')", name="org"),
        CheckConstraint("decision IN ('approve', 'reject')", name="decision"),
        Index("ix_review_decision_suggestion_id", "suggestion_id"),
    )


class PairNote(Base):
    """A reviewer's note on a pair."""

    __tablename__ = "pair_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped["StaffUser | None"] = relationship()  # noqa: F821

    __table_args__ = (Index("ix_pair_note_suggestion_id", "suggestion_id"),)


class Introduction(Base):
    """Both collectivités of an approved pair were introduced; each answers interested / not interested."""

    __tablename__ = "introduction"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    fr_answer: Mapped[str | None] = mapped_column(String(16))
    fr_answered_at: Mapped[datetime | None]
    kr_answer: Mapped[str | None] = mapped_column(String(16))
    kr_answered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    suggestion: Mapped["Suggestion"] = relationship()  # noqa: F821

    __table_args__ = (
        CheckConstraint("fr_answer IS NULL OR fr_answer IN ('interested', 'not_interested')", name="fr_answer"),
        CheckConstraint("kr_answer IS NULL OR kr_answer IN ('interested', 'not_interested')", name="kr_answer"),
    )


class Outcome(Base):
    """What came of a pair, recorded by staff with its date (meeting, letter of intent, agreement, no follow-up)."""

    __tablename__ = "outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestion.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    happened_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("kind IN ('meeting', 'letter_of_intent', 'agreement', 'no_follow_up')", name="kind"),
        Index("ix_outcome_suggestion_id", "suggestion_id"),
    )
