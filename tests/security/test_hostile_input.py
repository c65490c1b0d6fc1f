"""Every input reaches a 4xx or a clear localised message, never a 500: NUL and other characters PostgreSQL refuses,
invalid UTF-8, lone surrogates and huge integers, in paths, query strings, forms and headers, on every GET and POST
route of the application, anonymous and signed in as an administrator. Nothing may log a traceback either."""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mail import factories as f

HUGE = [
    "99999999999999999999999",
    "9223372036854775807",
    "9223372036854775808",
    "2147483648",
    "-2147483649",
    "-1",
    "0",
    "1e9",
    str(10**400),
]
NASTY = [
    "\x00",
    "a\x00b@example.org",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\u2028",
    "\x85",
    "\U0010ffff",
    "%00",
    "%",
    "%ZZ",
    "'",
    "\\",
    "\x1b[31m",
    "\r\n",
    "é" * 3000,
]
#: Query string and form field names the views read.
NAMES = [
    "page",
    "q",
    "kind",
    "status",
    "theme",
    "country",
    "level",
    "completeness",
    "after",
    "before",
    "back",
    "next",
    "lang",
    "choice",
    "sort",
    "order",
    "email",
    "password",
    "name",
    "role",
    "org",
    "language",
    "decision",
    "note",
    "state",
    "text",
    "weights",
    "cap",
    "frequency",
    "id",
    "step",
    "action",
    "goto",
    "token",
    "code",
]

text = st.text(max_size=60) | st.sampled_from(NASTY + HUGE) | st.integers().map(str)


def encode(value: str) -> str:
    """Percent-encode any text, lone surrogates included (as the invalid UTF-8 a hostile client would send)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def url_for_rule(rule: str, values: list[str]) -> str:
    parts = iter(values)
    return re.sub(r"<(?:[^:<>]+:)?[^<>]+>", lambda m: encode(next(parts)), rule)


def query_string(pairs: dict[str, str]) -> str:
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs.items())


@pytest.fixture
def world(make_app):
    """An app with a little of everything, an anonymous client and an administrator's client."""
    app = make_app()
    from matchmaker.extensions import db

    with app.app_context():
        admin = f.staff("CUF", role="admin", name="Admin")
        fr, kr = f.collectivite("Nantes", "FR"), f.collectivite("Suwon", "KR", name_local="수원시")
        f.introduce(f.pair(fr, kr))
        db.session.commit()
        email = admin.email
    staff = app.test_client()
    f.login(staff, email)
    anonymous = app.test_client()
    page = anonymous.get("/staff/login").get_data(as_text=True)
    anonymous.csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    rules = sorted(
        (rule.rule, method, len(rule.arguments))
        for rule in app.url_map.iter_rules()
        for method in ("GET", "POST")
        if method in rule.methods and rule.endpoint != "static" and rule.endpoint != "staff.logout"
    )
    return app, anonymous, staff, rules


def assert_never_500(app, client, method, path, form, headers, caplog):
    caplog.clear()
    if method == "GET":
        response = client.get(path, headers=headers)
    else:
        body = query_string(dict(form, csrf_token=client.csrf))
        response = client.post(path, data=body, content_type="application/x-www-form-urlencoded", headers=headers)
    response.close()  # a file answer (the favicon, an export) keeps its file open until closed, as a server would
    if path.startswith("/healthz"):  # 503 is its answer when the relay is down (the test's relay is)
        assert response.status_code < 500 or response.status_code == 503
    else:
        assert response.status_code < 500, (method, path, form, response.status_code)
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not tracebacks, (method, path, [r.getMessage() for r in tracebacks])


FOUND = [
    ("POST", "/staff/login", {"email": "a\x00b@example.org", "password": "x"}, False),
    ("GET", "/staff/emails?page=99999999999999999999999", {}, True),
    ("GET", "/staff/emails?page=9223372036854775807", {}, True),
    ("GET", "/staff/responses/99999999999999999999", {}, True),
    ("GET", "/staff/responses/2147483648", {}, True),
    ("GET", "/staff/emails?kind=%00", {}, True),
    ("GET", "/staff/emails?q=%00", {}, True),
    ("GET", "/staff/pairs?theme=%00", {}, True),
    ("GET", "/staff/pairs?q=%00", {}, True),
    ("GET", "/staff/responses?q=%00", {}, True),
    ("GET", "/staff/export/pairs.csv?theme=%00", {}, True),
]


@pytest.mark.parametrize("method, path, form, signed_in", FOUND)
def test_inputs_of_the_fault_drill_get_a_4xx(world, caplog, method, path, form, signed_in):
    app, anonymous, staff, _ = world
    assert_never_500(app, staff if signed_in else anonymous, method, path, form, {}, caplog)


def test_a_nul_in_a_form_gets_the_localised_message(world):
    app, anonymous, _, _ = world
    body = query_string({"email": "a\x00b@example.org", "password": "x", "csrf_token": anonymous.csrf})
    response = anonymous.post(
        "/staff/login", data=body, content_type="application/x-www-form-urlencoded", headers={"Accept-Language": "ko"}
    )
    assert response.status_code == 400
    assert "보낸 내용에 사용할 수 없는 문자" in response.get_data(as_text=True)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_no_route_answers_500_whatever_it_is_sent(world, caplog, data):
    app, anonymous, staff, rules = world
    rule, method, arity = data.draw(st.sampled_from(rules), label="route")
    path = url_for_rule(rule, [data.draw(text, label="path value") for _ in range(arity)])
    query = data.draw(st.dictionaries(st.sampled_from(NAMES), text, max_size=3), label="query")
    if query:
        path += "?" + query_string(query)
    form = (
        data.draw(st.dictionaries(st.sampled_from(NAMES), text, max_size=4), label="form") if method == "POST" else {}
    )
    headers = data.draw(
        st.dictionaries(
            st.sampled_from(["Accept-Language", "X-Request-Id", "Referer", "User-Agent"]),
            st.text(st.characters(max_codepoint=255, exclude_characters="\r\n"), max_size=40),
            max_size=2,
        ),
        label="headers",
    )
    client = data.draw(st.sampled_from([anonymous, staff]), label="client")
    assert_never_500(app, client, method, path, form, headers, caplog)
