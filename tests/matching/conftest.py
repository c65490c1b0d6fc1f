"""Fixtures for the matching engine: a small taxonomy, a level table and profile builders."""

from __future__ import annotations

import itertools

import pytest

from matchmaker.matching import MatchScorer, Profile


def _concept(code, fr, ko, en, kw_fr, kw_ko, kw_en):
    return {"code": code, "label": {"fr": fr, "ko": ko, "en": en}, "keywords": {"fr": kw_fr, "ko": kw_ko, "en": kw_en}}


TAXONOMY = {
    "themes": [
        _concept(
            "environment_biodiversity",
            "nature en ville, biodiversité",
            "도시 자연, 생물다양성",
            "nature in the city, biodiversity",
            ["végétalisation", "îlot de fraîcheur", "biodiversité", "espaces verts"],
            ["도시 숲", "녹지", "생물다양성"],
            ["urban greening", "biodiversity", "green spaces"],
        ),
        _concept(
            "smart_city",
            "ville intelligente",
            "스마트시티",
            "smart city",
            ["ville intelligente", "numérique", "données ouvertes"],
            ["스마트시티", "디지털", "공공데이터"],
            ["smart city", "digital", "open data"],
        ),
        _concept(
            "tourism",
            "tourisme et attractivité",
            "관광",
            "tourism",
            ["tourisme", "touristique", "attractivité"],
            ["관광"],
            ["tourism", "tourist"],
        ),
        _concept(
            "culture_heritage",
            "culture et patrimoine",
            "문화와 유산",
            "culture and heritage",
            ["musée", "festival", "patrimoine"],
            ["박물관", "축제", "문화유산"],
            ["museum", "festival", "heritage"],
        ),
        _concept(
            "youth_education",
            "jeunesse et échanges scolaires",
            "청소년 교류",
            "youth and school exchanges",
            ["jeunesse", "jeunes", "lycée", "échanges scolaires"],
            ["청소년", "학생 교류"],
            ["youth", "students", "school exchange"],
        ),
        _concept(
            "water",
            "gestion de l'eau",
            "물 관리",
            "water management",
            ["eau potable", "assainissement"],
            ["상수도", "하수"],
            ["drinking water", "sanitation"],
        ),
    ],
    "sectors": [
        _concept(
            "aerospace",
            "aéronautique",
            "항공우주",
            "aerospace",
            ["aéronautique", "spatial"],
            ["항공", "우주"],
            ["aerospace", "aviation"],
        ),
        _concept(
            "digital_ict",
            "numérique",
            "정보통신",
            "digital and ICT",
            ["logiciel", "télécommunications"],
            ["정보통신", "소프트웨어"],
            ["software", "ICT"],
        ),
        _concept(
            "agrifood",
            "agroalimentaire",
            "식품산업",
            "agri-food",
            ["agroalimentaire", "gastronomie"],
            ["식품", "음식"],
            ["food industry", "gastronomy"],
        ),
    ],
}

LEVELS = {
    "region": {"province": 1.0, "metropolitan_city": 0.85, "si": 0.3, "gu": 0.2},
    "commune": {"province": 0.2, "metropolitan_city": 0.5, "si": 1.0, "gu": 0.9},
}

_ids = itertools.count(1)


def profile(country, name, themes=None, **fields):
    """A profile with sensible defaults; themes as {code: (priority, stance)}."""
    record = {
        "country": country,
        "name": name,
        "level": fields.pop("level", "commune" if country == "FR" else "si"),
        "population": fields.pop("population", 100_000),
        "themes": {c: {"priority": p, "stance": s} for c, (p, s) in (themes or {}).items()},
    }
    record.update(fields)
    return Profile.from_record(record, id=fields.pop("id", None) or next(_ids))


@pytest.fixture
def taxonomy():
    return TAXONOMY


@pytest.fixture
def scorer_factory():
    """Build unfitted scorers on the fixture taxonomy and level table."""

    def build(**params):
        params.setdefault("taxonomy", TAXONOMY)
        params.setdefault("level_compatibility", LEVELS)
        return MatchScorer(**params)

    return build
