"""The suggestions area's page: admins change the weights of the dimensions, preview the effect on the current
ranking (or weights learned from staff decisions), then apply them.

The page lives beside the weights' logic (``suggestions.operations``) rather than in the review workspace; its
address (``/staff/weights``) and behaviour are those it always had.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.extensions import db
from matchmaker.review import labels
from matchmaker.staff.access import admin_required
from matchmaker.suggestions import queries
from matchmaker.suggestions.operations import (
    LEARNING_FOLDS,
    WeightsError,
    apply_weights,
    current_weights,
    decision_counts,
    preview_weights,
    tune_weights_from_decisions,
)
from matchmaker.vocabulary import DIMENSIONS

bp = Blueprint("suggestions", __name__)


def weights_from_form(form) -> tuple[dict[str, float], list[str]]:
    """Dimension weights typed by an admin (0 to 100 each, at least one above 0)."""
    weights, errors = {}, []
    for dim in DIMENSIONS:
        raw = (form.get(f"w_{dim}") or "").strip().replace(",", ".")
        try:
            value = float(raw)
        except ValueError:
            errors.append(_("%(dimension)s: give a number between 0 and 100.", dimension=labels.DIMENSION_LABELS[dim]))
            continue
        if not 0 <= value <= 100:
            errors.append(_("%(dimension)s: give a number between 0 and 100.", dimension=labels.DIMENSION_LABELS[dim]))
            continue
        weights[dim] = value / 100.0
    if not errors and sum(weights.values()) <= 0:
        errors.append(_("At least one weight must be above 0."))
    return weights, errors


@bp.route("/staff/weights", methods=["GET", "POST"])
@admin_required
def weights():
    """Admins change the weights of the dimensions: preview the effect on the current ranking, then apply."""
    current = dict(current_weights())
    proposed, errors, preview, names, learned, cannot_learn = current, [], None, {}, None, None
    if request.method == "POST" and request.form.get("action") == "learn":
        # weights fitted on the pairs staff approved and rejected: shown and previewed, applied only by "apply"
        try:
            learned = tune_weights_from_decisions(cv=LEARNING_FOLDS)
        except ValueError:
            cannot_learn = True
    if request.method == "POST" and not cannot_learn:
        form = request.form if learned is None else {f"w_{d}": str(learned.new_weights[d] * 100) for d in DIMENSIONS}
        proposed, errors = weights_from_form(form)
        try:
            if not errors and request.form.get("action") == "apply":
                apply_weights(proposed, current_user._get_current_object())
                db.session.commit()
                flash(_("The new weights are saved; the suggestions are being recomputed with them."), "success")
                return redirect(url_for("suggestions.weights"))
            if not errors:
                preview = preview_weights(proposed)
                db.session.rollback()  # a preview never changes anything
                names = queries.preview_collectivites(preview)
        except WeightsError as exc:
            db.session.rollback()
            errors.append(str(exc))
        proposed = {**current, **proposed}
    approved, rejected = decision_counts()
    return render_template(
        "suggestions/weights.html",
        current=current,
        proposed=proposed,
        errors=errors,
        preview=preview,
        names=names,
        dimensions=DIMENSIONS,
        labels=labels,
        learned=learned,
        cannot_learn=cannot_learn,
        approved=approved,
        rejected=rejected,
        needed=LEARNING_FOLDS,
    ), (400 if errors else 200)
