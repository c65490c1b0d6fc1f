"""Builders of mail test data written straight to the database: collectivités with responses, pairs, staff."""

from __future__ import annotations

import itertools
from datetime import datetime

from matchmaker.extensions import db
from matchmaker.matching.text import search_key
from matchmaker.models import Collectivite, Introduction, Response, Suggestion, utcnow
from tests import factories
from tests.factories import PASSWORD, login  # noqa: F401 - the mail tests read them here

_n = itertools.count(1)


def collectivite(
    name: str,
    country: str = "FR",
    *,
    name_local: str | None = None,
    email: str | None = None,
    language: str | None = None,
    contact_name: str | None = None,
    frequency: str = "monthly",
    consent_contact: bool = True,
    submitted_at: datetime | None = None,
    status: str = "submitted",
) -> Collectivite:
    """A collectivité with a submitted response."""
    n = next(_n)
    coll = Collectivite(
        country=country,
        level="commune" if country == "FR" else "gu",
        name=name,
        name_local=name_local,
        name_key=search_key(name),
        code=f"M{n}",
        population=50_000,
    )
    response = Response(
        collectivite=coll,
        status=status,
        language=language or ("fr" if country == "FR" else "ko"),
        contact_name=contact_name,
        contact_email=email or f"contact{n}@{country.lower()}.example.org",
        consent_contact=consent_contact,
        consent_share=True,
        digest_frequency=frequency,
        submitted_at=(submitted_at or utcnow()) if status == "submitted" else None,
        version=1,
    )
    if submitted_at is not None:
        response.created_at = submitted_at
    db.session.add_all([coll, response])
    db.session.flush()
    return coll


def pair(fr: Collectivite, kr: Collectivite, score: float = 0.7, state: str = "suggested", **fields) -> Suggestion:
    """A suggested pair."""
    s = Suggestion(fr_id=fr.id, kr_id=kr.id, score_total=score, state=state, reasons=[], **fields)
    db.session.add(s)
    db.session.flush()
    return s


def introduce(s: Suggestion, created_at: datetime | None = None, **answers) -> Introduction:
    """An introduction of a pair (state ``introduced`` unless answers close it)."""
    intro = Introduction(suggestion_id=s.id, created_at=created_at or utcnow(), **answers)
    s.state = "introduced"
    db.session.add(intro)
    db.session.flush()
    return intro


def staff(org: str = "CUF", role: str = "reviewer", language: str | None = None, name: str | None = None):
    """A staff account, unnamed unless told (as the mail tests have always made them)."""
    return factories.staff(org, role, language, name=name)
