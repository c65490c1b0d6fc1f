"""Fault injection with real processes: a delivery worker killed with SIGKILL in the middle of a batch of 1,000,
two delivery workers at once, two schedulers at once. The SMTP server is the real aiosmtpd of the test suite;
the workers are ``matchmaker`` processes on the test database (SQLite file or PostgreSQL)."""

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

import tests.conftest as shared
from matchmaker.mail.delivery import deliver_outbox
from matchmaker.models import JobRun, OutboxMessage, utcnow
from tests.mail import factories as f

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MESSAGE_ID_RE = re.compile(rb"^Message-ID: (<[^>]+>)", re.M | re.I)


def matchmaker(args, *, database_url, smtp_port, instance, **extra):
    """Start ``matchmaker <args>`` as a separate process on the test database (same code as this test run)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "MATCHMAKER_DATABASE_URL": database_url,
        "MATCHMAKER_INSTANCE_PATH": str(instance),
        "MATCHMAKER_SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "MATCHMAKER_MAIL_SERVER": "127.0.0.1",
        "MATCHMAKER_MAIL_PORT": str(smtp_port),
        "MATCHMAKER_MAIL_SINK": "false",
        "MATCHMAKER_SCHEDULER_EMBEDDED": "false",
        "MATCHMAKER_BASE_URL": "http://localhost",
        "MATCHMAKER_LOG_LEVEL": "WARNING",
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from matchmaker.cli import main; main()", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def received_ids(server) -> list[str]:
    with server.lock:
        raws = [m.raw for m in server.messages]
    return [MESSAGE_ID_RE.search(raw).group(1).decode() for raw in raws]


def queue_many(db, n: int, prefix: str = "bulk") -> list[str]:
    """Insert ``n`` due emails directly (rendering is not what these tests are about)."""
    run = uuid.uuid4().hex[:8]
    rows = [
        dict(
            key=f"{prefix}:{i}",
            kind=prefix,
            recipient=f"r{i}@example.fr",
            language="fr",
            subject=f"Message {i}",
            body_text=f"Bonjour {i}\n",
            body_html=f"<p>Bonjour {i}</p>",
            headers={},
            message_id=f"<{prefix}-{i}-{run}@test.example>",
            status="pending",
            attempts=0,
            next_attempt_at=utcnow() - timedelta(seconds=1),
            created_at=utcnow(),
        )
        for i in range(n)
    ]
    db.session.execute(insert(OutboxMessage), rows)
    db.session.commit()
    return [r["message_id"] for r in rows]


@pytest.fixture
def slow_server(smtp_server, monkeypatch):
    """The test SMTP server, taking a few milliseconds per message, so that a batch is in flight for seconds."""
    original = shared._Handler.handle_DATA

    async def slow(self, server, session, envelope):
        await asyncio.sleep(0.004)
        return await original(self, server, session, envelope)

    monkeypatch.setattr(shared._Handler, "handle_DATA", slow)
    return smtp_server


@pytest.fixture
def mail_db(make_app, slow_server):
    """The database session of an app that sends to the (slow) test SMTP server."""
    from matchmaker.extensions import db

    app = make_app(**slow_server.app_config())
    with app.app_context():
        yield db
        db.session.rollback()


def finish(proc, timeout: float = 180) -> tuple[str, str]:
    """Wait for a process; return its output and error streams (closed)."""
    out, err = proc.communicate(timeout=timeout)
    return out.decode(), err.decode()


def wait_for(predicate, timeout: float = 90.0, proc=None) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def test_sigkill_in_the_middle_of_a_batch_loses_nothing_and_sends_nothing_twice(
    mail_db, slow_server, database_url, tmp_path
):
    db = mail_db
    ids = queue_many(db, 1000)
    kills = 0
    for threshold in (150, 450, 750):
        proc = matchmaker(
            ["outbox", "deliver"], database_url=database_url, smtp_port=slow_server.port, instance=tmp_path
        )
        in_flight = wait_for(lambda threshold=threshold: len(slow_server.messages) >= threshold, proc=proc)
        if in_flight:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        _, err = finish(proc)
        assert proc.returncode in (0, -signal.SIGKILL), err[-3000:]
    assert kills == 3, "the worker finished before it could be killed: the test proves nothing"
    db.session.expire_all()
    left_sending = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sending")
    )
    assert left_sending > 0  # the killed workers left claims behind

    report = deliver_outbox()  # the restarted worker
    db.session.expire_all()
    rows = {m.message_id: m for m in db.session.scalars(select(OutboxMessage))}
    statuses = Counter(m.status for m in rows.values())
    received = received_ids(slow_server)
    counts = Counter(received)

    assert set(statuses) <= {"sent", "ambiguous"}, statuses  # none lost, none left pending or sending
    assert statuses["ambiguous"] <= kills  # at most the one in flight per killed worker
    assert report.flagged <= 1 and report.recovered > 0  # the last killed worker's claims, recovered
    assert max(counts.values()) == 1  # nothing was sent twice
    assert set(received) <= set(ids)
    sent = {mid for mid, m in rows.items() if m.status == "sent"}
    assert sent <= set(received)  # every "sent" was really received
    assert all(
        "interrupted while sending" in rows[mid].last_error for mid, m in rows.items() if m.status == "ambiguous"
    )
    assert len(sent) + statuses["ambiguous"] == 1000


def test_two_delivery_workers_share_the_outbox_without_sending_twice(mail_db, slow_server, database_url, tmp_path):
    db = mail_db
    ids = queue_many(db, 600)
    procs = [
        matchmaker(["outbox", "deliver"], database_url=database_url, smtp_port=slow_server.port, instance=tmp_path)
        for _ in range(2)
    ]
    outputs = []
    for proc in procs:
        out, err = finish(proc)
        assert proc.returncode == 0, err[-3000:]
        outputs.append(out)
    sent_by = [int(re.search(r"sent (\d+)", out).group(1)) for out in outputs]
    assert sum(sent_by) == 600
    received = received_ids(slow_server)
    assert sorted(received) == sorted(ids)
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "sent")) == 600
    )


def test_two_schedulers_at_once_build_one_digest_per_recipient_and_period(db, smtp_server, database_url, tmp_path):
    reviewers = [f.staff("CUF" if i % 2 else "GAROK", name=f"Reviewer {i}") for i in range(12)]
    frs = [f.collectivite(f"Commune {i}", "FR") for i in range(4)]
    krs = [f.collectivite(f"Gu {i}", "KR", name_local=f"구 {i}") for i in range(4)]
    for fr in frs:
        for kr in krs:
            f.pair(fr, kr, 0.5)
    f.introduce(f.pair(f.collectivite("Rennes", "FR"), krs[0], 0.9))
    db.session.commit()
    args = ["digest", "build", "--now", "2026-12-07T09:30+01:00"]  # a Monday, also the first week of December
    procs = [
        matchmaker(args, database_url=database_url, smtp_port=smtp_server.port, instance=tmp_path) for _ in range(2)
    ]
    for proc in procs:
        _, err = finish(proc)
        assert proc.returncode == 0, err[-3000:]
    db.session.expire_all()
    keys = db.session.scalars(select(OutboxMessage.key)).all()
    assert len(keys) == len(set(keys))
    review = [k for k in keys if k.startswith("review-digest:")]
    assert len(review) == len(reviewers) and {k.rsplit(":", 1)[1] for k in review} == {"2026-W50"}
    partner = [k for k in keys if k.startswith("partner-digest:")]
    assert len(partner) == 2  # Rennes and Gu 0 have an open introduction

    db.session.rollback()  # end this test's transaction: on SQLite it would hold the write lock

    # Two whole schedulers started at once (each runs every job for its current period, then exits).
    procs = [
        matchmaker(["scheduler", "--once"], database_url=database_url, smtp_port=smtp_server.port, instance=tmp_path)
        for _ in range(2)
    ]
    outputs = ""
    for proc in procs:
        out, err = finish(proc)
        assert proc.returncode == 0, err[-3000:]
        outputs += out
    for job in ("outbox-deliver", "digest-build", "suggestions-recompute", "purge", "retention"):
        assert len(re.findall(rf"^{job} \[[^\]]+\]: done$", outputs, re.M)) == 1, outputs
    db.session.expire_all()
    runs = db.session.execute(select(JobRun.job, JobRun.period_key, JobRun.status)).all()
    assert len(runs) == len({(job, period) for job, period, _ in runs})
    ids = received_ids(smtp_server)
    assert len(ids) == len(set(ids))
    rows = db.session.execute(select(OutboxMessage.key, OutboxMessage.message_id, OutboxMessage.status)).all()
    assert {mid for _, mid, status in rows if status == "sent"} == set(ids)
    assert {key for key, _, status in rows if status == "sent"} >= set(keys)  # what was queued before was delivered
