"""Private links: unguessable, stored hashed, expiring, revocable, single-use when asked."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.models import AccessToken, Response
from matchmaker.tokens import (
    TokenError,
    consume_token,
    hash_token,
    issue_token,
    purge_dead_tokens,
    resolve_token,
    revoke_tokens,
)


@pytest.fixture
def response(db):
    r = Response(language="fr")
    db.session.add(r)
    db.session.commit()
    return r


def test_token_is_random_and_only_its_hash_is_stored(db, response):
    raw = issue_token("edit", timedelta(days=1), response_id=response.id)
    other = issue_token("edit", timedelta(days=1), response_id=response.id)
    db.session.commit()
    assert raw != other and len(raw) >= 43
    stored = db.session.scalars(select(AccessToken.token_hash)).all()
    assert raw not in stored and hash_token(raw) in stored
    assert resolve_token(raw, "edit").response_id == response.id


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"), "unknown"),
        (lambda raw: "", "unknown"),
        (lambda raw: "x" * 5000, "unknown"),
    ],
)
def test_wrong_tokens_are_unknown(db, response, mutate, reason):
    raw = issue_token("edit", timedelta(days=1), response_id=response.id)
    db.session.commit()
    with pytest.raises(TokenError) as err:
        resolve_token(mutate(raw), "edit")
    assert err.value.reason == reason


def test_token_of_another_purpose_is_refused(db, response):
    raw = issue_token("unsubscribe", timedelta(days=1), response_id=response.id)
    db.session.commit()
    with pytest.raises(TokenError, match="unknown"):
        resolve_token(raw, "edit")


def test_expired_revoked_and_used_tokens(db, response):
    expired = issue_token("edit", timedelta(seconds=-1), response_id=response.id)
    revoked = issue_token("edit", timedelta(days=1), response_id=response.id)
    db.session.commit()
    with pytest.raises(TokenError, match="expired"):
        resolve_token(expired, "edit")
    assert revoke_tokens(response_id=response.id) == 2
    db.session.commit()
    with pytest.raises(TokenError, match="revoked"):
        resolve_token(revoked, "edit")
    single = issue_token("answer", timedelta(days=1), response_id=response.id)
    db.session.commit()
    consume_token(resolve_token(single, "answer"))
    db.session.commit()
    with pytest.raises(TokenError, match="used"):
        resolve_token(single, "answer")


def test_purge_removes_only_long_dead_tokens(db, response):
    issue_token("edit", timedelta(days=-40), response_id=response.id)
    live = issue_token("edit", timedelta(days=10), response_id=response.id)
    db.session.commit()
    assert purge_dead_tokens(timedelta(days=30)) == 1
    db.session.commit()
    assert resolve_token(live, "edit")
