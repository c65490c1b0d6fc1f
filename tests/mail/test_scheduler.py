"""The schedule: period keys, one run per job and period, catch-up at start, the embedded scheduler and the CLI
twins."""

import threading
import time
from datetime import datetime, timedelta, timezone
from datetime import time as clock
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from jobs.schedule import JOBS, JOBS_BY_NAME, run_job, start_background_scheduler
from matchmaker.models import JobRun, OutboxMessage, utcnow
from matchmaker.scheduling import periods
from matchmaker.scheduling.runs import STALE_RUN, advisory_lock, run_once
from tests.mail import factories as f

PARIS = ZoneInfo("Europe/Paris")


def test_period_keys():
    monday_7h = datetime(2026, 11, 23, 7, 0, tzinfo=PARIS)
    assert periods.due_period(monday_7h, "Europe/Paris", "weekly", clock(8)) is None
    assert periods.due_period(monday_7h, "Asia/Seoul", "weekly", clock(8)) == "2026-W48"  # 15:00 in Seoul
    assert periods.due_period(monday_7h + timedelta(hours=1), "Europe/Paris", "weekly", clock(8)) == "2026-W48"
    assert periods.due_period(monday_7h + timedelta(days=6), "Europe/Paris", "weekly", clock(8)) == "2026-W48"
    assert periods.due_period(monday_7h, "Europe/Paris", "monthly", clock(8)) == "2026-11"
    assert periods.due_period(datetime(2026, 12, 1, 7, 59, tzinfo=PARIS), "Europe/Paris", "monthly", clock(8)) is None
    # Before the nightly slot the key is yesterday's (a run missed last night is caught up, once).
    assert periods.daily_key(datetime(2026, 11, 23, 1, 0, tzinfo=PARIS), "Europe/Paris", clock(2, 30)) == "2026-11-22"
    assert periods.daily_key(datetime(2026, 11, 23, 2, 30, tzinfo=PARIS), "Europe/Paris", clock(2, 30)) == "2026-11-23"
    # ISO weeks across the new year; DST change in Paris (29 March 2026) keeps the local slot.
    assert periods.week_key(datetime(2027, 1, 1).date()) == "2026-W53"
    assert (
        periods.daily_key(datetime(2026, 3, 29, 1, 45, tzinfo=timezone.utc), "Europe/Paris", clock(2, 30))
        == "2026-03-29"
    )


def test_a_period_runs_once_and_a_failed_run_is_retried(db):
    calls = []
    assert run_once("demo", "2026-11-23", lambda: calls.append(1) or {"n": 1}).status == "done"
    assert run_once("demo", "2026-11-23", lambda: calls.append(2)).status == "skipped"
    assert run_once("demo", "2026-11-24", lambda: calls.append(3)).status == "done"
    assert calls == [1, 3]

    def boom():
        raise RuntimeError("relay misconfigured")

    failed = run_once("other", "2026-11-23", boom)
    assert failed.status == "failed" and "relay misconfigured" in failed.error
    run = db.session.scalar(select(JobRun).where(JobRun.job == "other"))
    assert run.status == "failed" and "relay misconfigured" in run.error
    assert run_once("other", "2026-11-23", lambda: calls.append(4)).status == "done"
    assert calls == [1, 3, 4]
    assert db.session.scalar(select(func.count()).select_from(JobRun).where(JobRun.job == "other")) == 1


def test_a_run_left_running_by_a_crash_is_taken_over_only_when_stale(db):
    db.session.add(
        JobRun(job="crashed", period_key="p", status="running", started_at=utcnow() - timedelta(minutes=5), detail={})
    )
    db.session.commit()
    assert run_once("crashed", "p", lambda: None).status == "skipped"
    db.session.execute(JobRun.__table__.update().values(started_at=utcnow() - STALE_RUN - timedelta(minutes=1)))
    db.session.commit()
    assert run_once("crashed", "p", lambda: None).status == "done"


def test_advisory_lock_excludes_a_second_holder(app, db):
    """On PostgreSQL a second scheduler skips a job another one is running; elsewhere the JobRun row guards."""
    if db.engine.dialect.name != "postgresql":
        with advisory_lock("job:x") as taken:
            assert taken
        return
    seen = []
    with advisory_lock("job:x") as taken:
        assert taken

        def other():
            with app.app_context():
                with advisory_lock("job:x") as second:
                    seen.append(second)

        t = threading.Thread(target=other)
        t.start()
        t.join(10)
    assert seen == [False]
    with advisory_lock("job:x") as again:
        assert again


