"""Private links: unguessable random tokens of which only a hash is stored; they expire, can be revoked,
and can be single-use where opening them changes state.

Purposes: ``edit`` (resume or edit a response), ``answer`` (interested / not interested for one side of a pair),
``unsubscribe`` (one digest subscription), ``call`` (one side picks the slots of a first call), ``survey``
(one side says what came of a pair).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.models import AccessToken

PURPOSES = ("edit", "answer", "unsubscribe", "submission", "call", "survey")
TOKEN_BYTES = 32  # 256 bits from the OS's CSPRNG

log = logging.getLogger("matchmaker.tokens")


class TokenError(Exception):
    """A private link cannot be used; ``reason`` is one of unknown, expired, revoked, used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def hash_token(raw: str) -> str:
    """SHA-256 of a token (what the database keeps)."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(
    purpose: str,
    ttl: timedelta,
    *,
    response_id: int | None = None,
    suggestion_id: int | None = None,
    side: str | None = None,
) -> str:
    """Create a token row (the caller commits) and return the raw token, which is shown or mailed once."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(
        AccessToken(
            token_hash=hash_token(raw),
            purpose=purpose,
            response_id=response_id,
            suggestion_id=suggestion_id,
            side=side,
            expires_at=utcnow() + ttl,
        )
    )
    return raw


def resolve_token(raw: str, purpose: str, *, now: datetime | None = None) -> AccessToken:
    """Return the live token row for ``raw``, or raise :class:`TokenError` saying why it cannot be used."""
    if not raw or len(raw) > 200:
        raise TokenError("unknown")
    digest = hash_token(raw)
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == digest))
    if token is None or token.purpose != purpose or not hmac.compare_digest(token.token_hash, digest):
        raise TokenError("unknown")
    if token.revoked_at is not None:
        raise TokenError("revoked")
    if token.used_at is not None:
        raise TokenError("used")
    if token.expires_at <= (now or utcnow()):
        raise TokenError("expired")
    return token


def consume_token(token: AccessToken) -> None:
    """Mark a single-use token as used, atomically: a second concurrent use raises ``TokenError("used")``."""
    done = db.session.execute(
        update(AccessToken).where(AccessToken.id == token.id, AccessToken.used_at.is_(None)).values(used_at=utcnow())
    )
    if done.rowcount != 1:
        raise TokenError("used")


def revoke_tokens(
    *, response_id: int | None = None, suggestion_id: int | None = None, purpose: str | None = None
) -> int:
    """Revoke every live token of a response or a pair (optionally of one purpose); returns how many."""
    if response_id is None and suggestion_id is None:
        raise ValueError("say which response or pair")
    query = update(AccessToken).where(AccessToken.revoked_at.is_(None))
    if response_id is not None:
        query = query.where(AccessToken.response_id == response_id)
    if suggestion_id is not None:
        query = query.where(AccessToken.suggestion_id == suggestion_id)
    if purpose is not None:
        query = query.where(AccessToken.purpose == purpose)
    count = db.session.execute(query.values(revoked_at=utcnow())).rowcount
    log.info("tokens revoked", extra={"response_id": response_id, "suggestion_id": suggestion_id, "count": count})
    return count


def purge_dead_tokens(older_than: timedelta = timedelta(days=30)) -> int:
    """Delete tokens that expired, were revoked or used more than ``older_than`` ago; returns how many."""
    limit = utcnow() - older_than
    count = db.session.execute(
        delete(AccessToken).where(
            or_(AccessToken.expires_at < limit, AccessToken.revoked_at < limit, AccessToken.used_at < limit)
        )
    ).rowcount
    log.info("dead tokens purged", extra={"count": count})
    return count
