"""Profiles: parsing import rows, validation, partner keys, Latin-only accent stripping."""
import pytest

from matchmaker.matching import Profile
from matchmaker.matching.profile import name_key, normalise_latin


def test_from_record_parses_every_scored_field():
    record = {"id": 7, "name": "Issy-les-Moulineaux", "country": "fr", "level": "commune", "code": "92040",
              "population": "68000", "themes": {"smart_city": {"priority": 3, "stance": "offer"}},
              "sectors": "digital_ict;aerospace", "partner_levels": ["gu"], "existing_partners": ["KR:11530"],
              "description": "Ville numérique"}
    profile = Profile.from_record(record)
    assert profile.id == 7 and profile.country == "FR" and profile.population == 68000
    assert profile.sectors == ("digital_ict", "aerospace")
    (theme,) = profile.themes
    assert (theme.code, theme.priority, theme.offers, theme.seeks) == ("smart_city", 3, True, False)
    assert profile.partner_keys() == {"KR:11530"}


@pytest.mark.parametrize("bad", [
    {"country": "JP"},
    {"country": "FR", "themes": {"tourism": {"priority": 4, "stance": "offer"}}},
    {"country": "FR", "themes": {"tourism": {"priority": 2, "stance": "maybe"}}},
])
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
    assert issy.partner_keys() & guro.identity_keys() == {f"name:{name_key('Guro-gu')}"}


def test_normalise_latin_agrees_with_the_taxonomy_module():
    from matchmaker.taxonomy import normalise_latin as reference

    for text in ("Cœur de ville, main-d'œuvre", "Îlots de FRAÎCHEUR à Besançon", "도시 숲과 녹지를 늘립니다",
                 "Smart city, 스마트시티와 Ville intelligente", "Straße, Łódź, Ærø", "plain ascii", "\u1103\u1169\u1109\u1175 숲"):
        assert normalise_latin(text) == reference(text)
