"""One run per job and period: a JobRun row with a unique (job, period_key), and on PostgreSQL an advisory lock.

Two schedulers started by mistake, or a restart after downtime, call the same job for the same period: the
first to insert the JobRun runs it, the others skip. A run that failed, or was left ``running`` by a crash for
longer than :data:`STALE_RUN`, may be taken over by a later call.
"""
from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Iterator

from sqlalchemy import and_, delete, select, text, update
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.models import JobRun
from matchmaker.clock import utcnow

log = logging.getLogger("matchmaker.scheduling")

STALE_RUN = timedelta(hours=6)


@dataclass
class RunResult:
    """What happened to one call of a job: ``done``, ``skipped`` (already run or locked) or ``failed``."""

    job: str
    period_key: str
    status: str
    detail: Any = None
    error: str | None = None


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_try_advisory_lock``."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def advisory_lock(name: str) -> Iterator[bool]:
    """On PostgreSQL, try a session advisory lock for the duration of the block (yields whether it was taken).

    The lock lives on a connection of its own, held for the whole job; PostgreSQL frees it if the process dies.
    Elsewhere (SQLite, one host) it yields True: the JobRun row is the guard.
    """
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    key = lock_key(name)
    with db.engine.connect() as conn:
        taken = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        conn.commit()
        try:
            yield taken
        finally:
            if taken:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()


def start_run(job: str, period_key: str, now: datetime | None = None) -> JobRun | None:
    """Record the start of ``job`` for ``period_key`` and commit; None when another call has it or had it."""
    now = now or utcnow()
    run = JobRun(job=job, period_key=period_key, status="running", started_at=now, detail={})
    try:
        with db.session.begin_nested():
            db.session.add(run)
        db.session.commit()
        return run
    except IntegrityError:
        db.session.rollback()
    existing = db.session.scalar(select(JobRun).where(JobRun.job == job, JobRun.period_key == period_key))
    if existing is None:
        return None
    retake = existing.status == "failed" or (existing.status == "running" and existing.started_at < now - STALE_RUN)
    if not retake:
        db.session.rollback()
        return None
    taken = db.session.execute(
        update(JobRun)
        .where(and_(JobRun.id == existing.id, JobRun.status == existing.status, JobRun.started_at == existing.started_at))
        .values(status="running", started_at=now, finished_at=None, error=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if taken != 1:
        return None
    db.session.refresh(existing)
    log.warning("job run taken over", extra={"job": job, "period_key": period_key})
    return existing


def finish_run(run_id: int, status: str, detail: Any = None, error: str | None = None) -> None:
    """Record the end of a run and commit."""
    db.session.execute(
        update(JobRun).where(JobRun.id == run_id)
        .values(status=status, finished_at=utcnow(), detail=detail if isinstance(detail, dict) else {"result": detail},
                error=error)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_once(job: str, period_key: str, operation: Callable[[], Any], *, now: datetime | None = None,
             lock: bool = True) -> RunResult:
    """Run ``operation`` once for (job, period): skipped if already run or if another process holds the lock.

    The operation commits its own work; an exception rolls it back, marks the run failed and is logged
    (a later call for the same period may retry it).
    """
    with (advisory_lock(f"job:{job}") if lock else _always()) as taken:
        if not taken:
            log.info("job skipped: running elsewhere", extra={"job": job, "period_key": period_key})
            return RunResult(job, period_key, "skipped", error="locked")
        run = start_run(job, period_key, now)
        if run is None:
            return RunResult(job, period_key, "skipped")
        run_id = run.id
        try:
            detail = operation()
        except Exception as exc:  # a job must never take the scheduler down; the failure is recorded
            db.session.rollback()
            log.exception("job failed", extra={"job": job, "period_key": period_key})
            finish_run(run_id, "failed", error=f"{exc.__class__.__name__}: {exc}"[:2000])
            return RunResult(job, period_key, "failed", error=str(exc))
        db.session.rollback()
        finish_run(run_id, "done", detail=_jsonable(detail))
        log.info("job done", extra={"job": job, "period_key": period_key})
        return RunResult(job, period_key, "done", detail=detail)


@contextmanager
def _always() -> Iterator[bool]:
    yield True


def _jsonable(value: Any) -> Any:
    """A JSON-safe form of an operation's result for JobRun.detail."""
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, (dict, list, str, int, float, bool)) or value is None:
        return value
    return str(value)


def purge_job_runs(job: str, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete finished runs of a frequent job older than ``older_than`` (the caller commits)."""
    limit = (now or utcnow()) - older_than
    return db.session.execute(
        delete(JobRun).where(JobRun.job == job, JobRun.started_at < limit, JobRun.status != "running")
    ).rowcount
