"""Private links: an answer link answers once (also when two browsers post it at the same moment), expired or
revoked links change nothing, and no token URL, whatever is put in place of the token, gives anything but a
clear 4xx page: never a 500, never a write (property-based, on every route taking a token).

GETs of every page, links included, are checked not to write in tests/security/test_pages.py; the questionnaire's
own tests cover expired and revoked edit links cutting off a browser's session.
"""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from matchmaker.models import AccessToken, Introduction, Response, Suggestion
from matchmaker.tokens import hash_token, issue_token
from tests.review import factories as f
from tests.security.database import changed_tables, snapshot


@pytest.fixture
def links(app):
    """An introduced pair with a live answer link per side, a live and an expired edit link, a subscription."""
    from matchmaker.extensions import db
    from matchmaker.mail.recipients import REVIEWER_DIGEST, get_or_create_recipient, get_or_create_subscription
    from matchmaker.mail.unsubscribe import unsubscribe_token

    with app.app_context():
        issy, guro = f.issy_and_guro()
        pair = f.suggestion(issy, guro, state="introduced")
        db.session.add(Introduction(suggestion_id=pair.id))
        ttl = timedelta(days=30)
        out = {
            "pair": pair.id,
            "FR": issue_token("answer", ttl, suggestion_id=pair.id, side="FR"),
            "KR": issue_token("answer", ttl, suggestion_id=pair.id, side="KR"),
            "answer_expired": issue_token("answer", timedelta(seconds=-1), suggestion_id=pair.id, side="KR"),
            "edit": issue_token("edit", ttl, response_id=issy.response.id),
            "edit_expired": issue_token("edit", timedelta(seconds=-1), response_id=issy.response.id),
            "response": issy.response.id,
        }
        recipient = get_or_create_recipient("reviewer@cuf.example.org")
        db.session.flush()
        out["unsubscribe"] = unsubscribe_token(get_or_create_subscription(recipient, REVIEWER_DIGEST))
        db.session.commit()
    return out


def _csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _answer(client, token: str, choice: str):
    """Open the answer page (for its form's token) and post the choice, as the page's buttons do."""
    page = client.get(f"/answer/{token}")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    csrf = found.group(1) if found else _csrf(client, "/staff/login")  # a used link shows no form any more
    return client.post(f"/answer/{token}", data={"choice": choice, "csrf_token": csrf})


def test_an_answer_link_cannot_be_replayed(app, links):
    first = _answer(app.test_client(), links["FR"], "interested")
    assert first.status_code == 200
    before = snapshot(app)
    for choice in ("not_interested", "interested"):
        for client in (app.test_client(), app.test_client()):  # the same browser or another one
            replay = _answer(client, links["FR"], choice)
            assert replay.status_code == 410, (choice, replay.status_code)
    assert app.test_client().get(f"/answer/{links['FR']}?choice=not_interested").status_code == 410
    assert changed_tables(before, snapshot(app)) == []


