"""Pages of the mail area: the staff outbox (filters, retry), captured mail from the embedded SMTP sink
(rendered safely), unsubscribe pages in the recipient's language."""

import re
import socket
import threading
import time

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from matchmaker.mail.sink import start_sink
from matchmaker.models import OutboxMessage, Subscription, utcnow
from tests.conftest import _unused_port
from tests.mail import factories as f


def row(db, key, status, **values):
    """An outbox row addressed to the contact of a French collectivité (so CUF staff may read it)."""
    recipient = values.pop("recipient", f"{key}@example.fr")
    f.collectivite(f"Commune {key}", "FR", email=recipient)
    message = OutboxMessage(
        key=key,
        kind=values.pop("kind", "sample"),
        recipient=recipient,
        language="fr",
        subject=values.pop("subject", f"Sujet {key}"),
        body_text="x",
        body_html=None,
        headers={},
        message_id=f"<{key}@test>",
        status=status,
        attempts=values.pop("attempts", 0),
        next_attempt_at=utcnow(),
        **values,
    )
    db.session.add(message)
    return message


@pytest.fixture
def staff_client(db, client):
    user = f.staff("CUF")
    db.session.commit()
    f.login(client, user)
    return client


def test_outbox_page_requires_a_staff_login(client):
    response = client.get("/staff/emails")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


def test_outbox_page_lists_filters_and_escapes(db, staff_client):
    row(db, "a", "sent")
    row(db, "b", "failed", attempts=8, last_error="refused: 550 5.1.1 no such user")
    row(db, "c", "ambiguous", last_error="interrupted while sending")
    row(db, "d", "pending", subject="<script>alert(1)</script>")
    db.session.commit()
    html = staff_client.get("/staff/emails").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "no such user" in html
    assert "ils sont peut-être arrivés" in html  # the ambiguous warning (staff page in French)
    failed = staff_client.get("/staff/emails?status=failed").get_data(as_text=True)
    assert "b@example.fr" in failed and "a@example.fr" not in failed and "c@example.fr" not in failed
    assert "a@example.fr" in staff_client.get("/staff/emails?q=A@EXAMPLE").get_data(as_text=True)
    assert staff_client.get("/staff/emails?page=abc&status=nonsense").status_code == 200


def test_retry_puts_failed_and_ambiguous_emails_back_in_the_queue(db, staff_client):
    failed, sent = row(db, "b", "failed", attempts=8), row(db, "a", "sent", attempts=1)
    db.session.commit()
    done = staff_client.post(f"/staff/emails/{failed.id}/retry", data={"csrf_token": staff_client.csrf})
    assert done.status_code == 302
    refused = staff_client.post(
        f"/staff/emails/{sent.id}/retry", data={"csrf_token": staff_client.csrf}, follow_redirects=True
    )
    assert "Seuls les courriels en échec" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(OutboxMessage, failed.id).status, db.session.get(OutboxMessage, failed.id).attempts) == (
        "pending",
        0,
    )
    assert db.session.get(OutboxMessage, sent.id).status == "sent"
    # Without the CSRF token nothing happens.
    other = row(db, "c", "failed")
    db.session.commit()
    assert staff_client.post(f"/staff/emails/{other.id}/retry").status_code == 400


