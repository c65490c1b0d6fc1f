"""Reminders to respondents: one for an unfinished draft, and "is your response still accurate?" once a year and
after French and Korean local elections (dates in ELECTION_DATES_FR / ELECTION_DATES_KR).

Keys: ``draft-reminder:<response>``, ``accuracy:<response>:<year>``, ``accuracy:<response>:election-<date>``.
All honour the ``reminder`` subscription's unsubscribe link, and go out between 08:00 and 20:00 local time.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.outbox import enqueue_email
from matchmaker.mail.recipients import REMINDER, is_unsubscribed, reminder_subscription, response_timezone
from matchmaker.mail.rendering import first_url, public_url_context
from matchmaker.mail.unsubscribe import list_unsubscribe_headers, unsubscribe_url
from matchmaker.models import Collectivite, OutboxMessage, Response
from matchmaker.scheduling.periods import local
from matchmaker.tokens import issue_token

log = logging.getLogger("matchmaker.mail.reminders")

DRAFT_REMINDER_AFTER = timedelta(days=7)
#: No reminder for a draft about to be purged: the person would have no time to act.
DRAFT_MIN_TIME_LEFT = timedelta(days=3)
DAYTIME = (time(8, 0), time(20, 0))
#: New councils are in place a couple of weeks after the vote; after four months the moment has passed.
ELECTION_DELAY = timedelta(days=14)
ELECTION_WINDOW = timedelta(days=120)
YEAR = timedelta(days=365)


def is_daytime(now: datetime, tz: str) -> bool:
    """Whether it is between 08:00 and 20:00 in ``tz``."""
    return DAYTIME[0] <= local(now, tz).time() < DAYTIME[1]


def _exists(key: str) -> bool:
    return db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None


def _edit_token(response: Response) -> str:
    return issue_token("edit", timedelta(days=int(current_app.config["TOKEN_TTL_DAYS"])), response_id=response.id)


def draft_contact(response: Response) -> str | None:
    """The address a draft's private link was sent to (validated when the draft was saved), if any."""
    draft = response.draft or {}
    return draft.get("link_sent_to") or response.contact_email or None


def _draft_name(response: Response) -> str:
    if response.collectivite is not None:
        return response.collectivite.name_for(response.language)
    return str((response.draft or {}).get("answers", {}).get("name") or "")


def build_draft_reminder(response: Response, now: datetime) -> OutboxMessage | None:
    """Queue the one reminder of an unfinished draft, with a fresh private link to resume it."""
    key = f"draft-reminder:{response.id}"
    email = draft_contact(response)
    if not email or _exists(key) or is_unsubscribed(email, REMINDER):
        return None
    if not is_daytime(now, response_timezone(response)):
        return None
    sub = reminder_subscription(email, response)
    lang = response.language
    raw = _edit_token(response)
    purge_on = (response.draft_saved_at + timedelta(days=int(current_app.config["DRAFT_TTL_DAYS"]))).date()
    with public_url_context(lang):
        resume_url = first_url([("questionnaire.open_link", {"lang": lang, "token": raw})], "site.index")
        url = unsubscribe_url(sub, lang)
    name = (response.draft or {}).get("answers", {}).get("contact_name") or response.contact_name
    return enqueue_email(
        key,
        "draft-reminder",
        (name, email),
        lang,
        "mail/email/draft_reminder",
        {
            "collectivite": _draft_name(response),
            "resume_url": resume_url,
            "purge_on": purge_on,
            "saved_on": response.draft_saved_at.date(),
            "unsubscribe_url": url,
        },
        headers=list_unsubscribe_headers(url),
    )


def _election_dates(country: str) -> list[date]:
    return list(current_app.config["ELECTION_DATES_FR" if country == "FR" else "ELECTION_DATES_KR"])


