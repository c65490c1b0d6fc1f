"""Profile completeness: what the matching would use but a response leaves out, on the questionnaire's review
step, in the staff list, and once in the collectivité's digest."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from matchmaker.followup.completeness import completeness
from matchmaker.mail.digests import build_digests
from matchmaker.models import OutboxMessage, ProfileReminder, utcnow
from tests.mail import factories as mf
from tests.questionnaire.conftest import fr_record
from tests.questionnaire.webflow import fill_questionnaire

PARIS = ZoneInfo("Europe/Paris")


def test_completeness_counts_what_the_matching_uses():
    full = fr_record(
        themes={
            "smart_city": {"priority": 3, "stance": "offer"},
            "tourism": {"priority": 2, "stance": "seek"},
            "culture_heritage": {"priority": 1, "stance": "both"},
        },
        description="x" * 250,
    )
    assert completeness(full).percent == 100 and completeness(full).missing == []
    thin = completeness(fr_record(sectors=[], description="Ville."))
    assert thin.percent < 80 and [code for code, *_ in thin.missing] == ["themes", "description", "sectors"]
    assert completeness({}).percent == 0


def test_review_step_shows_what_would_improve_suggestions(client):
    fill_questionnaire(client, fr_record(sectors=[]), submit=False)
    page = client.get("/questionnaire/review?lang=fr", follow_redirects=True).get_data(as_text=True)
    assert "Vos réponses sont complètes à" in page and "Une présentation de quelques phrases" in page
    ko = client.get("/questionnaire/review?lang=ko", follow_redirects=True).get_data(as_text=True)
    assert "추천 결과를 더 좋게" in ko


def test_staff_list_shows_completeness(app, client):
    from tests.review import factories as rf

    with app.app_context():
        from matchmaker.extensions import db

        rf.collectivite("Lyon", "FR", themes={"mobility": (3, "offer")})
        email = rf.staff("CUF").email
        db.session.commit()
    rf.login(client, email)
    page = client.get("/staff/responses").get_data(as_text=True)
    assert "complet à" in page


def test_the_digest_reminds_once(db, time_machine):
    time_machine.move_to(datetime(2026, 12, 1, 9, 5, tzinfo=PARIS), tick=False)
    lyon = mf.collectivite("Lyon", "FR", email="international@lyon.example.fr")
    guro = mf.collectivite("Guro-gu", "KR", name_local="구로구")
    mf.introduce(mf.pair(lyon, guro), created_at=utcnow() - timedelta(days=3))
    db.session.commit()
    build_digests(datetime(2026, 12, 1, 9, 5, tzinfo=PARIS))
    first = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "international@lyon.example.fr"))
    assert "Des suggestions plus justes avec un profil plus complet" in first.body_text
    assert "Lyon\u00a0: vos réponses sont complètes à" in first.body_text
    assert (
        db.session.scalar(select(ProfileReminder.percent).where(ProfileReminder.response_id == lyon.response.id))
        is not None
    )
    build_digests(datetime(2027, 1, 1, 9, 5, tzinfo=PARIS))
    second = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient == "international@lyon.example.fr", OutboxMessage.id != first.id
        )
    ).all()
    assert len(second) == 1 and "profil plus complet" not in second[0].body_text
