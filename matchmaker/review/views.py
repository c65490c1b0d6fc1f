"""Staff pages: the list of pairs, one pair (decide, annotate, record outcomes), the dashboard.

The weights page belongs to the suggestions area (``matchmaker.suggestions.views``)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker import reference
from matchmaker.clock import today
from matchmaker.extensions import db
from matchmaker.models import SUGGESTION_STATES, Suggestion
from matchmaker.models.review import OUTCOME_KINDS
from matchmaker.review import answers, exports, labels
from matchmaker.review import dashboard as dashboard_data
from matchmaker.review.charts import score_bars
from matchmaker.review.messages import review_error_message
from matchmaker.review.operations import (
    OPEN_FOR_DECISION,
    OPEN_FOR_OUTCOME,
    ReviewError,
    add_note,
    decide,
    record_outcome,
    rendered_reasons,
)
from matchmaker.review.queries import (
    PairFilters,
    existing_partner_names,
    find_suggestion,
    list_pairs,
    load_pair,
    regions,
)
from matchmaker.review.reading import concepts_for_reader
from matchmaker.scheduling.periods import ORG_TIMEZONES
from matchmaker.staff import visibility
from matchmaker.staff.access import staff_required
from matchmaker.suggestions.operations import current_weights
from matchmaker.vocabulary import DIMENSIONS

#: The area's blueprint: the staff workspace under /staff, and the public answer pages (:mod:`.answers`).
bp = Blueprint("review", __name__)
bp.add_url_rule("/answer/<token>", view_func=answers.answer, methods=["GET"])
bp.add_url_rule("/answer/<token>", view_func=answers.answer_post, methods=["POST"])
bp.add_url_rule("/staff/export/pairs.<fmt>", view_func=exports.export_pairs, methods=["GET"])
bp.add_url_rule("/staff/export/outcomes.<fmt>", view_func=exports.export_outcomes, methods=["GET"])


def _user():
    """The logged-in staff user object (not the proxy), as operations expect."""
    return current_user._get_current_object()


def filter_choices() -> dict:
    """Options of the list's filter form, labelled in the page's language."""
    lang = labels.current_language()
    return {
        "states": [(s, labels.STATE_LABELS[s]) for s in SUGGESTION_STATES],
        "themes": sorted(
            ((c, labels.theme_label(c, lang)) for c in labels.theme_codes()), key=lambda x: x[1].casefold()
        ),
        "fr_levels": [(lv.code, lv.label(lang)) for lv in reference.levels_for_country("FR")],
        "kr_levels": [(lv.code, lv.label(lang)) for lv in reference.levels_for_country("KR")],
        "fr_regions": regions("FR", labels.current_language()),
        "kr_regions": regions("KR", labels.current_language()),
        "outcomes": [(k, labels.OUTCOME_LABELS[k]) for k in OUTCOME_KINDS],
        "sorts": [
            ("score", _("Score")),
            *[(d, labels.DIMENSION_LABELS[d]) for d in DIMENSIONS],
            ("fr_name", _("French local government")),
            ("kr_name", _("Korean local government")),
            ("updated", _("Last change")),
        ],
    }


def _safe_back(target: str | None) -> str:
    """Go back only to the list of pairs (with its filters), never elsewhere."""
    if target and target.startswith("/staff/pairs") and "//" not in target and "\\" not in target:
        return target
    return url_for("review.pairs")


@bp.get("/staff/pairs")
@staff_required
def pairs():
    """The suggested pairs, filtered, sorted and paginated."""
    filters = PairFilters.from_args(request.args)
    page = list_pairs(filters, current_user.org, after=request.args.get("after"), before=request.args.get("before"))
    return render_template(
        "review/pairs.html", filters=filters, page=page, choices=filter_choices(), labels=labels, dimensions=DIMENSIONS
    )


@bp.get("/staff/pairs/<int(min=1, max=2147483647):suggestion_id>")
@staff_required
def pair(suggestion_id: int):
    """Both profiles side by side, the score breakdown, the reasons, decisions, history and notes."""
    detail = load_pair(suggestion_id)
    if detail is None:
        abort(404)
    s = detail.suggestion
    lang = labels.current_language()
    return render_template(
        "review/pair.html",
        detail=detail,
        s=s,
        labels=labels,
        dimensions=DIMENSIONS,
        reasons=rendered_reasons(s, lang),
        weights=dict(current_weights()),
        score_chart=score_bars(
            "score-breakdown",
            _("Score breakdown"),
            [(str(labels.DIMENSION_LABELS[d]), getattr(s, f"score_{d}")) for d in DIMENSIONS],
        ),
        can_decide=s.state in OPEN_FOR_DECISION,
        can_record_outcome=s.state in OPEN_FOR_OUTCOME,
        my_decision=s.cuf_decision if current_user.org == "CUF" else s.garok_decision,
        other_org="GAROK" if current_user.org == "CUF" else "CUF",
        other_decision=s.garok_decision if current_user.org == "CUF" else s.cuf_decision,
        outcome_kinds=[(k, labels.OUTCOME_LABELS[k]) for k in OUTCOME_KINDS],
        back=_safe_back(request.args.get("back")),
        today=today(ZoneInfo(ORG_TIMEZONES[current_user.org])).isoformat(),
        partners={
            side: existing_partner_names(c.response.existing_partners if c.response else None)
            for side, c in (("FR", s.fr), ("KR", s.kr))
        },
        read_across={
            side: concepts_for_reader(c.response.description, c.response.language, lang) if c.response else []
            for side, c in (("FR", s.fr), ("KR", s.kr))
        },
        contact_visible=_contact_visible(s),
    )


def _contact_visible(s: Suggestion) -> dict[str, bool]:
    """Whether the user's association may see each side's contact (the visibility rule)."""
    shared = visibility.shared_collectivite_ids([s.fr_id, s.kr_id])
    return {
        side: visibility.sees_contact(current_user.org, side, c.id, shared=shared)
        for side, c in (("FR", s.fr), ("KR", s.kr))
    }


def _act(suggestion_id: int, action, success: str):
    """Run one operation on a pair, commit, and go back to the pair with a message."""
    suggestion = find_suggestion(suggestion_id)
    if suggestion is None:
        abort(404)
    try:
        action(suggestion)
        db.session.commit()
        flash(success, "success")
    except ReviewError as exc:
        db.session.rollback()
        flash(review_error_message(exc), "error")
    return redirect(url_for("review.pair", suggestion_id=suggestion_id, back=request.form.get("back") or None))


@bp.post("/staff/pairs/<int(min=1, max=2147483647):suggestion_id>/decision")
@staff_required
def decision(suggestion_id: int):
    """Approve or reject a pair for the user's own association."""
    choice = request.form.get("decision", "")
    success = (
        _("You approved this pair for %(org)s.", org=current_user.org)
        if choice == "approve"
        else _("You rejected this pair for %(org)s.", org=current_user.org)
    )
    return _act(suggestion_id, lambda s: decide(s, _user(), choice, request.form.get("note")), success)


