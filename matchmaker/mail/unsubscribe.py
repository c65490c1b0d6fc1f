"""Unsubscribe links: a signed token naming one subscription, usable without login, that does not expire.

Why signed and not an ``access_token`` row: a subscription belongs to a person (a reviewer has no response), the
link must keep working in every old digest (RFC 8058 one-click), and unsubscribing twice is harmless, so there
is nothing to revoke or consume. The token is an HMAC (itsdangerous, keyed by SECRET_KEY with its own salt) over
the subscription id, its recipient id and kind; changing SECRET_KEY invalidates the links of past emails.
"""

from __future__ import annotations

import logging

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.rendering import external_url
from matchmaker.models import Subscription

log = logging.getLogger("matchmaker.mail.unsubscribe")
SALT = "matchmaker.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(sub: Subscription) -> str:
    """The token of a subscription's unsubscribe link."""
    return _serializer().dumps([sub.id, sub.recipient_id, sub.kind])


def subscription_for_token(token: str) -> Subscription | None:
    """The subscription a token names, or None when the token is forged, damaged or its subscription is gone."""
    if not token or len(token) > 200:
        return None
    try:
        sub_id, recipient_id, kind = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    # ids are database integers: anything else (or out of the 32-bit range) names no subscription
    valid = isinstance(sub_id, int) and not isinstance(sub_id, bool) and 0 < sub_id < 2**31
    sub = db.session.get(Subscription, sub_id) if valid else None
    if sub is None or sub.recipient_id != recipient_id or sub.kind != kind:
        return None
    # base64 leaves spare bits in the signature's last character, so several spellings of one link verify:
    # only the one this service wrote is accepted
    if _serializer().dumps([sub_id, recipient_id, kind]) != token:
        return None
    return sub


def unsubscribe_url(sub: Subscription, language: str) -> str:
    """Absolute URL of the unsubscribe page (call inside ``public_url_context``)."""
    return external_url("mail.unsubscribe", token=unsubscribe_token(sub), lang=language)


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: mail clients show an unsubscribe button that POSTs to ``url``."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe(sub: Subscription) -> bool:
    """Stop a subscription; returns False when it was already stopped. The caller commits."""
    if sub.unsubscribed_at is not None:
        return False
    sub.unsubscribed_at = utcnow()
    log.info("unsubscribed", extra={"subscription_id": sub.id, "kind": sub.kind})
    return True


def resubscribe(sub: Subscription) -> bool:
    """Undo an unsubscription; returns False when it was not stopped. The caller commits."""
    if sub.unsubscribed_at is None:
        return False
    sub.unsubscribed_at = None
    log.info("resubscribed", extra={"subscription_id": sub.id, "kind": sub.kind})
    return True
