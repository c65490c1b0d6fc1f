"""Each scoring dimension on its own: themes, complementarity, sectors, size, text."""

import math

import numpy as np
import pytest

from .conftest import profile

ONLY = {d: {d: 1.0} for d in ("themes", "complementarity", "sectors", "size", "text")}


def scores(scorer, fr, kr):
    fitted = scorer.fit([fr, kr])
    return {k: float(v[0, 0]) for k, v in fitted.score_pairs().items()}


def test_themes_cosine_is_priority_weighted(scorer_factory):
    fr = profile("FR", "A", {"tourism": (3, "both"), "smart_city": (1, "both")})
    kr_top = profile("KR", "B", {"tourism": (3, "both")})
    kr_minor = profile("KR", "C", {"smart_city": (3, "both")})
    s = scorer_factory(weights=ONLY["themes"]).fit([fr, kr_top, kr_minor]).score_pairs()["themes"][0]
    assert s[0] == pytest.approx(3 / math.sqrt(10), abs=1e-5)  # shares A's top priority
    assert s[1] == pytest.approx(1 / math.sqrt(10), abs=1e-5)  # shares A's minor theme only
    assert scores(scorer_factory(), fr, profile("KR", "D", {"water": (2, "seek")}))["themes"] == 0


def test_complementarity_matches_offers_against_seeks_in_each_direction(scorer_factory):
    fr = profile("FR", "Offerer", {"smart_city": (3, "offer")})
    seeker = profile("KR", "Seeker", {"smart_city": (3, "seek")})
    also_offers = profile("KR", "Also offers", {"smart_city": (3, "offer")})
    scorer = scorer_factory(weights=ONLY["complementarity"]).fit([fr, seeker, also_offers])
    s = scorer.score_pairs()
    # seeker direction fully served (1), French direction not (0): the mean is 0.5
    assert s["complementarity"][0].tolist() == pytest.approx([0.5, 0.0], abs=1e-6)
    assert s["kr_side"][0, 0] == pytest.approx(1.0, abs=1e-6) and s["fr_side"][0, 0] == pytest.approx(0.0, abs=1e-6)
    both = scores(
        scorer_factory(), profile("FR", "X", {"tourism": (2, "both")}), profile("KR", "Y", {"tourism": (1, "both")})
    )
    assert both["complementarity"] == pytest.approx(1.0, abs=1e-6)


def test_sectors_overlap(scorer_factory):
    fr = profile("FR", "A", sectors=["aerospace", "digital_ict"])
    assert scores(scorer_factory(), fr, profile("KR", "B", sectors=["aerospace", "digital_ict"]))[
        "sectors"
    ] == pytest.approx(1.0, abs=1e-6)
    assert scores(scorer_factory(), fr, profile("KR", "C", sectors=["aerospace"]))["sectors"] == pytest.approx(
        1 / math.sqrt(2), abs=1e-5
    )
    assert scores(scorer_factory(), fr, profile("KR", "D", sectors=["agrifood"]))["sectors"] == 0


def test_size_is_a_log_population_kernel_times_level_compatibility(scorer_factory):
    fr = profile("FR", "A", level="commune", population=100_000)
    same = scores(scorer_factory(), fr, profile("KR", "B", level="si", population=100_000))["size"]
    four_times = scores(scorer_factory(), fr, profile("KR", "C", level="si", population=400_000))["size"]
    other_level = scores(scorer_factory(), fr, profile("KR", "D", level="province", population=100_000))["size"]
    assert same == pytest.approx(1.0, abs=2e-3)
    assert four_times == pytest.approx(math.exp(-(math.log(4) ** 2) / (2 * 1.5**2)), abs=2e-3)
    assert other_level == pytest.approx(0.2, abs=2e-3)  # commune ↔ province in the table
    wider = scores(scorer_factory(size_bandwidth=3.0), fr, profile("KR", "E", level="si", population=400_000))
    assert wider["size"] > four_times


def test_a_stated_level_preference_lowers_size_in_that_direction_only(scorer_factory):
    fr = profile("FR", "A", level="commune", partner_levels=["gu"])
    kr = profile("KR", "B", level="si")
    s = scorer_factory(weights=ONLY["size"], unpreferred_level=0.5).fit([fr, kr]).score_pairs()
    assert s["fr_side"][0, 0] == pytest.approx(0.5 * s["kr_side"][0, 0], rel=1e-4)


def test_unknown_population_takes_the_typical_population_of_its_level(scorer_factory):
    fr = profile("FR", "A", level="commune", population=None)
    others = [profile("FR", f"F{i}", level="commune", population=50_000) for i in range(3)]
    kr = profile("KR", "B", level="si", population=50_000)
    s = scorer_factory().fit([fr, *others, kr]).score_pairs([fr.id], [kr.id])
    assert s["size"][0, 0] == pytest.approx(1.0, abs=2e-3)


def test_text_meets_across_languages_through_concepts(scorer_factory):
    fr = profile("FR", "A", description="Végétalisation des cours d'école, îlots de fraîcheur")
    kr_green = profile("KR", "B", description="도시 숲과 녹지를 늘리고 있습니다")
    kr_other = profile("KR", "C", description="관광 축제를 엽니다")
    s = scorer_factory(weights=ONLY["text"]).fit([fr, kr_green, kr_other]).score_pairs()["text"][0]
    assert s[0] == pytest.approx(1.0, abs=1e-5) and s[1] == 0.0


def test_tfidf_adds_within_one_language_only(scorer_factory):
    fr = profile("FR", "A", description="Coopération portuaire et logistique fluviale du Rhône")
    kr_en_fr = profile("KR", "B", description="Coopération portuaire, logistique fluviale")  # same words
    kr_ko = profile("KR", "C", description="항만 물류 협력")  # same idea, Korean
    s = scorer_factory(weights=ONLY["text"], text_tfidf_share=0.5).fit([fr, kr_en_fr, kr_ko]).score_pairs()["text"][0]
    assert s[0] > 0.1 and s[1] == 0.0
    no_tfidf = scorer_factory(weights=ONLY["text"], text_tfidf_share=0.0).fit([fr, kr_en_fr, kr_ko]).score_pairs()
    assert no_tfidf["text"][0, 0] == 0.0


def test_every_dimension_and_total_stay_in_unit_interval(scorer_factory):
    rng = np.random.default_rng(3)
    codes = ["tourism", "smart_city", "water", "culture_heritage", "youth_education"]
    people = []
    for n in range(30):
        chosen = rng.choice(codes, size=int(rng.integers(0, 4)), replace=False)
        people.append(
            profile(
                "FR" if n % 2 else "KR",
                f"P{n}",
                {c: (int(rng.integers(1, 4)), ["offer", "seek", "both"][rng.integers(0, 3)]) for c in chosen},
                level="commune" if n % 2 else "si",
                population=int(rng.integers(500, 5_000_000)),
                sectors=list(rng.choice(["aerospace", "agrifood"], size=int(rng.integers(0, 3)), replace=False)),
                description="festival et musée" if n % 3 == 0 else "관광 축제",
            )
        )
    s = scorer_factory().fit(people).score_pairs()
    for name, matrix in s.items():
        assert matrix.min() >= 0.0 and matrix.max() <= 1.0, name