def smtp_send(port: int, sender: str, recipient: str, data: bytes) -> None:
    """Speak SMTP over a plain socket (the test suite's guard watches smtplib; this talks to our own sink)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        stream = sock.makefile("rwb")

        def expect(code: bytes):
            while True:
                line = stream.readline()
                if line[3:4] != b"-":
                    assert line.startswith(code), line
                    return

        expect(b"220")
        for command, code in (
            (b"EHLO test", b"250"),
            (f"MAIL FROM:<{sender}>".encode(), b"250"),
            (f"RCPT TO:<{recipient}>".encode(), b"250"),
            (b"DATA", b"354"),
        ):
            stream.write(command + b"\r\n")
            stream.flush()
            expect(code)
        stream.write(data.replace(b"\n.", b"\n..") + b"\r\n.\r\n")
        stream.flush()
        expect(b"250")
        stream.write(b"QUIT\r\n")
        stream.flush()


HOSTILE = (
    "From: Matchmaker <matchmaker@localhost>\r\nTo: =?utf-8?b?6rmA66+87KeA?= <minji@example.kr>\r\n"
    "Subject: =?utf-8?b?7IOI66Gc7Jq0IOygnOyViA==?=\r\nMessage-ID: <captured-1@matchmaker.localhost>\r\n"
    'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n'
    "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n<b>plain</b> text\r\n"
    "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    "<p>HTML part</p><script>document.body.setAttribute('data-ran', '1')</script>\r\n--b--\r\n"
).encode()


@pytest.fixture
def sink(make_app, tmp_path, monkeypatch):
    """An app with its own instance folder and the embedded SMTP sink running on a free port."""
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    app = make_app(MAIL_PORT=_unused_port(), MAIL_SINK=True)
    controller = start_sink(app)
    yield app
    controller.stop()


def captured_key(client) -> str:
    for _ in range(50):
        page = client.get("/staff/emails").get_data(as_text=True)
        found = re.search(r'href="/staff/emails/captured/([^"/]+)"', page)
        if found:
            return found.group(1)
        time.sleep(0.1)
    raise AssertionError("the sink did not store the message")


def test_sink_captures_mail_and_staff_read_it_safely(sink):
    from matchmaker.extensions import db

    client = sink.test_client()
    with sink.app_context():
        user = f.staff("GAROK")
        f.collectivite("Guro-gu", "KR", email="minji@example.kr")  # GAROK staff read the mail of Korean contacts
        db.session.commit()
        email = user.email
    f.login(client, email)
    smtp_send(sink.config["MAIL_PORT"], "matchmaker@localhost", "minji@example.kr", HOSTILE)
    key = captured_key(client)
    page = client.get(f"/staff/emails/captured/{key}").get_data(as_text=True)
    assert "새로운 제안" in page and "김민지" in page
    assert "&lt;b&gt;plain&lt;/b&gt; text" in page
    assert re.search(r'<iframe class="mail-frame" sandbox src="/staff/emails/captured/[^"]+/html"', page)
    frame = client.get(f"/staff/emails/captured/{key}/html")
    csp = frame.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
    assert frame.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get("/staff/emails/captured/..%2Fsecret_key").status_code == 404
    assert client.get("/staff/emails/captured/unknown").status_code == 404


@pytest.mark.browser
def test_captured_html_cannot_run_scripts(sink, browser):
    """In a real browser the captured HTML shows, but its script does not run."""
    from matchmaker.extensions import db

    with sink.app_context():
        email = f.staff("GAROK").email
        f.collectivite("Guro-gu", "KR", email="minji@example.kr")
        db.session.commit()
    port = _unused_port()
    server = make_server("127.0.0.1", port, sink, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        smtp_send(sink.config["MAIL_PORT"], "matchmaker@localhost", "minji@example.kr", HOSTILE)
        page = browser.new_page()
        base = f"http://127.0.0.1:{port}"
        page.goto(f"{base}/staff/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", f.PASSWORD)
        page.click("button[type=submit]")
        key = None
        for _ in range(50):
            page.goto(f"{base}/staff/emails")
            link = page.locator("a[href*='/staff/emails/captured/']").first
            if link.count():
                key = link.get_attribute("href").split("/")[-1]
                break
            time.sleep(0.1)
        assert key
        page.goto(f"{base}/staff/emails/captured/{key}")
        frame = page.frame_locator("iframe.mail-frame")
        assert frame.locator("p").first.inner_text() == "HTML part"
        assert frame.locator("body").get_attribute("data-ran") is None
    finally:
        server.shutdown()
        thread.join(5)


@pytest.mark.parametrize("lang,expected", [("fr", "Se désinscrire\u00a0?"), ("ko", "수신을 거부하시겠습니까?")])
def test_unsubscribe_page_in_the_recipients_language_and_resubscribe(db, client, lang, expected):
    from matchmaker.mail.recipients import REVIEWER_DIGEST, get_or_create_recipient, get_or_create_subscription
    from matchmaker.mail.unsubscribe import unsubscribe_token

    recipient = get_or_create_recipient("Someone@Example.fr")
    db.session.flush()
    sub = get_or_create_subscription(recipient, REVIEWER_DIGEST)
    db.session.commit()
    path = f"/unsubscribe/{unsubscribe_token(sub)}?lang={lang}"
    page = client.get(path)
    assert page.status_code == 200 and expected in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    client.post(path)
    db.session.expire_all()
    assert db.session.get(Subscription, sub.id).unsubscribed_at is not None
    client.post(path, data={"action": "resubscribe"})
    db.session.expire_all()
    assert db.session.get(Subscription, sub.id).unsubscribed_at is None


@pytest.mark.parametrize("token", ["nonsense", "WzEsMSwicmV2aWV3ZXJfZGlnZXN0Il0.forged", "x" * 300])
def test_forged_unsubscribe_tokens_are_refused(db, client, token):
    assert client.get(f"/unsubscribe/{token}").status_code == 404
    assert client.post(f"/unsubscribe/{token}").status_code == 404
    assert db.session.scalar(select(Subscription.id)) is None


def test_a_signed_token_naming_an_impossible_subscription_is_unknown(app, client):
    """Even a correctly signed token with an out-of-range id gives the 'unknown link' page, not a 500."""
    from matchmaker.mail.unsubscribe import _serializer

    with app.test_request_context():
        token = _serializer().dumps([10**30, 1, "partner_digest"])
    page = client.get(f"/unsubscribe/{token}")
    assert 400 <= page.status_code < 500


def test_only_the_written_spelling_of_an_unsubscribe_link_works(db, client):
    """The last base64 character of a signature has spare bits: another spelling verifies, but is refused."""
    from itsdangerous import URLSafeSerializer

    from matchmaker.mail.recipients import REVIEWER_DIGEST, get_or_create_recipient, get_or_create_subscription
    from matchmaker.mail.unsubscribe import SALT, unsubscribe_token

    recipient = get_or_create_recipient("someone@example.fr")
    db.session.flush()
    sub = get_or_create_subscription(recipient, REVIEWER_DIGEST)
    db.session.commit()
    token = unsubscribe_token(sub)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    other = token[:-1] + alphabet[alphabet.index(token[-1]) ^ 1]  # same significant bits, another spelling
    assert other != token
    assert URLSafeSerializer(client.application.config["SECRET_KEY"], salt=SALT).loads(other)  # itsdangerous accepts it
    assert client.get(f"/unsubscribe/{other}").status_code == 404
    assert client.post(f"/unsubscribe/{other}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Subscription, sub.id).unsubscribed_at is None
    assert client.post(f"/unsubscribe/{token}").status_code in (200, 302)
