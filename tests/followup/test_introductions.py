"""Introductions nobody answers: one reminder after 7 days; after 30 days they expire, free the exposure cap
(a waiting pair is introduced at once) and the side that said "interested" is told kindly. The scheduler's
clock is moved forward with time_machine; every step runs the real scheduled job."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from matchmaker.models import Introduction, OutboxMessage, Suggestion
from matchmaker.review import operations as review
from tests.followup.helpers import answer_token
from tests.review import factories as f

START = datetime(2027, 2, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def app(make_app):
    return make_app(EXPOSURE_CAP=1)


def keys(db, kind):
    return sorted(db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.kind == kind)))


def run(app, db, name):
    from jobs.schedule import JOBS_BY_NAME, run_job

    db.session.commit()
    result = run_job(app, JOBS_BY_NAME[name])
    db.session.expire_all()
    return result


def test_unanswered_introduction_is_reminded_once_then_expires_and_frees_the_cap(app, db, client, time_machine):
    time_machine.move_to(START, tick=False)
    issy, guro = f.issy_and_guro()
    lyon = f.collectivite("Lyon", "FR", "metropole", language="fr")
    first = f.suggestion(issy, guro, 0.9)
    waiting = f.suggestion(lyon, guro, 0.8)  # Guro-gu is at the cap (1) while the first pair is open
    for s in (first, waiting):
        review.decide(s, f.staff("CUF"), "approve")
        review.decide(s, f.staff("GAROK"), "approve")
    db.session.commit()
    assert (first.state, waiting.state) == ("introduced", "approved")
    review.answer(answer_token(first.id, "FR"), "interested")  # Issy answers; Guro-gu never does
    db.session.commit()

    time_machine.move_to(START + timedelta(days=6), tick=False)
    run(app, db, "introductions-follow-up")
    assert keys(db, "introduction_reminder") == []

    for days in (7, 8, 9):
        time_machine.move_to(START + timedelta(days=days, hours=1), tick=False)
        run(app, db, "introductions-follow-up")
    assert keys(db, "introduction_reminder") == [f"introduction-reminder:{first.id}:KR"]  # once, unanswered side only
    reminder = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "introduction_reminder"))
    assert reminder.language == "ko" and "/answer/" in reminder.body_text

    # Staff see it among the introductions about to expire.
    time_machine.move_to(START + timedelta(days=27), tick=False)
    cuf = f.staff("CUF").email
    db.session.commit()
    f.login(client, cuf)
    page = client.get("/staff/follow-up").get_data(as_text=True)
    assert "Guro-gu" in page and "Issy-les-Moulineaux" in page and "3 jours restants" in page

    time_machine.move_to(START + timedelta(days=30, hours=1), tick=False)
    run(app, db, "introductions-follow-up")
    intro = db.session.scalar(select(Introduction).where(Introduction.suggestion_id == first.id))
    assert intro.closed_at is not None
    assert db.session.get(Suggestion, waiting.id).state == "introduced"  # the freed place went to the waiting pair
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "introduction_expired")).all()
    assert [m.key for m in told] == [f"introduction-expired:{first.id}:FR"] and told[0].language == "fr"
    assert "Guro-gu" in told[0].subject

    time_machine.move_to(START + timedelta(days=31), tick=False)
    run(app, db, "introductions-follow-up")
    assert len(keys(db, "introduction_expired")) == 1 and len(keys(db, "introduction_reminder")) == 1
    # The expired pair's old link now says the introduction is closed.
    assert client.get(f"/answer/{answer_token(first.id, 'KR')}").status_code == 410
