"""Weights are parameters: changing them changes the ranking; the reciprocal combination."""

import numpy as np
import pytest

from matchmaker.matching import DEFAULT_WEIGHTS, MatchScorer
from matchmaker.matching.dimensions import combine_sides, normalise_weights

from .conftest import profile


def test_changing_weights_changes_the_ranking(scorer_factory):
    fr = profile("FR", "A", {"tourism": (3, "both")}, level="commune", population=50_000)
    same_theme = profile("KR", "Theme", {"tourism": (3, "both")}, level="province", population=5_000_000)
    same_size = profile("KR", "Size", {"tourism": (1, "both"), "water": (3, "both")}, level="si", population=50_000)
    people = [fr, same_theme, same_size]
    by_themes = scorer_factory(weights={"themes": 0.9, "size": 0.1}).fit(people).score_one(fr, k=None)
    by_size = scorer_factory(weights={"themes": 0.1, "size": 0.9}).fit(people).score_one(fr, k=None)
    assert [m.kr_id for m in by_themes] == [same_theme.id, same_size.id]
    assert [m.kr_id for m in by_size] == [same_size.id, same_theme.id]


def test_weights_are_validated_and_normalised():
    assert normalise_weights({"themes": 2, "text": 2}) == {
        "themes": 0.5,
        "complementarity": 0.0,
        "sectors": 0.0,
        "size": 0.0,
        "text": 0.5,
    }
    assert sum(normalise_weights(None).values()) == pytest.approx(1.0)
    assert normalise_weights(None) == pytest.approx(DEFAULT_WEIGHTS)
    for bad in ({"colour": 1}, {"themes": -1, "text": 2}, {"themes": 0}):
        with pytest.raises(ValueError):
            normalise_weights(bad)


def test_a_pair_suiting_one_side_only_ranks_below_a_mutual_one(scorer_factory):
    # KR "One-sided" offers everything FR seeks, but FR offers nothing KR seeks;
    # "Mutual" serves each side half as well, and each side serves it.
    fr = profile("FR", "A", {"tourism": (3, "seek"), "water": (3, "offer")}, population=100_000)
    one_sided = profile("KR", "One-sided", {"tourism": (3, "offer"), "smart_city": (3, "seek")}, population=100_000)
    mutual = profile("KR", "Mutual", {"tourism": (3, "both"), "water": (3, "seek")}, population=100_000)
    weights = {"complementarity": 1.0}
    harmonic = scorer_factory(weights=weights, combine="harmonic").fit([fr, one_sided, mutual])
    s = harmonic.score_pairs()
    assert s["fr_side"][0, 0] == pytest.approx(1.0, abs=1e-6) and s["kr_side"][0, 0] == pytest.approx(0.0, abs=1e-6)
    assert [m.kr_id for m in harmonic.score_one(fr, k=None)] == [mutual.id]
    assert s["total"][0, 0] == 0.0


@pytest.mark.parametrize(
    "how,expected", [("harmonic", 2 * 0.8 * 0.2 / 1.0), ("geometric", 0.4), ("arithmetic", 0.5), ("min", 0.2)]
)
def test_combine_sides(how, expected):
    out = combine_sides(np.array([0.8, 0.0], dtype=np.float32), np.array([0.2, 0.0], dtype=np.float32), how)
    assert out.tolist() == pytest.approx([expected, 0.0], abs=1e-6)


def test_estimator_conventions():
    scorer = MatchScorer(weights={"themes": 1.0}, combine="min")
    assert scorer.get_params()["combine"] == "min" and not hasattr(scorer, "weights_")
    assert scorer.set_params(combine="arithmetic").combine == "arithmetic"
    with pytest.raises(ValueError):
        MatchScorer(combine="max").fit([profile("FR", "A")])
