"""Every form is protected against cross-site request forgery: for each POST route of the application, a POST
without a token, or with the token of another session, is refused and changes nothing (staff routes with a
logged-in staff session); the same POST with the page's token does what it should, which shows the refusal
was the token's doing. The only exempt route is listed with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import pytest
from sqlalchemy import select

from matchmaker.clock import today
from tests.a11y.pages import PASSWORD, ClientDriver, World, build_world, module_app
from tests.security.database import changed_tables, snapshot

#: POST routes that take no CSRF token, and why.
CSRF_EXEMPT = {
    "mail.unsubscribe": "RFC 8058 one-click unsubscribe: mail clients POST without any page or session; "
    "the signed token in the address is the secret",
}


@dataclass(frozen=True)
class Post:
    """A form post that changes something when its token is right."""

    path: Callable[[World, dict], str]
    data: Callable[[World, dict], dict]
    staff: bool = False
    page: Callable[[World, dict], str] | None = None  # the page whose form carries the token (default: ``path``)
    writes: bool = True  # False: the effect is on the session only (checked by ``effect``)


def _today(*_):
    return today().isoformat()


POSTS: dict[str, Post] = {
    "staff.login": Post(lambda w, ids: "/staff/login", lambda w, ids: {"email": w.staff["fr"], "password": PASSWORD}),
    "staff.logout": Post(
        lambda w, ids: "/staff/logout", lambda w, ids: {}, staff=True, page=lambda w, ids: "/staff/pairs", writes=False
    ),
    "review.decision": Post(
        lambda w, ids: f"/staff/pairs/{w.open_pair}/decision",
        lambda w, ids: {"decision": "approve", "note": "OK"},
        staff=True,
        page=lambda w, ids: f"/staff/pairs/{w.open_pair}",
    ),
    "review.note": Post(
        lambda w, ids: f"/staff/pairs/{w.rich_pair}/notes",
        lambda w, ids: {"text": "Relancer en janvier."},
        staff=True,
        page=lambda w, ids: f"/staff/pairs/{w.rich_pair}",
    ),
    "review.outcome": Post(
        lambda w, ids: f"/staff/pairs/{w.rich_pair}/outcomes",
        lambda w, ids: {"kind": "letter_of_intent", "happened_on": _today(), "note": "Lettre signée."},
        staff=True,
        page=lambda w, ids: f"/staff/pairs/{w.rich_pair}",
    ),
    "suggestions.weights": Post(
        lambda w, ids: "/staff/weights",
        lambda w, ids: {
            "w_themes": "40",
            "w_complementarity": "20",
            "w_sectors": "10",
            "w_size": "10",
            "w_text": "20",
            "action": "apply",
        },
        staff=True,
    ),
    "review.answer_post": Post(lambda w, ids: f"/answer/{w.answer['fr']}", lambda w, ids: {"choice": "interested"}),
    "questionnaire.step": Post(
        lambda w, ids: "/questionnaire/identity",
        lambda w, ids: {"country": "FR", "name": "Villeurbanne", "level": "commune", "action": "next"},
    ),
    "questionnaire.autosave": Post(
        lambda w, ids: "/questionnaire/autosave",
        lambda w, ids: {"step": "identity", "country": "FR", "name": "Villeurbanne"},
        page=lambda w, ids: "/questionnaire/identity",
    ),
    "questionnaire.leave": Post(
        lambda w, ids: "/questionnaire/leave", lambda w, ids: {}, page=lambda w, ids: "/questionnaire/", writes=False
    ),
    "questionnaire.staff_revoke_links": Post(
        lambda w, ids: f"/staff/responses/{w.response_id}/revoke-links",
        lambda w, ids: {},
        staff=True,
        page=lambda w, ids: f"/staff/responses/{w.response_id}",
    ),
    "questionnaire.staff_send_link": Post(
        lambda w, ids: f"/staff/responses/{w.response_id}/send-link",
        lambda w, ids: {},
        staff=True,
        page=lambda w, ids: f"/staff/responses/{w.response_id}",
    ),
    "questionnaire.delete": Post(lambda w, ids: "/questionnaire/delete", lambda w, ids: {}),
    "questionnaire.send_link_to_known": Post(
        lambda w, ids: "/questionnaire/known-link", lambda w, ids: {}, page=lambda w, ids: "/questionnaire/identity"
    ),
    "mail.staff_retry": Post(
        lambda w, ids: f"/staff/emails/{ids['failed_email']}/retry",
        lambda w, ids: {},
        staff=True,
        page=lambda w, ids: "/staff/emails?status=failed",
    ),
    "mail.confirm_accuracy": Post(lambda w, ids: f"/still-accurate/{w.edit_hostile}", lambda w, ids: {}),
    "followup.call_post": Post(lambda w, ids: f"/call/{w.call_link}", lambda w, ids: {"slot": str(w.call_slot)}),
    "followup.survey_post": Post(lambda w, ids: f"/survey/{w.survey_link}", lambda w, ids: {"answer": "met"}),
    "followup.staff_call": Post(
        lambda w, ids: f"/staff/pairs/{w.mutual_pair}/call",
        lambda w, ids: {"meeting_link": "https://visio.example.org/cuf-garok"},
        staff=True,
        page=lambda w, ids: f"/staff/pairs/{w.mutual_pair}",
    ),
    "followup.staff_confirm_survey": Post(
        lambda w, ids: f"/staff/surveys/{w.survey_answered}/confirm",
        lambda w, ids: {},
        staff=True,
        page=lambda w, ids: f"/staff/pairs/{w.mutual_pair}",
    ),
    "outreach.campaigns": Post(
        lambda w, ids: "/staff/outreach/",
        lambda w, ids: {"name": "Relance CSRF", "addresses": "code,email\n56121,contact@lorient.example.fr\n"},
        staff=True,
    ),
    "outreach.remind": Post(
        lambda w, ids: f"/staff/outreach/{w.campaign['CUF']}/remind",
        lambda w, ids: {},
        staff=True,
        page=lambda w, ids: f"/staff/outreach/{w.campaign['CUF']}",
        writes=False,
    ),
    "outreach.open_invitation": Post(lambda w, ids: f"/fr/invitation/{w.invitation}", lambda w, ids: {}),
    "outreach.seminar_panels": Post(
        lambda w, ids: "/staff/panels",
        lambda w, ids: {"theme": "tourism", "member": ids["panel"]},
        staff=True,
        page=lambda w, ids: "/staff/panels?theme=tourism",
    ),
    "outreach.update_partnerships": Post(
        lambda w, ids: "/staff/partnerships", lambda w, ids: {"action": "withdraw"}, staff=True
    ),
}


@pytest.fixture(scope="module")
def site(migrated, database_url, tmp_path_factory):
    """One app and data set for the module, plus ids the world does not name."""
    from matchmaker.extensions import db
    from matchmaker.models import OutboxMessage

    with module_app(migrated, database_url, tmp_path_factory.mktemp("csrf-instance")) as app:
        world = build_world(app)
        with app.app_context():
            ids = {"failed_email": db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "failed"))}
            from matchmaker.outreach.panels import propose_panel

            with app.test_request_context("/"):
                proposal = propose_panel("tourism")
            ids["panel"] = [c.collectivite.id for country in ("FR", "KR") for c in proposal.members[country]]
        yield app, world, ids


def token_of(html: str) -> str:
    """The CSRF token of a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _client(app, world, post: Post):
    driver = ClientDriver(app, world)
    client = driver.client("fr", staff=post.staff)
    return client


