"""Public pages behind the private links of introduction emails: "interested" / "not interested".

Opening a link (GET, which mail scanners and link previews do) only shows a confirmation page; the answer
is the POST of that page, and consumes the link.
"""

from __future__ import annotations

from flask import make_response, render_template, request
from flask_babel import gettext as _

from matchmaker.extensions import db, limiter
from matchmaker.models.review import ANSWERS
from matchmaker.review import labels
from matchmaker.review.operations import ReviewError, introduction_context
from matchmaker.review.operations import answer as record_answer
from matchmaker.review.queries import find_suggestion
from matchmaker.security import private_page
from matchmaker.tokens import TokenError, resolve_token
from matchmaker.vocabulary import COUNTRIES


def _unusable(reason: str):
    """The page for a link that cannot be used, saying why."""
    texts = {
        "used": _("An answer has already been given through this link. Thank you."),
        "expired": _("This link has expired. Cités Unies France or GAROK can send you a new introduction."),
        "revoked": _("This introduction is closed: no answer is needed any more."),
        "unknown": _("This link is not valid. Please check that you copied the whole address."),
    }
    status = 404 if reason == "unknown" else 410
    page = render_template("review/answer/unusable.html", reason=reason, text=texts.get(reason, texts["unknown"]))
    return private_page(make_response(page, status))


def _confirm_page(token: str, choice: str | None, error: str | None = None, status: int = 200):
    """The confirmation page of a live link, or the page saying why the link cannot be used."""
    try:
        found = resolve_token(token, "answer")
    except TokenError as exc:
        return _unusable(exc.reason)
    suggestion = find_suggestion(found.suggestion_id) if found.suggestion_id else None
    if suggestion is None or found.side not in COUNTRIES or suggestion.state != "introduced":
        return _unusable("revoked")
    context = introduction_context(suggestion, found.side, labels.current_language())
    page = render_template(
        "review/answer/confirm.html",
        token=token,
        choice=choice if choice in ANSWERS else None,
        error=error,
        labels=labels,
        **context,
    )
    return private_page(make_response(page, status))


def answer(token: str):
    """Confirmation page: who the partner is and why; the answer is given by the buttons (POST)."""
    return _confirm_page(token, request.args.get("choice"))


@limiter.limit("20 per minute")
def answer_post(token: str):
    """Record the answer and thank the collectivité."""
    choice = request.form.get("choice", "")
    try:
        result = record_answer(token, choice)
        db.session.commit()
    except TokenError as exc:
        db.session.rollback()
        return _unusable(exc.reason)
    except ReviewError:
        db.session.rollback()
        return _confirm_page(token, None, _("Please choose one of the two answers."), 400)
    return private_page(make_response(render_template("review/answer/done.html", result=result)))
