"""The visibility rule, walked everywhere: every staff page and web export, as each association, against a data set
whose contact fields and private links are unique strings. Before mutual interest nothing of the other side's
contacts may show; after it, both associations see both contacts of the pair.
"""

from __future__ import annotations

import io
import json
import mailbox
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter

from matchmaker.vocabulary import ORGS
from tests.questionnaire.conftest import fr_record, kr_record
from tests.review import factories as f

SIDE_OF_ORG = {"CUF": "FR", "GAROK": "KR"}


@dataclass
class Secrets:
    """The unique strings of one collectivité's contact and private links."""

    country: str
    collectivite_id: int
    strings: set[str] = field(default_factory=set)
    email: str = ""  # the current contact email


def _unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def _contact(country: str) -> dict[str, str]:
    """Contact fields no other text of the service can contain (Hangul on the Korean side, to test encodings)."""
    name = _unique("담당자" if country == "KR" else "Contact")
    return {
        "contact_name": name,
        "contact_role": _unique("role"),
        "contact_email": f"{_unique('mail')}@{country.lower()}.example.org",
    }


@pytest.fixture
def world(make_app, tmp_path, monkeypatch):
    """Three French and three Korean collectivités: one pair with mutual interest, one introduced, one suggested;
    earlier contacts in the version history, a Korean draft, private links, answer links, digests and captured mail."""
    monkeypatch.setenv("MATCHMAKER_INSTANCE_PATH", str(tmp_path))
    app = make_app()
    from matchmaker.extensions import db
    from matchmaker.mail.digests import build_reviewer_digest
    from matchmaker.mail.recipients import (
        REVIEWER_DIGEST,
        get_or_create_recipient,
        get_or_create_subscription,
        sync_staff_recipients,
    )
    from matchmaker.mail.sink import captured_mail_dir
    from matchmaker.mail.smtp import build_mail
    from matchmaker.models import OutboxMessage, Response, Suggestion, utcnow
    from matchmaker.questionnaire.operations import import_records, save_draft, send_response_link
    from matchmaker.review.operations import answer, decide

    secrets: dict[int, Secrets] = {}
    with app.app_context():
        staff = {org: f.staff(org, "admin") for org in ORGS}
        users = {org: (u.id, u.email) for org, u in staff.items()}
        colls = {}
        for country, make in (("FR", fr_record), ("KR", kr_record)):
            for n in range(3):
                name = f"Visibilite {country} {n}"
                earlier, current = _contact(country), _contact(country)
                import_records(
                    [make(name=name, name_local=name, code=None, existing_partners=[], **earlier)], source="import"
                )
                import_records(
                    [make(name=name, name_local=name, code=None, existing_partners=[], **current)], source="import"
                )
                response = db.session.scalar(select(Response).where(Response.contact_email == current["contact_email"]))
                colls[(country, n)] = response.collectivite
                s = secrets[response.collectivite_id] = Secrets(
                    country, response.collectivite_id, email=current["contact_email"]
                )
                s.strings |= set(earlier.values()) | set(current.values())
                s.strings.add(send_response_link(response, response.contact_email, response.language))
        db.session.commit()

        mutual = f.suggestion(colls[("FR", 0)], colls[("KR", 0)], 0.9)
        introduced = f.suggestion(colls[("FR", 1)], colls[("KR", 1)], 0.8)
        f.suggestion(colls[("FR", 2)], colls[("KR", 2)], 0.7)
        for pair in (mutual, introduced):
            decide(pair, staff["CUF"], "approve")
            decide(pair, staff["GAROK"], "approve")
        db.session.commit()
        for pair in (mutual, introduced):
            for side in ("FR", "KR"):
                body = db.session.scalar(
                    select(OutboxMessage.body_text).where(OutboxMessage.key == f"introduction:{pair.id}:{side}")
                )
                token = re.search(r"/answer/([A-Za-z0-9_\-]+)", body).group(1)
                secrets[pair.fr_id if side == "FR" else pair.kr_id].strings.add(token)
                if pair is mutual:
                    answer(token, "interested")
        db.session.commit()
        assert db.session.get(Suggestion, mutual.id).state == "mutual"

        # A Korean draft with a contact typed (its private link was emailed to it).
        draft_contact = _contact("KR")
        draft, raw = save_draft(
            {"name": "Brouillon coréen", "country": "KR", **draft_contact}, language="ko", step="contact"
        )
        assert raw
        db.session.commit()
        secrets[-draft.id] = Secrets("KR", -draft.id, set(draft_contact.values()) | {raw})

        # Each association's invitation campaign: addresses of its own country's collectivités, not yet respondents.
        from matchmaker import reference
        from matchmaker.outreach.operations import create_campaign, queue_invitations
        from matchmaker.outreach.targets import Target

        campaigns = []
        for n, (org, country, code) in enumerate((("CUF", "FR", "29019"), ("GAROK", "KR", "11440")), start=1):
            address = f"{_unique('invite')}@invite.example.{country.lower()}"
            row = next(r for r in reference.find_all(country, code))
            campaign = create_campaign(
                org, f"Visibility {org}", [Target(row, address, "fr" if country == "FR" else "ko")]
            )
            queue_invitations(campaign)
            campaigns.append(campaign.id)
            secrets[-1_000_000 - n] = Secrets(country, -1_000_000 - n, {address})
        db.session.commit()

        sync_staff_recipients()
        for org, user in staff.items():
            sub = get_or_create_subscription(get_or_create_recipient(user.email), REVIEWER_DIGEST)
            assert build_reviewer_digest(sub, f"visibility-{org}", utcnow() + timedelta(days=1)) is not None
        db.session.commit()

        maildir = mailbox.Maildir(str(captured_mail_dir(app)), create=True)
        for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
            maildir.add(mailbox.MaildirMessage(build_mail(row).as_bytes()))
        world = {
            "app": app,
            "users": users,
            "secrets": secrets,
            "mutual": {mutual.fr_id, mutual.kr_id},
            "responses": db.session.scalars(select(Response.id)).all(),
            "suggestions": db.session.scalars(select(Suggestion.id)).all(),
            "captured": sorted(maildir.keys()),
            "campaigns": campaigns,
        }
    return world


