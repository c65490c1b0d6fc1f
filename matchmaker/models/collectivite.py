"""A French or Korean local government taking part (commune, région, 시, 도 …)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.clock import utcnow
from matchmaker.models.base import Base


def reader_name(name: str | None, name_local: str | None, lang: str | None, *, with_original: bool = False) -> str:
    """A collectivité's name for a reader of ``lang``: Hangul for Korean readers when known, the romanised name
    otherwise, followed by the original script when ``with_original`` and it differs ("Guro-gu (구로구)").

    For rows and answers that are not a :class:`Collectivite`; :meth:`Collectivite.name_for` says the same.
    """
    if lang == "ko" and name_local:
        return name_local
    if with_original and name and name_local and name_local != name:
        return f"{name} ({name_local})"
    return name or name_local or ""


class Collectivite(Base):
    """A local government, identified by country + level + official code (or by name when it has no code)."""

    __tablename__ = "collectivite"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    level: Mapped[str] = mapped_column(String(32))
    code: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    name_local: Mapped[str | None] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None]
    region: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    response: Mapped["Response | None"] = relationship(back_populates="collectivite", uselist=False)  # noqa: F821

    __table_args__ = (
        CheckConstraint("country IN ('FR', 'KR')", name="country"),
        CheckConstraint("population IS NULL OR population > 0", name="population_positive"),
        Index(
            "uq_collectivite_country_level_code",
            "country",
            "level",
            "code",
            unique=True,
            sqlite_where=text("code IS NOT NULL"),
            postgresql_where=text("code IS NOT NULL"),
        ),
        Index("ix_collectivite_country_name_key", "country", "name_key"),
        Index("ix_collectivite_country_level", "country", "level"),
    )

    def name_for(self, lang: str | None, *, with_original: bool = False) -> str:
        """The name a reader of ``lang`` knows it by (see :func:`reader_name`)."""
        return reader_name(self.name, self.name_local, lang, with_original=with_original)

    @property
    def display_name(self) -> str:
        """Name with the original script when it differs ("Guro-gu (구로구)")."""
        if self.name_local and self.name_local != self.name:
            return f"{self.name} ({self.name_local})"
        return self.name
