"""Who receives digests and reminders: DigestRecipient and Subscription rows, created when first needed.

Reviewers: every active staff account (weekly by default), in the account's language, in Paris time for CUF
and Seoul time for GAROK. Collectivités: the contact email of submitted responses whose contact agreed to be
contacted, at the frequency the response chose, in its language and its country's time zone. One recipient per
email address, so a person in charge of several collectivités gets one digest.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from matchmaker.extensions import db
from matchmaker.models import Collectivite, DigestRecipient, Response, StaffUser, Subscription
from matchmaker.scheduling.periods import COUNTRY_TIMEZONES, ORG_TIMEZONES, PARIS, SEOUL

REVIEWER_DIGEST, PARTNER_DIGEST, REMINDER = "reviewer_digest", "partner_digest", "reminder"
#: Most frequent first: a person whose collectivités chose different frequencies gets the most frequent.
FREQUENCY_ORDER = ("weekly", "monthly", "never")


def normalise_email(email: str) -> str:
    """The form under which an address is stored for digests (trimmed, lower case)."""
    return email.strip().lower()


def get_or_create_recipient(email: str) -> DigestRecipient:
    """The recipient row of an address, created if missing (safe when two processes create it at once)."""
    email = normalise_email(email)
    found = db.session.scalar(select(DigestRecipient).where(DigestRecipient.email == email))
    if found is not None:
        return found
    recipient = DigestRecipient(email=email)
    try:
        with db.session.begin_nested():
            db.session.add(recipient)
    except IntegrityError:
        return db.session.scalar(select(DigestRecipient).where(DigestRecipient.email == email))
    return recipient


def get_or_create_subscription(recipient: DigestRecipient, kind: str, frequency: str = "weekly") -> Subscription:
    """The recipient's subscription of one kind, created (subscribed) if missing."""
    found = db.session.scalar(
        select(Subscription).where(Subscription.recipient_id == recipient.id, Subscription.kind == kind)
    )
    if found is not None:
        return found
    sub = Subscription(recipient_id=recipient.id, kind=kind, frequency=frequency)
    try:
        with db.session.begin_nested():
            db.session.add(sub)
    except IntegrityError:
        return db.session.scalar(
            select(Subscription).where(Subscription.recipient_id == recipient.id, Subscription.kind == kind)
        )
    return sub


def sync_staff_recipients() -> int:
    """Make sure every active staff account has a recipient and a reviewer-digest subscription; returns how many."""
    users = db.session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.id)).all()
    for user in users:
        recipient = get_or_create_recipient(user.email)
        recipient.staff_user_id = user.id
        recipient.name = recipient.name or user.name
        recipient.language = user.language
        recipient.timezone = ORG_TIMEZONES.get(user.org, PARIS)
        db.session.flush()
        get_or_create_subscription(recipient, REVIEWER_DIGEST, "weekly")
    return len(users)


def contactable_responses():
    """Submitted, not anonymised responses whose contact agreed to be contacted and left an email."""
    return (
        select(Response, Collectivite)
        .join(Collectivite, Response.collectivite_id == Collectivite.id)
        .where(
            Response.status == "submitted",
            Response.contact_email.is_not(None),
            Response.contact_email != "",
            Response.consent_contact.is_(True),
            Response.anonymised_at.is_(None),
        )
        .order_by(Response.id)
    )


def sync_partner_recipients() -> int:
    """Recipient and partner-digest subscription for each contact address, frequency taken from the responses.

    Existing recipients and subscriptions are read in two queries and only what changed is written, so a run
    over 36,000 contacts that are already known costs a few seconds, not one query per address.
    """
    by_email: dict[str, list[tuple[Response, Collectivite]]] = defaultdict(list)
    for response, coll in db.session.execute(contactable_responses()).all():
        by_email[normalise_email(response.contact_email)].append((response, coll))
    recipients = {r.email: r for r in db.session.scalars(select(DigestRecipient))}
    subscriptions = {
        s.recipient_id: s for s in db.session.scalars(select(Subscription).where(Subscription.kind == PARTNER_DIGEST))
    }
    for email, items in by_email.items():
        response, coll = items[0]
        recipient = recipients.get(email)
        if recipient is None:
            recipient = get_or_create_recipient(email)
        if recipient.staff_user_id is None:  # a staff member's own settings win
            _set(
                recipient,
                response_id=response.id,
                name=response.contact_name or recipient.name,
                language=response.language,
                timezone=COUNTRY_TIMEZONES.get(coll.country, PARIS),
            )
        if recipient.id is None:
            db.session.flush()
        frequency = min((r.digest_frequency for r, _ in items), key=FREQUENCY_ORDER.index)
        sub = subscriptions.get(recipient.id)
        if sub is None:
            sub = get_or_create_subscription(recipient, PARTNER_DIGEST, frequency)
        _set(sub, frequency=frequency)
    return len(by_email)


def _set(row, **values) -> None:
    """Assign only the values that differ (an unchanged row stays clean: no UPDATE)."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def response_timezone(response: Response) -> str:
    """Time zone of a response's contact: its country's, else guessed from the draft's country or language."""
    country = response.collectivite.country if response.collectivite is not None else None
    if country is None and response.draft:
        country = str((response.draft.get("answers") or {}).get("country") or "").upper() or None
    if country in COUNTRY_TIMEZONES:
        return COUNTRY_TIMEZONES[country]
    return SEOUL if response.language == "ko" else PARIS


def reminder_subscription(email: str, response: Response) -> Subscription:
    """The reminder subscription of a respondent's address (created subscribed)."""
    recipient = get_or_create_recipient(email)
    if recipient.staff_user_id is None and recipient.response_id is None:
        recipient.response_id = response.id
        recipient.language = response.language
        recipient.timezone = response_timezone(response)
    db.session.flush()
    return get_or_create_subscription(recipient, REMINDER, "yearly")


def active_subscriptions(kind: str, timezone: str, frequency: str) -> list[Subscription]:
    """Subscriptions of one kind, time zone and frequency that are not unsubscribed."""
    return db.session.scalars(
        select(Subscription)
        .join(DigestRecipient)
        .options(contains_eager(Subscription.recipient))
        .where(
            Subscription.kind == kind,
            Subscription.frequency == frequency,
            Subscription.unsubscribed_at.is_(None),
            DigestRecipient.timezone == timezone,
        )
        .order_by(Subscription.id)
    ).all()


def is_unsubscribed(email: str, kind: str) -> bool:
    """Whether an address has unsubscribed from a kind of email."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Subscription)
            .join(DigestRecipient)
            .where(
                DigestRecipient.email == normalise_email(email),
                Subscription.kind == kind,
                Subscription.unsubscribed_at.is_not(None),
            )
        )
        > 0
    )