def test_two_simultaneous_answers_with_one_link_count_once(app, links):
    clients = [app.test_client(), app.test_client()]
    tokens = [_csrf(c, f"/answer/{links['KR']}") for c in clients]
    results: list[int] = []
    start = threading.Barrier(2)

    def post(client, csrf, choice):
        start.wait()
        results.append(client.post(f"/answer/{links['KR']}", data={"choice": choice, "csrf_token": csrf}).status_code)

    threads = [
        threading.Thread(target=post, args=(c, t, choice))
        for c, t, choice in zip(clients, tokens, ("interested", "not_interested"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [200, 410]
    from matchmaker.extensions import db

    with app.app_context():
        intro = db.session.scalar(select(Introduction))
        used = db.session.scalar(select(AccessToken.used_at).where(AccessToken.token_hash == hash_token(links["KR"])))
        assert intro.kr_answer in ("interested", "not_interested") and used is not None
        state = db.session.get(Suggestion, links["pair"]).state
        assert state == ("declined" if intro.kr_answer == "not_interested" else "introduced")


def test_expired_and_revoked_answer_links_change_nothing(app, links):
    from matchmaker.extensions import db

    before = snapshot(app)
    assert _answer(app.test_client(), links["answer_expired"], "interested").status_code == 410
    with app.app_context():
        db.session.execute(
            update(AccessToken)
            .where(AccessToken.token_hash == hash_token(links["FR"]))
            .values(revoked_at=AccessToken.created_at)
        )
        db.session.commit()
    revoked_at = snapshot(app)
    assert _answer(app.test_client(), links["FR"], "not_interested").status_code == 410
    assert changed_tables(revoked_at, snapshot(app)) == []
    assert changed_tables(before, revoked_at) == ["access_token"]


def test_an_expired_or_revoked_edit_link_confirms_nothing(app, links):
    from matchmaker.extensions import db
    from matchmaker.tokens import revoke_tokens

    client = app.test_client()
    csrf = _csrf(client, f"/still-accurate/{links['edit']}")
    before = snapshot(app)
    assert client.post(f"/still-accurate/{links['edit_expired']}", data={"csrf_token": csrf}).status_code == 410
    with app.app_context():
        revoke_tokens(response_id=links["response"], purpose="edit")
        db.session.commit()
    after_revoking = snapshot(app)
    assert client.post(f"/still-accurate/{links['edit']}", data={"csrf_token": csrf}).status_code == 410
    assert changed_tables(after_revoking, snapshot(app)) == []
    with app.app_context():
        assert db.session.scalar(select(Response.confirmed_at).where(Response.id == links["response"])) is None
    assert changed_tables(before, after_revoking) == ["access_token"]


# --- whatever stands in place of a token ------------------------------------------------------------------------


def token_routes(app) -> list[tuple[str, str]]:
    """(method, path template with {token}) for every route taking a token."""
    adapter = app.url_map.bind("localhost")
    out = []
    for rule in app.url_map.iter_rules():
        if "token" not in rule.arguments:
            continue
        values = {name: "fr" for name in rule.arguments if name != "token"}
        path = adapter.build(rule.endpoint, {**values, "token": "TOKEN"})
        for method in sorted(rule.methods & {"GET", "POST"}):
            out.append((method, path.replace("TOKEN", "{token}")))
    return out


URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _mutations(draw, real: str) -> str:
    kind = draw(st.sampled_from(["flip", "truncate", "extend", "case"]))
    if kind == "flip":
        i = draw(st.integers(0, len(real) - 1))
        replacement = draw(st.sampled_from([c for c in URLSAFE + ".~" if c != real[i]]))
        return real[:i] + replacement + real[i + 1 :]
    if kind == "truncate":
        return real[: draw(st.integers(1, len(real) - 1))]
    if kind == "extend":
        return real + draw(st.text(URLSAFE + ".", min_size=1, max_size=20))
    swapped = real.swapcase()
    return swapped if swapped != real else real + "x"


@st.composite
def hostile_tokens(draw, real_tokens: list[str]) -> str:
    """A path segment (already percent-encoded) that is not a usable token."""
    kind = draw(st.sampled_from(["text", "oversized", "bytes", "near", "signed-looking", "dots"]))
    if kind == "text":
        return quote(draw(st.text(min_size=1, max_size=120)), safe="")
    if kind == "oversized":
        return draw(st.text(URLSAFE, min_size=201, max_size=4000))
    if kind == "bytes":  # not UTF-8 at all
        return "".join(f"%{b:02X}" for b in draw(st.binary(min_size=1, max_size=80)))
    if kind == "near":
        return quote(_mutations(draw, draw(st.sampled_from(real_tokens))), safe="")
    if kind == "signed-looking":
        parts = draw(st.lists(st.text(URLSAFE, min_size=1, max_size=40), min_size=2, max_size=4))
        return ".".join(parts)
    return draw(st.sampled_from([".", "..", "%2e%2e", "%00", "%2F", "~", "%20"]))


def test_every_token_route_is_fuzzed(app):
    """The fuzz below takes its routes from the URL map: a new route with a token is fuzzed too."""
    assert set(token_routes(app)) >= {
        ("GET", "/answer/{token}"),
        ("POST", "/answer/{token}"),
        ("GET", "/fr/r/{token}"),
        ("GET", "/unsubscribe/{token}"),
        ("POST", "/unsubscribe/{token}"),
        ("GET", "/still-accurate/{token}"),
        ("POST", "/still-accurate/{token}"),
    }


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_any_token_gives_a_clear_4xx_never_a_500_never_a_write(app, links, data):
    client = app.test_client()
    routes = token_routes(app)
    real = [links[k] for k in ("FR", "KR", "edit", "unsubscribe")]
    method, template = data.draw(st.sampled_from(routes), label="route")
    token = data.draw(hostile_tokens(real), label="token")
    csrf = _csrf(client, "/staff/login")
    form = {
        "csrf_token": csrf,
        "choice": data.draw(st.sampled_from(["interested", "not_interested", "x"])),
        "action": data.draw(st.sampled_from(["", "resubscribe"])),
    }
    before = snapshot(app)
    # Redirects are followed: the router normalises some paths first (a "/" inside the token: 308 to the merged path).
    response = client.open(
        template.replace("{token}", token),
        method=method,
        data=form if method == "POST" else None,
        follow_redirects=True,
    )
    assert 400 <= response.status_code < 500, (method, template, token, response.status_code)
    assert all(urlsplit(r.headers["Location"]).netloc in ("", "localhost") for r in response.history), (
        "redirected off the site"
    )
    if response.mimetype == "text/html":
        assert "<h1>" in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(app)) == []
