"""Operations on staff accounts (the only place that writes them)."""

import logging
import re

from sqlalchemy import func, select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.models import StaffUser
from matchmaker.models.staff import ROLES
from matchmaker.vocabulary import LANGUAGES, ORGS

log = logging.getLogger("matchmaker.staff")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


class StaffError(ValueError):
    """An account cannot be created or changed as asked."""


def create_user(
    email: str, password: str, org: str, role: str = "reviewer", language: str = "fr", name: str | None = None
) -> StaffUser:
    """Create a staff account with a hashed password; the caller commits."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise StaffError(f"invalid email address: {email!r}")
    if org not in ORGS:
        raise StaffError(f"org must be one of {', '.join(ORGS)}")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise StaffError("language must be fr, ko or en")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email)):
        raise StaffError(f"an account already exists for {email}")
    user = StaffUser(email=email, org=org, role=role, language=language, name=name)
    user.set_password(password)
    db.session.add(user)
    log.info("staff user created", extra={"email": email, "org": org, "role": role})
    return user


def authenticate(email: str, password: str) -> StaffUser | None:
    """Return the active account matching email and password, recording the login; None otherwise."""
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user
