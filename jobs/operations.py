"""What each scheduled job does: one call to an operation of the ``matchmaker`` package, then a commit.

Each function runs inside an application context and returns a JSON-safe summary, kept in the JobRun.
The same operations are run by hand with ``matchmaker outbox deliver``, ``matchmaker digest build``,
``matchmaker outreach remind``,
``matchmaker match`` and ``matchmaker scheduler run <job>``.
"""
from __future__ import annotations

from datetime import timedelta

from matchmaker.extensions import db


def deliver_outbox() -> dict:
    """Send the due emails of the outbox."""
    from matchmaker.mail.delivery import deliver_outbox as deliver

    report = deliver()
    return {k: v for k, v in report.as_dict().items() if k != "errors"} | {"errors": report.errors[:5]}


def build_digests() -> dict:
    """Queue the digests and reminders that are due (commits as it goes)."""
    from matchmaker.mail.digests import build_digests as build

    report = build()
    return {"queued": len(report.queued), "groups_built": report.groups_built, "errors": report.errors[:5]}


def recompute_suggestions() -> dict:
    """Recompute every suggestion (nightly)."""
    from matchmaker.suggestions import recompute_suggestions as recompute

    run = recompute()
    db.session.commit()
    return {"match_run": run.id, "counts": run.counts}


def recompute_if_requested() -> dict:
    """Recompute suggestions when staff applied new weights since the last run (checked every minute)."""
    from matchmaker.suggestions.operations import recompute_if_requested as recompute

    run = recompute()
    db.session.commit()
    return {"match_run": run.id if run else None}


def introduce_ready_pairs() -> dict:
    """Close introductions whose links expired and introduce approved pairs that now fit under the exposure cap."""
    from matchmaker.review.operations import introduce_ready_pairs as introduce

    report = introduce()
    db.session.commit()
    return {"expired": report.expired, "introduced": len(report.introduced), "unreachable": len(report.unreachable)}


def follow_up_introductions() -> dict:
    """Remind unanswered introductions once; expire the stale ones (which frees the exposure cap)."""
    from matchmaker.followup.introductions import expire_unanswered, remind_unanswered

    report = expire_unanswered()
    reminded = remind_unanswered()
    db.session.commit()
    return {"expired": len(report.expired), "told": report.told, "introduced": len(report.introduced),
            "reminded": reminded}


def send_call_reminders() -> dict:
    """Queue the day-before reminders of confirmed first calls."""
    from matchmaker.followup.operations import send_call_reminders as remind

    count = remind()
    db.session.commit()
    return {"calls_reminded": count}


def send_surveys() -> dict:
    """Queue the due "what came of it?" surveys of mutual pairs."""
    from matchmaker.followup.surveys import send_due_surveys

    count = send_due_surveys()
    db.session.commit()
    return {"surveys_queued": count}


def purge_expired() -> dict:
    """Delete expired drafts, dead private-link tokens and old records of the minutely and hourly jobs."""
    from matchmaker.questionnaire.operations import purge_expired_drafts
    from matchmaker.scheduling.runs import purge_job_runs
    from matchmaker.tokens import purge_dead_tokens

    drafts = purge_expired_drafts()
    tokens = purge_dead_tokens()
    runs = (purge_job_runs("outbox-deliver", timedelta(days=7)) + purge_job_runs("suggestions-requested", timedelta(days=7))
            + purge_job_runs("digest-build", timedelta(days=90)) + purge_job_runs("introductions", timedelta(days=90))
            + purge_job_runs("introductions-follow-up", timedelta(days=90)) + purge_job_runs("first-call-reminders", timedelta(days=90)))
    db.session.commit()
    return {"drafts": drafts, "tokens": tokens, "job_runs": runs}


def anonymise_expired() -> dict:
    """Anonymise contact data past the retention period."""
    from matchmaker.gdpr import anonymise_expired_contacts

    count = anonymise_expired_contacts()
    db.session.commit()
    return {"anonymised": count}


def remind_invitations() -> dict:
    """Queue the reminders of invitation campaigns that are due."""
    from matchmaker.outreach.operations import send_due_reminders

    count = send_due_reminders()
    db.session.commit()
    return {"reminders": count}