def staff_urls(app, world) -> list[str]:
    """Every staff GET route, with every real value of its arguments (a new argument fails the test)."""
    candidates = {
        "response_id": world["responses"],
        "suggestion_id": world["suggestions"],
        "key": world["captured"],
        "campaign_id": world.get("campaigns", []),
    }
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in app.url_map.iter_rules():
        if (
            not rule.rule.startswith("/staff")
            or "GET" not in rule.methods
            or rule.endpoint in ("staff.login", "staff.workspace")
        ):
            continue
        combos = [{}]
        for name in sorted(rule.arguments):
            converter = rule._converters[name]
            if name == "fmt":
                values = sorted(converter.items) if isinstance(converter, AnyConverter) else ["csv", "xlsx", "jsonl"]
            elif name in candidates:
                values = candidates[name]
                if not values and name == "campaign_id":  # a world without campaigns walks no campaign page
                    combos = []
                    break
            else:
                raise AssertionError(f"{rule.rule}: no test values for {name!r}; add them to the visibility walk")
            assert values or not isinstance(converter, IntegerConverter), name
            combos = [dict(c, **{name: v}) for c in combos for v in values]
        urls += [adapter.build(rule.endpoint, values) for values in combos]
    return urls


def readable_text(response) -> str:
    """What a page or export shows, as text (XLSX cells read back, JSON Lines decoded)."""
    data = response.get_data()
    if data[:5] == b"%PDF-":  # the booklet's PDF: its pages' text
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if data[:2] == b"PK":
        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    text = data.decode("utf-8-sig")
    if response.mimetype == "application/x-ndjson":
        text += "\n" + "\n".join(json.dumps(json.loads(line), ensure_ascii=False) for line in text.splitlines() if line)
    return text


