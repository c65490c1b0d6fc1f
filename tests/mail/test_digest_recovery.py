"""Digest builds that recover: a build killed with SIGKILL mid-way, or two builds at once, still end with exactly
one digest per recipient and period, on the test database (SQLite file or PostgreSQL), with real processes."""

import contextlib
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select

from matchmaker.mail.digests import build_digests
from matchmaker.models import JobRun, OutboxMessage, utcnow
from matchmaker.scheduling.runs import advisory_lock
from tests.mail import factories as f
from tests.mail.test_faults import finish, matchmaker

pytestmark = pytest.mark.slow

NOW = "2026-12-07T09:30+01:00"  # a Monday in the first week of December: weekly and monthly digests are due
MONDAY = datetime.fromisoformat(NOW)
PAIRS = 150


def many_recipients(db) -> int:
    """Reviewers and collectivité contacts that each get a digest; returns how many digests are due."""
    reviewers = [f.staff("CUF" if i % 2 else "GAROK", name=f"Reviewer {i}") for i in range(6)]
    for i in range(PAIRS):
        fr = f.collectivite(f"Commune {i}", "FR")
        kr = f.collectivite(f"Gu {i}", "KR", name_local=f"구 {i}")
        f.introduce(f.pair(fr, kr, 0.5))
    db.session.commit()
    return len(reviewers) + 2 * PAIRS


def digest_keys(db) -> list[str]:
    db.session.expire_all()
    keys = db.session.scalars(
        select(OutboxMessage.key).where(OutboxMessage.kind.in_(("reviewer-digest", "partner-digest")))
    ).all()
    db.session.rollback()  # on SQLite a reading transaction must not stay open while the processes write
    return keys


@contextlib.contextmanager
def writes_held_once_digests_appear(database_url: str, proc, timeout: float = 90.0):
    """Hold the database's write lock (SQLite) or the outbox table's (PostgreSQL) from another connection, from the
    moment the build has committed some digests, and yield how many there are then; None when the build ended first.

    The lock is taken, the digests are counted under it and it is released again until some are there: while it is
    held the build cannot commit, so what was counted is what the build had done when it was stopped, however fast
    it runs (an idle machine once built all 306 digests between a first look and the lock).
    """
    engine = create_engine(database_url)
    raw = engine.raw_connection()
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        raw.driver_connection.isolation_level = None
    count_digests = "SELECT count(*) FROM outbox_message WHERE kind IN ('reviewer-digest', 'partner-digest')"
    deadline = time.time() + timeout
    try:
        while True:
            cursor = raw.cursor()
            cursor.execute("BEGIN IMMEDIATE" if sqlite else "LOCK TABLE outbox_message IN EXCLUSIVE MODE")
            cursor.execute(count_digests)
            seen = cursor.fetchone()[0]
            if seen or proc.poll() is not None or time.time() > deadline:
                break
            raw.driver_connection.execute("ROLLBACK") if sqlite else raw.rollback()
            time.sleep(0.005)
        yield seen if seen and proc.poll() is None else None
    finally:
        raw.driver_connection.execute("ROLLBACK") if sqlite else raw.rollback()
        raw.close()
        engine.dispose()


def assert_one_digest_each(keys: list[str], expected: int) -> None:
    recipients = Counter(key.rsplit(":", 1)[0] for key in keys)
    assert max(recipients.values()) == 1
    assert len(recipients) == expected, f"{len(recipients)} of {expected} digests queued"


