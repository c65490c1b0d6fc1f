"""Input checked at the edge, before any view or the database sees it.

PostgreSQL refuses NUL in text (SQLite stores it), and integer columns hold 32 bits: a NUL in a query string, a form
field, a path or a header, or an id beyond the column's range, would otherwise reach a query and fail there (a 500
on PostgreSQL only). Here a NUL gets a 400 with a localised message, ``<int:...>`` in a route only matches ids the
database can hold (beyond: 404), and :func:`int_arg` reads a bounded integer from the query string.
"""

from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from matchmaker.site.errors import render_error

#: Largest value of an ``Integer`` column on PostgreSQL (ids, counts).
MAX_ID = 2**31 - 1
#: Characters no text column can store on every supported database.
REFUSED = "\x00"
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class BoundedIntegerConverter(IntegerConverter):
    """``<int:name>``: 0 to 2**31-1, so a path id always fits the id columns (a larger one is a 404)."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):  # werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def refused_text(value: str) -> bool:
    """Whether ``value`` holds a character that cannot be stored."""
    return any(ch in value for ch in REFUSED)


def int_arg(name: str, default: int, *, minimum: int = 1, maximum: int = MAX_ID) -> int:
    """An integer of the query string, within bounds; ``default`` when missing or not a number."""
    raw = request.args.get(name, "")
    try:
        value = int(raw) if raw.strip().lstrip("+-").isdigit() and len(raw) <= 20 else default
    except ValueError:
        value = default
    return min(max(value, minimum), maximum)


def _request_texts():
    yield request.path
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, value in request.form.items(multi=True):
            yield key
            yield value
        for key, upload in request.files.items(multi=True):
            yield key
            yield upload.filename or ""
    for _name, value in request.headers.items():
        yield value


def register(app: Flask) -> None:
    """Install the bounded ``int`` converter (before any route is added) and the check of every request."""
    app.url_map.converters["int"] = BoundedIntegerConverter

    @app.before_request
    def _refuse_unstorable_characters():
        if any(refused_text(value) for value in _request_texts()):
            return render_error(
                400, _("What you sent contains a character that cannot be used (NUL). Please remove it and try again.")
            )
        return None


def request_id(header_value: str | None) -> str | None:
    """The client's ``X-Request-Id`` when it is a plain token (it is logged and sent back), else None."""
    if header_value and REQUEST_ID_RE.match(header_value):
        return header_value
    return None