@pytest.mark.parametrize("org", ORGS)
def test_no_page_or_export_shows_the_other_sides_contacts_before_mutual_interest(world, org):
    app, secrets = world["app"], world["secrets"]
    client = app.test_client()
    with app.app_context():
        f.login(client, world["users"][org][1])
        urls = staff_urls(app, world)
    own_side = SIDE_OF_ORG[org]
    hidden = {
        s: c
        for c in secrets.values()
        if c.country != own_side and c.collectivite_id not in world["mutual"]
        for s in c.strings
    }
    shared = {
        s
        for c in secrets.values()
        if c.country != own_side and c.collectivite_id in world["mutual"]
        for s in c.strings
        if "@" in s
    }
    own = {
        s for c in secrets.values() if c.country == own_side and c.collectivite_id > 0 for s in c.strings if "@" in s
    }
    leaks, seen, statuses = {}, [], {}
    for url in urls:
        response = client.get(url)
        statuses[url] = response.status_code
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if response.status_code != 200:
            continue
        text = readable_text(response)
        seen.append(text)
        found = sorted(s for s in hidden if s in text)
        if found:
            leaks[url] = found
    assert leaks == {}, f"{org} sees the other side's contacts or links: {leaks}"
    everything = "\n".join(seen)
    # The walk is real: own contacts and, after mutual interest, the other side's show somewhere.
    assert own and all(s in everything for s in own), sorted(s for s in own if s not in everything)
    assert shared and all(s in everything for s in shared), sorted(s for s in shared if s not in everything)
    assert len(urls) > 40 and sum(code == 200 for code in statuses.values()) > 30
    assert any(
        u.startswith("/staff/outreach/") and u.rstrip("/") != "/staff/outreach" for u in urls
    )  # campaigns walked
    # Captured mail to the other side's contacts cannot be opened; some captured mail can.
    captured = [u for u in urls if u.startswith("/staff/emails/captured/") and not u.endswith("/html")]
    assert {statuses[u] for u in captured} == {200, 403}


@pytest.mark.parametrize("org", ORGS)
def test_searching_responses_by_the_other_sides_email_finds_nothing(world, org):
    app, secrets = world["app"], world["secrets"]
    client = app.test_client()
    with app.app_context():
        f.login(client, world["users"][org][1])
    for c in secrets.values():
        if c.collectivite_id < 0:
            continue
        page = client.get("/staff/responses", query_string={"q": c.email}).get_data(as_text=True)
        visible = c.country == SIDE_OF_ORG[org] or c.collectivite_id in world["mutual"]
        assert bool(re.search(r'href="/staff/responses/\d+"', page)) == visible, (org, c.country, visible)


def test_other_association_cannot_manage_private_links(world):
    from matchmaker.models import AccessToken, Collectivite, Response

    app = world["app"]
    client = app.test_client()
    with app.app_context():
        f.login(client, world["users"]["GAROK"][1])
        from matchmaker.extensions import db

        french = db.session.scalar(select(Response.id).join(Collectivite).where(Collectivite.country == "FR").limit(1))
        live_before = db.session.scalar(
            select(AccessToken.id).where(AccessToken.response_id == french, AccessToken.revoked_at.is_(None))
        )
    for action in ("revoke-links", "send-link"):
        assert f.post(client, f"/staff/responses/{french}/{action}").status_code == 403
    with app.app_context():
        assert (
            db.session.scalar(
                select(AccessToken.id).where(AccessToken.response_id == french, AccessToken.revoked_at.is_(None))
            )
            == live_before
        )


def test_invitation_and_panel_emails_are_seen_by_the_inviting_side_only(db):
    """Emails of the outreach area go to addresses of one country: its association sees them, the other does not."""
    from matchmaker.models import Campaign, Collectivite, OutboxMessage, utcnow
    from matchmaker.staff.visibility import visible_outbox

    campaign = Campaign(org="GAROK", country="KR", name="2027 초청")
    member = Collectivite(
        name="Brest", name_key="brest", country="FR", level="commune", code="29019", population=139_000
    )
    db.session.add_all([campaign, member])
    db.session.flush()
    rows = [
        OutboxMessage(
            key=key,
            kind=kind,
            recipient=address,
            language="ko",
            subject="s",
            body_text="b",
            message_id=f"<{key}@t>",
            status="pending",
            attempts=0,
            next_attempt_at=utcnow(),
            created_at=utcnow(),
        )
        for key, kind, address in (
            (f"outreach:{campaign.id}:1:invitation", "outreach-invitation", "gu@invite.example.kr"),
            (f"seminar-panel:7:{member.id}", "seminar-panel", "ri@panel.example.fr"),
        )
    ]
    db.session.add_all(rows)
    db.session.flush()
    garok, cuf = visible_outbox(rows, "GAROK"), visible_outbox(rows, "CUF")
    assert (garok[rows[0].id], cuf[rows[0].id]) == (True, False)
    assert (garok[rows[1].id], cuf[rows[1].id]) == (False, True)
