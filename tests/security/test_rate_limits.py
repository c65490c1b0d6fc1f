"""Rate limits on the login form and on every public POST: past its limit a client gets the localised 429 page
(with Retry-After), another client is not affected, and a forged X-Forwarded-For does not reset the count unless
the app is told it runs behind a proxy (BEHIND_PROXY), in which case the proxy's X-Forwarded-For is the client.

Storage (``MATCHMAKER_RATELIMIT_STORAGE_URI``): ``memory://`` by default, counted per process; with ``redis://``
the counts are shared by every worker. The Redis test runs against the server on 127.0.0.1:6379 and is reported
as skipped, with the reason, when none is reachable.
"""

from __future__ import annotations

import re
import socket
import uuid
from dataclasses import dataclass

import pytest

REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass(frozen=True)
class Limited:
    """A public POST and how many a client may send per minute."""

    per_minute: int
    path: str
    page: str | None  # a page giving a CSRF token, for the routes that check it before counting
    data: dict


#: Public POST routes (and the staff login) with their per-minute limit.
LIMITED: dict[str, Limited] = {
    "staff.login": Limited(
        10, "/staff/login", "/staff/login", {"email": "nobody@cuf.example.org", "password": "wrong password"}
    ),
    "questionnaire.step": Limited(60, "/questionnaire/identity", None, {"name": "Lyon"}),
    "questionnaire.autosave": Limited(30, "/questionnaire/autosave", None, {"step": "identity"}),
    "review.answer_post": Limited(20, "/answer/NoSuchLink0123456789", "/staff/login", {"choice": "interested"}),
    "mail.unsubscribe": Limited(30, "/unsubscribe/forged.link", None, {}),
    "mail.confirm_accuracy": Limited(30, "/still-accurate/NoSuchLink0123456789", "/staff/login", {}),
    "followup.call_post": Limited(20, "/call/NoSuchLink0123456789", "/staff/login", {"slot": "1"}),
    "followup.survey_post": Limited(20, "/survey/NoSuchLink0123456789", "/staff/login", {"answer": "met"}),
    "questionnaire.send_link_to_known": Limited(5, "/questionnaire/known-link", "/staff/login", {}),
    "questionnaire.delete": Limited(60, "/questionnaire/delete", "/staff/login", {}),
    "outreach.open_invitation": Limited(30, "/ko/invitation/NoSuchLink0123456789", "/staff/login", {}),
}
#: Public POST routes without a limit, and why.
UNLIMITED = {
    "questionnaire.leave": "only removes the response from this browser's session: no database work, nothing to guess",
}


def _token(client, page: str | None, **kwargs) -> dict:
    if page is None:
        return {}
    html = client.get(page, **kwargs).get_data(as_text=True)
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)}


def _posts(client, limited: Limited, count: int, **kwargs) -> list[int]:
    data = {**limited.data, **_token(client, limited.page, **kwargs)}
    return [client.post(limited.path, data=data, **kwargs).status_code for _ in range(count)]


def test_every_public_post_route_is_limited_or_listed(app):
    posts = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and (not rule.rule.startswith("/staff/") or rule.endpoint == "staff.login")
    }
    assert posts == set(LIMITED) | set(UNLIMITED)


@pytest.mark.parametrize("endpoint", sorted(LIMITED))
def test_past_its_limit_a_client_gets_the_localised_429_page(make_app, endpoint):
    limited = LIMITED[endpoint]
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.1.0.1"
    client.get("/language/ko")
    statuses = _posts(client, limited, limited.per_minute)
    assert 429 not in statuses and len(statuses) == limited.per_minute
    refused = client.post(limited.path, data={**limited.data, **_token(client, limited.page)})
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert '<html lang="ko">' in html and "요청이 너무 많습니다" in html
    assert int(refused.headers["Retry-After"]) > 0
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.1.0.2"
    assert 429 not in _posts(other, limited, 1)


def test_a_forged_forwarded_for_does_not_reset_the_count_without_a_proxy(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.2.0.1"
    login = LIMITED["staff.login"]
    assert 429 not in _posts(client, login, login.per_minute)
    forged = _posts(client, login, 1, headers={"X-Forwarded-For": "203.0.113.9"})
    assert forged == [429]


def test_behind_a_proxy_the_forwarded_client_address_is_the_key(make_app):
    app = make_app(RATELIMIT_ENABLED=True, BEHIND_PROXY=True)
    login = LIMITED["staff.login"]
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.3.0.1"  # the proxy
    first = {"headers": {"X-Forwarded-For": "198.51.100.1"}}
    assert 429 not in _posts(client, login, login.per_minute, **first)
    assert _posts(client, login, 1, **first) == [429]
    # Another visitor through the same proxy has their own budget.
    assert _posts(client, login, 1, headers={"X-Forwarded-For": "198.51.100.2"}) == [401]


def test_the_storage_is_a_setting_memory_by_default():
    assert build_config_for({})["RATELIMIT_STORAGE_URI"] == "memory://"
    assert build_config_for({"MATCHMAKER_RATELIMIT_STORAGE_URI": REDIS_URL})["RATELIMIT_STORAGE_URI"] == REDIS_URL


def build_config_for(environ: dict) -> dict:
    """The settings an app would get from ``environ``."""
    import tempfile
    from pathlib import Path

    from matchmaker.config import build_config

    with tempfile.TemporaryDirectory() as tmp:
        return build_config(Path(tmp), environ, {"SECRET_KEY": "k" * 40})


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("storage, shared", [("memory://", False), (REDIS_URL, True)])
def test_with_redis_every_worker_sees_the_same_counts(make_app, storage, shared):
    """Two app instances stand for two web workers: with Redis the second continues the first one's count."""
    if storage.startswith("redis") and not _redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379: the shared storage was not tested (memory:// was)")
    login = LIMITED["staff.login"]
    address = f"10.4.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"  # a fresh key: runs may share the Redis
    first = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage).test_client()
    first.environ_base["REMOTE_ADDR"] = address
    assert 429 not in _posts(first, login, 6)
    second = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage).test_client()
    second.environ_base["REMOTE_ADDR"] = address
    statuses = _posts(second, login, 5)
    if shared:
        assert statuses[:4] == [401] * 4 and statuses[4] == 429
        import redis

        with redis.Redis.from_url(storage) as server:
            assert server.keys(f"*{address}*"), "the counts are not in Redis"
    else:
        assert 429 not in statuses
