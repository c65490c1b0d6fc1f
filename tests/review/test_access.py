"""Access control: every staff URL needs a login; reviewers act for their own association only; admins only
change weights."""

import pytest
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from matchmaker.models import ReviewDecision, Suggestion
from tests.review import factories as f

#: The login form itself, and logging out, are open to anyone.
OPEN_STAFF_ENDPOINTS = {"staff.login", "staff.logout"}


def staff_urls(app):
    """(method, url) for every rule under /staff, with dummy values for its arguments."""
    out = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff") or rule.endpoint in OPEN_STAFF_ENDPOINTS:
            continue
        values = {}
        for name in rule.arguments:
            converter = rule._converters[name]
            if isinstance(converter, IntegerConverter):
                values[name] = 1
            elif hasattr(converter, "items"):  # any(...): one of its allowed values
                values[name] = sorted(converter.items)[0] if isinstance(converter.items, (set, list, tuple)) else "csv"
            else:
                values[name] = "csv" if name == "fmt" else "x"
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, url, rule.endpoint))
    return out


def test_every_staff_url_redirects_to_the_login_page_without_a_session(make_app):
    # CSRF off so that POSTs reach the login check (with CSRF on they stop even earlier, at 400).
    app = make_app(WTF_CSRF_ENABLED=False)
    client = app.test_client()
    urls = staff_urls(app)
    endpoints = {endpoint for _, _, endpoint in urls}
    assert {
        "review.pairs",
        "review.pair",
        "review.decision",
        "review.note",
        "review.outcome",
        "review.dashboard",
        "suggestions.weights",
        "review.export_pairs",
        "review.export_outcomes",
    } <= endpoints
    for method, url, _endpoint in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.headers["Location"].startswith("/staff/login"), (method, url)


def test_the_login_page_takes_the_user_back_to_the_pair_asked_for(app, client):
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        pair_id = f.suggestion(issy, guro).id
        email = f.staff("CUF").email
        db.session.commit()
    response = client.get(f"/staff/pairs/{pair_id}")
    assert response.status_code == 302 and f"next=/staff/pairs/{pair_id}" in response.headers["Location"].replace(
        "%2F", "/"
    )
    token = f.csrf_token(client.get(response.headers["Location"]).get_data(as_text=True))
    login = client.post(
        response.headers["Location"], data={"email": email, "password": f.PASSWORD, "csrf_token": token}
    )
    assert login.headers["Location"] == f"/staff/pairs/{pair_id}"


@pytest.mark.parametrize("org, other", [("CUF", "garok_decision"), ("GAROK", "cuf_decision")])
def test_a_reviewer_cannot_act_for_the_other_association(app, client, org, other):
    with app.app_context():
        from matchmaker.extensions import db

        issy, guro = f.issy_and_guro()
        pair_id = f.suggestion(issy, guro).id
        email = f.staff(org, "admin").email  # not even an admin
        db.session.commit()
    f.login(client, email)
    for decision in ("approve", "reject"):
        f.post(
            client,
            f"/staff/pairs/{pair_id}/decision",
            data={"decision": decision, "org": "GAROK" if org == "CUF" else "CUF", other: "approve"},
        )
    with app.app_context():
        from matchmaker.extensions import db

        s = db.session.get(Suggestion, pair_id)
        assert getattr(s, other) is None
        assert set(db.session.scalars(select(ReviewDecision.org))) == {org}


def test_weights_need_an_admin(app, client):
    with app.app_context():
        from matchmaker.extensions import db

        email = f.staff("GAROK", "reviewer").email
        db.session.commit()
    f.login(client, email)
    assert client.get("/staff/weights").status_code == 403
    assert client.get("/staff/pairs").status_code == 200


def test_absurd_pair_ids_are_not_found(app, client):
    with app.app_context():
        from matchmaker.extensions import db

        email = f.staff("CUF").email
        db.session.commit()
    f.login(client, email)
    for path in ("/staff/pairs/99999999999999999999", "/staff/pairs/2147483648", "/staff/pairs/0"):
        assert client.get(path).status_code == 404, path
    assert f.post(client, "/staff/pairs/99999999999999999999/decision", data={"decision": "approve"}).status_code == 404
    assert client.get("/answer/" + "x" * 300).status_code == 404
