"""Operations of outreach campaigns: the only code that writes campaigns and invitations.

An invitation link is signed (itsdangerous, keyed by SECRET_KEY) over the invitation id and a random nonce kept
on the invitation, so every email of an invitation (the invitation, its reminders) carries the same link without
the database keeping a usable secret; it expires TOKEN_TTL_DAYS after the invitation was sent. Opening it creates
the collectivité's draft response, its identity already filled from the reference list, and lets the browser edit
it like any private link. Unsubscribing uses the respondent's ``reminder`` subscription (one address, one choice),
and a permanent SMTP refusal of any email to the address (see ``matchmaker.mail.delivery``) marks it bounced:
neither receives reminders. Callers commit.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, insert, or_, select

from matchmaker import reference, tokens
from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.recipients import REMINDER, normalise_email
from matchmaker.mail.reminders import is_daytime
from matchmaker.mail.rendering import first_url, public_url_context
from matchmaker.mail.unsubscribe import unsubscribe_url
from matchmaker.models import (
    AccessToken,
    Campaign,
    Collectivite,
    DigestRecipient,
    Invitation,
    OutboxMessage,
    Response,
    Subscription,
)
from matchmaker.models.collectivite import reader_name
from matchmaker.models.outreach import MAX_REMINDERS
from matchmaker.outreach.mailing import InvitationEmail, queue_invitation_emails
from matchmaker.outreach.targets import Target
from matchmaker.scheduling.periods import COUNTRY_TIMEZONES
from matchmaker.vocabulary import COUNTRY_OF_ORG

log = logging.getLogger("matchmaker.outreach")

SALT = "matchmaker.invitation"
EMAIL_KIND = "invitation"
#: How the delivery records a permanent refusal (5xx) in ``OutboxMessage.last_error``.
PERMANENT_REFUSAL_RE = re.compile(r"^(recipient )?refused: 5\d\d\b")
CHUNK = 500


class InvitationLinkError(Exception):
    """An invitation link cannot be used; ``reason`` is unknown or expired."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class QueueReport:
    """What queuing a campaign's invitations did."""

    queued: int = 0
    no_address: int = 0
    unsubscribed: int = 0
    bounced: int = 0
    answered: int = 0


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- campaigns ----------------------------------------------------------------------------------------------


def create_campaign(
    org: str, name: str, targets: list[Target], *, user_id: int | None = None, reminder_after_days: int = 10
) -> Campaign:
    """A campaign of ``org`` inviting ``targets`` (collectivités of the association's own country)."""
    country = COUNTRY_OF_ORG[org]
    campaign = Campaign(
        org=org,
        country=country,
        name=name.strip()[:200],
        reminder_after_days=reminder_after_days,
        created_by=user_id,
        created_at=utcnow(),
    )
    db.session.add(campaign)
    db.session.flush()
    seen: set[tuple[str, str]] = set()
    rows = []
    for target in targets:
        key = (target.row.level, target.row.code)
        if target.row.country != country or key in seen:
            continue
        seen.add(key)
        rows.append(
            dict(
                campaign_id=campaign.id,
                level=target.row.level,
                code=target.row.code,
                name=target.row.name,
                name_local=target.row.name_local or None,
                email=target.email,
                language=target.language,
                link_nonce=secrets.token_hex(16),
                created_at=campaign.created_at,
                reminders_sent=0,
            )
        )
    for start in range(0, len(rows), 1000):  # multi-row INSERTs: a campaign may hold thousands
        db.session.execute(insert(Invitation.__table__), rows[start : start + 1000])
    db.session.expire(campaign, ["invitations"])
    log.info("campaign created", extra={"campaign_id": campaign.id, "org": org, "invitations": len(rows)})
    return campaign


def unsubscribed_addresses(emails: Iterable[str]) -> set[str]:
    """The addresses (normalised) that unsubscribed from reminders."""
    emails = sorted({normalise_email(e) for e in emails if e})
    found: set[str] = set()
    for part in _chunks(emails):
        found.update(
            db.session.scalars(
                select(DigestRecipient.email)
                .join(Subscription)
                .where(
                    DigestRecipient.email.in_(part),
                    Subscription.kind == REMINDER,
                    Subscription.unsubscribed_at.is_not(None),
                )
            )
        )
    return found


def bounced_addresses(emails: Iterable[str]) -> set[str]:
    """The addresses (normalised) a mail server refused permanently."""
    emails = sorted({normalise_email(e) for e in emails if e})
    found: set[str] = set()
    for part in _chunks(emails):
        rows = db.session.execute(
            select(OutboxMessage.recipient, OutboxMessage.last_error).where(
                OutboxMessage.recipient.in_(part), OutboxMessage.status == "failed"
            )
        ).all()
        found.update(normalise_email(r) for r, error in rows if error and PERMANENT_REFUSAL_RE.match(error))
    return found


def answered_codes(country: str) -> set[tuple[str, str]]:
    """(level, code) of the collectivités of a country that already submitted a response."""
    return set(
        db.session.execute(
            select(Collectivite.level, Collectivite.code)
            .join(Response, Response.collectivite_id == Collectivite.id)
            .where(Collectivite.country == country, Collectivite.code.is_not(None), Response.status == "submitted")
        ).all()
    )


