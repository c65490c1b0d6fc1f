"""Production settings: session cookies Secure, HttpOnly and SameSite=Lax, HSTS, plain HTTP redirected to HTTPS;
the proxy's X-Forwarded-* headers trusted only when BEHIND_PROXY is on; bodies over MAX_CONTENT_LENGTH refused
with the localised 413 page and nothing written."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import func, select

HTTPS = "https://matchmaker.example.org"
PRODUCTION = {
    "ENV": "production",
    "TESTING": False,
    "SECRET_KEY": "production-secret-key-0123456789abcdef",
    "BASE_URL": HTTPS,
}


def _cookie(response, name: str = "session") -> str:
    found = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert found, f"no {name} cookie set"
    return found[0]


def _attributes(cookie: str) -> set[str]:
    return {
        part.strip().split("=")[0].lower()
        + ("=" + part.split("=", 1)[1].strip().lower() if part.strip().lower().startswith("samesite") else "")
        for part in cookie.split(";")[1:]
    }


def test_production_cookies_are_secure_httponly_and_samesite_lax(make_app):
    from matchmaker.extensions import db
    from matchmaker.staff.operations import create_user

    app = make_app(**PRODUCTION)
    with app.app_context():
        create_user("prod@cuf.example.org", "correct-horse-battery", "CUF")
        db.session.commit()
    client = app.test_client()
    first = client.get("/language/ko", base_url=HTTPS)
    assert {"secure", "httponly", "samesite=lax"} <= _attributes(_cookie(first))
    page = client.get("/staff/login", base_url=HTTPS).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    login = client.post(
        "/staff/login",
        base_url=HTTPS,
        headers={"Referer": f"{HTTPS}/staff/login"},  # as a browser sends it
        data={"csrf_token": token, "email": "prod@cuf.example.org", "password": "correct-horse-battery"},
    )
    assert login.status_code == 302
    assert {"secure", "httponly", "samesite=lax"} <= _attributes(_cookie(login))
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_production_sends_hsts_and_redirects_plain_http(make_app):
    app = make_app(**PRODUCTION)
    client = app.test_client()
    secure = client.get("/", base_url=HTTPS)
    assert secure.status_code == 200
    assert "max-age=" in secure.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", secure.headers["Strict-Transport-Security"]).group(1)) >= 31536000
    plain = client.get("/privacy", base_url="http://matchmaker.example.org")
    assert plain.status_code in (301, 302) and plain.headers["Location"] == f"{HTTPS}/privacy"


def test_development_cookies_work_over_plain_http(make_app):
    """On a developer's machine (http://127.0.0.1:5000) the cookie cannot be Secure, nor HSTS sent."""
    app = make_app()
    response = app.test_client().get("/language/fr")
    attributes = _attributes(_cookie(response))
    assert "secure" not in attributes and {"httponly", "samesite=lax"} <= attributes
    assert "Strict-Transport-Security" not in response.headers


def _external_url_route(app):
    """A route answering with an absolute URL built from the request, as a redirect or a link would be."""
    app.add_url_rule("/_test/external", "external_url", lambda: url_for("site.privacy", _external=True))


@pytest.mark.parametrize("behind_proxy", [True, False])
def test_forwarded_proto_and_host_are_honoured_only_behind_a_proxy(make_app, behind_proxy):
    app = make_app(**PRODUCTION, BEHIND_PROXY=behind_proxy)
    _external_url_route(app)
    client = app.test_client()
    forwarded = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "matchmaker.example.org",
        "X-Forwarded-For": "198.51.100.7",
    }
    response = client.get("/_test/external", base_url="http://10.0.0.5:8000", headers=forwarded)
    if behind_proxy:
        # TLS ends at the proxy: no redirect loop, HSTS sent, links on the public address.
        assert response.status_code == 200
        assert response.get_data(as_text=True) == f"{HTTPS}/privacy"
        assert "Strict-Transport-Security" in response.headers
    else:
        # Anyone can send these headers: links are built on the address really asked for. (The service itself
        # skips its HTTPS redirect for a request claiming X-Forwarded-Proto: https; HSTS is what protects browsers.)
        assert response.get_data(as_text=True) == "http://10.0.0.5:8000/privacy"


def _large_form(size: int) -> dict:
    return {"country": "FR", "name": "Lyon", "description": "x" * size, "action": "save"}


@pytest.mark.parametrize(
    "path", ["/questionnaire/presentation", "/questionnaire/autosave", "/staff/login", "/answer/NoSuchLink0123456789"]
)
def test_a_body_over_the_limit_gets_the_localised_413_page_and_writes_nothing(make_app, path):
    from matchmaker.extensions import db
    from matchmaker.models import Response

    app = make_app(MAX_CONTENT_LENGTH=16 * 1024)
    client = app.test_client()
    client.get("/language/ko")
    response = client.post(path, data=_large_form(64 * 1024))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert '<html lang="ko">' in html and "<h1>" in html and "Request Entity Too Large" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert client.post("/questionnaire/presentation", data=_large_form(1024)).status_code in (200, 302, 400, 422)


def test_the_default_body_limit_is_five_megabytes(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024
