"""No header injection through what collectivités type: contact names and collectivité names with line breaks,
quotes, commas, angle brackets, encoded-word syntax or Korean go through the questionnaire's checks, into real
introduction emails (the outbox), and are delivered to a real SMTP server as well-formed messages with exactly
one recipient, the contact's own address, and no header the data could add."""

from __future__ import annotations

from email.headerregistry import Address

import pytest
from sqlalchemy import select

from matchmaker.models import Collectivite
from tests.questionnaire.conftest import fr_record, kr_record

#: Display names a person could type as their name.
HOSTILE_NAMES = [
    "Dupont, Jean",
    '"Boss" <boss@evil.example>',
    "Eve <eve@evil.example>, Mallory <mallory@evil.example>",
    "Jean\r\nBcc: victim@evil.example",
    "Marie\nCc: other@evil.example\n\nbody",
    'back\\slash "quoted" (comment) ;:@',
    "김민지 <kim@evil.example>, 이수진",
    "=?utf-8?q?a@evil.example=2C_b@evil.example?=",
]
#: Collectivité names end up in the other side's Subject header.
HOSTILE_COLLECTIVITE = "Issy\r\nBcc: victim@evil.example\r\nSubject: hi"
#: Headers an introduction email carries; anything else would have been added by data.
EXPECTED_HEADERS = {"content-type", "mime-version", "subject", "from", "to", "date", "message-id", "auto-submitted"}


def _flattened(text: str) -> str:
    """What the questionnaire keeps of a one-line text: control characters and line breaks become single spaces."""
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


@pytest.fixture
def introduced(make_app, smtp_server):
    """One introduced pair per hostile contact name (French side), imported through the questionnaire's checks."""
    from matchmaker.extensions import db
    from matchmaker.models import Response
    from matchmaker.questionnaire.operations import import_records
    from matchmaker.review.operations import decide
    from tests.review import factories as f

    app = make_app(**smtp_server.app_config())
    with app.app_context():
        records = []
        for n, name in enumerate(HOSTILE_NAMES):
            records.append(
                fr_record(
                    name=HOSTILE_COLLECTIVITE if n == 0 else f"Commune {n}",
                    name_local=None,
                    code=None,
                    contact_name=name,
                    contact_email=f"contact{n}@mairie{n}.example.fr",
                    existing_partners=[],
                )
            )
            records.append(
                kr_record(
                    name=f"Gun {n}",
                    name_local=f"군 {n}",
                    code=None,
                    level="gun",
                    region="Gyeonggi",
                    contact_name=name,
                    contact_email=f"contact{n}@gun{n}.example.kr",
                )
            )
        report = import_records(records, source="import")
        assert report.imported == len(records), report.summary()
        cuf, garok = f.staff("CUF"), f.staff("GAROK")
        db.session.commit()
        for n in range(len(HOSTILE_NAMES)):
            fr = db.session.scalar(
                select(Collectivite).join(Response).where(Response.contact_email == f"contact{n}@mairie{n}.example.fr")
            )
            kr = db.session.scalar(select(Collectivite).where(Collectivite.name == f"Gun {n}"))
            pair = f.suggestion(fr, kr)
            decide(pair, cuf, "approve")
            decide(pair, garok, "approve")
            db.session.commit()
            assert pair.state == "introduced"
    return app


def test_hostile_names_give_well_formed_single_recipient_messages(introduced, smtp_server):
    from matchmaker.extensions import db
    from matchmaker.mail.delivery import deliver_outbox
    from matchmaker.models import OutboxMessage, Response

    with introduced.app_context():
        stored = {r.contact_email: r.contact_name for r in db.session.scalars(select(Response))}
        assert all("\r" not in name and "\n" not in name for name in stored.values())
        report = deliver_outbox()
        assert report.sent == 2 * len(HOSTILE_NAMES) and not report.errors, report.as_dict()
        assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"sent"}
        fr_coll_name = db.session.scalar(select(Collectivite.name).where(Collectivite.name.like("Issy%")))
    assert fr_coll_name == _flattened(HOSTILE_COLLECTIVITE)

    received = smtp_server.messages
    assert len(received) == 2 * len(HOSTILE_NAMES)
    for mail in received:
        assert len(mail.rcpt_tos) == 1
        address = mail.rcpt_tos[0]
        message = mail.message
        assert not message.defects or all("encoded word" in str(d) or "encoded-word" in str(d) for d in message.defects)
        assert {name.lower() for name in message.keys()} == EXPECTED_HEADERS, message.keys()
        assert len(message.get_all("To")) == 1 and len(message.get_all("Subject")) == 1
        recipients: tuple[Address, ...] = message["To"].addresses
        assert [a.addr_spec for a in recipients] == [address], message["To"]
        typed = stored[address]
        if "=?" not in typed:  # see the test below for text that looks like an encoded word
            assert recipients[0].display_name == typed
        subject = str(message["Subject"])
        assert "\n" not in subject and "\r" not in subject
    korean_side = next(m for m in received if m.rcpt_tos == ["contact0@gun0.example.kr"])
    assert _flattened(HOSTILE_COLLECTIVITE) in str(korean_side.message["Subject"])  # the French name, on one line


def test_a_name_that_looks_like_an_encoded_word_is_shown_as_typed(introduced, smtp_server):
    from matchmaker.mail.delivery import deliver_outbox

    with introduced.app_context():
        deliver_outbox()
    mail = next(m for m in smtp_server.messages if m.rcpt_tos == ["contact7@mairie7.example.fr"])
    assert mail.message["To"].addresses[0].display_name == HOSTILE_NAMES[7]
