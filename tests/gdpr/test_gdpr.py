"""Personal data: export everything about a person, erase it, keep the anonymous answers; retention job."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from matchmaker.gdpr.operations import anonymise_expired_contacts, export_person
from matchmaker.models import (
    DigestRecipient,
    OutboxMessage,
    Response,
    ResponseVersion,
    Subscription,
    ThemeInterest,
    utcnow,
)
from matchmaker.tokens import TokenError, issue_token, resolve_token
from tests.suggestions.factories import submitted

EMAIL = "jeong.minji@guro.example.org"


def _person(db):
    r = submitted("Guro-gu", "KR", "gu", 400000, {"smart_city": (3, "seek")}, name_local="구로구", code="11530")
    r.contact_name, r.contact_role, r.contact_email = "정민지", "국제협력팀 주무관", EMAIL
    r.versions.append(
        ResponseVersion(
            number=1,
            source="web",
            answers={
                "name": "Guro-gu",
                "contact_email": EMAIL,
                "contact_name": "정민지",
                "themes": {"smart_city": {"priority": 3, "stance": "seek"}},
            },
        )
    )
    recipient = DigestRecipient(email=EMAIL, name="정민지", language="ko", timezone="Asia/Seoul")
    recipient.subscriptions.append(Subscription(kind="partner_digest", frequency="monthly"))
    db.session.add(recipient)
    db.session.add(
        OutboxMessage(
            key="introduction:1:KR",
            kind="introduction",
            recipient=EMAIL,
            language="ko",
            subject="소개",
            body_text="안녕하세요 정민지님",
            message_id="<a@x>",
        )
    )
    db.session.flush()
    link = issue_token("edit", timedelta(days=10), response_id=r.id)
    db.session.commit()
    return r, link


def test_export_lists_everything_held_about_the_person(db, runner):
    r, _ = _person(db)
    data = export_person(EMAIL.upper())
    assert data["responses"][0]["contact"]["contact_name"] == "정민지"
    assert data["responses"][0]["versions"][0]["answers"]["contact_email"] == EMAIL
    assert data["responses"][0]["private_links"][0]["purpose"] == "edit"
    assert data["digest_recipient"]["subscriptions"][0]["kind"] == "partner_digest"
    assert data["emails"][0]["body_text"] == "안녕하세요 정민지님"
    result = runner.invoke(args=["gdpr", "export", EMAIL])
    assert result.exit_code == 0 and json.loads(result.output)["email"] == EMAIL


def test_erase_removes_the_person_and_keeps_the_anonymous_answers(db, runner):
    r, link = _person(db)
    result = runner.invoke(args=["gdpr", "erase", EMAIL, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    r = db.session.get(Response, r.id)
    assert r.contact_email is None and r.contact_name is None and r.anonymised_at is not None
    assert r.versions[0].answers["contact_email"] is None and r.versions[0].answers["themes"]
    assert r.collectivite.name == "Guro-gu"
    assert db.session.scalar(select(func.count()).select_from(ThemeInterest)) == 1  # statistics keep the answers
    assert db.session.scalar(select(func.count()).select_from(DigestRecipient)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    try:
        resolve_token(link, "edit")
        raise AssertionError("the private link should be revoked")
    except TokenError as err:
        assert err.reason == "revoked"
    everything = json.dumps(export_person(EMAIL), ensure_ascii=False)
    assert "정민지" not in everything and export_person(EMAIL)["responses"] == []


def test_retention_job_anonymises_only_stale_contacts(db, app):
    old, _ = _person(db)
    fresh = submitted("Tours", "FR", "commune", 137000, {"tourism": (2, "offer")}, code="37261")
    fresh.contact_email = "ri@tours.example.org"
    db.session.commit()
    later = utcnow() + timedelta(days=app.config["RETENTION_DAYS"] + 1)
    fresh.confirmed_at = later - timedelta(days=1)
    db.session.commit()
    assert anonymise_expired_contacts(now=later) == 1
    db.session.commit()
    assert db.session.get(Response, old.id).contact_email is None
    assert db.session.get(Response, fresh.id).contact_email == "ri@tours.example.org"
    assert anonymise_expired_contacts(now=later) == 0