def test_a_build_killed_mid_way_is_completed_by_the_next_run(db, smtp_server, database_url, tmp_path):
    expected = many_recipients(db)
    db.session.rollback()
    args = ["digest", "build", "--now", NOW]
    for _attempt in range(5):  # a build that commits everything at once between two looks proves nothing: again
        proc = matchmaker(args, database_url=database_url, smtp_port=smtp_server.port, instance=tmp_path)
        with writes_held_once_digests_appear(database_url, proc) as seen:
            stopped = seen is not None and seen < expected
            if stopped:  # the build now waits on its next commit: it is killed mid-way, whatever its speed
                proc.send_signal(signal.SIGKILL)
                finish(proc)
        if stopped:
            break
        finish(proc)  # the lock released, the build ends on its own
        db.session.execute(OutboxMessage.__table__.delete())
        db.session.execute(JobRun.__table__.delete())
        db.session.commit()
    assert proc.returncode == -signal.SIGKILL, "the build was never stopped mid-way: the test proves nothing"
    partial = len(digest_keys(db))
    assert 0 < partial < expected

    rerun = matchmaker(args, database_url=database_url, smtp_port=smtp_server.port, instance=tmp_path)
    out, err = finish(rerun)
    assert rerun.returncode == 0, err[-3000:]
    assert_one_digest_each(digest_keys(db), expected)
    db.session.expire_all()
    assert set(db.session.scalars(select(JobRun.status).where(JobRun.job.like("digest:%")))) == {"done"}
    db.session.rollback()

    again = matchmaker(args, database_url=database_url, smtp_port=smtp_server.port, instance=tmp_path)
    out, err = finish(again)
    assert again.returncode == 0, err[-3000:]
    assert "queued 0 email(s)" in out
    assert_one_digest_each(digest_keys(db), expected)


def test_two_builds_at_once_queue_every_digest_once(db, smtp_server, database_url, tmp_path):
    expected = many_recipients(db)
    db.session.rollback()
    args = ["digest", "build", "--now", NOW]
    procs = [
        matchmaker(args, database_url=database_url, smtp_port=smtp_server.port, instance=tmp_path) for _ in range(2)
    ]
    errs = [finish(proc)[1] for proc in procs]  # both ended before any assertion
    for proc, err in zip(procs, errs):
        assert proc.returncode == 0, err[-3000:]
        assert "Traceback" not in err and "OperationalError" not in err, err[-3000:]  # waits are logged, not errors
    assert_one_digest_each(digest_keys(db), expected)
    db.session.expire_all()
    assert set(db.session.scalars(select(JobRun.status).where(JobRun.job.like("digest:%")))) == {"done"}


def test_a_group_left_running_by_a_dead_process_is_taken_over_at_once(db, time_machine):
    """The claim names its owner; a build on the same host whose process is gone does not block the next one."""
    time_machine.move_to(MONDAY, tick=False)
    f.staff("CUF", name="Élodie Martin")
    f.pair(f.collectivite("Nantes", "FR"), f.collectivite("Suwon", "KR"))  # something for her digest to say
    db.session.commit()
    now = utcnow()
    report = build_digests(now)
    assert len(report.queued) == 1, report
    db.session.execute(OutboxMessage.__table__.delete())
    dead = _dead_pid()
    db.session.execute(
        JobRun.__table__.update()
        .where(JobRun.job.like("digest:%"))
        .values(
            status="running",
            finished_at=None,
            detail={
                "owner": f"{socket.gethostname()}:{dead}:0123abcd",
                "lease_until": (now + timedelta(minutes=5)).isoformat(),
            },
        )
    )
    db.session.commit()
    report = build_digests(now)
    assert len(report.queued) == 1, report
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_group_claimed_by_a_live_owner_is_left_to_it_until_its_lease_ends(db, time_machine):
    """A claim from another host is respected while its lease runs (on PostgreSQL: while its owner holds the
    group's advisory lock), then taken over."""
    time_machine.move_to(MONDAY, tick=False)
    f.staff("CUF", name="Élodie Martin")
    f.pair(f.collectivite("Nantes", "FR"), f.collectivite("Suwon", "KR"))
    db.session.commit()
    now = utcnow()
    build_digests(now)
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.execute(
        JobRun.__table__.update()
        .where(JobRun.job.like("digest:%"))
        .values(
            status="running",
            finished_at=None,
            detail={"owner": "another-host:4242:0123abcd", "lease_until": (now + timedelta(minutes=2)).isoformat()},
        )
    )
    db.session.commit()
    groups = db.session.scalars(select(JobRun.job).where(JobRun.job.like("digest:%"))).all()
    db.session.rollback()
    with contextlib.ExitStack() as owner:  # the live owner holds its groups' locks (PostgreSQL only)
        for group in groups:
            assert owner.enter_context(advisory_lock(f"job:{group}"))
        report = build_digests(now)
        assert report.queued == [] and report.groups_elsewhere, report  # its owner may still be working on it
    time_machine.move_to(now + timedelta(minutes=3), tick=False)
    assert len(build_digests(now).queued) == 1  # the owner is gone (lease over, lock free): taken over


def _dead_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid
