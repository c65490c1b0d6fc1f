"""One submission is one version: each rendered review form carries a one-time key; posting it again (double
click, reload, back button) shows the first result and writes nothing; submitting unchanged answers adds no version."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from matchmaker.models import OutboxMessage, Response, ResponseVersion
from tests.factories import csrf_token
from tests.questionnaire.conftest import fr_record
from tests.questionnaire.webflow import fill_questionnaire


def _versions(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(ResponseVersion))


def _review_form(client) -> dict:
    html = client.get("/questionnaire/review").get_data(as_text=True)
    key = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert key, "the review form carries no submission key"
    return {"csrf_token": csrf_token(html), "submission_key": key.group(1), "action": "submit"}


def test_posting_the_same_form_twice_makes_one_version(client, db):
    fill_questionnaire(client, fr_record(), submit=False)
    form = _review_form(client)
    first = client.post("/questionnaire/review", data=form)
    assert first.status_code == 302 and first.headers["Location"].endswith("/questionnaire/done")
    emails = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    again = client.post("/questionnaire/review", data=form)
    assert again.status_code == 302 and again.headers["Location"].endswith("/questionnaire/done")
    assert _versions(db) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == emails
    done = client.get("/questionnaire/done").get_data(as_text=True)
    assert "Issy-les-Moulineaux" in done
    # Edited since, the old page posted again (back button) still counts as the first submission: the edit
    # waits in the draft for a submission from a fresh review page.
    page = client.get("/questionnaire/presentation")
    client.post(
        "/questionnaire/presentation",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "description": "Présentation modifiée après l'envoi.",
            "action": "next",
        },
    )
    assert client.post("/questionnaire/review", data=form).headers["Location"].endswith("/questionnaire/done")
    assert _versions(db) == 1
    assert db.session.scalar(select(Response.draft))["answers"]["description"] == "Présentation modifiée après l'envoi."
    assert client.post("/questionnaire/review", data=_review_form(client)).status_code == 302
    assert _versions(db) == 2


def test_resubmitting_unchanged_answers_adds_no_version(client, db):
    fill_questionnaire(client, fr_record())
    assert _versions(db) == 1
    assert (
        client.post("/questionnaire/review", data=_review_form(client)).status_code == 302
    )  # a fresh key, same answers
    assert _versions(db) == 1
    response = db.session.scalar(select(Response))
    assert response.version == 1 and response.draft is None
    # a real change still makes a version
    page = client.get("/questionnaire/presentation")
    client.post(
        "/questionnaire/presentation",
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "description": "Une autre présentation de la ville.",
            "action": "next",
        },
    )
    assert client.post("/questionnaire/review", data=_review_form(client)).status_code == 302
    assert _versions(db) == 2


@pytest.fixture
def slow_submissions(app, monkeypatch):
    """Answer submissions after a pause, as a loaded server would, so that a second click has time to post again."""
    inner = app.wsgi_app

    def slow(environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/questionnaire/review":
            time.sleep(0.5)
        return inner(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", slow)


@pytest.mark.browser
def test_double_clicking_submit_in_a_browser_makes_one_version(slow_submissions, live_server, browser, db):
    page = browser.new_page()
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith("/questionnaire/review") else None,
    )
    page.goto(f"{live_server}/fr/questionnaire/")
    page.goto(f"{live_server}/questionnaire/identity")
    page.locator("#country-FR").check()
    page.fill("#name", "Commune du Double-Clic")
    page.select_option("#level", "commune")
    page.fill("#population", "12000")
    page.get_by_role("button", name="Suivant", exact=True).last.click()
    page.fill("#contact_name", "Camille Martin")
    page.fill("#contact_email", "camille@double-clic.example.fr")
    page.locator("#consent_contact").check()
    page.locator("#consent_share").check()
    page.get_by_role("button", name="Suivant", exact=True).last.click()
    page.locator("#theme-smart_city-priority-3").check()
    page.locator("#theme-smart_city-stance-offer").check()
    for _ in ("themes", "partners", "presentation"):
        page.get_by_role("button", name="Suivant", exact=True).last.click()
    expect(page.locator(".answers").first).to_contain_text("Commune du Double-Clic")
    page.get_by_role("button", name="Envoyer mes réponses").dblclick(delay=150)
    expect(page.locator("h1")).to_contain_text("Merci")
    assert len(posts) >= 2, posts  # the browser did post twice
    assert _versions(db) == 1
    assert db.session.scalar(select(Response.version)) == 1


def test_each_submission_is_confirmed_by_email_naming_the_collectivite_finally_chosen(client, app, db):
    from tests.questionnaire.conftest import kr_record
    from tests.questionnaire.webflow import form_data, link_token, post_step, step_data

    record = kr_record()
    data = form_data(record)
    post_step(client, "identity", step_data("identity", dict(data, name="Jung-gu", name_local="중구", code="")))
    post_step(client, "contact", step_data("contact", data))  # the private link is emailed now, under the first name
    fill_questionnaire(client, record)  # then the person picks Guro-gu and submits
    db.session.rollback()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "submission_confirmation")).all()
    assert len(mails) == 1 and mails[0].recipient == record["contact_email"] and mails[0].language == "ko"
    assert "구로구" in mails[0].subject and "중구" not in mails[0].subject and "구로구" in mails[0].body_text
    token = link_token(mails[0].body_text)
    assert app.test_client().get(f"/ko/r/{token}").status_code == 302
    # unchanged answers sent again: no version, no second confirmation
    assert client.post("/questionnaire/review", data=_review_form(client)).status_code == 302
    db.session.rollback()
    assert (
        db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "submission_confirmation")
        )
        == 1
    )


def test_the_private_link_resumes_where_the_person_stopped(client, app, db):
    from tests.questionnaire.webflow import form_data, link_token, post_step, step_data

    data = form_data(fr_record())
    for step in ("identity", "contact", "themes"):
        assert post_step(client, step, step_data(step, data)).status_code == 302  # then they close the browser
    token = link_token(db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.kind == "response_link")))
    opened = app.test_client().get(f"/fr/r/{token}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/questionnaire/partners")
    fill_questionnaire(client, fr_record())
    opened = app.test_client().get(f"/fr/r/{token}")
    assert opened.headers["Location"].endswith("/questionnaire/review")  # submitted: straight to the answers
