"""Builders of review test data, written straight to the database: collectivités with responses, pairs, staff."""

from __future__ import annotations

import itertools

from matchmaker.extensions import db
from matchmaker.models import Suggestion
from tests import factories
from tests.factories import PASSWORD, csrf_token, login, post, staff  # noqa: F401 - the review tests read them here

_n = itertools.count(1)


def collectivite(
    name,
    country="FR",
    level=None,
    *,
    name_local=None,
    region=None,
    population=50_000,
    language=None,
    themes=None,
    email=None,
    consent_contact=True,
    consent_share=True,
    description="",
    status="submitted",
):
    """A collectivité with a response (a commune or a si, code T<n>); ``themes`` maps code -> (priority, stance)."""
    code = f"T{next(_n)}"
    return factories.collectivite_with_response(
        name,
        country,
        level=level or ("commune" if country == "FR" else "si"),
        code=code,
        email=email or f"contact{next(_n)}@{country.lower()}.example.org",
        name_local=name_local or name,
        region=region,
        population=population,
        language=language,
        contact_name=f"Contact {name}",
        themes=themes,
        description=description,
        consent_contact=consent_contact,
        consent_share=consent_share,
        status=status,
    )


def suggestion(fr, kr, score=0.7, *, themes=("smart_city",), state="suggested", dims=None, reasons=None, **fields):
    """A suggested pair between two collectivités, with its common themes and structured reasons."""
    dims = dims or {}
    s = Suggestion(
        fr_id=fr.id,
        kr_id=kr.id,
        score_total=score,
        score_themes=dims.get("themes", score),
        score_complementarity=dims.get("complementarity", score / 2),
        score_sectors=dims.get("sectors", 0.2),
        score_size=dims.get("size", 0.8),
        score_text=dims.get("text", 0.1),
        reasons=reasons
        if reasons is not None
        else [
            {"code": "shared_themes", "params": {"codes": list(themes)}},
            {"code": "offers", "params": {"offerer": "fr", "themes": list(themes)[:1]}},
        ],
        theme_codes=sorted(themes),
        state=state,
        **fields,
    )
    db.session.add(s)
    db.session.flush()
    return s


def issy_and_guro():
    """The canonical pair: a French commune and a Korean gu with a shared interest in smart cities."""
    issy = collectivite(
        "Issy-les-Moulineaux",
        "FR",
        "commune",
        region="Île-de-France",
        population=68_000,
        themes={"smart_city": (3, "offer"), "youth_education": (2, "both")},
        description="Ville pionnière de la ville intelligente.",
        email="relations@issy.example.fr",
    )
    guro = collectivite(
        "Guro-gu",
        "KR",
        "gu",
        name_local="구로구",
        region="서울특별시",
        population=400_000,
        themes={"smart_city": (3, "seek"), "youth_education": (2, "both")},
        description="스마트시티 정책을 배우고 싶습니다.",
        email="intl@guro.example.kr",
    )
    return issy, guro
