"""Test helpers shared by every area: collectivités with a response, staff accounts, logging in through the real
form, CSRF tokens.

Area builders (``tests/review/factories.py``, ``tests/mail/factories.py``) import these instead of keeping copies.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime

from matchmaker.extensions import db
from matchmaker.matching.text import search_key
from matchmaker.models import Collectivite, Response, ThemeInterest, utcnow
from matchmaker.staff.operations import create_user
from matchmaker.vocabulary import COUNTRY_OF_ORG, LANGUAGE_OF_COUNTRY

PASSWORD = "correct horse battery"
_n = itertools.count(1)
_ORG_AND_ROLE = object()


def staff(org="CUF", role="reviewer", language=None, email=None, name=_ORG_AND_ROLE):
    """A staff account (password ``PASSWORD``), in its association's language unless told; named "CUF reviewer"
    unless told (``name=None``: no name)."""
    user = create_user(
        email or f"{org.lower()}-{role}-{next(_n)}@staff.example.org",
        PASSWORD,
        org,
        role,
        language or LANGUAGE_OF_COUNTRY[COUNTRY_OF_ORG[org]],
        name=f"{org} {role}" if name is _ORG_AND_ROLE else name,
    )
    db.session.flush()
    return user


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client, user):
    """Log a staff user (or an email) in through the login form (password ``PASSWORD``); the client keeps the
    session's CSRF token in ``client.csrf`` for :func:`post`."""
    email = user if isinstance(user, str) else user.email
    client.csrf = csrf_token(client.get("/staff/login").get_data(as_text=True))
    response = client.post("/staff/login", data={"email": email, "password": PASSWORD, "csrf_token": client.csrf})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def post(client, url, data=None, **kwargs):
    """POST a form the way the browser does, with the session's CSRF token."""
    return client.post(url, data={**(data or {}), "csrf_token": client.csrf}, **kwargs)


def collectivite_with_response(
    name: str,
    country: str = "FR",
    *,
    level: str,
    code: str,
    email: str,
    name_local: str | None = None,
    region: str | None = None,
    population: int | None = 50_000,
    language: str | None = None,
    contact_name: str | None = None,
    themes: dict | None = None,
    description: str | None = None,
    frequency: str | None = None,
    consent_contact: bool = True,
    consent_share: bool = True,
    status: str = "submitted",
    submitted_at: datetime | None = None,
) -> Collectivite:
    """A collectivité and its response, written to the database (flushed). ``themes`` maps code -> (priority,
    stance); the response is in the country's language unless told, submitted now unless ``submitted_at``."""
    coll = Collectivite(
        country=country,
        level=level,
        name=name,
        name_local=name_local,
        name_key=search_key(name),
        code=code,
        population=population,
        region=region,
    )
    response = Response(
        collectivite=coll,
        status=status,
        language=language or LANGUAGE_OF_COUNTRY[country],
        contact_name=contact_name,
        contact_email=email,
        consent_contact=consent_contact,
        consent_share=consent_share,
        submitted_at=(submitted_at or utcnow()) if status == "submitted" else None,
        version=1,
    )
    if description is not None:
        response.description = description
    if frequency is not None:
        response.digest_frequency = frequency
    if submitted_at is not None:
        response.created_at = submitted_at
    for theme, (priority, stance) in (themes or {}).items():
        response.themes.append(ThemeInterest(theme_code=theme, priority=priority, stance=stance))
    db.session.add_all([coll, response])
    db.session.flush()
    return coll
