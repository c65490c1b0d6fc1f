"""Delivery against a real SMTP server: MIME structure, retries, outages, ambiguity, recovery, staff retry."""

import asyncio
import re
import smtplib
import socket
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

import tests.conftest as shared
from matchmaker.clock import utcnow
from matchmaker.mail.delivery import STALE_AFTER, deliver_outbox, recover_abandoned, retry_message
from matchmaker.mail.outbox import enqueue_email
from matchmaker.models import OutboxMessage
from tests.mail.conftest import SAMPLE, add_sample_templates

FR = {"title": "Réponse reçue", "name": "Communauté d'agglomération Grand Paris Seine & Oise"}
KO = {"title": "새로운 제안", "name": "서울특별시 구로구"}


@pytest.fixture
def smtp_app(make_app, smtp_server):
    """An app sending to the test SMTP server, with the sample email."""
    return add_sample_templates(
        make_app(
            BASE_URL="https://matchmaker.example.org",
            MAIL_DOMAIN="mail.example.org",
            OUTBOX_MAX_ATTEMPTS=3,
            MAIL_DEFAULT_SENDER="Cités Unies France – Matchmaker <matchmaker@example.org>",
            MAIL_TIMEOUT=2,
            **smtp_server.app_config(),
        )
    )


@pytest.fixture
def ctx(smtp_app):
    from matchmaker.extensions import db

    with smtp_app.app_context():
        yield db
        db.session.rollback()


def queue(db, n, prefix="m", language="fr", context=FR, to=None):
    rows = []
    for i in range(n):
        rows.append(enqueue_email(f"{prefix}:{i}", "sample", to or f"user{i}@example.fr", language, SAMPLE, context))
    db.session.commit()
    return [r.id for r in rows]


def statuses(db):
    db.session.expire_all()
    return {r.key: (r.status, r.attempts) for r in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))}


def raw_header(raw: bytes, name: bytes) -> bytes:
    """The undecoded value of a header, unfolded."""
    head = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ").replace(b"\r\n\t", b" ")
    match = re.search(rb"^" + name + rb": (.*)$", head, re.M | re.I)
    return match.group(1).strip()


def received_ids(server):
    return [m.message["Message-ID"] for m in server.messages]


def test_mime_structure_encodings_and_headers(ctx, smtp_server):
    db = ctx
    enqueue_email(
        "fr:1",
        "sample",
        "Élodie Lefèvre <elodie@example.fr>",
        "fr",
        SAMPLE,
        FR,
        headers={"List-Unsubscribe": "<https://matchmaker.example.org/u/x>"},
    )
    enqueue_email("ko:1", "sample", ("김민지", "minji@example.kr"), "ko", SAMPLE, KO)
    db.session.commit()

    report = deliver_outbox()
    assert report.sent == 2 and not report.errors
    by_to = {m.rcpt_tos[0]: m for m in smtp_server.messages}
    fr, ko = by_to["elodie@example.fr"], by_to["minji@example.kr"]
    for received in (fr, ko):
        assert all(b < 128 for b in received.raw), "7-bit clean on the wire"
        msg = received.message
        assert msg.get_content_type() == "multipart/alternative"
        parts = list(msg.iter_parts())
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
        assert all(p.get_content_charset() == "utf-8" for p in parts)
        assert msg["Message-ID"].endswith("@mail.example.org>")
        assert str(msg["From"].addresses[0].display_name) == "Cités Unies France – Matchmaker"
        assert received.mail_from == "matchmaker@example.org"
        assert msg["Auto-Submitted"] == "auto-generated"

    # Subjects travel RFC 2047-encoded and decode back equal.
    assert raw_header(fr.raw, b"Subject").startswith(b"=?utf-8?")
    assert (
        str(make_header(decode_header(fr.message["Subject"])))
        == "Réponse reçue · Communauté d'agglomération Grand Paris Seine & Oise"
    )
    assert ko.message["Subject"] == "새로운 제안 · 서울특별시 구로구"
    assert ko.message["To"].addresses[0].display_name == "김민지"
    assert fr.message["To"].addresses[0].display_name == "Élodie Lefèvre"
    assert raw_header(ko.raw, b"To").startswith(b"=?utf-8?")

    text, html = (p.get_content() for p in ko.message.iter_parts())
    assert "새로운 제안: 서울특별시 구로구 <minji@example.kr>" in text
    assert "서울특별시 구로구 &amp; minji@example.kr" in html
    assert fr.message["List-Unsubscribe"] == "<https://matchmaker.example.org/u/x>"

    rows = statuses(db)
    assert rows == {"fr:1": ("sent", 1), "ko:1": ("sent", 1)}


