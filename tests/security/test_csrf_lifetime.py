"""The CSRF token of a page lives as long as the browser's session: a questionnaire left open for a day and a
half is still saved when its page is finally submitted (``WTF_CSRF_TIME_LIMIT`` is None in every configuration).

The page is rendered with the token signer's clock set 36 hours back, which is what a page opened 36 hours ago
carries; a control app with a one-hour limit refuses the same aged token, so the clock shift is real.
"""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

HOURS_AGO = 36


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _page_opened_long_ago(client, monkeypatch, path: str, base_url: str = "http://localhost") -> str:
    """GET a page as it was rendered HOURS_AGO hours ago; returns its CSRF token."""
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - HOURS_AGO * 3600)
        page = client.get(path, base_url=base_url)
    assert page.status_code == 200
    return _token(page.get_data(as_text=True))


def _responses(app) -> int:
    from matchmaker.extensions import db
    from matchmaker.models import Response

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


@pytest.mark.parametrize("settings", [{}, {"ENV": "production", "SECRET_KEY": "p" * 40, "TESTING": True}])
def test_the_token_of_a_page_opened_hours_ago_is_still_accepted(make_app, monkeypatch, settings):
    app = make_app(**settings)
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    client = app.test_client()
    base = "https://localhost"  # production cookies are Secure
    token = _page_opened_long_ago(client, monkeypatch, "/questionnaire/identity", base)
    saved = client.post(
        "/questionnaire/identity",
        base_url=base,
        data={"csrf_token": token, "country": "FR", "name": "Villeurbanne", "level": "commune", "action": "save"},
    )
    assert saved.status_code == 200 and "Villeurbanne" in saved.get_data(as_text=True)
    assert "session had expired" not in saved.get_data(as_text=True)
    assert _responses(app) == 1  # the draft is kept


def test_a_one_hour_limit_would_refuse_the_same_token(make_app, monkeypatch):
    app = make_app()
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600  # what Flask-WTF does by default
    client = app.test_client()
    token = _page_opened_long_ago(client, monkeypatch, "/questionnaire/identity")
    refused = client.post(
        "/questionnaire/identity",
        data={"csrf_token": token, "country": "FR", "name": "Villeurbanne", "level": "commune", "action": "save"},
    )
    assert refused.status_code == 400
    assert _responses(app) == 0


def test_staff_forms_keep_their_token_too(make_app, monkeypatch):
    """A reviewer who leaves the login page open overnight can still log in."""
    from matchmaker.extensions import db
    from matchmaker.staff.operations import create_user

    app = make_app()
    with app.app_context():
        create_user("night@cuf.example.org", "correct-horse-battery", "CUF")
        db.session.commit()
    client = app.test_client()
    token = _page_opened_long_ago(client, monkeypatch, "/staff/login")
    login = client.post(
        "/staff/login",
        data={"csrf_token": token, "email": "night@cuf.example.org", "password": "correct-horse-battery"},
    )
    assert login.status_code == 302
