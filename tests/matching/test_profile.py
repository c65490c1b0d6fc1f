"""Profiles: parsing import rows, validation, partner keys, Latin-only accent stripping."""

import pytest

from matchmaker.matching import Profile
from matchmaker.matching.text import normalise_latin, search_key


def test_from_record_parses_every_scored_field():
    record = {
        "id": 7,
        "name": "Issy-les-Moulineaux",
        "country": "fr",
        "level": "commune",
        "code": "92040",
        "population": "68000",
        "themes": {"smart_city": {"priority": 3, "stance": "offer"}},
        "sectors": "digital_ict;aerospace",
        "partner_levels": ["gu"],
        "existing_partners": ["KR:11530"],
        "description": "Ville numérique",
    }
    profile = Profile.from_record(record)
    assert profile.id == 7 and profile.country == "FR" and profile.population == 68000
    assert profile.sectors == ("digital_ict", "aerospace")
    (theme,) = profile.themes
    assert (theme.code, theme.priority, theme.offers, theme.seeks) == ("smart_city", 3, True, False)
    assert profile.partner_keys() == {"KR:11530"}


@pytest.mark.parametrize(
    "bad",
    [
        {"country": "JP"},
        {"country": "FR", "themes": {"tourism": {"priority": 4, "stance": "offer"}}},
        {"country": "FR", "themes": {"tourism": {"priority": 2, "stance": "maybe"}}},
    ],
)
def test_invalid_records_are_rejected(bad):
    with pytest.raises(ValueError):
        Profile.from_record({"name": "X", **bad}, id=1)


def test_unknown_population_is_none():
    assert Profile.from_record({"country": "KR", "name": "X", "population": ""}, id=1).population is None


def test_normalise_latin_strips_accents_but_keeps_hangul_syllables():
    assert normalise_latin("Îlots de FRAÎCHEUR, végétalisation") == "ilots de fraicheur, vegetalisation"
    assert normalise_latin("도시 숲과 녹지 Café") == "도시 숲과 녹지 cafe"


def test_partner_keys_match_identity_keys_by_code_or_name():
    guro = Profile.from_record({"country": "KR", "name": "Guro-gu", "name_local": "구로구", "code": "11530"}, id=2)
    issy = Profile.from_record({"country": "FR", "name": "Issy", "existing_partners": ["guro gu", "KR:99999"]}, id=1)
    assert issy.partner_keys() & guro.identity_keys() == {f"name:{search_key('Guro-gu')}"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cœur de ville, main-d'œuvre", "coeur de ville, main-d'oeuvre"),
        ("Îlots de FRAÎCHEUR à Besançon", "ilots de fraicheur a besancon"),
        ("도시 숲과 녹지를 늘립니다", "도시 숲과 녹지를 늘립니다"),
        ("Smart city, 스마트시티와 Ville intelligente", "smart city, 스마트시티와 ville intelligente"),
        ("Straße, Łódź, Ærø", "strasse, lodz, aero"),
        ("plain ascii", "plain ascii"),
        ("\u1103\u1169\u1109\u1175 숲", "도시 숲"),  # jamo typed one by one become syllables
        ("q\u0303 e\u0301te\u0301 도\u0301", "q ete 도\u0301"),  # marks on Latin letters go, on others stay
    ],
)
def test_normalise_latin_reads_latin_and_hangul_the_way_the_taxonomy_keywords_are_written(text, expected):
    """The one normaliser of the service (the taxonomy's keywords, the library's words, the search keys)."""
    assert normalise_latin(text) == expected