@bp.post("/staff/pairs/<int(min=1, max=2147483647):suggestion_id>/notes")
@staff_required
def note(suggestion_id: int):
    """Add a note to a pair."""
    return _act(suggestion_id, lambda s: add_note(s, _user(), request.form.get("text", "")), _("Note added."))


@bp.post("/staff/pairs/<int(min=1, max=2147483647):suggestion_id>/outcomes")
@staff_required
def outcome(suggestion_id: int):
    """Record what came of a pair."""

    def run(s):
        try:
            happened_on = date.fromisoformat(request.form.get("happened_on", ""))
        except ValueError:
            raise ReviewError("bad_date") from None
        record_outcome(s, _user(), request.form.get("kind", ""), happened_on, request.form.get("note"))

    return _act(suggestion_id, run, _("Outcome recorded."))


@bp.get("/staff/dashboard")
@staff_required
def dashboard():
    """Counts per state, theme and level, the conversion funnel and collectivités still without a suggestion."""
    stats = dashboard_data.collect()
    return render_template(
        "review/dashboard.html",
        stats=stats,
        charts=dashboard_data.charts(stats),
        tables=dashboard_data.tables(stats),
        funnel_labels=dashboard_data.funnel_labels(),
        group_names=list(dashboard_data.group_labels().values()),
        percent=dashboard_data.percent,
        labels=labels,
    )
