"""The APScheduler 3 schedule: what runs when, and the two ways to run it.

``matchmaker scheduler`` runs :func:`run_blocking_scheduler` as its own process (production);
``matchmaker serve`` calls :func:`start_background_scheduler` in the embedded default (same process as the
web server). Several scheduler processes are safe: every run is recorded as a JobRun with a unique
(job, period key), and on PostgreSQL each job also holds an advisory lock while it runs.

At start every job runs once: its period key names the latest slot that is due, so a job missed during
downtime runs then, and a job already done for that slot is skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timezone
from typing import Any, Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from jobs import operations
from matchmaker.clock import utcnow
from matchmaker.extensions import db
from matchmaker.scheduling.periods import PARIS, daily_key, hourly_key, minute_key
from matchmaker.scheduling.runs import RunResult, run_once

log = logging.getLogger("matchmaker.jobs")


@dataclass(frozen=True)
class JobSpec:
    """One scheduled job: its trigger, the key of its period at a given time, and the operation it calls."""

    name: str
    description: str
    trigger: Callable[[], CronTrigger]
    period: Callable[[datetime], str]
    operation: Callable[[], Any]
    misfire_grace_time: int


def _daily(at: time) -> tuple[Callable[[], CronTrigger], Callable[[datetime], str]]:
    return (lambda: CronTrigger(hour=at.hour, minute=at.minute, timezone=PARIS)), (
        lambda now: daily_key(now, PARIS, at)
    )


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "outbox-deliver",
        "deliver the outbox, every minute",
        lambda: CronTrigger(second=0, timezone=timezone.utc),
        minute_key,
        operations.deliver_outbox,
        50,
    ),
    JobSpec(
        "digest-build",
        "build due digests and reminders, hourly (each recipient at 08:00 local time)",
        lambda: CronTrigger(minute=2, timezone=timezone.utc),
        hourly_key,
        operations.build_digests,
        3000,
    ),
    JobSpec(
        "suggestions-recompute",
        "recompute suggestions, nightly at 02:30 Paris time",
        *_daily(time(2, 30)),
        operations.recompute_suggestions,
        6 * 3600,
    ),
    JobSpec(
        "suggestions-requested",
        "recompute suggestions after staff applied new weights, checked every minute",
        lambda: CronTrigger(second=30, timezone=timezone.utc),
        minute_key,
        operations.recompute_if_requested,
        50,
    ),
    JobSpec(
        "introductions",
        "close expired introductions and introduce approved pairs under the cap, hourly",
        lambda: CronTrigger(minute=7, timezone=timezone.utc),
        hourly_key,
        operations.introduce_ready_pairs,
        3000,
    ),
    JobSpec(
        "introductions-follow-up",
        "remind unanswered introductions once and expire stale ones, hourly",
        lambda: CronTrigger(minute=9, timezone=timezone.utc),
        hourly_key,
        operations.follow_up_introductions,
        3000,
    ),
    JobSpec(
        "first-call-reminders",
        "remind both sides of first calls starting within 24 hours, hourly",
        lambda: CronTrigger(minute=12, timezone=timezone.utc),
        hourly_key,
        operations.send_call_reminders,
        3000,
    ),
    JobSpec(
        "surveys",
        "send the due 1-, 3- and 6-month surveys of mutual pairs, daily at 10:00 Paris time",
        *_daily(time(10, 0)),
        operations.send_surveys,
        6 * 3600,
    ),
    JobSpec(
        "purge",
        "purge expired drafts and tokens, daily at 03:15 Paris time",
        *_daily(time(3, 15)),
        operations.purge_expired,
        6 * 3600,
    ),
    JobSpec(
        "retention",
        "anonymise contacts past the retention period, daily at 03:45 Paris time",
        *_daily(time(3, 45)),
        operations.anonymise_expired,
        6 * 3600,
    ),
    JobSpec(
        "outreach-reminders",
        "remind invited collectivités that have not answered, hourly (daytime where they are)",
        lambda: CronTrigger(minute=12, timezone=timezone.utc),
        hourly_key,
        operations.remind_invitations,
        3000,
    ),
)
JOBS_BY_NAME = {job.name: job for job in JOBS}


def run_job(app: Flask, spec: JobSpec, now: datetime | None = None) -> RunResult:
    """Run one job for the period due at ``now``, in its own application context (once per period)."""
    now = now or utcnow()
    with app.app_context():
        try:
            return run_once(spec.name, spec.period(now), spec.operation, now=now)
        finally:
            db.session.remove()


def add_jobs(scheduler, app: Flask, *, catch_up: bool = True) -> None:
    """Add every job; with ``catch_up`` each also runs once right away (skipped if its period is done)."""
    now = utcnow()
    for spec in JOBS:
        options = {"next_run_time": now} if catch_up else {}
        scheduler.add_job(
            run_job,
            trigger=spec.trigger(),
            args=[app, spec],
            id=spec.name,
            name=spec.description,
            misfire_grace_time=spec.misfire_grace_time,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
            **options,
        )


def _scheduler(cls, **kwargs):
    return cls(timezone=timezone.utc, job_defaults={"coalesce": True, "max_instances": 1}, **kwargs)


def start_background_scheduler(app: Flask) -> BackgroundScheduler:
    """Start the schedule in threads of this process (embedded default, ``matchmaker serve``)."""
    scheduler = _scheduler(BackgroundScheduler, daemon=True)
    add_jobs(scheduler, app)
    scheduler.start()
    app.extensions["scheduler"] = scheduler
    log.info("background scheduler started", extra={"jobs": [spec.name for spec in JOBS]})
    return scheduler


def build_blocking_scheduler(app: Flask) -> BlockingScheduler:
    """The schedule for a process of its own (``matchmaker scheduler``); call ``start()`` to run it."""
    scheduler = _scheduler(BlockingScheduler)
    add_jobs(scheduler, app)
    return scheduler


def run_all_once(app: Flask, now: datetime | None = None) -> list[RunResult]:
    """Run every job once for its current period (what a scheduler does when it starts), then return."""
    return [run_job(app, spec, now) for spec in JOBS]
