"""Login and logout of staff."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from matchmaker.extensions import db, limiter, login_manager
from matchmaker.staff import access  # registers the user loader
from matchmaker.staff.operations import authenticate

bp = Blueprint("staff", __name__, url_prefix="/staff")
login_manager.login_view = "staff.login"
login_manager.login_message = None


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("review.pairs")


@bp.get("/")
@access.staff_required
def workspace():
    """The workspace's own address leads to the pairs to review (through the login page when logged out)."""
    return redirect(url_for("review.pairs"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login():
    """Show the login form; log the user in on valid credentials."""
    error = None
    if request.method == "POST":
        user = authenticate(request.form.get("email", ""), request.form.get("password", ""))
        if user is not None:
            db.session.commit()
            session.pop("lang", None)  # the account's language now applies
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error = _("Unknown email or wrong password.")
    return render_template("staff/login.html", error=error, email=request.form.get("email", "")), (
        401 if error else 200
    )


@bp.post("/logout")
def logout():
    """Log out and go back to the home page."""
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("site.index"))
