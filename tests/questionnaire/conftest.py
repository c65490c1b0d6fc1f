"""Helpers of the questionnaire tests: valid records of both countries, CSRF tokens, staff logins."""

from __future__ import annotations

import pytest

from tests.factories import csrf_token

STAFF_PASSWORD = "correct-horse-battery"


def fr_record(**changes):
    """A complete, valid French record (a real commune of the reference list)."""
    record = {
        "name": "Issy-les-Moulineaux",
        "name_local": "Issy-les-Moulineaux",
        "country": "FR",
        "level": "commune",
        "code": "92040",
        "population": 67669,
        "region": "Île-de-France",
        "contact_name": "Claire Fontaine",
        "contact_role": "Chargée des relations internationales",
        "contact_email": "international@issy.example.org",
        "language": "fr",
        "digest_frequency": "monthly",
        "themes": {"smart_city": {"priority": 3, "stance": "offer"}, "tourism": {"priority": 2, "stance": "seek"}},
        "sectors": ["digital_ict", "culture_media"],
        "partner_levels": ["gu", "si"],
        "cooperation_kinds": ["twinning", "youth_exchange"],
        "working_languages": ["fr", "en"],
        "existing_partners": ["KR:11530"],
        "description": "Ville du numérique aux portes de Paris.",
        "consent_contact": True,
        "consent_share": True,
    }
    record.update(changes)
    return record


def kr_record(**changes):
    """A complete, valid Korean record."""
    record = {
        "name": "Guro-gu",
        "name_local": "구로구",
        "country": "KR",
        "level": "gu",
        "code": "11530",
        "population": 415005,
        "region": "Seoul",
        "contact_name": "김민지",
        "contact_role": "국제교류 담당",
        "contact_email": "intl@guro.example.kr",
        "language": "ko",
        "digest_frequency": "weekly",
        "themes": {
            "smart_city": {"priority": 2, "stance": "seek"},
            "youth_education": {"priority": 3, "stance": "both"},
        },
        "sectors": ["digital_ict"],
        "partner_levels": ["commune", "metropole"],
        "cooperation_kinds": ["friendship_pact"],
        "working_languages": ["ko", "en"],
        "existing_partners": [],
        "description": "구로구는 서울 서남부의 디지털 산업 중심지입니다.",
        "consent_contact": True,
        "consent_share": True,
    }
    record.update(changes)
    return record


@pytest.fixture
def app(make_app):
    """The app; each request starts without the previous request's CSRF token and locale in ``g``.

    A test that holds an app context (the ``db`` fixture) makes Flask reuse it for the client's requests, so
    ``g`` would carry one browser's CSRF token and language into another browser's request; in production
    every request has its own app context.
    """
    from flask import g

    app = make_app()

    @app.before_request
    def _fresh_request_state():
        g.pop("csrf_token", None)
        g.pop("_flask_babel", None)
        g.pop("_login_user", None)  # tests hold one app context: two clients must not share the logged-in user

    return app


@pytest.fixture
def staff_user(db):
    """A CUF reviewer account."""
    from matchmaker.staff.operations import create_user

    user = create_user("reviewer@cuf.example.org", STAFF_PASSWORD, "CUF", language="fr")
    db.session.commit()
    return user


@pytest.fixture
def garok_client(app, db):
    """A second test client logged in as a GAROK reviewer (who looks after Korean responses)."""
    from matchmaker.staff.operations import create_user

    create_user("reviewer@garok.example.org", STAFF_PASSWORD, "GAROK", language="ko")
    db.session.commit()
    client = app.test_client()
    page = client.get("/staff/login")
    response = client.post(
        "/staff/login",
        data={
            "email": "reviewer@garok.example.org",
            "password": STAFF_PASSWORD,
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def staff_client(client, staff_user):
    """A test client logged in as staff."""
    page = client.get("/staff/login")
    response = client.post(
        "/staff/login",
        data={
            "email": "reviewer@cuf.example.org",
            "password": STAFF_PASSWORD,
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302
    return client
