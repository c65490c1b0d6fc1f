"""The one rule book shared by the web form and the import: every field, every message, in three languages."""

import pytest

from matchmaker.questionnaire.validation import validate_record
from tests.questionnaire.conftest import fr_record, kr_record


def test_a_complete_record_is_clean_and_normalised():
    clean, errors = validate_record(fr_record(contact_email="Claire@ISSY.Example.ORG", population="67 669"), "en")
    assert errors == {}
    assert clean["contact_email"] == "Claire@issy.example.org"
    assert clean["population"] == 67669
    assert clean["themes"] == {
        "smart_city": {"priority": 3, "stance": "offer"},
        "tourism": {"priority": 2, "stance": "seek"},
    }
    assert clean["consent_contact"] is True and clean["digest_frequency"] == "monthly"


@pytest.mark.parametrize(
    "field, value",
    [
        ("population", "abc"),
        ("population", "-5"),
        ("population", 0),
        ("population", "12.5"),
        ("population", True),
        ("population", 10**9),
        ("population", float("nan")),
        ("contact_email", "not-an-email"),
        ("contact_email", "a@b"),
        ("contact_email", "two@@example.org"),
        ("description", "x" * 4001),
        ("name", "N" * 201),
        ("contact_name", "n" * 201),
        ("code", "92 04?"),
        ("consent_contact", False),
        ("consent_contact", "non"),
        ("consent_share", "아니오"),
        ("consent_share", "maybe"),
        ("country", "DE"),
        ("level", "canton"),
        ("level", "gu"),
        ("code", "75101"),
        ("code", "92"),
        ("code", "123"),
        ("language", "de"),
        ("digest_frequency", "daily"),
        ("themes", {"space_travel": {"priority": 1, "stance": "offer"}}),
        ("themes", {}),
        ("themes", "smart_city:3"),
        ("themes", "{not json"),
        ("themes", ["smart_city"]),
        ("sectors", ["digital_ict", "bananas"]),
        ("cooperation_kinds", "twinning;merger"),
        ("working_languages", ["klingon"]),
        ("partner_levels", ["commune"]),
        ("partner_levels", ["prefecture"]),
        ("existing_partners", ["x" * 201]),
        ("existing_partners", [f"Partner {i}" for i in range(51)]),
        ("sectors", "[not json"),
        ("name", None),
        ("contact_email", ""),
    ],
)
def test_each_bad_value_is_reported_on_its_field(field, value):
    clean, errors = validate_record(fr_record(**{field: value}), "en")
    assert field in errors, errors
    assert errors[field].strip()


@pytest.mark.parametrize(
    "code, stance_error",
    [
        ({"smart_city": {"priority": 4, "stance": "offer"}}, "priority"),
        ({"smart_city": {"priority": 2, "stance": "maybe"}}, "stance"),
        ({"smart_city": {"priority": 2, "stance": ""}}, "share experience"),
    ],
)
def test_a_bad_theme_answer_is_reported_on_that_theme(code, stance_error):
    _clean, errors = validate_record(fr_record(themes=code), "en")
    assert "themes.smart_city" in errors
    assert stance_error in errors["themes.smart_city"]


def test_wrong_country_for_a_level_names_the_allowed_levels():
    _clean, errors = validate_record(fr_record(level="gu", code=None), "en")
    assert "level" in errors and "France" in errors["level"] and "commune" in errors["level"]
    _clean, errors = validate_record(kr_record(level="commune", code=None, partner_levels=[]), "en")
    assert "level" in errors and "Korea" in errors["level"]


def test_a_reference_code_of_another_level_is_refused():
    _clean, errors = validate_record(kr_record(level="si"), "en")  # 11530 is Guro-gu, an autonomous district
    assert "Guro-gu" in errors["code"]
    _clean, errors = validate_record(fr_record(level="departement", code="92040"), "en")
    assert "Issy-les-Moulineaux" in errors["code"]


def test_a_body_missing_from_the_reference_lists_is_accepted_with_a_plausible_code():
    clean, errors = validate_record(
        fr_record(name="Syndicat mixte du Val", level="epci", code="200099999", partner_levels=["gun"]), "en"
    )
    assert errors == {}
    assert clean["code"] == "200099999"
    clean, errors = validate_record(fr_record(name="Commune nouvelle de Test", code=None, population=None), "en")
    assert errors == {} and clean["code"] is None and clean["population"] is None


@pytest.mark.parametrize(
    "word, expected",
    [
        ("true", True),
        ("1", True),
        ("oui", True),
        ("예", True),
        ("TRUE", True),
        (1, True),
        ("false", False),
        ("0", False),
        ("non", False),
        ("아니오", False),
        ("", False),
    ],
)
def test_booleans_in_every_accepted_spelling(word, expected):
    clean, errors = validate_record({"consent_contact": word}, "en", partial=True)
    assert errors == {} and clean["consent_contact"] is expected


