"""Views of the public site: home page, privacy notice, language switch, health check."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from sqlalchemy import text

from matchmaker.extensions import db
from matchmaker.mail.health import smtp_reachable
from matchmaker.vocabulary import LANGUAGES

bp = Blueprint("site", __name__)


@bp.get("/")
def index():
    """Home page: what the service does and where to start."""
    return render_template("site/index.html")


@bp.get("/privacy")
def privacy():
    """The information notice: what is collected, by whom, why, for how long, and how to have it erased."""
    return render_template("site/privacy.html", retention_days=current_app.config["RETENTION_DAYS"])


@bp.get("/language/<lang>")
def set_language(lang: str):
    """Remember the chosen language and go back to the page the user came from (same site only)."""
    if lang in LANGUAGES:
        session["lang"] = lang
    target = request.args.get("next") or url_for("site.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        target = url_for("site.index")
    return redirect(target)


@bp.get("/favicon.ico")
def favicon():
    """The icon browsers ask for at the site's root (pages also link the SVG version)."""
    return send_from_directory(
        current_app.static_folder, "img/favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600
    )


@bp.get("/healthz")
def healthz():
    """Database and SMTP reachability, for load balancers and supervision."""
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy; the reason goes to the operator
        checks["database"] = f"error: {exc.__class__.__name__}"
    finally:
        db.session.rollback()
    checks["smtp"] = "ok" if smtp_reachable(current_app.config) else "unreachable"
    healthy = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if healthy else "degraded", checks=checks), (200 if healthy else 503)