def accuracy_reason(response: Response, coll: Collectivite, now: datetime) -> tuple[str, str] | None:
    """``(key, reason)`` of the accuracy check due for a response now, or None.

    After a local election of the response's country (from two weeks to four months after it) when the answers
    were last confirmed before it; otherwise once a year after the last confirmation.
    """
    tz = response_timezone(response)
    today = local(now, tz).date()
    confirmed = max(d for d in (response.confirmed_at, response.submitted_at, response.created_at) if d is not None)
    last_check = db.session.scalar(
        select(func.max(OutboxMessage.created_at)).where(OutboxMessage.key.like(f"accuracy:{response.id}:%"))
    )
    for election in sorted(_election_dates(coll.country), reverse=True):
        if election + ELECTION_DELAY <= today <= election + ELECTION_WINDOW:
            asked_since = last_check is not None and local(last_check, tz).date() >= election
            if local(confirmed, tz).date() < election and not asked_since:
                return f"accuracy:{response.id}:election-{election.isoformat()}", "election"
            break
    if confirmed <= now - YEAR and (last_check is None or last_check <= now - YEAR):
        return f"accuracy:{response.id}:{today.year}", "yearly"
    return None


def accuracy_check_possible(response: Response, coll: Collectivite, now: datetime) -> bool:
    """Whether an accuracy check could be due, from the response alone (no query): confirmed a year ago or more,
    or inside the window after a local election of its country. Most responses are neither, on most runs."""
    confirmed = max(d for d in (response.confirmed_at, response.submitted_at, response.created_at) if d is not None)
    if confirmed <= now - YEAR:
        return True
    today = now.date()
    return any(
        election + ELECTION_DELAY - timedelta(days=1) <= today <= election + ELECTION_WINDOW + timedelta(days=1)
        for election in _election_dates(coll.country)
    )


def build_accuracy_check(response: Response, coll: Collectivite, now: datetime) -> OutboxMessage | None:
    """Queue "is your response still accurate?" when one is due, with an edit link and a one-click confirmation."""
    email = response.contact_email
    if not email or is_unsubscribed(email, REMINDER) or not is_daytime(now, response_timezone(response)):
        return None
    due = accuracy_reason(response, coll, now)
    if due is None or _exists(due[0]):
        return None
    key, reason = due
    sub = reminder_subscription(email, response)
    lang = response.language
    raw = _edit_token(response)
    election = key.rsplit("election-", 1)[1] if reason == "election" else None
    with public_url_context(lang):
        edit_url = first_url([("questionnaire.open_link", {"lang": lang, "token": raw})], "site.index")
        confirm_url = first_url([("mail.confirm_accuracy", {"token": raw, "lang": lang})], "site.index")
        url = unsubscribe_url(sub, lang)
    last = max(d for d in (response.confirmed_at, response.submitted_at, response.created_at) if d is not None)
    return enqueue_email(
        key,
        "accuracy-check",
        (response.contact_name, email),
        lang,
        "mail/email/accuracy_check",
        {
            "collectivite": coll.name_for(lang),
            "country": coll.country,
            "reason": reason,
            "election_date": date.fromisoformat(election) if election else None,
            "last_confirmed": last.date(),
            "edit_url": edit_url,
            "confirm_url": confirm_url,
            "unsubscribe_url": url,
        },
        headers=list_unsubscribe_headers(url),
    )


def build_reminders(builder) -> None:
    """Queue the draft reminders and accuracy checks that are due (``builder`` is the digest build's)."""
    now = builder.now
    ttl = timedelta(days=int(current_app.config["DRAFT_TTL_DAYS"]))
    drafts = db.session.scalars(
        select(Response)
        .where(
            Response.status == "draft",
            Response.anonymised_at.is_(None),
            Response.draft_saved_at <= now - DRAFT_REMINDER_AFTER,
            Response.draft_saved_at > now - ttl + DRAFT_MIN_TIME_LEFT,
        )
        .order_by(Response.id)
    ).all()
    for response in drafts:
        builder.each(f"draft-reminder:{response.id}", lambda r=response: build_draft_reminder(r, now))
    submitted = db.session.execute(
        select(Response, Collectivite)
        .join(Collectivite, Response.collectivite_id == Collectivite.id)
        .where(
            Response.status == "submitted",
            Response.anonymised_at.is_(None),
            Response.contact_email.is_not(None),
            Response.contact_email != "",
        )
        .order_by(Response.id)
    ).all()
    for response, coll in submitted:
        if not accuracy_check_possible(response, coll, now):
            continue
        builder.each(f"accuracy:{response.id}", lambda r=response, c=coll: build_accuracy_check(r, c, now))


def confirm_accuracy(response: Response) -> None:
    """Record that a respondent confirmed their answers are still accurate (resets the yearly check); caller commits."""
    response.confirmed_at = utcnow()
    log.info("response confirmed accurate", extra={"response_id": response.id})
