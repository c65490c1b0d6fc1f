"""The outbox: every email is first a row, written in the caller's transaction, delivered later by a job.

Use :func:`enqueue_email` from any operation; commit with the change the email reports. Build links inside the
email templates with ``url_for(..., _external=True)``: templates are rendered on ``BASE_URL`` (see
``matchmaker.mail.rendering``), so pass tokens and ids in ``context``, not URLs made from the current request.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Mapping, Sequence

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.addresses import format_recipient, parse_recipient
from matchmaker.mail.rendering import render_email
from matchmaker.models import OutboxAttachment, OutboxMessage

log = logging.getLogger("matchmaker.mail.outbox")

HEADER_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}$")
#: Headers the outbox sets itself; a caller cannot override them.
RESERVED_HEADERS = {
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "sender",
    "reply-to",
    "return-path",
}
#: Key of ``OutboxMessage.headers`` holding the display form of the recipient (``Name <address>``).
TO_HEADER = "To"


class OutboxError(ValueError):
    """An email cannot be queued as asked."""


def new_message_id() -> str:
    """A globally unique Message-ID on the service's mail domain."""
    return f"<{uuid.uuid4().hex}@{current_app.config['MAIL_DOMAIN']}>"


def _check_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Validate extra headers: plain names, one-line values, nothing the outbox sets itself."""
    out: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not HEADER_NAME_RE.match(name) or name.lower() in RESERVED_HEADERS:
            raise OutboxError(f"header {name!r} cannot be set")
        value = str(value)
        if any(ch in value for ch in "\r\n\x00"):
            raise OutboxError(f"header {name!r} contains a line break")
        out[name] = value
    return out


def enqueue_email(
    key: str,
    kind: str,
    to: str | tuple[str | None, str],
    language: str,
    template: str,
    context: Mapping[str, Any],
    *,
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[tuple[str, str, str]] = (),
) -> OutboxMessage | None:
    """Render ``template`` in ``language`` and add one outbox row to the session (the caller commits).

    Returns None when an email with ``key`` already exists, so building the same email twice is harmless,
    also when two processes race (the insert runs in a savepoint and the unique key decides).
    ``attachments`` are (file name, content type, text content) triples, stored with the row.
    """
    if not key or len(key) > 255:
        raise OutboxError("an email needs a key of 1 to 255 characters")
    if not kind or len(kind) > 32:
        raise OutboxError("an email needs a kind of 1 to 32 characters")
    name, address = parse_recipient(to)
    extra = _check_headers(headers)
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return None
    rendered = render_email(template, language, dict(context, recipient_name=name, recipient_email=address))
    if name:
        extra[TO_HEADER] = format_recipient(name, address)
    message = OutboxMessage(
        key=key,
        kind=kind,
        recipient=address,
        language=language,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        headers=extra,
        message_id=new_message_id(),
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.flush()  # the caller's pending rows first, so an error of theirs is not mistaken for a duplicate key
    try:
        with db.session.begin_nested():
            db.session.add(message)
            if attachments:
                db.session.flush()
                db.session.add_all(
                    OutboxAttachment(message_id=message.id, filename=name_, content_type=type_, content=content)
                    for name_, type_, content in attachments
                )
    except IntegrityError:
        log.info("email already queued", extra={"key": key})
        return None
    log.info("email queued", extra={"key": key, "kind": kind, "message_id": message.message_id})
    return message
