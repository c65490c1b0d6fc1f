"""Staff accounts of CUF and GAROK."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.clock import utcnow
from matchmaker.models.base import Base

ROLES = ("reviewer", "admin")


class StaffUser(UserMixin, Base):
    """A reviewer or admin of one association (CUF or GAROK)."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    org: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(16), default="reviewer")
    language: Mapped[str] = mapped_column(String(2), default="fr")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("org IN ('CUF', 'GAROK')", name="org"),
        CheckConstraint("role IN ('reviewer', 'admin')", name="role"),
        CheckConstraint("language IN ('fr', 'ko', 'en')", name="language"),
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password (scrypt)."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        """Whether the account may log in."""
        return self.active

    @property
    def is_admin(self) -> bool:
        """Whether the user may change weights and manage accounts."""
        return self.role == "admin"
