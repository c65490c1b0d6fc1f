"""A response with no ticked theme but a real description still gets sensible partners."""

from matchmaker.matching import render_reasons

from .conftest import profile


def test_description_only_response_finds_the_partner_on_its_subject(scorer_factory, taxonomy):
    fr = profile(
        "FR",
        "Text only",
        {},
        description="Nous menons la végétalisation des cours d'école et créons des "
        "îlots de fraîcheur; nous cherchons un partenaire sur la biodiversité.",
    )
    green = profile("KR", "Green", {"environment_biodiversity": (3, "offer")})
    green_text = profile("KR", "Green text", {}, description="도시 숲과 녹지를 조성하는 사업")
    tourism = profile("KR", "Tourism", {"tourism": (3, "offer")}, description="관광 축제")
    digital = profile("KR", "Digital", {"smart_city": (3, "offer"), "water": (1, "both")})
    scorer = scorer_factory().fit([fr, green, green_text, tourism, digital])
    ranked = [m.kr_id for m in scorer.score_one(fr, k=None)]
    assert set(ranked[:2]) == {green.id, green_text.id}
    reasons = scorer.explain(fr.id, green_text.id)
    assert {r.code for r in reasons} >= {"text_concepts", "shared_themes"}
    shared = next(r for r in reasons if r.code == "shared_themes")
    assert shared.params == {"codes": ["environment_biodiversity"], "from_text": True}
    assert render_reasons([shared], "en", {"fr": "A", "kr": "B"}, taxonomy) == [
        "shared themes (read in the presentations): nature in the city, biodiversity"
    ]


def test_themes_inferred_from_text_are_not_used_when_disabled(scorer_factory):
    fr = profile("FR", "Text only", {}, description="festival et musée")
    kr = profile("KR", "Culture", {"culture_heritage": (3, "both")})
    assert scorer_factory().fit([fr, kr]).score_pairs()["themes"][0, 0] > 0.9
    assert scorer_factory(infer_from_text=False).fit([fr, kr]).score_pairs()["themes"][0, 0] == 0.0