def _logged_in(client) -> bool:
    return client.get("/staff/pairs").status_code == 200


def _has_questionnaire(client) -> bool:
    with client.session_transaction() as session:
        return "questionnaire" in session


def test_every_post_route_is_covered_or_exempt_with_a_reason(site):
    app, _, _ = site
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts == set(POSTS) | set(CSRF_EXEMPT), (
        f"POST routes without a CSRF check here: {sorted(posts - set(POSTS) - set(CSRF_EXEMPT))}; "
        f"listed routes that no longer exist: {sorted(set(POSTS) | set(CSRF_EXEMPT) - posts)}"
    )
    assert all(reason.strip() for reason in CSRF_EXEMPT.values())


def test_only_known_views_skip_the_automatic_check(site):
    """The questionnaire's steps and autosave check the token themselves (to show the page again with what was
    typed): the test above proves they refuse; unsubscribe is exempt by design."""
    from matchmaker.extensions import csrf

    app, _, _ = site
    skipping = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if f"{view.__module__}.{view.__name__}" in csrf._exempt_views
        or app.blueprints.get(endpoint.split(".")[0]) in csrf._exempt_blueprints
    }
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert skipping & posting == {"questionnaire.step", "questionnaire.autosave"} | set(CSRF_EXEMPT)


def _respondent_of_a_spare_response(app, client, endpoint: str) -> None:
    """Put ``client`` in front of a demo response that no other check uses (no introduction, no recent link): opened
    through its private link (to delete it), or chosen at step 1 by someone else (to send its link)."""
    from matchmaker.extensions import db
    from matchmaker.models import Collectivite, Introduction, OutboxMessage, Response, Suggestion
    from matchmaker.tokens import issue_token

    country = "KR" if endpoint == "questionnaire.delete" else "FR"
    with app.app_context():
        busy = select(Suggestion.fr_id if country == "FR" else Suggestion.kr_id).join(
            Introduction, Introduction.suggestion_id == Suggestion.id
        )
        linked = select(OutboxMessage.recipient)
        response = db.session.scalars(
            select(Response)
            .join(Collectivite)
            .where(
                Collectivite.country == country,
                Collectivite.code.is_not(None),
                Response.status == "submitted",
                Response.anonymised_at.is_(None),
                Collectivite.id.not_in(busy),
                Response.contact_email.not_in(linked),
            )
            .order_by(Response.id.desc())
        ).first()
        coll = response.collectivite
        identity = {
            "country": coll.country,
            "level": coll.level,
            "name": coll.name,
            "code": coll.code,
            "action": "next",
        }
        raw = (
            issue_token("edit", timedelta(days=1), response_id=response.id)
            if endpoint == "questionnaire.delete"
            else None
        )
        db.session.commit()
    if raw:
        assert client.get(f"/fr/r/{raw}").status_code == 302
        return
    page = client.get("/questionnaire/identity")
    known = client.post(
        "/questionnaire/identity", data={**identity, "csrf_token": token_of(page.get_data(as_text=True))}
    )
    assert known.status_code == 200 and "/questionnaire/known-link" in known.get_data(as_text=True)


def _damaged(token: str) -> str:
    """The token with one character of its signed data changed.

    A middle character always changes the decoded bytes. The last base64 characters of a signature also
    hold padding bits, so changing them can leave the signature valid (about once in a thousand runs).
    """
    return token[:5] + ("B" if token[5] == "A" else "A") + token[6:]


@pytest.mark.parametrize("endpoint", sorted(POSTS))
def test_a_post_without_the_right_token_is_refused_and_changes_nothing(site, endpoint):
    app, world, ids = site
    post = POSTS[endpoint]
    client = _client(app, world, post)
    if endpoint == "questionnaire.leave":  # a browser that has started a response
        with client.session_transaction() as session:
            session["questionnaire"] = {"rid": world.draft_response}
    if endpoint in ("questionnaire.delete", "questionnaire.send_link_to_known"):
        _respondent_of_a_spare_response(app, client, endpoint)
    page = client.get((post.page or post.path)(world, ids), follow_redirects=True)
    assert page.status_code == 200, page.status_code
    url, data = post.path(world, ids), post.data(world, ids)
    other_session_token = token_of(
        ClientDriver(app, world).client("fr", staff=False).get("/staff/login").get_data(as_text=True)
    )

    for label, token in (
        ("no token", None),
        ("another session's token", other_session_token),
        ("a damaged token", _damaged(token_of(page.get_data(as_text=True)))),
    ):
        before = snapshot(app)
        refused = client.post(url, data=data if token is None else {**data, "csrf_token": token})
        assert refused.status_code in (400, 403), (label, refused.status_code)
        assert changed_tables(before, snapshot(app)) == [], label
        if endpoint == "questionnaire.step":  # the same page again, with what was typed and a fresh token
            html = refused.get_data(as_text=True)
            assert 'value="Villeurbanne"' in html and token_of(html)
        if endpoint == "staff.login":
            assert not _logged_in(client)
        if endpoint == "staff.logout":
            assert _logged_in(client)
        if endpoint == "questionnaire.leave":
            assert _has_questionnaire(client)

    # The control: with the page's own token the same post goes through.
    before = snapshot(app)
    done = client.post(url, data={**data, "csrf_token": token_of(page.get_data(as_text=True))})
    assert done.status_code in (200, 302), done.status_code
    if post.writes:
        assert changed_tables(before, snapshot(app)), (
            "the post with its token changed nothing: the refusal proved nothing"
        )
    elif endpoint == "staff.logout":
        assert not _logged_in(client)
    elif endpoint == "questionnaire.leave":
        assert not _has_questionnaire(client)


def test_the_exempt_unsubscribe_post_needs_a_valid_signed_link(site):
    from matchmaker.extensions import db
    from matchmaker.models import Subscription

    app, world, _ = site
    client = app.test_client()
    before = snapshot(app)
    assert client.post(f"/unsubscribe/{world.unsubscribe[:-3]}xyz").status_code == 404
    assert changed_tables(before, snapshot(app)) == []
    assert client.post(f"/unsubscribe/{world.unsubscribe}").status_code == 200  # one click, no page, no session
    with app.app_context():
        assert (
            db.session.scalars(select(Subscription.unsubscribed_at).where(Subscription.kind == "reviewer_digest")).one()
            is not None
        )
