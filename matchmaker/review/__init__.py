"""The staff review workspace: suggested pairs, decisions, introductions, outcomes, dashboard."""
from flask import Blueprint

from matchmaker.staff.access import staff_required

bp = Blueprint("review", __name__, url_prefix="/staff")


@bp.get("/pairs")
@staff_required
def pairs():
    """Suggested pairs (the review area fills this page)."""
    from flask import render_template

    return render_template("review/pairs.html")
