""" "What came of it?" surveys 1, 3 and 6 months after mutual interest: links answer once, in each language;
staff confirm an answer as the pair's outcome; an agreement stops later surveys; the dashboard shows
self-reported outcomes beside staff-recorded ones."""

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from matchmaker.models import OutboxMessage, Outcome, Suggestion, SurveyAnswer
from tests.followup.helpers import make_mutual
from tests.review import factories as f

START = datetime(2027, 4, 6, 7, 0, tzinfo=timezone.utc)


def run(app, db, name="surveys"):
    from jobs.schedule import JOBS_BY_NAME, run_job

    db.session.commit()
    run_job(app, JOBS_BY_NAME[name])
    db.session.expire_all()


def survey_path(db, suggestion_id, side, wave):
    body = db.session.scalar(
        select(OutboxMessage.body_text).where(OutboxMessage.key == f"survey:{suggestion_id}:{side}:{wave}")
    )
    return re.search(r"http://localhost(/survey/\S+)", body).group(1)


def post_answer(client, path, **data):
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return client.post(
        path.split("?")[0] + "?" + path.split("?")[1],
        data={**data, "csrf_token": f.csrf_token(page.get_data(as_text=True))},
    )


@pytest.fixture
def mutual(app, db, time_machine):
    time_machine.move_to(START, tick=False)
    pair = make_mutual()
    db.session.commit()
    return pair


def test_surveys_go_out_at_one_three_and_six_months_in_each_language(app, db, client, mutual, time_machine):
    time_machine.move_to(START + timedelta(days=29), tick=False)
    run(app, db)
    assert db.session.scalars(select(SurveyAnswer)).all() == []
    time_machine.move_to(START + timedelta(days=31), tick=False)
    run(app, db)
    run(app, db)  # same period: nothing twice
    fr = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == f"survey:{mutual}:FR:1"))
    ko = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == f"survey:{mutual}:KR:1"))
    assert "Guro-gu" in fr.subject and fr.language == "fr" and "Il y a 1 mois" in fr.body_text
    assert ko.language == "ko" and "1개월 전" in ko.body_text

    # The Korean side answers in Korean, once.
    path = survey_path(db, mutual, "KR", 1)
    assert "무엇이 달라졌나요" in client.get(path).get_data(as_text=True)
    assert post_answer(client, path, answer="stopped").status_code == 400  # "why" is needed for "we stopped"
    done = post_answer(client, path, answer="met", note="화상 회의를 했습니다")
    assert done.status_code == 200 and "감사합니다" in done.get_data(as_text=True)
    again = client.get(path)
    assert again.status_code == 410
    answer = db.session.scalar(select(SurveyAnswer).where(SurveyAnswer.side == "KR"))
    db.session.refresh(answer)
    assert (answer.answer, answer.note, answer.wave) == ("met", "화상 회의를 했습니다", 1)

    time_machine.move_to(START + timedelta(days=92), tick=False)
    run(app, db)
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == f"survey:{mutual}:FR:3")) is not None


def test_staff_confirm_an_answer_as_outcome_and_an_agreement_stops_later_surveys(app, db, client, mutual, time_machine):
    time_machine.move_to(START + timedelta(days=95), tick=False)  # a missed first wave: only the latest due goes out
    run(app, db)
    assert sorted(db.session.scalars(select(SurveyAnswer.wave))) == [3, 3]
    post_answer(client, survey_path(db, mutual, "FR", 3), answer="agreement", note="Convention signée en mars")
    db.session.expire_all()
    survey = db.session.scalar(select(SurveyAnswer).where(SurveyAnswer.side == "FR"))
    cuf = f.staff("CUF")
    db.session.commit()
    f.login(client, cuf)
    pair_page = client.get(f"/staff/pairs/{mutual}").get_data(as_text=True)
    assert "Nous avons signé un accord" in pair_page and "Convention signée en mars" in pair_page
    f.post(client, f"/staff/surveys/{survey.id}/confirm")
    db.session.expire_all()
    assert db.session.get(Suggestion, mutual).outcome == "agreement"
    assert db.session.scalar(select(Outcome.kind).where(Outcome.suggestion_id == mutual)) == "agreement"
    dashboard = client.get("/staff/dashboard").get_data(as_text=True)
    section = dashboard.split('id="self-reported"')[1].split("</section>")[0]
    assert re.search(r"Nous avons signé un accord</th><td>1</td><td>1</td>", section)

    time_machine.move_to(START + timedelta(days=190), tick=False)
    run(app, db)
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key.like(f"survey:{mutual}:%:6"))) is None
