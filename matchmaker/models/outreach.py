"""Outreach: invitation campaigns sent by one association to collectivités of its own country."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.clock import utcnow
from matchmaker.models.base import Base

#: At most this many reminders per invitation.
MAX_REMINDERS = 2


class Campaign(Base):
    """A set of invitations sent by CUF (to French) or GAROK (to Korean) collectivités, with spaced reminders."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str] = mapped_column(String(8))
    country: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    reminder_after_days: Mapped[int] = mapped_column(Integer, default=10)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="Invitation.id"
    )

    __table_args__ = (
        CheckConstraint("org IN ('CUF', 'GAROK')", name="org"),
        CheckConstraint("country IN ('FR', 'KR')", name="country"),
        CheckConstraint("reminder_after_days BETWEEN 1 AND 90", name="reminder_after_days"),
    )


class Invitation(Base):
    """One collectivité of the reference lists invited to answer, with the draft its private link opens."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))
    level: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    name_local: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="fr")
    #: Random part of the signed invitation link; changing it kills the links already sent.
    link_nonce: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    last_reminder_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship(back_populates="invitations")
    response: Mapped["Response | None"] = relationship()  # noqa: F821

    __table_args__ = (
        UniqueConstraint("campaign_id", "level", "code"),
        CheckConstraint("language IN ('fr', 'ko', 'en')", name="language"),
        CheckConstraint("reminders_sent BETWEEN 0 AND 2", name="reminders_sent"),
        Index("ix_invitation_response_id", "response_id"),
        Index("ix_invitation_email", "email"),
    )


PARTNERSHIP_ORIGINS = ("declared", "import")


class KnownPartnership(Base):
    """A France–Korea partnership that already exists: declared by a respondent or loaded from a public list,
    with its source. Never suggested again; shown on the partnerships map."""

    __tablename__ = "known_partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    fr_level: Mapped[str] = mapped_column(String(32))
    fr_code: Mapped[str] = mapped_column(String(16))
    fr_name: Mapped[str] = mapped_column(String(200))
    kr_level: Mapped[str] = mapped_column(String(32))
    kr_code: Mapped[str] = mapped_column(String(16))
    kr_name: Mapped[str] = mapped_column(String(200))
    kr_name_local: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(24))
    year: Mapped[int | None] = mapped_column(Integer)
    themes: Mapped[list] = mapped_column(default=list)
    source: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(8))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("fr_level", "fr_code", "kr_level", "kr_code"),
        CheckConstraint("origin IN ('declared', 'import')", name="origin"),
        CheckConstraint("year IS NULL OR year BETWEEN 1950 AND 2100", name="year"),
    )


class SeminarPanel(Base):
    """Two French and two Korean collectivités fixed by staff to lead a seminar on one theme."""

    __tablename__ = "seminar_panel"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_code: Mapped[str] = mapped_column(String(40))
    member_ids: Mapped[list] = mapped_column(default=list)  # collectivité ids, French first
    fixed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    fixed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_seminar_panel_fixed_at", "fixed_at"),)
