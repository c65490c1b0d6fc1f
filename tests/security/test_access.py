"""Staff access beyond tests/review/test_access.py (which sends every /staff URL without a session to the login
page): an account switched off loses access at its next request, and logging out ends the session."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from werkzeug.routing import IntegerConverter

from matchmaker.models import StaffUser
from tests.review import factories as f


def staff_get_urls(app) -> list[str]:
    """Every staff page (GET) with dummy values for its arguments."""
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff") or "GET" not in rule.methods or rule.endpoint == "staff.login":
            continue
        values = {}
        for name in rule.arguments:
            converter = rule._converters[name]
            values[name] = 1 if isinstance(converter, IntegerConverter) else ("csv" if name == "fmt" else "x")
        urls.append(adapter.build(rule.endpoint, values))
    return urls


@pytest.fixture
def reviewer(app):
    from matchmaker.extensions import db

    with app.app_context():
        user = f.staff("CUF", "admin")
        db.session.commit()
        return user.id, user.email


def test_a_deactivated_account_loses_access_at_its_next_request(app, client, reviewer):
    from matchmaker.extensions import db

    user_id, email = reviewer
    f.login(client, email)
    urls = staff_get_urls(app)
    assert {"/staff/pairs", "/staff/emails", "/staff/responses/1", "/staff/dashboard"} <= set(urls)
    assert client.get("/staff/pairs").status_code == 200
    with app.app_context():
        db.session.execute(update(StaffUser).where(StaffUser.id == user_id).values(active=False))
        db.session.commit()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login"), (
            url,
            response.status_code,
        )
    relogin = client.post("/staff/login", data={"email": email, "password": f.PASSWORD, "csrf_token": client.csrf})
    assert relogin.status_code == 401


def test_logging_out_ends_the_staff_session(app, client, reviewer):
    _, email = reviewer
    f.login(client, email)
    assert client.get("/staff/responses").status_code == 200
    assert f.post(client, "/staff/logout").status_code == 302
    for url in staff_get_urls(app):
        assert client.get(url).status_code == 302, url
