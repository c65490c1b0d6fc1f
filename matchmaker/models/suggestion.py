"""Suggested French–Korean pairs with their per-dimension scores, and the matching runs that produced them."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.clock import utcnow
from matchmaker.models.base import Base

#: suggested → approved (both associations) → introduced → mutual / declined; rejected by staff at any time before.
SUGGESTION_STATES = ("suggested", "approved", "rejected", "introduced", "mutual", "declined")


class MatchRun(Base):
    """One matching computation: parameters, counts, duration."""

    __tablename__ = "match_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # full | incremental (nightly) | single (one response)
    status: Mapped[str] = mapped_column(String(16), default="running")
    params: Mapped[dict] = mapped_column(default=dict)
    counts: Mapped[dict] = mapped_column(default=dict)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class Suggestion(Base):
    """A French–Korean pair proposed by the engine, and everything that happened to it afterwards."""

    __tablename__ = "suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    fr_id: Mapped[int] = mapped_column(ForeignKey("collectivite.id", ondelete="CASCADE"))
    kr_id: Mapped[int] = mapped_column(ForeignKey("collectivite.id", ondelete="CASCADE"))
    score_total: Mapped[float] = mapped_column(Float)
    score_themes: Mapped[float] = mapped_column(Float, default=0.0)
    score_complementarity: Mapped[float] = mapped_column(Float, default=0.0)
    score_sectors: Mapped[float] = mapped_column(Float, default=0.0)
    score_size: Mapped[float] = mapped_column(Float, default=0.0)
    score_text: Mapped[float] = mapped_column(Float, default=0.0)
    rank_fr: Mapped[int | None] = mapped_column(
        Integer
    )  # rank of the Korean partner among the French side's suggestions
    rank_kr: Mapped[int | None] = mapped_column(
        Integer
    )  # rank of the French partner among the Korean side's suggestions
    reasons: Mapped[list] = mapped_column(default=list)
    #: Theme codes the pair has in common (shared or offered), sorted: the review list's theme filter. A list on
    #: the row rather than a row per theme, so the nightly recompute writes one row per pair.
    theme_codes: Mapped[list] = mapped_column(default=list, server_default=text("'[]'"))
    state: Mapped[str] = mapped_column(String(16), default="suggested")
    cuf_decision: Mapped[str | None] = mapped_column(String(8))
    garok_decision: Mapped[str | None] = mapped_column(String(8))
    outcome: Mapped[str | None] = mapped_column(String(24))
    is_current: Mapped[bool] = mapped_column(default=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("match_run.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    fr: Mapped["Collectivite"] = relationship(foreign_keys=[fr_id])  # noqa: F821
    kr: Mapped["Collectivite"] = relationship(foreign_keys=[kr_id])  # noqa: F821

    __table_args__ = (
        UniqueConstraint("fr_id", "kr_id"),
        CheckConstraint(
            "state IN ('suggested', 'approved', 'rejected', 'introduced', 'mutual', 'declined')", name="state"
        ),
        CheckConstraint("cuf_decision IS NULL OR cuf_decision IN ('approve', 'reject')", name="cuf_decision"),
        CheckConstraint("garok_decision IS NULL OR garok_decision IN ('approve', 'reject')", name="garok_decision"),
        Index("ix_suggestion_state_score", "state", "score_total"),
        Index("ix_suggestion_score_total", "score_total"),
        Index("ix_suggestion_kr_id", "kr_id"),
        # The review list sorts by any dimension or by last change, paginated by (value, id).
        Index("ix_suggestion_score_themes", "score_themes", "id"),
        Index("ix_suggestion_score_complementarity", "score_complementarity", "id"),
        Index("ix_suggestion_score_sectors", "score_sectors", "id"),
        Index("ix_suggestion_score_size", "score_size", "id"),
        Index("ix_suggestion_score_text", "score_text", "id"),
        Index("ix_suggestion_updated_at", "updated_at", "id"),
        # GIN on PostgreSQL (theme_codes @> '["code"]'); on SQLite a plain index the filter does not use.
        Index(
            "ix_suggestion_theme_codes",
            "theme_codes",
            postgresql_using="gin",
            postgresql_ops={"theme_codes": "jsonb_path_ops"},
        ),
    )