def test_refused_then_recovered_delivers_each_exactly_once(ctx, smtp_server):
    db = ctx
    queue(db, 12)
    smtp_server.refuse_with = "451 4.3.0 try again later"
    now = utcnow()
    report = deliver_outbox(now=now)
    # The server is struggling: after a few refusals the run stops and gives the rest back untouched.
    assert report.sent == 0 and report.retried == 5 and report.released == 7
    assert not smtp_server.messages
    rows = statuses(db)
    assert sorted(a for s, a in rows.values()) == [0] * 7 + [1] * 5
    assert all(s == "pending" for s, _ in rows.values())

    smtp_server.refuse_with = None
    deliver_outbox(now=now)  # the refused ones wait for their backoff; the others go now
    assert len(smtp_server.messages) == 7
    deliver_outbox(now=now + timedelta(seconds=30))
    assert len(smtp_server.messages) == 7
    deliver_outbox(now=now + timedelta(minutes=2))
    deliver_outbox(now=now + timedelta(minutes=3))
    ids = received_ids(smtp_server)
    assert len(ids) == 12 and len(set(ids)) == 12
    assert all(s == "sent" for s, _ in statuses(db).values())


def test_temporary_refusals_end_as_failed_with_the_reason_after_the_limit(ctx, smtp_server):
    db = ctx
    [row_id] = queue(db, 1)
    smtp_server.refuse_with = "452 4.2.2 mailbox full"
    now = utcnow()
    for minutes in (0, 2, 10, 60):
        deliver_outbox(now=now + timedelta(minutes=minutes))
    row = db.session.get(OutboxMessage, row_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert "452" in row.last_error and "mailbox full" in row.last_error

    smtp_server.refuse_with = None
    assert retry_message(row_id)
    db.session.commit()
    deliver_outbox()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row_id).status == "sent"
    assert len(smtp_server.messages) == 1


def test_permanent_refusal_fails_at_once(ctx, smtp_server):
    db = ctx
    [row_id] = queue(db, 1)
    smtp_server.refuse_with = "550 5.1.1 no such user"
    deliver_outbox()
    row = db.session.get(OutboxMessage, row_id)
    assert (row.status, row.attempts) == ("failed", 1) and "550" in row.last_error


def test_server_down_for_the_whole_run_loses_nothing(ctx, smtp_server, monkeypatch):
    """Connections are refused by the operating system (nothing listens): rows stay pending, attempts untouched."""
    db = ctx
    queue(db, 5)
    closed = shared._unused_port()
    guarded = smtplib.SMTP.connect
    down = {"value": True}

    def connect(self, host="localhost", port=0, source_address=None):
        if down["value"]:
            socket.create_connection(("127.0.0.1", closed), timeout=2)  # raises ConnectionRefusedError
        return guarded(self, host, port, source_address)

    monkeypatch.setattr(smtplib.SMTP, "connect", connect)
    for _ in range(3):
        report = deliver_outbox()
        assert report.connection_errors == 1 and report.sent == 0
    assert statuses(db) == {f"m:{i}": ("pending", 0) for i in range(5)}
    assert not smtp_server.messages

    down["value"] = False
    assert deliver_outbox().sent == 5
    assert len(set(received_ids(smtp_server))) == 5