def _reminder_subscriptions(invitations: list[Invitation]) -> dict[str, Subscription]:
    """The ``reminder`` subscription of each address, created (subscribed) in bulk where missing."""
    languages = {normalise_email(inv.email): inv.language for inv in invitations}
    emails = sorted(languages)
    recipients: dict[str, DigestRecipient] = {}
    for part in _chunks(emails):
        recipients.update(
            (r.email, r) for r in db.session.scalars(select(DigestRecipient).where(DigestRecipient.email.in_(part)))
        )
    missing = [{"email": e, "language": languages[e]} for e in emails if e not in recipients]
    db.session.flush()
    for part in _chunks(missing, 1000):  # multi-row INSERTs, then read back with their ids
        db.session.execute(insert(DigestRecipient.__table__), part)
        recipients.update(
            (r.email, r)
            for r in db.session.scalars(
                select(DigestRecipient).where(DigestRecipient.email.in_([m["email"] for m in part]))
            )
        )
    by_recipient: dict[int, Subscription] = {}
    ids = sorted(r.id for r in recipients.values())
    for part in _chunks(ids):
        by_recipient.update(
            (s.recipient_id, s)
            for s in db.session.scalars(
                select(Subscription).where(Subscription.recipient_id.in_(part), Subscription.kind == REMINDER)
            )
        )
    new = [{"recipient_id": i, "kind": REMINDER, "frequency": "yearly"} for i in ids if i not in by_recipient]
    for part in _chunks(new, 1000):
        db.session.execute(insert(Subscription.__table__), part)
        by_recipient.update(
            (s.recipient_id, s)
            for s in db.session.scalars(
                select(Subscription).where(
                    Subscription.recipient_id.in_([n["recipient_id"] for n in part]), Subscription.kind == REMINDER
                )
            )
        )
    return {email: by_recipient[recipients[email].id] for email in emails}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def invitation_token(invitation: Invitation) -> str:
    """The token of an invitation's private link."""
    return _serializer().dumps([invitation.id, invitation.link_nonce])


def link_expires_at(invitation: Invitation) -> datetime | None:
    """When an invitation's link stops working (None before it is sent)."""
    if invitation.sent_at is None:
        return None
    return invitation.sent_at + timedelta(days=int(current_app.config["TOKEN_TTL_DAYS"]))


def _emails(items: list[tuple[Invitation, Campaign, Subscription, int]]) -> list[InvitationEmail]:
    """The invitation (``number`` 0) or reminder ``number`` of each invitation, links built once each."""
    out = []
    with public_url_context("fr"):
        for invitation, campaign, sub, number in items:
            lang = invitation.language
            invite_url = first_url(
                [("outreach.open_invitation", {"lang": lang, "token": invitation_token(invitation)})]
            )
            url = unsubscribe_url(sub, lang)
            out.append(
                InvitationEmail(
                    key=f"outreach:{campaign.id}:{invitation.id}:"
                    + ("invitation" if number == 0 else f"reminder-{number}"),
                    kind=EMAIL_KIND if number == 0 else "invitation-reminder",
                    email=invitation.email,
                    language=lang,
                    org=campaign.org,
                    reminder=number,
                    expires_on=link_expires_at(invitation).date(),
                    name=reader_name(invitation.name, invitation.name_local, lang),
                    invite_url=invite_url,
                    unsubscribe_url=url,
                )
            )
    return out


def queue_invitations(campaign: Campaign, now: datetime | None = None) -> QueueReport:
    """Queue the invitation email of each invitation not sent yet that has an address, has not unsubscribed or
    bounced, and whose collectivité has not already answered."""
    now = now or utcnow()
    report = QueueReport()
    waiting = [inv for inv in campaign.invitations if inv.sent_at is None]
    report.no_address = sum(1 for inv in waiting if not inv.email)
    waiting = [inv for inv in waiting if inv.email]
    emails = [inv.email for inv in waiting]
    unsubscribed, bounced = unsubscribed_addresses(emails), bounced_addresses(emails)
    answered = answered_codes(campaign.country)
    sendable = []
    for inv in waiting:
        email = normalise_email(inv.email)
        if email in unsubscribed:
            report.unsubscribed += 1
        elif email in bounced:
            report.bounced += 1
        elif (inv.level, inv.code) in answered:
            report.answered += 1
        else:
            sendable.append(inv)
    subs = _reminder_subscriptions(sendable)
    for inv in sendable:
        inv.sent_at = now
    report.queued = queue_invitation_emails(
        _emails([(inv, campaign, subs[normalise_email(inv.email)], 0) for inv in sendable])
    )
    log.info("invitations queued", extra={"campaign_id": campaign.id, **report.__dict__})
    return report


# --- the invitation link --------------------------------------------------------------------------------------