def test_spreadsheet_cells_lists_and_themes():
    clean, errors = validate_record(
        fr_record(
            themes="smart_city:3:offer; tourism:2:seek",
            sectors="digital_ict;culture_media",
            partner_levels='["gu", "si"]',
            existing_partners="KR:11530;kr : 26110;Ville de Test",
            population="67669",
            consent_contact="oui",
            consent_share="1",
        ),
        "en",
    )
    assert errors == {}
    assert clean["themes"] == {
        "smart_city": {"priority": 3, "stance": "offer"},
        "tourism": {"priority": 2, "stance": "seek"},
    }
    assert clean["sectors"] == ["digital_ict", "culture_media"] and clean["partner_levels"] == ["gu", "si"]
    assert clean["existing_partners"] == ["KR:11530", "KR:26110", "Ville de Test"]
    json_cell, errors = validate_record(fr_record(themes='{"smart_city": {"priority": "3", "stance": "offer"}}'), "en")
    assert errors == {} and json_cell["themes"] == {"smart_city": {"priority": 3, "stance": "offer"}}


def test_not_interested_themes_are_dropped_and_unknown_fields_reported():
    clean, errors = validate_record(
        fr_record(
            themes={"smart_city": {"priority": 3, "stance": "offer"}, "tourism": {"priority": "", "stance": "seek"}}
        ),
        "en",
    )
    assert errors == {} and list(clean["themes"]) == ["smart_city"]
    _clean, errors = validate_record(fr_record(populaton=5), "en")
    assert "populaton" in errors


def test_missing_required_fields_each_get_a_message_but_partial_checks_only_what_is_given():
    _clean, errors = validate_record({}, "en")
    assert set(errors) == {
        "name",
        "country",
        "level",
        "contact_name",
        "contact_email",
        "language",
        "themes",
        "consent_contact",
        "consent_share",
    }
    assert "other country" in errors["consent_share"]  # the message says why
    clean, errors = validate_record({"population": "12"}, "en", partial=True)
    assert errors == {} and clean == {"population": 12}


def test_text_is_cleaned_of_control_characters_and_unstorable_characters_are_refused():
    clean, errors = validate_record(
        fr_record(name="Issy\x01-les-\tMoulineaux ", description="ligne 1\r\nligne\x07 2"), "en"
    )
    assert errors == {}
    assert clean["name"] == "Issy-les- Moulineaux" and clean["description"] == "ligne 1\nligne 2"
    _clean, errors = validate_record(fr_record(name="Issy\x00-les-Moulineaux"), "en")  # never silently another text
    assert "NUL" in errors["name"]
    _clean, errors = validate_record(fr_record(contact_name="\ud800bad"), "en")
    assert "contact_name" in errors


def test_messages_are_in_the_requested_language(app_ctx):
    record = fr_record(population="beaucoup", contact_email="nope")
    _c, en = validate_record(record, "en")
    _c, fr = validate_record(record, "fr")
    _c, ko = validate_record(record, "ko")
    assert "positive whole number" in en["population"]
    assert "nombre entier positif" in fr["population"]
    assert "양의 정수" in ko["population"]
    assert fr["contact_email"] != en["contact_email"] != ko["contact_email"]


def test_a_real_presentation_can_stand_in_for_themes():
    text_only = fr_record(
        themes={}, description="Ville de 60 000 habitants, pionnière de l'e-administration et des services numériques."
    )
    clean, errors = validate_record(text_only, "en")
    assert errors == {} and clean["themes"] == {}
    _clean, errors = validate_record(fr_record(themes={}, description="Bonjour"), "en")
    assert "presentation" in errors["themes"]


def test_a_short_korean_list_of_topics_stands_in_for_themes_but_a_greeting_does_not(app_ctx):
    topics = "해양 관광, 수산업, 항만 물류, 청소년 교류."  # 25 characters, four topics
    clean, errors = validate_record(kr_record(themes={}, description=topics), "ko")
    assert errors == {} and clean["themes"] == {} and clean["description"] == topics
    for lang, words in (("en", "four topics"), ("fr", "quatre sujets"), ("ko", "네 가지")):
        _clean, errors = validate_record(fr_record(themes={}, description="Bonjour"), lang)
        assert words in errors["themes"]
    _clean, errors = validate_record(fr_record(themes={}, description="tourisme, tourisme, tourisme, tourisme"), "en")
    assert "four topics" in errors["themes"]  # one topic said four times is still one topic
    _clean, errors = validate_record(fr_record(themes={}, description=""), "en")
    assert "presentation step" in errors["themes"]  # nothing written: the general message
