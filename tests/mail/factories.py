"""Builders of mail test data written straight to the database: collectivités with responses, pairs, staff."""

from __future__ import annotations

import itertools
from datetime import datetime

from matchmaker.extensions import db
from matchmaker.models import Collectivite, Introduction, Suggestion, utcnow
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
    """A collectivité with a submitted response (a commune or a gu, code M<n>)."""
    n = next(_n)
    return factories.collectivite_with_response(
        name,
        country,
        level="commune" if country == "FR" else "gu",
        code=f"M{n}",
        email=email or f"contact{n}@{country.lower()}.example.org",
        name_local=name_local,
        language=language,
        contact_name=contact_name,
        frequency=frequency,
        consent_contact=consent_contact,
        submitted_at=submitted_at,
        status=status,
    )


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