def invitation_for_token(token: str, now: datetime | None = None) -> Invitation:
    """The invitation a link names; raises :class:`InvitationLinkError` (unknown, expired)."""
    if not token or len(token) > 200:
        raise InvitationLinkError("unknown")
    try:
        inv_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        raise InvitationLinkError("unknown") from None
    valid = isinstance(inv_id, int) and not isinstance(inv_id, bool) and 0 < inv_id < 2**31 and isinstance(nonce, str)
    invitation = db.session.get(Invitation, inv_id) if valid else None
    if invitation is None or not secrets.compare_digest(invitation.link_nonce, nonce) or invitation.sent_at is None:
        raise InvitationLinkError("unknown")
    if invitation_token(invitation) != token:  # only the spelling this service wrote (spare base64 bits)
        raise InvitationLinkError("unknown")
    if link_expires_at(invitation) <= (now or utcnow()):
        raise InvitationLinkError("expired")
    return invitation


def prefilled_answers(invitation: Invitation, country: str) -> dict:
    """Draft answers of the identity step from the reference list, plus the invited address and language."""
    row = reference.find(country, invitation.code, invitation.level)
    answers = {
        "country": country,
        "name": invitation.name,
        "name_local": invitation.name_local or "",
        "level": invitation.level,
        "code": invitation.code,
        "language": invitation.language,
        "contact_email": invitation.email or "",
    }
    if row is not None:
        answers["population"] = str(row.population) if row.population else ""
        answers["region"] = (row.region_local if invitation.language == "ko" and row.region_local else row.region) or ""
    return answers


def open_invitation(invitation: Invitation, now: datetime | None = None) -> tuple[Response, str]:
    """Record that the link was opened; create the draft response the first time (identity prefilled).

    Returns the response and a fresh private edit token for this browser.
    """
    now = now or utcnow()
    if invitation.opened_at is None:
        invitation.opened_at = now
    response = invitation.response
    if response is None or response.anonymised_at is not None:
        answers = prefilled_answers(invitation, invitation.campaign.country)
        response = Response(
            status="draft",
            language=invitation.language,
            version=0,
            draft={"answers": answers, "steps": [], "link_sent_to": invitation.email, "invitation": invitation.id},
        )
        db.session.add(response)
        db.session.flush()
        invitation.response_id = response.id
        log.info("invitation opened", extra={"invitation_id": invitation.id, "response_id": response.id})
    raw = tokens.issue_token("edit", timedelta(days=int(current_app.config["TOKEN_TTL_DAYS"])), response_id=response.id)
    db.session.flush()
    return response, raw


def token_id(raw: str) -> int:
    """Row id of a freshly issued private token."""
    return db.session.scalar(select(AccessToken.id).where(AccessToken.token_hash == tokens.hash_token(raw)))


# --- reminders ------------------------------------------------------------------------------------------------


def _is_daytime(now: datetime, country: str) -> bool:
    return is_daytime(now, COUNTRY_TIMEZONES.get(country, "Europe/Paris"))


def reminder_due_at(invitation: Invitation, campaign: Campaign) -> datetime | None:
    """When the next reminder may go (None when none is left or the invitation was not sent)."""
    if invitation.sent_at is None or invitation.reminders_sent >= MAX_REMINDERS:
        return None
    return (invitation.last_reminder_at or invitation.sent_at) + timedelta(days=campaign.reminder_after_days)


def send_due_reminders(now: datetime | None = None, campaign_id: int | None = None) -> int:
    """Queue the reminders that are due: at most two per invitation, spaced by the campaign's delay, never to an
    address that unsubscribed or bounced, nor when the collectivité answered; returns how many."""
    now = now or utcnow()
    query = (
        select(Invitation, Campaign)
        .join(Campaign, Invitation.campaign_id == Campaign.id)
        .outerjoin(Response, Invitation.response_id == Response.id)
        .where(
            Invitation.sent_at.is_not(None),
            Invitation.email.is_not(None),
            Invitation.reminders_sent < MAX_REMINDERS,
            or_(Response.id.is_(None), and_(Response.status != "submitted", Response.anonymised_at.is_(None))),
        )
        .order_by(Invitation.id)
    )
    if campaign_id is not None:
        query = query.where(Campaign.id == campaign_id)
    due = [
        (inv, c)
        for inv, c in db.session.execute(query)
        if reminder_due_at(inv, c) <= now and _is_daytime(now, c.country)
    ]
    emails = [inv.email for inv, _ in due]
    blocked = unsubscribed_addresses(emails) | bounced_addresses(emails)
    answered = {c.country: answered_codes(c.country) for _, c in due}
    due = [
        (inv, c)
        for inv, c in due
        if normalise_email(inv.email) not in blocked and (inv.level, inv.code) not in answered[c.country]
    ]
    subs = _reminder_subscriptions([inv for inv, _ in due])
    for inv, _ in due:
        inv.reminders_sent += 1
        inv.last_reminder_at = now
    count = queue_invitation_emails(
        _emails([(inv, c, subs[normalise_email(inv.email)], inv.reminders_sent) for inv, c in due])
    )
    log.info("invitation reminders queued", extra={"count": count})
    return count
