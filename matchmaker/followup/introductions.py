"""Introductions nobody answers: one reminder after ``INTRODUCTION_REMINDER_DAYS`` (7), expiry after
``INTRODUCTION_EXPIRY_DAYS`` (30). Expiry closes the introduction (which frees both sides' places under the
exposure cap, so waiting pairs are introduced at once) and kindly tells a side that had answered "interested".
Callers commit; a re-run sends nothing twice (outbox keys).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.mail.outbox import enqueue_email
from matchmaker.models import Introduction, Suggestion
from matchmaker.review.labels import local_name
from matchmaker.review.operations import introduce_ready_pairs, introduction_context
from matchmaker.tokens import issue_token, revoke_tokens
from matchmaker.vocabulary import COUNTRIES

log = logging.getLogger("matchmaker.followup")


def reminder_after() -> timedelta:
    """How long an introduction waits before its one reminder."""
    return timedelta(days=int(current_app.config["INTRODUCTION_REMINDER_DAYS"]))


def expiry_after() -> timedelta:
    """How long an introduction stays open without both answers."""
    return timedelta(days=int(current_app.config["INTRODUCTION_EXPIRY_DAYS"]))


def _answer_of(intro: Introduction, side: str) -> str | None:
    return intro.fr_answer if side == "FR" else intro.kr_answer


def _open_introductions(created_before: datetime):
    return db.session.execute(
        select(Introduction, Suggestion)
        .join(Suggestion, Suggestion.id == Introduction.suggestion_id)
        .where(
            Introduction.closed_at.is_(None),
            Suggestion.state == "introduced",
            Introduction.created_at <= created_before,
        )
        .order_by(Introduction.created_at, Introduction.id)
    ).all()


def expires_at(intro: Introduction) -> datetime:
    """When an open introduction expires."""
    return intro.created_at + expiry_after()


def about_to_expire(
    within: timedelta = timedelta(days=7), now: datetime | None = None
) -> list[tuple[Introduction, Suggestion]]:
    """Open introductions that expire within ``within``, soonest first (for the staff list)."""
    now = now or utcnow()
    return [(i, s) for i, s in _open_introductions(now + within - expiry_after())]


def _recipient(suggestion: Suggestion, side: str):
    response = (suggestion.fr if side == "FR" else suggestion.kr).response
    if (
        response is None
        or not response.contact_email
        or response.anonymised_at is not None
        or not response.consent_contact
    ):
        return None
    return response


def remind_unanswered(now: datetime | None = None) -> int:
    """Send one reminder to each side that has not answered an introduction opened ``reminder_after`` ago."""
    now = now or utcnow()
    sent = 0
    for intro, suggestion in _open_introductions(now - reminder_after()):
        if intro.created_at <= now - expiry_after():
            continue  # expires in this run instead
        for side in COUNTRIES:
            response = _recipient(suggestion, side)
            if _answer_of(intro, side) is not None or response is None:
                continue
            key = f"introduction-reminder:{suggestion.id}:{side}"
            context = introduction_context(suggestion, side, response.language)
            context.update(
                contact_name=response.contact_name,
                expires_on=expires_at(intro).date(),
                introduced_on=intro.created_at.date(),
                answer_token=issue_token("answer", expires_at(intro) - now, suggestion_id=suggestion.id, side=side),
            )
            if enqueue_email(
                key=key,
                kind="introduction_reminder",
                to=(response.contact_name, response.contact_email),
                language=response.language,
                template="followup/email/introduction_reminder",
                context=context,
            ):
                sent += 1
    if sent:
        log.info("introduction reminders queued", extra={"count": sent})
    return sent


@dataclass
class ExpiryReport:
    """What an expiry run did."""

    expired: list[int] = field(default_factory=list)
    told: int = 0
    introduced: list[int] = field(default_factory=list)


def expire_unanswered(now: datetime | None = None) -> ExpiryReport:
    """Close introductions unanswered for ``expiry_after``; tell a side that said "interested"; refill the cap."""
    now = now or utcnow()
    report = ExpiryReport()
    for intro, suggestion in _open_introductions(now - expiry_after()):
        intro.closed_at = now
        suggestion.updated_at = now
        revoke_tokens(suggestion_id=suggestion.id, purpose="answer")
        report.expired.append(suggestion.id)
        for side in COUNTRIES:
            response = _recipient(suggestion, side)
            if _answer_of(intro, side) != "interested" or response is None:
                continue
            me, partner = (suggestion.fr, suggestion.kr) if side == "FR" else (suggestion.kr, suggestion.fr)
            lang = response.language
            context = {
                "contact_name": response.contact_name,
                "own_name": local_name(me.name, me.name_local, lang),
                "partner_name": local_name(partner.name, partner.name_local, lang),
            }
            if enqueue_email(
                key=f"introduction-expired:{suggestion.id}:{side}",
                kind="introduction_expired",
                to=(response.contact_name, response.contact_email),
                language=lang,
                template="followup/email/introduction_expired",
                context=context,
            ):
                report.told += 1
    db.session.flush()
    if report.expired:
        log.info("introductions expired", extra={"pairs": report.expired, "told": report.told})
        report.introduced = introduce_ready_pairs().introduced  # their places under the cap are free again
    return report
