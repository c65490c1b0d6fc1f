"""Questionnaire answers: the current response of a collectivité, its theme interests and its version history."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.clock import utcnow
from matchmaker.models.base import Base

RESPONSE_STATUSES = ("draft", "submitted")
DIGEST_FREQUENCIES = ("weekly", "monthly", "never")
VERSION_SOURCES = ("web", "import", "staff", "system")


class Response(Base):
    """The current answers of one collectivité (one response per collectivité; earlier answers in ResponseVersion).

    ``collectivite_id`` stays empty while a draft has no identity yet; ``draft`` holds answers being
    edited and not yet submitted, so nothing typed is lost.
    """

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    collectivite_id: Mapped[int | None] = mapped_column(ForeignKey("collectivite.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_role: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    sectors: Mapped[list] = mapped_column(default=list)
    partner_levels: Mapped[list] = mapped_column(default=list)
    cooperation_kinds: Mapped[list] = mapped_column(default=list)
    working_languages: Mapped[list] = mapped_column(default=list)
    existing_partners: Mapped[list] = mapped_column(default=list)
    description: Mapped[str | None] = mapped_column(Text)
    consent_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_share: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_frequency: Mapped[str] = mapped_column(String(8), default="monthly")
    draft: Mapped[dict | None]
    draft_saved_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    collectivite: Mapped["Collectivite | None"] = relationship(back_populates="response")  # noqa: F821
    themes: Mapped[list["ThemeInterest"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="ThemeInterest.theme_code"
    )
    versions: Mapped[list["ResponseVersion"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="ResponseVersion.number"
    )

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
        CheckConstraint("language IN ('fr', 'ko', 'en')", name="language"),
        CheckConstraint("digest_frequency IN ('weekly', 'monthly', 'never')", name="digest_frequency"),
        Index("ix_response_status", "status"),
        Index("ix_response_contact_email", "contact_email"),
    )


class ThemeInterest(Base):
    """One theme of a response, with its priority (1–3) and stance (offer / seek / both)."""

    __tablename__ = "theme_interest"

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    theme_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    priority: Mapped[int] = mapped_column(Integer)
    stance: Mapped[str] = mapped_column(String(8))

    response: Mapped[Response] = relationship(back_populates="themes")

    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority"),
        CheckConstraint("stance IN ('offer', 'seek', 'both')", name="stance"),
        Index("ix_theme_interest_theme_code", "theme_code"),
    )


class ResponseVersion(Base):
    """A frozen copy of a response's answers at one submission, in import/export record form."""

    __tablename__ = "response_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict]
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[Response] = relationship(back_populates="versions")

    __table_args__ = (UniqueConstraint("response_id", "number"),)


class AccessToken(Base):
    """A private link: random token (only its SHA-256 is stored), purpose, expiry, revocation, single use."""

    __tablename__ = "access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(24))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion.id", ondelete="CASCADE"))
    side: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_access_token_response_id", "response_id"),
        Index("ix_access_token_suggestion_id", "suggestion_id"),
    )