def two_collectivites():
    """A French and a Korean response, so that the nightly recompute has something to score."""
    f.collectivite("Nantes", "FR")
    f.collectivite("Suwon", "KR", name_local="수원시")


def test_every_job_runs_once_per_period_through_run_job(app, smtp_server, db):
    two_collectivites()
    db.session.commit()
    app.config.update(smtp_server.app_config())
    app.extensions["mail"].server, app.extensions["mail"].port = smtp_server.host, smtp_server.port
    now = utcnow()
    first = {spec.name: run_job(app, spec, now) for spec in JOBS}
    assert {name: r.status for name, r in first.items()} == {spec.name: "done" for spec in JOBS}, {
        name: r.error for name, r in first.items()
    }
    again = {spec.name: run_job(app, spec, now).status for spec in JOBS}
    assert set(again.values()) == {"skipped"}
    assert db.session.scalar(
        select(func.count()).select_from(JobRun).where(JobRun.job.in_([s.name for s in JOBS]))
    ) == len(JOBS)


def test_embedded_scheduler_catches_up_at_start_then_delivers(make_app, smtp_server):
    """The background scheduler of ``matchmaker serve`` runs each job once at start and delivers queued mail."""
    app = make_app(**smtp_server.app_config())
    from matchmaker.extensions import db
    from matchmaker.mail.outbox import enqueue_email

    with app.app_context():
        f.staff("CUF", name="Élodie Martin")
        two_collectivites()
        enqueue_email(
            "hello:1",
            "test",
            "someone@example.fr",
            "fr",
            "mail/email/draft_reminder",
            {
                "collectivite": "Brest",
                "resume_url": "http://localhost/",
                "purge_on": utcnow().date(),
                "saved_on": utcnow().date(),
                "unsubscribe_url": None,
            },
        )
        db.session.commit()
    scheduler = start_background_scheduler(app)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with app.app_context():
                done = db.session.scalars(select(JobRun.job).where(JobRun.status.in_(("done", "failed")))).all()
                db.session.remove()
            if set(JOBS_BY_NAME) <= set(done):
                break
            time.sleep(0.2)
        assert set(JOBS_BY_NAME) <= set(done)
        deadline = time.time() + 30
        while time.time() < deadline and not any(m.rcpt_tos == ["someone@example.fr"] for m in smtp_server.messages):
            time.sleep(0.2)
        assert [m.rcpt_tos for m in smtp_server.messages].count(["someone@example.fr"]) == 1
        with app.app_context():
            statuses = dict(db.session.execute(select(JobRun.job, JobRun.status)).all())
            db.session.remove()
        assert {statuses[name] for name in JOBS_BY_NAME} == {"done"}, statuses
    finally:
        scheduler.shutdown(wait=True)


def test_cli_twins(runner, db):
    f.staff("GAROK", name="김민지")
    f.pair(f.collectivite("Nantes"), f.collectivite("Suwon", "KR", name_local="수원시"))
    db.session.commit()
    dry = runner.invoke(args=["digest", "build", "--dry-run", "--now", "2026-11-23T09:00+09:00"])
    assert dry.exit_code == 0, dry.output
    assert "would queue review-digest:" in dry.output and "결정을 기다리는 매칭 1건" in dry.output
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    built = runner.invoke(args=["digest", "build", "--now", "2026-11-23T09:00+09:00"])
    assert built.exit_code == 0 and "queued review-digest:" in built.output
    listed = runner.invoke(args=["outbox", "list"])
    assert "pending: 1" in listed.output and "reviewer-digest" in listed.output
    assert runner.invoke(args=["digest", "build", "--now", "yesterday"]).exit_code != 0
    jobs = runner.invoke(args=["scheduler", "list"])
    assert all(spec.name in jobs.output for spec in JOBS)
    assert runner.invoke(args=["scheduler", "run", "no-such-job"]).exit_code != 0


def test_delivery_dry_run_sends_nothing(runner, db):
    from matchmaker.mail.outbox import enqueue_email

    enqueue_email(
        "dry:1",
        "test",
        "someone@example.fr",
        "fr",
        "mail/email/draft_reminder",
        {
            "collectivite": "Brest",
            "resume_url": "http://localhost/",
            "purge_on": utcnow().date(),
            "saved_on": utcnow().date(),
            "unsubscribe_url": None,
        },
    )
    db.session.commit()
    for args in (["outbox", "deliver", "--dry-run"], ["digest", "send", "--dry-run"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0 and "1 email(s) due" in result.output and "someone@example.fr" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.status)) == "pending"
