"""Who may see what: every staff URL requires a logged-in, active account; some require an admin."""

from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required

from matchmaker.extensions import db, login_manager
from matchmaker.models import StaffUser


@login_manager.user_loader
def load_user(user_id: str):
    """Load the logged-in staff user from the session."""
    user = db.session.get(StaffUser, int(user_id)) if user_id.isdigit() else None
    if user is not None:
        g.user_language = user.language
    return user


def staff_required(view):
    """Require a logged-in staff user (redirects to the login page otherwise)."""
    return login_required(view)


def admin_required(view):
    """Require a logged-in admin."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
