"""Jobs that keep suggestions and introductions moving without staff running commands."""

from datetime import timedelta

from sqlalchemy import func, select

from jobs.schedule import JOBS_BY_NAME, run_job
from matchmaker.models import Introduction, MatchRun, OutboxMessage, utcnow
from matchmaker.suggestions import operations as suggestions
from tests.review import factories as f


def test_weights_applied_by_staff_are_used_within_a_minute(app, db):
    f.issy_and_guro()
    db.session.commit()
    assert run_job(app, JOBS_BY_NAME["suggestions-requested"]).status == "done"
    assert db.session.scalar(select(func.count()).select_from(MatchRun)) == 0  # nothing was asked
    suggestions.apply_weights({"themes": 1, "complementarity": 0, "sectors": 0, "size": 0, "text": 0})
    db.session.commit()
    later = utcnow() + timedelta(minutes=1)  # the next minute's run (each minute runs once)
    assert run_job(app, JOBS_BY_NAME["suggestions-requested"], now=later).status == "done"
    db.session.expire_all()
    run = db.session.scalar(select(MatchRun))
    assert run is not None and run.params["weights"]["themes"] == 1.0


def test_approved_pairs_waiting_for_the_cap_are_introduced_by_the_hourly_job(app, db):
    issy, guro = f.issy_and_guro()
    s = f.suggestion(issy, guro)
    s.cuf_decision = s.garok_decision = "approve"
    s.state = "approved"
    db.session.commit()
    run_job(app, JOBS_BY_NAME["introductions"])
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Introduction)) == 1
    assert (
        db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "introduction"))
        == 2
    )
