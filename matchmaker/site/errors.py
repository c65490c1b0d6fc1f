"""Localised error pages for every HTTP error, and a logged, friendly page for unexpected failures."""

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from matchmaker.extensions import db

log = logging.getLogger("matchmaker.errors")


def _messages():
    """Titles and explanations per status code, translated at request time."""
    return {
        400: (_("Bad request"), _("The request could not be understood. Please check what you sent and try again.")),
        403: (_("Access denied"), _("You do not have access to this page.")),
        404: (_("Page not found"), _("This page does not exist or is no longer available.")),
        405: (_("Method not allowed"), _("This address cannot be used this way.")),
        410: (_("Link no longer valid"), _("This link has expired or was revoked.")),
        413: (_("Too large"), _("What you sent is too large.")),
        429: (_("Too many requests"), _("Too many attempts in a short time. Please wait a moment and try again.")),
        500: (
            _("Something went wrong"),
            _("An unexpected error occurred. Nothing you saved has been lost; please try again later."),
        ),
    }


def render_error(code: int, detail: str | None = None):
    """Render the error page for an HTTP status code."""
    title, text = _messages().get(code, (_("Error"), detail or ""))
    wants_json = request.accept_mimetypes.best == "application/json"
    if wants_json:
        return {"error": title, "detail": detail or text}, code
    return render_template("site/error.html", code=code, title=title, text=text, detail=detail), code


def register(app: Flask) -> None:
    """Attach the handlers to the app."""

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return render_error(400, _("Your session has expired. Please go back and submit again."))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if isinstance(exc, InternalServerError):
            return _unexpected(exc)
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error", extra={"path": request.path})
        db.session.rollback()
        return render_error(500)
