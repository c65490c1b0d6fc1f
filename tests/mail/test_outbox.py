"""enqueue_email: one rendered row per key, in the caller's transaction, with safe headers and public links."""

import threading

import pytest
from sqlalchemy import func, select

from matchmaker.mail.addresses import AddressError
from matchmaker.mail.outbox import OutboxError, enqueue_email
from matchmaker.mail.rendering import EmailRenderError
from matchmaker.models import OutboxMessage
from tests.mail.conftest import SAMPLE

CONTEXT = {"title": "Bienvenue", "name": "Ville d'Issy-les-Moulineaux"}


@pytest.fixture
def ctx(mail_app):
    with mail_app.app_context():
        from matchmaker.extensions import db

        yield db
        db.session.rollback()


def count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_enqueue_renders_subject_text_and_html_into_a_pending_row(ctx):
    db = ctx
    row = enqueue_email("sample:1", "sample", "Kim Minji <minji@example.kr>", "ko", SAMPLE, CONTEXT)
    db.session.commit()
    stored = db.session.get(OutboxMessage, row.id)
    assert stored.status == "pending" and stored.attempts == 0 and stored.recipient == "minji@example.kr"
    assert stored.subject == "Bienvenue · Ville d'Issy-les-Moulineaux"
    assert "Bienvenue: Ville d'Issy-les-Moulineaux <minji@example.kr>" in stored.body_text
    assert "https://matchmaker.example.org/app/privacy" in stored.body_text
    # HTML is autoescaped, and the layout's CSS is inlined (no <style> left for clients that ignore it).
    assert "Ville d&#39;Issy-les-Moulineaux &amp; minji@example.kr" in stored.body_html
    assert (
        "<style" not in stored.body_html
        and 'class="muted" style="margin: 0 0 12px 0; color: #4a5565"' in stored.body_html
    )
    assert 'href="https://matchmaker.example.org/app/privacy"' in stored.body_html
    assert stored.message_id.startswith("<") and stored.message_id.endswith("@mail.example.org>")
    assert stored.headers == {"To": '"Kim Minji" <minji@example.kr>'}
    assert stored.language == "ko"


def test_same_key_twice_gives_one_row(ctx):
    db = ctx
    assert enqueue_email("sample:2", "sample", "a@example.fr", "fr", SAMPLE, CONTEXT) is not None
    db.session.commit()
    assert enqueue_email("sample:2", "sample", "a@example.fr", "fr", SAMPLE, CONTEXT) is None
    db.session.commit()
    assert count(db) == 1


def test_same_key_in_one_transaction_gives_one_row(ctx):
    db = ctx
    assert enqueue_email("sample:3", "sample", "a@example.fr", "fr", SAMPLE, CONTEXT) is not None
    assert enqueue_email("sample:3", "sample", "a@example.fr", "fr", SAMPLE, CONTEXT) is None
    db.session.commit()
    assert count(db) == 1


def test_row_belongs_to_the_callers_transaction(ctx):
    db = ctx
    enqueue_email("sample:4", "sample", "a@example.fr", "fr", SAMPLE, CONTEXT)
    db.session.rollback()
    assert count(db) == 0


@pytest.mark.parametrize(
    "to",
    [
        "a@example.fr\r\nBcc: victim@example.com",
        "a@example.fr, b@example.fr",
        "not an address",
        "",
        ("Name\nBcc: x@example.com", "a@example.fr"),
        "a@example.fr>\nX: y",
    ],
)
def test_bad_recipients_are_refused(ctx, to):
    with pytest.raises(AddressError):
        enqueue_email("sample:bad", "sample", to, "fr", SAMPLE, CONTEXT)
    assert count(ctx) == 0


def test_line_break_in_subject_data_is_refused(ctx):
    with pytest.raises(EmailRenderError):
        enqueue_email(
            "sample:5", "sample", "a@example.fr", "fr", SAMPLE, dict(CONTEXT, name="Issy\r\nBcc: victim@example.com")
        )


@pytest.mark.parametrize(
    "headers", [{"Bcc": "x@example.com"}, {"Subject": "x"}, {"X-Ok": "a\r\nBcc: x@example.com"}, {"Bad Name": "x"}]
)
def test_unsafe_extra_headers_are_refused(ctx, headers):
    with pytest.raises(OutboxError):
        enqueue_email("sample:6", "sample", "a@example.fr", "fr", SAMPLE, CONTEXT, headers=headers)


def test_links_use_base_url_even_inside_a_request_with_a_forged_host(mail_app):
    from matchmaker.extensions import db

    with mail_app.test_request_context("/", base_url="http://evil.example.com"):
        row = enqueue_email("sample:7", "sample", "a@example.fr", "fr", SAMPLE, CONTEXT)
        db.session.commit()
        assert "evil.example.com" not in row.body_text + row.body_html
        assert "https://matchmaker.example.org/app/privacy" in row.body_text


def test_concurrent_enqueues_of_the_same_keys_keep_one_row_each(mail_app):
    """Several threads (separate sessions and connections) race on the same keys: one row per key, no error."""
    from matchmaker.extensions import db

    keys = [f"race:{n}" for n in range(10)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker():
        try:
            with mail_app.app_context():
                barrier.wait()
                for key in keys:
                    enqueue_email(key, "sample", "a@example.fr", "fr", SAMPLE, CONTEXT)
                    db.session.commit()
                db.session.remove()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    with mail_app.app_context():
        rows = db.session.scalars(select(OutboxMessage.key)).all()
        assert sorted(rows) == sorted(keys)
