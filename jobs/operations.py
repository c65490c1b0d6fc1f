"""What each scheduled job does: one call to an operation of the ``matchmaker`` package, then a commit.

Each function runs inside an application context and returns a JSON-safe summary, kept in the JobRun.
The same operations are run by hand with ``matchmaker outbox deliver``, ``matchmaker digest build``,
``matchmaker outreach remind``,
``matchmaker match`` and ``matchmaker scheduler run <job>``.
"""

from __future__ import annotations

from datetime import timedelta

from matchmaker import tokens
from matchmaker.extensions import db
from matchmaker.followup import introductions, surveys
from matchmaker.followup import operations as followup
from matchmaker.gdpr import operations as gdpr
from matchmaker.mail import delivery, digests
from matchmaker.outreach import operations as outreach
from matchmaker.questionnaire import operations as questionnaire
from matchmaker.review import operations as review
from matchmaker.scheduling import runs
from matchmaker.suggestions import operations as suggestions


def deliver_outbox() -> dict:
    """Send the due emails of the outbox."""
    report = delivery.deliver_outbox()
    return {k: v for k, v in report.as_dict().items() if k != "errors"} | {"errors": report.errors[:5]}


def build_digests() -> dict:
    """Queue the digests and reminders that are due (commits as it goes)."""
    report = digests.build_digests()
    return {"queued": len(report.queued), "groups_built": report.groups_built, "errors": report.errors[:5]}


def recompute_suggestions() -> dict:
    """Recompute every suggestion (nightly)."""
    run = suggestions.recompute_suggestions()
    db.session.commit()
    return {"match_run": run.id, "counts": run.counts}


def recompute_if_requested() -> dict:
    """Recompute suggestions when staff applied new weights since the last run (checked every minute)."""
    run = suggestions.recompute_if_requested()
    db.session.commit()
    return {"match_run": run.id if run else None}


def introduce_ready_pairs() -> dict:
    """Close introductions whose links expired and introduce approved pairs that now fit under the exposure cap."""
    report = review.introduce_ready_pairs()
    db.session.commit()
    return {"expired": report.expired, "introduced": len(report.introduced), "unreachable": len(report.unreachable)}


def follow_up_introductions() -> dict:
    """Remind unanswered introductions once; expire the stale ones (which frees the exposure cap)."""
    report = introductions.expire_unanswered()
    reminded = introductions.remind_unanswered()
    db.session.commit()
    return {
        "expired": len(report.expired),
        "told": report.told,
        "introduced": len(report.introduced),
        "reminded": reminded,
    }


def send_call_reminders() -> dict:
    """Queue the day-before reminders of confirmed first calls."""
    count = followup.send_call_reminders()
    db.session.commit()
    return {"calls_reminded": count}


def send_surveys() -> dict:
    """Queue the due "what came of it?" surveys of mutual pairs."""
    count = surveys.send_due_surveys()
    db.session.commit()
    return {"surveys_queued": count}


def purge_expired() -> dict:
    """Delete expired drafts, dead private-link tokens and old records of the minutely and hourly jobs."""
    drafts = questionnaire.purge_expired_drafts()
    dead_tokens = tokens.purge_dead_tokens()
    job_runs = (
        runs.purge_job_runs("outbox-deliver", timedelta(days=7))
        + runs.purge_job_runs("suggestions-requested", timedelta(days=7))
        + runs.purge_job_runs("digest-build", timedelta(days=90))
        + runs.purge_job_runs("introductions", timedelta(days=90))
        + runs.purge_job_runs("introductions-follow-up", timedelta(days=90))
        + runs.purge_job_runs("first-call-reminders", timedelta(days=90))
    )
    db.session.commit()
    return {"drafts": drafts, "tokens": dead_tokens, "job_runs": job_runs}


def anonymise_expired() -> dict:
    """Anonymise contact data past the retention period."""
    count = gdpr.anonymise_expired_contacts()
    db.session.commit()
    return {"anonymised": count}


def remind_invitations() -> dict:
    """Queue the reminders of invitation campaigns that are due."""
    count = outreach.send_due_reminders()
    db.session.commit()
    return {"reminders": count}
