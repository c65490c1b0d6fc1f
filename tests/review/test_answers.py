"""The public pages behind the "interested / not interested" links: a GET (what mail scanners do) only shows a
confirmation page; the POST answers once; a link opens its own pair and nothing else."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.models import AccessToken, Introduction, OutboxMessage, Suggestion
from matchmaker.review import operations as ops
from matchmaker.tokens import hash_token, issue_token
from tests.review import factories as f


def links(app, suggestion_id, side):
    """The two answer links of the introduction email sent to one side, as paths."""
    with app.app_context():
        from matchmaker.extensions import db

        body = db.session.scalar(
            select(OutboxMessage.body_text).where(OutboxMessage.key == f"introduction:{suggestion_id}:{side}")
        )
    paths = re.findall(r"http://localhost(/answer/\S+)", body)
    return {re.search(r"choice=(\w+)", path).group(1): path for path in paths}


@pytest.fixture
def introduced(app):
    """An introduced pair (Issy ↔ Guro-gu); returns its id. No app context is held during requests."""
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        s = f.suggestion(issy, guro, themes=("smart_city",))
        ops.decide(s, f.staff("CUF"), "approve")
        ops.decide(s, f.staff("GAROK"), "approve")
        db.session.commit()
        assert s.state == "introduced"
        return s.id


def state(app, suggestion_id):
    with app.app_context():
        from matchmaker.extensions import db

        return db.session.get(Suggestion, suggestion_id).state


def confirm_and_post(client, path, choice):
    page = client.get(path)
    assert page.status_code == 200
    token_path = path.split("?")[0]
    return client.post(token_path, data={"choice": choice, "csrf_token": f.csrf_token(page.get_data(as_text=True))})


def test_opening_a_link_only_shows_a_confirmation_page(app, client, introduced):
    kr_links = links(app, introduced, "KR")
    assert set(kr_links) == {"interested", "not_interested"}
    for _ in range(3):  # scanners and previews may open it several times
        page = client.get(kr_links["not_interested"])
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert '<html lang="ko">' in html and "Issy-les-Moulineaux" in html and "관심 없음" in html
    assert "스마트시티" in html  # the reasons, in the recipient's language
    assert client.head(kr_links["interested"]).status_code == 200
    assert state(app, introduced) == "introduced"
    with app.app_context():
        from matchmaker.extensions import db

        assert db.session.scalar(select(AccessToken.used_at).where(AccessToken.side == "KR")) is None
        assert db.session.scalar(select(Introduction.kr_answer)) is None


def test_both_interested_through_the_pages_makes_a_mutual_match(app, client, introduced):
    fr_links, kr_links = links(app, introduced, "FR"), links(app, introduced, "KR")
    done = confirm_and_post(client, fr_links["interested"], "interested")
    assert done.status_code == 200 and "Merci pour votre réponse" in done.get_data(as_text=True)
    assert state(app, introduced) == "introduced"
    other = app.test_client()
    done = confirm_and_post(other, kr_links["interested"], "interested")
    assert "두 지방자치단체 모두 관심을 보였습니다" in done.get_data(as_text=True)
    assert state(app, introduced) == "mutual"
    # the link is single-use
    again = client.get(fr_links["interested"])
    assert again.status_code == 410 and "déjà" in again.get_data(as_text=True)


def test_not_interested_closes_the_pair_and_the_other_link(app, client, introduced):
    confirm_and_post(client, links(app, introduced, "FR")["not_interested"], "not_interested")
    assert state(app, introduced) == "declined"
    page = app.test_client().get(links(app, introduced, "KR")["interested"])
    assert page.status_code == 410


def test_a_post_without_a_valid_choice_changes_nothing(app, client, introduced):
    path = links(app, introduced, "FR")["interested"]
    response = confirm_and_post(client, path, "maybe")
    assert response.status_code == 400 and "choisir" in response.get_data(as_text=True)
    assert state(app, introduced) == "introduced"
    assert confirm_and_post(client, path, "interested").status_code == 200


def test_a_post_without_the_page_is_refused(app, client, introduced):
    path = links(app, introduced, "FR")["interested"].split("?")[0]
    assert client.post(path, data={"choice": "interested"}).status_code == 400  # no CSRF token: not from our page
    assert state(app, introduced) == "introduced"


def test_a_link_opens_its_own_pair_only(app, client, introduced):
    fr_path = links(app, introduced, "FR")["interested"]
    raw = fr_path.split("/answer/")[1].split("?")[0]
    # unknown, truncated and tampered links
    assert client.get("/answer/nope").status_code == 404
    assert client.get(f"/answer/{raw[:-2]}").status_code == 404
    # an answer link is not an edit link: it opens no questionnaire response
    opened = client.get(f"/fr/r/{raw}")
    assert opened.status_code == 404
    assert "relations@issy.example.fr" not in client.get("/questionnaire/review").get_data(as_text=True)
    # an edit link of the same collectivité does not answer anything
    with app.app_context():
        from matchmaker.extensions import db

        rid = db.session.get(Suggestion, introduced).fr.response.id
        edit = issue_token("edit", timedelta(days=1), response_id=rid)
        db.session.commit()
        assert (
            db.session.scalar(select(AccessToken.purpose).where(AccessToken.token_hash == hash_token(raw))) == "answer"
        )
    assert client.get(f"/answer/{edit}").status_code == 404
    # the page shows the partner, never the partner's contact details
    html = client.get(fr_path).get_data(as_text=True)
    assert "intl@guro.example.kr" not in html and "Contact Guro-gu" not in html