def test_reconnects_when_the_server_closes_the_connection(ctx, smtp_server, monkeypatch):
    """A 421 closes the session: that message waits for its backoff, the next ones go over a new connection."""
    db = ctx
    queue(db, 4)
    calls = {"n": 0}
    original = shared._Handler.handle_DATA

    async def handle_data(self, server, session, envelope):
        calls["n"] += 1
        if calls["n"] == 2:
            return "421 4.3.2 closing connection"
        return await original(self, server, session, envelope)

    monkeypatch.setattr(shared._Handler, "handle_DATA", handle_data)
    now = utcnow()
    report = deliver_outbox(now=now)
    assert report.sent == 3 and report.retried == 1
    deliver_outbox(now=now + timedelta(minutes=5))
    assert len(set(received_ids(smtp_server))) == 4 == len(smtp_server.messages)


def test_no_reply_after_the_data_is_flagged_ambiguous_not_resent(ctx, smtp_server, monkeypatch):
    """The server takes the message but answers after the client's timeout: it may be delivered, so it is not resent."""
    db = ctx
    queue(db, 3)
    original = shared._Handler.handle_DATA
    calls = {"n": 0}

    async def slow_second(self, server, session, envelope):
        calls["n"] += 1
        status = await original(self, server, session, envelope)  # the server has taken the message …
        if calls["n"] == 2:
            await asyncio.sleep(3)  # … but answers after the client's timeout (MAIL_TIMEOUT is 2 s)
        return status

    monkeypatch.setattr(shared._Handler, "handle_DATA", slow_second)
    report = deliver_outbox()
    assert report.sent == 1 and report.ambiguous == 1 and report.released == 1
    rows = statuses(db)
    assert rows["m:1"] == ("ambiguous", 1)
    assert "may have been delivered" in db.session.scalar(
        select(OutboxMessage.last_error).where(OutboxMessage.key == "m:1")
    )
    deliver_outbox(now=utcnow() + timedelta(hours=1))
    assert statuses(db)["m:1"] == ("ambiguous", 1)
    assert statuses(db)["m:2"] == ("sent", 1)
    ids = received_ids(smtp_server)
    assert len(ids) == len(set(ids)) == 3  # the slow one did arrive, once


def test_recovery_releases_unsent_claims_and_flags_the_one_in_flight(ctx):
    db = ctx
    ids = queue(db, 4)
    now = utcnow()
    dead = f"{socket.gethostname()[:40]}:999999999:deadbeef"  # no such pid
    live_elsewhere = "another-host:123:cafe0000"
    values = [
        (ids[0], dead, now, now),  # in flight when its worker died → ambiguous
        (ids[1], dead, now, None),  # claimed, never sent → pending again
        (ids[2], live_elsewhere, now, now),  # another host, recent: still being worked on
        (ids[3], live_elsewhere, now - STALE_AFTER - timedelta(minutes=1), None),  # another host, stale → pending
    ]
    for row_id, claimed_by, claimed_at, started in values:
        row = db.session.get(OutboxMessage, row_id)
        row.status, row.claimed_by, row.claimed_at, row.sending_started_at = "sending", claimed_by, claimed_at, started
    db.session.commit()
    assert recover_abandoned(now) == (2, 1)
    assert [s for s, _ in statuses(db).values()] == ["ambiguous", "pending", "sending", "pending"]


@pytest.mark.parametrize(
    "title,name",
    [
        (
            "Réponse reçue",
            "Communauté d'agglomération de Saint-Quentin-en-Yvelines, direction des relations internationales",
        ),
        ("새로운 제안", "전라남도 순천시 국제협력과 " * 4),
        ("ASCII only", "a" * 120),
    ],
)
def test_long_subjects_are_folded_and_decode_back_equal(ctx, smtp_server, title, name):
    db = ctx
    enqueue_email("long:1", "sample", "someone@example.fr", "fr", SAMPLE, {"title": title, "name": name.strip()})
    db.session.commit()
    deliver_outbox()
    [received] = smtp_server.messages
    head = received.raw.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))
    assert received.message["Subject"] == f"{title} · {name.strip()}"
    text, html = (p.get_content() for p in received.message.iter_parts())
    assert name.strip() in text
