"""One run per job and period: a JobRun row with a unique (job, period_key), and on PostgreSQL an advisory lock.

Two schedulers started by mistake, or a restart after downtime, call the same job for the same period: the
first to insert the JobRun runs it, the others skip. The running row is a claim naming its owner
(``host:pid:token``) and a lease; a run that failed, or whose owner is gone (its process no longer exists on
this host, its lease ran out without renewal, or on PostgreSQL it no longer holds the job's advisory lock) is
taken over by a later call, so a crash never blocks a period.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import os
import socket
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Iterator

from sqlalchemy import and_, delete, select, text, update
from sqlalchemy.exc import IntegrityError

from matchmaker.clock import utcnow
from matchmaker.database import retry_when_locked
from matchmaker.extensions import db
from matchmaker.models import JobRun

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


def owner_id() -> str:
    """Who claims a run: ``host:pid:token`` (the token tells apart two processes that had the same pid)."""
    global _OWNER
    if _OWNER is None or _OWNER[0] != os.getpid():
        _OWNER = (os.getpid(), f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    return _OWNER[1]


_OWNER: tuple[int, str] | None = None


def _claim(lease: timedelta) -> dict:
    """What a running row's ``detail`` holds: its owner and until when the claim lasts unless renewed."""
    return {"owner": owner_id(), "lease_until": (utcnow() + lease).isoformat()}


def _process_gone(owner: str) -> bool:
    """Whether ``owner`` (``host:pid:token``) is a process of this host that no longer exists."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return False
    if owner == owner_id():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, ValueError):
        return False
    return False


def owner_gone(run: JobRun, *, locked: bool = False, now: datetime | None = None) -> bool:
    """Whether a ``running`` row is abandoned: its owner's process is gone or its lease ran out.

    ``locked`` says the caller holds the job's PostgreSQL advisory lock, which a live owner would hold: then the
    owner is gone whatever its lease says. A row without an owner (written before claims had one) is abandoned
    after :data:`STALE_RUN`.
    """
    now = now or utcnow()
    claim = run.detail if isinstance(run.detail, dict) else {}
    owner, lease_until = claim.get("owner"), claim.get("lease_until")
    if not owner:
        return run.started_at < now - STALE_RUN
    if locked and db.engine.dialect.name == "postgresql":
        return True
    try:
        expired = lease_until is None or datetime.fromisoformat(lease_until) < utcnow()
    except (TypeError, ValueError):
        expired = True
    return expired or _process_gone(str(owner))


def start_run(
    job: str, period_key: str, now: datetime | None = None, *, lease: timedelta = STALE_RUN, locked: bool = False
) -> JobRun | None:
    """Claim ``job`` for ``period_key`` and commit; None when another live call has it, or it is done.

    A run that failed, or whose owner is gone (see :func:`owner_gone`), is taken over: its row is replaced by
    this call's claim in one transaction, so of two callers taking over at once only one gets it.
    """
    now = now or utcnow()
    run = JobRun(job=job, period_key=period_key, status="running", started_at=now, detail=_claim(lease))
    try:
        with db.session.begin_nested():
            db.session.add(run)
        db.session.commit()
        return run
    except IntegrityError:
        db.session.rollback()
    existing = db.session.scalar(
        select(JobRun).where(JobRun.job == job, JobRun.period_key == period_key).with_for_update()
    )
    if existing is None:
        db.session.rollback()
        return None
    retake = existing.status == "failed" or (
        existing.status == "running" and owner_gone(existing, locked=locked, now=now)
    )
    if not retake:
        db.session.rollback()
        return None
    previous = (existing.detail or {}).get("owner") if existing.status == "running" else None
    taken = db.session.execute(
        delete(JobRun)
        .where(
            and_(JobRun.id == existing.id, JobRun.status == existing.status, JobRun.started_at == existing.started_at)
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        return None
    db.session.expunge(existing)
    run = JobRun(job=job, period_key=period_key, status="running", started_at=now, detail=_claim(lease))
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    log.warning(
        "job run taken over",
        extra={"job": job, "period_key": period_key, "previous_owner": previous, "previous_status": existing.status},
    )
    return run


@dataclass
class _Claim:
    run_id: int
    lease: timedelta
    renewed_at: datetime


_current: contextvars.ContextVar[_Claim | None] = contextvars.ContextVar("current_run", default=None)


class ClaimLost(RuntimeError):
    """Another process took this run over (this one was thought gone): stop working on it."""


def keep_alive() -> None:
    """Renew the claim of the run in progress (if any) when a quarter of its lease has passed; commits.

    Long operations call it between units of work. Raises :class:`ClaimLost` when the run was taken over.
    """
    claim = _current.get()
    if claim is None or utcnow() - claim.renewed_at < claim.lease / 4:
        return
    row = db.session.scalar(select(JobRun).where(JobRun.id == claim.run_id).with_for_update())
    if row is None or row.status != "running" or (row.detail or {}).get("owner") != owner_id():
        db.session.rollback()
        raise ClaimLost(f"job run #{claim.run_id} was taken over by another process")
    row.detail = _claim(claim.lease)
    db.session.commit()
    claim.renewed_at = utcnow()


def finish_run(run_id: int, status: str, detail: Any = None, error: str | None = None) -> None:
    """Record the end of a run and commit."""
    db.session.execute(
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.status == "running")
        .values(
            status=status,
            finished_at=utcnow(),
            detail=detail if isinstance(detail, dict) else {"result": detail},
            error=error,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def run_once(
    job: str,
    period_key: str,
    operation: Callable[[], Any],
    *,
    now: datetime | None = None,
    lock: bool = True,
    lease: timedelta = STALE_RUN,
) -> RunResult:
    """Run ``operation`` once for (job, period): skipped if already run or if another live process has it.

    The operation commits its own work; an exception rolls it back, marks the run failed and is logged
    (a later call for the same period may retry it). An operation that calls :func:`keep_alive` as it goes
    may pass a short ``lease``: a process that dies without finishing is then taken over that much later at
    the latest (at once on the same host, or on PostgreSQL when ``lock`` is set).
    """
    with advisory_lock(f"job:{job}") if lock else _always() as taken:
        if not taken:
            log.info("job skipped: running elsewhere", extra={"job": job, "period_key": period_key})
            return RunResult(job, period_key, "skipped", error="locked")
        run = retry_when_locked(lambda: start_run(job, period_key, now, lease=lease, locked=lock))
        if run is None:
            return RunResult(job, period_key, "skipped")
        run_id = run.id
        token = _current.set(_Claim(run_id, lease, utcnow()))
        try:
            detail = operation()
        except Exception as exc:  # a job must never take the scheduler down; the failure is recorded
            db.session.rollback()
            if isinstance(exc, ClaimLost):
                log.warning("job run lost to another process", extra={"job": job, "period_key": period_key})
                return RunResult(job, period_key, "skipped", error=str(exc))
            log.exception("job failed", extra={"job": job, "period_key": period_key})
            # The message is taken here: ``exc`` is unbound once the handler ends, and the closure must not need it.
            error = f"{exc.__class__.__name__}: {exc}"[:2000]
            retry_when_locked(lambda: finish_run(run_id, "failed", error=error))
            return RunResult(job, period_key, "failed", error=str(exc))
        finally:
            _current.reset(token)
        db.session.rollback()
        retry_when_locked(lambda: finish_run(run_id, "done", detail=_jsonable(detail)))
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
