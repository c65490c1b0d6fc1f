"""The production configuration over HTTPS, in a real browser: Secure, HttpOnly, SameSite=Lax session cookie, and
every kind of protected form still works (over HTTPS Flask-WTF also requires a same-site Referer on a POST, so
each page's Referrer-Policy must let the browser send one to the site itself)."""

from __future__ import annotations

import subprocess
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import _unused_port

pytestmark = pytest.mark.browser


@pytest.fixture
def https_site(make_app, tmp_path):
    """The app with production settings served over HTTPS (a self-signed certificate) in a thread."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = _unused_port()
    base = f"https://127.0.0.1:{port}"
    app = make_app(ENV="production", TESTING=False, SECRET_KEY="production-secret-key-0123456789abcdef", BASE_URL=base)

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server(
        "127.0.0.1", port, app, threaded=True, ssl_context=(str(cert), str(key)), request_handler=Quiet
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, base
    finally:
        server.shutdown()
        thread.join(5)


def test_forms_work_over_https_with_secure_cookies(https_site, chromium):
    from matchmaker.extensions import db
    from matchmaker.models import Introduction, Response
    from matchmaker.tokens import issue_token
    from tests.review import factories as f

    app, base = https_site
    with app.app_context():
        issy, guro = f.issy_and_guro()
        pair = f.suggestion(issy, guro, state="introduced")
        db.session.add(Introduction(suggestion_id=pair.id))
        answer = issue_token("answer", timedelta(days=30), suggestion_id=pair.id, side="FR")
        edit = issue_token("edit", timedelta(days=30), response_id=issy.response.id)
        email = f.staff("CUF").email
        response_id = issy.response.id
        db.session.commit()

    context = chromium.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        page.goto(f"{base}/still-accurate/{edit}?lang=fr")
        with page.expect_navigation() as still:
            page.get_by_role("button", name="Oui, toujours exactes").click()
        assert still.value.status == 200, still.value.status
        assert page.locator("h1").inner_text() == "Merci"

        page.goto(f"{base}/answer/{answer}?choice=interested")
        with page.expect_navigation() as answered:
            page.locator('button[value="interested"]').click()
        assert answered.value.status == 200, answered.value.status

        page.goto(f"{base}/staff/login")
        page.fill("#email", email)
        page.fill("#password", f.PASSWORD)
        with page.expect_navigation():
            page.locator("#password").press("Enter")
        assert page.url.startswith(f"{base}/staff/pairs"), page.url
        session = next(c for c in context.cookies() if c["name"] == "session")
        assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Lax"
    finally:
        context.close()
    with app.app_context():
        assert db.session.scalar(select(Response.confirmed_at).where(Response.id == response_id)) is not None
        assert db.session.scalar(select(Introduction.fr_answer)) == "interested"
