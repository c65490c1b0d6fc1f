"""Rendering an email from its three templates, in the recipient's language, with links on the public address.

An email is named by its path in ``templates/`` without the suffix, e.g. ``review/email/introduction``: its
``.subject.txt`` (one line), ``.txt`` and ``.html`` (autoescaped, CSS inlined). Emails sit in the ``email/`` folder
of the area that sends them (``templates/<area>/email/``), beside that area's pages, because templates are grouped
by area as the code is; the frame every email extends is ``mail/email/layout.*``.
Links are built with ``url_for(..., _external=True)`` inside a request context made from ``BASE_URL``: never
from the Host header of whatever request happens to be running, which an attacker controls.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from werkzeug.routing import BuildError

from matchmaker.mail.inline_css import inline_css
from matchmaker.vocabulary import LANGUAGES

BLANK_RUNS_RE = re.compile(r"\n{3,}")


class EmailRenderError(ValueError):
    """An email cannot be rendered safely (e.g. its subject spans several lines)."""


@dataclass(frozen=True)
class RenderedEmail:
    """Subject, plain-text body and HTML body of one email."""

    subject: str
    text: str
    html: str


@contextmanager
def public_url_context(language: str) -> Iterator[None]:
    """A request context on ``BASE_URL`` with the recipient's locale, for building links and rendering."""
    app = current_app._get_current_object()
    with app.test_request_context("/", base_url=app.config["BASE_URL"]), force_locale(language):
        yield


def external_url(endpoint: str, **values: Any) -> str:
    """Absolute URL of an endpoint on the public address (call inside :func:`public_url_context`)."""
    return url_for(endpoint, _external=True, **values)


def first_url(candidates: list[tuple[str, dict[str, Any]]], fallback: str = "site.index") -> str:
    """Absolute URL of the first endpoint that exists and builds with its values, else of ``fallback``.

    Other areas register some endpoints emails link to; this keeps an email valid while one is missing.
    """
    for endpoint, values in candidates:
        if endpoint in current_app.view_functions:
            try:
                return external_url(endpoint, **values)
            except BuildError:
                continue
    return external_url(fallback)


def render_subject(template: str, context: Mapping[str, Any]) -> str:
    """Render a one-line subject; a line break would let data add headers, so it is refused."""
    subject = render_template(f"{template}.subject.txt", **context).strip()
    if "\r" in subject or "\n" in subject:
        raise EmailRenderError(f"subject of {template!r} spans several lines")
    if not subject:
        raise EmailRenderError(f"subject of {template!r} is empty")
    return subject


def render_email(template: str, language: str, context: Mapping[str, Any]) -> RenderedEmail:
    """Render subject, text and HTML of ``template`` in ``language`` (inside a public-URL request context)."""
    if language not in LANGUAGES:
        raise EmailRenderError(f"unknown language {language!r}")
    with public_url_context(language):
        values = dict(context, language=language)
        subject = render_subject(template, values)
        values["subject"] = subject
        text = render_template(f"{template}.txt", **values)
        html = inline_css(render_template(f"{template}.html", **values))
    return RenderedEmail(subject=subject, text=tidy_text(text), html=html)


def tidy_text(text: str) -> str:
    """Trailing spaces (but the signature separator's) removed and runs of blank lines (left by template tags)
    reduced to one."""
    lines = [line if line == "-- " else line.rstrip() for line in text.strip().splitlines()]  # "-- " opens a signature
    return BLANK_RUNS_RE.sub("\n\n", "\n".join(lines)) + "\n"
