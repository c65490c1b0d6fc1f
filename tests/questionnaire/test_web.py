"""The questionnaire in a browser without JavaScript: steps, drafts, validation, private links, CSRF, staff pages."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from matchmaker.clock import utcnow
from matchmaker.models import AccessToken, Collectivite, OutboxMessage, Response, Suggestion
from matchmaker.questionnaire.operations import import_records, purge_expired_drafts, revoke_response_links
from tests.factories import csrf_token
from tests.questionnaire.conftest import fr_record, kr_record
from tests.questionnaire.webflow import fill_questionnaire, form_data, link_token, post_step, step_data


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "lang, marker", [("fr", "Questionnaire de partenariat"), ("ko", "협력 설문"), ("en", "Partnership questionnaire")]
)
def test_every_step_is_shown_in_the_chosen_language(client, lang, marker):
    assert client.get(f"/{lang}/questionnaire/").status_code == 302
    for step in ("identity", "contact", "themes", "partners", "presentation", "review"):
        html = client.get(f"/questionnaire/{step}").get_data(as_text=True)
        assert f'<html lang="{lang}">' in html
        assert marker in html
        assert 'aria-current="step"' in html


def test_language_in_the_query_is_remembered_and_the_address_cleaned(client):
    response = client.get("/questionnaire/identity?lang=ko")
    assert response.status_code == 302 and response.headers["Location"].endswith("/questionnaire/identity")
    assert '<html lang="ko">' in client.get("/questionnaire/identity").get_data(as_text=True)
    client.get("/language/fr?next=/questionnaire/identity")  # the site's switcher then works on these pages
    assert '<html lang="fr">' in client.get("/questionnaire/identity").get_data(as_text=True)


def test_full_questionnaire_creates_the_response_a_version_and_emails_a_private_link(client, db):
    client.get("/ko/questionnaire/")
    record = kr_record()
    data = form_data(record)
    assert post_step(client, "identity", step_data("identity", data)).status_code == 302
    assert count(db, Response) == 1 and count(db, OutboxMessage) == 0  # a draft, no email address yet
    assert post_step(client, "contact", step_data("contact", data)).status_code == 302
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.recipient == "intl@guro.example.kr" and mail.language == "ko" and mail.key.startswith("response-link:")
    assert mail.subject == "국제 협력 설문 개인 링크: 구로구" and "유효합니다" in mail.body_text
    token = link_token(mail.body_text)
    assert f"/ko/r/{token}" in mail.body_html
    themes_page = client.get("/questionnaire/themes").get_data(as_text=True)
    assert token in themes_page  # the link is also shown on screen
    response = fill_questionnaire(client, record)
    assert response.status_code == 302 and response.headers["Location"].endswith("/questionnaire/done")
    db.session.expire_all()
    guro = db.session.scalar(select(Collectivite).where(Collectivite.code == "11530"))
    assert guro.name_local == "구로구" and guro.population == 415005
    answer = guro.response
    assert answer.status == "submitted" and answer.version == 1 and answer.draft is None
    assert answer.versions[0].source == "web" and answer.versions[0].answers["themes"] == record["themes"]
    assert answer.language == "ko" and answer.consent_share is True
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["response_link", "submission_confirmation"]  # never a second link email; one confirmation
    done = client.get("/questionnaire/done").get_data(as_text=True)
    assert "구로구" in done and token in done


def test_a_validation_error_keeps_everything_typed_and_says_what_to_fix(client, db):
    client.get("/fr/questionnaire/")
    data = step_data("identity", form_data(fr_record(population="beaucoup", level="gu")))
    response = post_step(client, "identity", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html and 'href="#population"' in html and 'href="#level"' in html
    assert 'value="beaucoup"' in html and 'value="Issy-les-Moulineaux"' in html
    assert 'aria-describedby="population-hint population-error"' in html and 'aria-invalid="true"' in html
    assert "nombre entier positif" in html
    draft = db.session.scalar(select(Response)).draft
    assert draft["answers"]["population"] == "beaucoup"  # kept in the draft too
    fixed = post_step(client, "identity", dict(data, population="67 669", level="commune"))
    assert fixed.status_code == 302 and fixed.headers["Location"].endswith("/questionnaire/contact")


def test_an_expired_csrf_token_keeps_the_typed_values_and_writes_nothing(client, db):
    client.get("/en/questionnaire/")
    data = step_data("identity", form_data(fr_record(name="Ville-Test-Perdue", population="1234")))
    response = client.post("/questionnaire/identity", data=dict(data, csrf_token="expired-token", action="next"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Ville-Test-Perdue"' in html and 'value="1234"' in html
    assert "submit again" in html
    assert count(db, Response) == 0
    again = client.post("/questionnaire/identity", data=dict(data, csrf_token=csrf_token(html), action="next"))
    assert again.status_code == 302 and count(db, Response) == 1


def test_autosave_keeps_the_draft_and_refuses_a_bad_token(client, db):
    page = client.get("/questionnaire/contact").get_data(as_text=True)
    token = csrf_token(page)
    empty = client.post("/questionnaire/autosave", data={"step": "contact", "csrf_token": token, "language": "fr"})
    assert empty.json == {"saved": False} and count(db, Response) == 0
    saved = client.post(
        "/questionnaire/autosave",
        headers={"X-CSRFToken": token},
        data={"step": "contact", "contact_name": "Jeanne", "contact_email": "jeanne@example.org"},
    )
    assert saved.status_code == 200 and saved.json["saved"] is True and "/r/" in saved.json["link"]
    draft = db.session.scalar(select(Response)).draft
    assert draft["answers"]["contact_name"] == "Jeanne"
    bad = client.post("/questionnaire/autosave", data={"step": "contact", "contact_name": "X", "csrf_token": "nope"})
    assert bad.status_code == 400 and bad.json["saved"] is False and bad.json["csrf_token"]
    assert client.post("/questionnaire/autosave", data={"step": "nowhere", "csrf_token": token}).status_code == 400


def test_reference_autocomplete_returns_real_collectivites(client):
    rows = client.get("/questionnaire/reference?q=구로&country=KR").json
    assert rows[0]["code"] == "11530" and rows[0]["level"] == "gu" and rows[0]["population"] > 0
    rows = client.get("/questionnaire/reference?q=issy-les&country=FR").json
    assert rows[0]["name"] == "Issy-les-Moulineaux" and rows[0]["region"] == "Île-de-France"
    assert client.get("/questionnaire/reference?q=").json == []


def _submitted_via_web(client, db, record):
    fill_questionnaire(client, record)
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == record["contact_email"]).order_by(OutboxMessage.id)
    ).first()
    return link_token(mail.body_text)


def test_the_private_link_opens_the_answers_and_saving_adds_a_version(client, app, db):
    token = _submitted_via_web(client, db, fr_record())
    other = app.test_client()
    opened = other.get(f"/fr/r/{token}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/questionnaire/review")
    review = other.get("/questionnaire/review").get_data(as_text=True)
    assert "Issy-les-Moulineaux" in review and "international@issy.example.org" in review
    identity = other.get("/questionnaire/identity").get_data(as_text=True)
    assert 'value="67669"' in identity
    data = step_data("identity", form_data(fr_record(population="70000")))
    assert post_step(other, "identity", data).status_code == 302
    assert post_step(other, "review", {}, action="submit").status_code == 302
    db.session.expire_all()
    issy = db.session.scalar(select(Collectivite).where(Collectivite.code == "92040"))
    assert issy.population == 70000 and issy.response.version == 2
    assert [v.answers["population"] for v in issy.response.versions] == [67669, 70000]
    assert count(db, Collectivite) == 1 and count(db, Response) == 1


def test_expired_revoked_and_unknown_links_get_explaining_pages(client, app, db):
    token = _submitted_via_web(client, db, fr_record())
    row = db.session.scalar(select(AccessToken))
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = app.test_client().get(f"/fr/r/{token}")
    assert expired.status_code == 410 and "personnel" in expired.get_data(as_text=True)
    row.expires_at = utcnow() + timedelta(days=3)
    db.session.commit()
    reader = app.test_client()
    assert reader.get(f"/ko/r/{token}").status_code == 302
    assert reader.get("/questionnaire/review").status_code == 200
    revoke_response_links(row.response_id)
    db.session.commit()
    assert app.test_client().get(f"/fr/r/{token}").status_code == 410
    cut_off = reader.get("/questionnaire/review")  # the browser that used the link loses access too
    assert cut_off.status_code == 410 and '<html lang="ko">' in cut_off.get_data(as_text=True)
    assert app.test_client().get("/fr/r/" + "A" * 43).status_code == 404
    assert app.test_client().get("/fr/r/x").status_code == 404


def test_a_link_gives_access_to_its_own_response_only(client, app, db):
    token_a = _submitted_via_web(client, db, fr_record())
    _submitted_via_web(
        app.test_client(),
        db,
        kr_record(
            name="Suwon-si", name_local="수원시", level="si", code="41110", contact_email="intl@suwon.example.kr"
        ),
    )
    reader = app.test_client()
    reader.get(f"/fr/r/{token_a}")
    for page in ("/questionnaire/review", "/questionnaire/identity", "/questionnaire/done"):
        html = reader.get(page).get_data(as_text=True)
        assert "Suwon" not in html and "수원시" not in html
    html = reader.get("/questionnaire/review").get_data(as_text=True)
    assert "Issy-les-Moulineaux" in html
    with reader.session_transaction() as session:  # a forged response id in the session is refused (signed cookie)
        session["questionnaire"]["rid"] = 2
    reader.set_cookie("session", "forged", domain="localhost")
    assert "Suwon" not in reader.get("/questionnaire/review").get_data(as_text=True)
    assert reader.get("/staff/responses/2").status_code == 302  # staff pages need a login


def test_a_known_collectivite_is_recognised_at_step_one_and_its_link_goes_to_the_contact_on_file(client, app, db):
    import_records([fr_record()])
    other = app.test_client()
    data = form_data(fr_record(contact_email="intrus@example.org"))
    page = post_step(other, "identity", step_data("identity", data))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Issy-les-Moulineaux a déjà répondu" in html
    assert "international@issy.example.org" not in html
    sent = other.post("/questionnaire/known-link", data={"csrf_token": csrf_token(html)})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "international@issy.example.org" not in html and "Issy-les-Moulineaux" in html
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "response_link")).all()
    assert [m.recipient for m in mails] == ["international@issy.example.org"]
    again = other.post("/questionnaire/known-link", data={"csrf_token": csrf_token(html)})
    assert (
        again.status_code == 200 and db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    )  # once an hour
    db.session.expire_all()
    issy = db.session.scalar(select(Collectivite).where(Collectivite.code == "92040"))
    assert issy.response.version == 1 and issy.response.contact_email == "international@issy.example.org"


def test_taking_over_a_collectivite_that_answered_meanwhile_offers_its_link_instead(client, app, db):
    respondent = app.test_client()
    fill_questionnaire(respondent, fr_record(contact_email="intrus@example.org"), submit=False)
    import_records([fr_record()])  # the collectivité's own contact answered in the meantime
    response = post_step(respondent, "review", {}, action="submit")
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 409
        and "Issy-les-Moulineaux a déjà répondu" in html
        and "/questionnaire/known-link" in html
    )
    assert "international@issy.example.org" not in html
    db.session.expire_all()
    issy = db.session.scalar(select(Collectivite).where(Collectivite.code == "92040"))
    assert issy.response.version == 1 and issy.response.contact_email == "international@issy.example.org"


def test_a_web_submission_gets_partner_suggestions_at_once(client, db):
    import_records(
        [
            kr_record(),
            kr_record(
                name="Suwon-si",
                name_local="수원시",
                level="si",
                code="41110",
                contact_email="intl@suwon.example.kr",
                existing_partners=[],
            ),
        ]
    )
    fill_questionnaire(client, fr_record(existing_partners=[]))
    issy = db.session.scalar(select(Collectivite).where(Collectivite.code == "92040"))
    suggested = db.session.scalars(select(Suggestion).where(Suggestion.fr_id == issy.id)).all()
    assert {s.kr.code for s in suggested} == {"11530", "41110"}


def test_abandoned_drafts_are_purged_but_submitted_responses_kept(client, app, db, runner):
    post_step(client, "identity", step_data("identity", form_data(fr_record(name="Brouillon"))))
    _submitted_via_web(app.test_client(), db, kr_record())
    assert count(db, Response) == 2
    assert purge_expired_drafts() == 0
    db.session.rollback()
    assert runner.invoke(args=["purge-drafts"]).output.strip() == "0 abandoned drafts deleted"
    assert purge_expired_drafts(now=utcnow() + timedelta(days=app.config["DRAFT_TTL_DAYS"] + 1)) == 1
    db.session.commit()
    assert [r.status for r in db.session.scalars(select(Response))] == ["submitted"]


# --- staff pages --------------------------------------------------------------------------------------------


def test_staff_list_needs_a_login(client):
    response = client.get("/staff/responses")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert client.get("/staff/responses/1").status_code == 302
    assert client.get("/staff/responses/export.csv").status_code == 302


def test_staff_list_filters_by_country_level_theme_and_completeness(staff_client, db, app):
    import_records(
        [
            fr_record(),
            kr_record(),
            kr_record(
                name="Suwon-si",
                name_local="수원시",
                level="si",
                code="41110",
                contact_email="s@suwon.example.kr",
                themes={"water": {"priority": 1, "stance": "seek"}},
                description=None,
            ),
        ]
    )
    post_step(
        app.test_client(),
        "identity",
        step_data(
            "identity", form_data(fr_record(name="Brouillon-sur-Mer", name_local="Brouillon-sur-Mer", code=None))
        ),
    )

    def names(**filters):
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        html = staff_client.get(f"/staff/responses?{query}").get_data(as_text=True)
        return {n for n in ("Issy-les-Moulineaux", "Guro-gu", "Suwon-si", "Brouillon-sur-Mer") if n in html}

    assert names() == {"Issy-les-Moulineaux", "Guro-gu", "Suwon-si", "Brouillon-sur-Mer"}
    assert names(country="KR") == {"Guro-gu", "Suwon-si"}
    assert names(level="si") == {"Suwon-si"}
    assert names(theme="smart_city") == {"Issy-les-Moulineaux", "Guro-gu"}
    assert names(completeness="draft") == {"Brouillon-sur-Mer"}
    assert names(completeness="submitted") == {"Issy-les-Moulineaux", "Guro-gu", "Suwon-si"}
    assert names(completeness="missing") == {"Suwon-si"}
    missing = staff_client.get("/staff/responses?completeness=missing").get_data(as_text=True)
    assert "Manquant\u00a0: Présentation" in missing  # the reviewer's language, the field's name
    assert names(q="구로") == {"Guro-gu"}
    assert names(country="XX") == {"Issy-les-Moulineaux", "Guro-gu", "Suwon-si", "Brouillon-sur-Mer"}


def test_staff_list_marks_each_local_name_with_its_own_language(staff_client, db):
    # screen readers read a name with the voice of its language, whatever the interface language
    import_records(
        [
            fr_record(
                name="Paris 15e",
                name_local="Paris 15e arrondissement",
                level="arrondissement",
                code="75115",
                contact_email="x@paris15.example.fr",
            ),
            kr_record(),
        ]
    )
    html = staff_client.get("/staff/responses").get_data(as_text=True)
    assert '<span lang="ko">구로구</span>' in html
    assert '<span lang="fr">Paris 15e arrondissement</span>' in html
    assert "<td>Corée</td>" in html and "<td>France</td>" in html  # the country's name, not its code


def test_staff_detail_shows_versions_and_revokes_or_resends_links(garok_client, staff_client, app, db):
    """GAROK staff manage the private links of a Korean response; CUF staff may not (the visibility rule)."""
    respondent = app.test_client()
    token = _submitted_via_web(respondent, db, kr_record())
    import_records([kr_record(population=420000)])
    response_id = db.session.scalar(select(Response.id))
    html = staff_client.get(f"/staff/responses/{response_id}").get_data(as_text=True)
    assert "구로구" in html and "Version 2" in html and "Version 1" in html
    assert "intl@guro.example.kr" not in html and "revoke-links" not in html
    assert (
        staff_client.post(
            f"/staff/responses/{response_id}/revoke-links", data={"csrf_token": csrf_token(html)}
        ).status_code
        == 403
    )
    page = garok_client.get(f"/staff/responses/{response_id}")
    html = page.get_data(as_text=True)
    assert "intl@guro.example.kr" in html, (page.status_code, html[html.find("<main") :][:3000])
    page_token = csrf_token(html)
    staff_client = garok_client
    revoked = staff_client.post(f"/staff/responses/{response_id}/revoke-links", data={"csrf_token": page_token})
    assert revoked.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AccessToken).where(AccessToken.revoked_at.is_(None))) == 0
    assert app.test_client().get(f"/ko/r/{token}").status_code == 410
    sent = staff_client.post(f"/staff/responses/{response_id}/send-link", data={"csrf_token": page_token})
    assert sent.status_code == 302
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "response_link").order_by(OutboxMessage.id)
    ).all()
    assert len(mails) == 2 and mails[1].recipient == "intl@guro.example.kr" and mails[1].language == "ko"
    new_token = link_token(mails[1].body_text)
    assert new_token != token and app.test_client().get(f"/ko/r/{new_token}").status_code == 302
    without_token = staff_client.post(f"/staff/responses/{response_id}/send-link", data={})
    assert without_token.status_code == 400  # staff forms keep the global CSRF protection


def test_staff_can_download_the_responses(staff_client, db):
    import_records([fr_record(), kr_record()])
    csv_file = staff_client.get("/staff/responses/export.csv")
    assert csv_file.status_code == 200 and csv_file.data.startswith(b"\xef\xbb\xbf")
    assert "구로구" in csv_file.data.decode("utf-8-sig")
    assert staff_client.get("/staff/responses/export.xlsx").data[:2] == b"PK"


def test_public_posts_are_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.0.77"
    token = csrf_token(client.get("/questionnaire/contact").get_data(as_text=True))
    statuses = [
        client.post("/questionnaire/autosave", data={"step": "contact", "csrf_token": token}).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
