"""Deleting a response through its private link: a confirmation step, then the contact erased as ``gdpr erase``
does, open introductions withdrawn (the other side is told), the association's staff told; nothing of the contact
or of its links left on any staff page or export."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaker.models import AccessToken, Introduction, OutboxMessage, Response, Suggestion
from tests.questionnaire.conftest import fr_record, kr_record
from tests.review import factories as f
from tests.security.test_visibility import readable_text, staff_urls


def _world(db):
    """A French response with unique contact strings, introduced to a Korean one; staff of both associations."""
    from matchmaker.questionnaire.operations import import_records, send_response_link
    from matchmaker.review.operations import decide

    tag = uuid.uuid4().hex[:10]
    contact = {"contact_name": f"Nom{tag}", "contact_role": f"Role{tag}", "contact_email": f"mail{tag}@fr.example.org"}
    import_records(
        [
            fr_record(name=f"Commune {tag}", name_local=f"Commune {tag}", code=None, existing_partners=[], **contact),
            kr_record(existing_partners=[]),
        ]
    )
    fr = db.session.scalar(select(Response).where(Response.contact_email == contact["contact_email"]))
    kr = db.session.scalar(select(Response).where(Response.contact_email == "intl@guro.example.kr"))
    cuf, garok = f.staff("CUF", "admin"), f.staff("GAROK", "admin")
    link = send_response_link(fr, fr.contact_email, "fr")
    pair = f.suggestion(fr.collectivite, kr.collectivite, 0.8)
    decide(pair, cuf, "approve")
    decide(pair, garok, "approve")
    db.session.commit()
    intro = db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.key == f"introduction:{pair.id}:FR"))
    secrets = set(contact.values()) | {link, re.search(r"/answer/([A-Za-z0-9_\-]+)", intro).group(1)}
    world = {
        "link": link,
        "secrets": secrets,
        "name": f"Commune {tag}",
        "pair": pair.id,
        "response": fr.id,
        "staff": {"CUF": cuf.email, "GAROK": garok.email},
    }
    db.session.commit()  # end the reading transaction: the browser's requests write
    return world


def _gone_everywhere(app, world) -> None:
    """No staff page or export shows the contact or its links; the response is in no list or export of responses."""
    for org, email in world["staff"].items():
        client = app.test_client()
        f.login(client, email)
        context = {"responses": [world["response"]], "suggestions": [world["pair"]], "captured": []}
        for url in staff_urls(app, context):
            page = client.get(url)
            assert page.status_code in (200, 403, 404), (url, page.status_code)
            text = readable_text(page) if page.status_code == 200 else ""
            assert not [s for s in world["secrets"] if s in text], (org, url)
            if url.startswith("/staff/responses") and not re.match(r"/staff/responses/\d+$", url):
                assert world["name"] not in text, (org, url)


def _after_deletion(db, world) -> None:
    db.session.rollback()
    response = db.session.get(Response, world["response"])
    assert response.anonymised_at is not None and response.contact_email is None and response.contact_name is None
    assert all(
        (v.answers.get("contact_email"), v.answers.get("contact_name")) == (None, None) for v in response.versions
    )
    assert (
        db.session.scalar(
            select(AccessToken.id).where(
                AccessToken.response_id == response.id, AccessToken.purpose == "edit", AccessToken.revoked_at.is_(None)
            )
        )
        is None
    )
    pair = db.session.get(Suggestion, world["pair"])
    intro = db.session.scalar(select(Introduction).where(Introduction.suggestion_id == pair.id))
    assert pair.state == "declined" and intro.closed_at is not None
    withdrawn = db.session.scalar(select(OutboxMessage).where(OutboxMessage.key == f"withdrawn:{pair.id}:KR"))
    assert (
        withdrawn.recipient == "intl@guro.example.kr"
        and withdrawn.language == "ko"
        and world["name"] in withdrawn.body_text
    )
    told = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "response_deleted")).all()
    assert [m.recipient for m in told] == [world["staff"]["CUF"]] and world["name"] in told[0].subject
    assert not db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.recipient.contains(world["name"].split()[1]))
    )


def test_deleting_needs_a_confirmation_and_a_private_link(client, app, db):
    world = _world(db)
    assert (
        client.get("/questionnaire/delete").headers["Location"].endswith("/questionnaire/")
    )  # no link, nothing to delete
    client.get(f"/fr/r/{world['link']}")
    page = client.get("/questionnaire/delete")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Supprimer les réponses de" in html
    db.session.rollback()
    assert db.session.get(Response, world["response"]).anonymised_at is None  # asking changes nothing
    assert client.post("/questionnaire/delete", data={}).status_code == 400  # no CSRF token: nothing deleted
    db.session.rollback()
    assert db.session.get(Response, world["response"]).anonymised_at is None
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    done = client.post("/questionnaire/delete", data={"csrf_token": token})
    assert done.status_code == 200 and "sont supprimées" in done.get_data(as_text=True)
    _after_deletion(db, world)
    assert app.test_client().get(f"/fr/r/{world['link']}").status_code == 410
    _gone_everywhere(app, world)


@pytest.mark.browser
def test_deleting_through_the_private_link_in_a_browser(live_server, browser, app, db):
    world = _world(db)
    page = browser.new_page()
    page.goto(f"{live_server}/fr/r/{world['link']}")
    page.get_by_role("link", name="Supprimer nos réponses").click()
    expect(page.locator("h1")).to_contain_text("Supprimer les réponses de")
    page.get_by_role("button", name="Oui, supprimer nos réponses").click()
    expect(page.locator("h1")).to_contain_text("sont supprimées")
    _after_deletion(db, world)
    _gone_everywhere(app, world)
