"""Reasons: structured data on every match, rendered in French, Korean and English."""

import pytest

from matchmaker.matching import Reason, render_reasons

from .conftest import profile


@pytest.fixture
def issy_guro(scorer_factory):
    issy = profile(
        "FR",
        "Issy-les-Moulineaux",
        {"smart_city": (3, "offer"), "tourism": (2, "both")},
        level="commune",
        population=68_000,
        partner_levels=["gu"],
        description="Ville intelligente et îlots de fraîcheur",
    )
    guro = profile(
        "KR",
        "Guro",
        {"smart_city": (3, "seek"), "tourism": (2, "both")},
        name_local="구로구",
        level="gu",
        population=400_000,
        description="스마트시티와 도시 숲",
    )
    scorer = scorer_factory(size_bandwidth=2.0).fit([issy, guro])
    return scorer, issy, guro


def test_reasons_are_structured(issy_guro):
    scorer, issy, guro = issy_guro
    reasons = scorer.explain(issy.id, guro.id)
    by_code = {r.code: r.params for r in reasons}
    assert by_code["shared_themes"]["codes"] == ["smart_city", "tourism"]
    offers = [r.params for r in reasons if r.code == "offers"]
    assert {"offerer": "fr", "themes": ["smart_city", "tourism"]} in offers
    assert {"offerer": "kr", "themes": ["tourism"]} in offers
    assert by_code["preferred_level"] == {"chooser": "fr"}
    assert set(by_code["text_concepts"]["codes"]) == {"smart_city", "environment_biodiversity"}
    assert "similar_size" in by_code
    assert reasons[0].code == "shared_themes"  # the biggest weighted contribution comes first
    assert [Reason.from_dict(r.to_dict()) for r in reasons] == reasons
    (match,) = scorer.top_k(k=1)
    assert list(match.reasons) == reasons


def test_reasons_render_in_three_languages(issy_guro, taxonomy):
    scorer, issy, guro = issy_guro
    reasons = [r for r in scorer.explain(issy.id, guro.id) if r.code in ("shared_themes", "offers", "similar_size")]
    names = {"fr": "Issy-les-Moulineaux", "kr": "Guro"}
    en = render_reasons(reasons, "en", names, taxonomy)
    fr = render_reasons(reasons, "fr", names, taxonomy)
    ko = render_reasons(reasons, "ko", {"fr": "이시레물리노", "kr": "구로구"}, taxonomy)
    assert en[0] == "shared themes: smart city, tourism"
    assert "Issy-les-Moulineaux offers smart city, tourism, Guro seeks them" in en
    assert "Guro offers tourism, Issy-les-Moulineaux seeks it" in en
    assert "similar size and level" in en
    assert fr[0] == "thèmes communs\u00a0: ville intelligente, tourisme et attractivité"
    assert "Guro propose tourisme et attractivité, Issy-les-Moulineaux le recherche" in fr
    assert "taille et niveau comparables" in fr
    assert ko[0] == "공통 협력 분야: 스마트시티, 관광"
    assert any(line.startswith("구로구는 관광") for line in ko)
    assert "비슷한 규모와 행정 단위" in ko


def test_every_reason_code_renders_in_every_language(taxonomy):
    reasons = [
        Reason("shared_themes", {"codes": ["water"]}),
        Reason("shared_themes", {"codes": ["water"], "from_text": True}),
        Reason("offers", {"offerer": "kr", "themes": ["water"]}),
        Reason("shared_sectors", {"codes": ["aerospace"]}),
        Reason("similar_size", {"population_ratio": 1.5}),
        Reason("compatible_levels", {"population_ratio": 9.0}),
        Reason("preferred_level", {"chooser": "kr"}),
        Reason("text_concepts", {"codes": ["water", "agrifood"]}),
        Reason("similar_text", {"similarity": 0.4}),
    ]
    for lang in ("fr", "ko", "en"):
        lines = render_reasons(reasons, lang, {"fr": "Lyon", "kr": "Gyeonggi"}, taxonomy)
        assert len(lines) == len(reasons) and all(lines) and len(set(lines)) == len(lines)
    with pytest.raises(ValueError):
        render_reasons(reasons, "de", {"fr": "Lyon", "kr": "Gyeonggi"}, taxonomy)


def test_a_dimension_weighted_zero_gives_no_reason(scorer_factory):
    fr = profile("FR", "A", {"tourism": (3, "both")}, sectors=["aerospace"])
    kr = profile("KR", "B", {"tourism": (3, "both")}, sectors=["aerospace"])
    scorer = scorer_factory(weights={"themes": 1.0}).fit([fr, kr])
    assert {r.code for r in scorer.explain(fr.id, kr.id)} == {"shared_themes"}


def test_theme_labels_are_written_in_lower_case_inside_french_and_english_sentences():
    from matchmaker.taxonomy import load_taxonomy

    reasons = [
        Reason("offers", {"offerer": "fr", "themes": ["smart_city", "economic_development"]}),
        Reason("shared_sectors", {"codes": ["digital_ict"]}),
    ]
    names = {"fr": "Lyon", "kr": "Busan"}
    fr = render_reasons(reasons, "fr", names, load_taxonomy())
    assert fr[0] == (
        "Lyon propose ville intelligente et administration numérique, développement économique, "
        "entreprises et start-up, Busan les recherche"
    )
    assert fr[1] == "secteurs d’excellence communs\u00a0: numérique et TIC"
    assert render_reasons(reasons, "en", names, load_taxonomy())[1] == "shared sectors of excellence: digital and ICT"
