"""Operations on personal data. The collectivité's answers stay (anonymous); the person's data goes.

Personal data held about a contact person: name, role and email on the response and in every saved
version of it, digest recipient and subscriptions, emails in the outbox, private links. Staff accounts
are personal data too (exported, but erased only by deleting the account).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from matchmaker.extensions import db
from matchmaker.models import AccessToken, DigestRecipient, OutboxMessage, Response, ResponseVersion, StaffUser, utcnow

log = logging.getLogger("matchmaker.gdpr")
CONTACT_FIELDS = ("contact_name", "contact_role", "contact_email")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _normalised(email: str) -> str:
    return email.strip().lower()


def _responses_of(email: str) -> list[Response]:
    """Responses whose current contact, draft or any saved version names this email."""
    email = _normalised(email)
    ids = set(db.session.scalars(select(Response.id).where(func.lower(Response.contact_email) == email)))
    for rid, answers in db.session.execute(select(ResponseVersion.response_id, ResponseVersion.answers)):
        if str((answers or {}).get("contact_email") or "").strip().lower() == email:
            ids.add(rid)
    for rid, draft in db.session.execute(select(Response.id, Response.draft).where(Response.draft.is_not(None))):
        answers = (draft or {}).get("answers") or {}
        if email in {
            str(v or "").strip().lower() for v in (answers.get("contact_email"), (draft or {}).get("link_sent_to"))
        }:
            ids.add(rid)
    return [db.session.get(Response, rid) for rid in sorted(ids)]


def export_person(email: str) -> dict[str, Any]:
    """Everything held about the person with this email, as JSON-ready data."""
    email = _normalised(email)
    responses = []
    for r in _responses_of(email):
        c = r.collectivite
        responses.append(
            {
                "response_id": r.id,
                "collectivite": {
                    "name": c.name,
                    "name_local": c.name_local,
                    "country": c.country,
                    "level": c.level,
                    "code": c.code,
                }
                if c
                else None,
                "contact": {f: getattr(r, f) for f in CONTACT_FIELDS},
                "language": r.language,
                "digest_frequency": r.digest_frequency,
                "consent_contact": r.consent_contact,
                "consent_share": r.consent_share,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "submitted_at": _iso(r.submitted_at),
                "updated_at": _iso(r.updated_at),
                "draft": r.draft,
                "versions": [
                    {"number": v.number, "source": v.source, "created_at": _iso(v.created_at), "answers": v.answers}
                    for v in r.versions
                ],
                "private_links": [
                    {
                        "purpose": t.purpose,
                        "created_at": _iso(t.created_at),
                        "expires_at": _iso(t.expires_at),
                        "revoked_at": _iso(t.revoked_at),
                        "used_at": _iso(t.used_at),
                    }
                    for t in db.session.scalars(
                        select(AccessToken).where(AccessToken.response_id == r.id, AccessToken.purpose != "submission")
                    )
                ],
            }
        )
    recipient = db.session.scalar(select(DigestRecipient).where(func.lower(DigestRecipient.email) == email))
    staff = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.email) == email))
    emails = db.session.scalars(
        select(OutboxMessage).where(func.lower(OutboxMessage.recipient) == email).order_by(OutboxMessage.id)
    ).all()
    return {
        "email": email,
        "exported_at": utcnow().isoformat(),
        "responses": responses,
        "digest_recipient": None
        if recipient is None
        else {
            "name": recipient.name,
            "language": recipient.language,
            "timezone": recipient.timezone,
            "subscriptions": [
                {"kind": s.kind, "frequency": s.frequency, "unsubscribed_at": _iso(s.unsubscribed_at)}
                for s in recipient.subscriptions
            ],
        },
        "staff_account": None
        if staff is None
        else {
            "name": staff.name,
            "org": staff.org,
            "role": staff.role,
            "language": staff.language,
            "created_at": _iso(staff.created_at),
            "last_login_at": _iso(staff.last_login_at),
        },
        "emails": [
            {
                "kind": m.kind,
                "subject": m.subject,
                "status": m.status,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
                "body_text": m.body_text,
            }
            for m in emails
        ],
    }


def _scrub(response: Response, email: str | None) -> None:
    """Remove contact data from a response, its draft and its versions; keep the collectivité's answers."""
    for field in CONTACT_FIELDS:
        setattr(response, field, None)
    if response.draft:
        draft = {k: v for k, v in response.draft.items() if k not in (*CONTACT_FIELDS, "link_sent_to")}
        if isinstance(draft.get("answers"), dict):  # the answers being edited hold the contact too
            draft["answers"] = {k: v for k, v in draft["answers"].items() if k not in CONTACT_FIELDS}
        response.draft = draft
    for version in response.versions:
        if any(version.answers.get(f) for f in CONTACT_FIELDS):
            version.answers = {k: (None if k in CONTACT_FIELDS else v) for k, v in version.answers.items()}
    response.consent_contact = False
    response.anonymised_at = utcnow()
    db.session.execute(
        update(AccessToken)
        .where(AccessToken.response_id == response.id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _forget_address(email: str) -> dict[str, int]:
    """Delete the digest recipient and the emails addressed to this person."""
    recipients = db.session.scalars(select(DigestRecipient).where(func.lower(DigestRecipient.email) == email)).all()
    for recipient in recipients:
        db.session.delete(recipient)
    sent = db.session.execute(
        delete(OutboxMessage).where(func.lower(OutboxMessage.recipient) == email, OutboxMessage.status != "sending")
    ).rowcount
    return {"digest_recipients": len(recipients), "emails": sent}


def erase_person(email: str) -> dict[str, int]:
    """Erase a contact person's data everywhere; the collectivité's anonymous answers and statistics stay.

    Caller commits."""
    email = _normalised(email)
    responses = _responses_of(email)
    for response in responses:
        _scrub(response, email)
    counts = {"responses": len(responses), **_forget_address(email)}
    log.info("personal data erased", extra={"counts": counts})
    return counts


def erase_response(response: Response) -> dict[str, int]:
    """Erase one response's contact data as :func:`erase_person` does (its private links revoked, the emails to
    its contact deleted), keeping the collectivité's anonymous answers; another response with the same contact
    keeps its emails. The caller commits."""
    email = _normalised(response.contact_email) if response.contact_email else None
    _scrub(response, email)
    counts = {"responses": 1, "digest_recipients": 0, "emails": 0}
    if email and not db.session.scalar(
        select(Response.id).where(func.lower(Response.contact_email) == email, Response.id != response.id).limit(1)
    ):
        counts.update(_forget_address(email))
    log.info("response erased", extra={"response_id": response.id, "counts": counts})
    return counts


def anonymise_expired_contacts(now=None) -> int:
    """Erase contact data of responses with no activity for RETENTION_DAYS (the scheduled retention job)."""
    now = now or utcnow()
    limit = now - timedelta(days=current_app.config["RETENTION_DAYS"])
    last_activity = func.coalesce(Response.confirmed_at, Response.submitted_at, Response.updated_at)
    stale = db.session.scalars(
        select(Response).where(
            Response.anonymised_at.is_(None),
            Response.updated_at < limit,
            or_(Response.confirmed_at.is_(None), Response.confirmed_at < limit),
            last_activity < limit,
        )
    ).all()
    for response in stale:
        email = response.contact_email
        _scrub(response, email)
        if email:
            _forget_address(_normalised(email))
    log.info("expired contacts anonymised", extra={"count": len(stale)})
    return len(stale)
