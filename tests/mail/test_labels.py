"""The email pages in the reader's language: kinds of email, and the captured email's headers and date."""

from tests.mail import factories as f
from tests.mail.test_views import captured_key, row, sink, smtp_send  # noqa: F401 - the sink fixture

DATED = (
    "From: Matchmaker <matchmaker@localhost>\r\nTo: minji@example.kr\r\nSubject: Test\r\n"
    "Date: Fri, 04 Dec 2026 04:12:00 +0000\r\nMessage-ID: <dated-1@matchmaker.localhost>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n"
).encode()


def test_email_kinds_are_named_in_the_readers_language(client, db):
    row(db, "k1", "sent", kind="reviewer-digest")
    row(db, "k2", "pending", kind="introduction")
    user = f.staff("CUF", language="fr")
    db.session.commit()
    f.login(client, user)
    page = client.get("/staff/emails?lang=fr").get_data(as_text=True)
    assert "<td>Synthèse destinée aux examinateurs</td>" in page and "<td>reviewer-digest</td>" not in page
    assert '<option value="introduction">Mise en relation avec un partenaire</option>' in page


def test_the_captured_emails_headers_and_date_are_in_the_readers_language(sink):  # noqa: F811 - the fixture
    from matchmaker.extensions import db

    client = sink.test_client()
    with sink.app_context():
        email = f.staff("GAROK", language="ko").email
        f.collectivite("Mapo-gu", "KR", name_local="마포구", email="minji@example.kr")  # GAROK reads its contact's mail
        db.session.commit()
    f.login(client, email)
    smtp_send(sink.config["MAIL_PORT"], "matchmaker@localhost", "minji@example.kr", DATED)
    key = captured_key(client)
    korean = client.get(f"/staff/emails/captured/{key}?lang=ko").get_data(as_text=True)
    assert "<dt>보낸 사람</dt>" in korean and "<dt>제목</dt>" in korean and "<dt>From</dt>" not in korean
    assert "2026년 12월 4일 13:12" in korean  # Seoul time
    french = client.get(f"/staff/emails/captured/{key}?lang=fr").get_data(as_text=True)
    assert "<dt>Expéditeur</dt>" in french and "4 décembre 2026 à 05:12" in french  # Paris time
