"""Choosing introductions under the exposure cap."""

from dataclasses import dataclass

import pytest

from matchmaker.matching import select_introductions

from .conftest import profile


@dataclass
class Candidate:
    fr_id: int
    kr_id: int
    total: float


def test_greedy_in_score_order_respecting_the_cap_on_both_sides():
    metropolis = 100
    candidates = [
        Candidate(1, metropolis, 0.9),
        Candidate(2, metropolis, 0.8),
        Candidate(3, metropolis, 0.7),
        Candidate(3, 101, 0.6),
        Candidate(1, 102, 0.5),
    ]
    chosen = select_introductions(candidates, cap=2)
    assert [(c.fr_id, c.kr_id) for c in chosen] == [(1, 100), (2, 100), (3, 101), (1, 102)]


def test_open_introductions_count_against_the_cap():
    candidates = [Candidate(1, 100, 0.9), Candidate(2, 101, 0.8)]
    chosen = select_introductions(candidates, cap=1, open_counts={100: 1})
    assert [(c.fr_id, c.kr_id) for c in chosen] == [(2, 101)]
    assert select_introductions(candidates, cap=0) == []
    with pytest.raises(ValueError):
        select_introductions(candidates, cap=-1)


def test_a_popular_collectivite_does_not_fill_every_digest(scorer_factory):
    star = profile("KR", "Star", {"tourism": (3, "both"), "smart_city": (3, "both")}, population=100_000)
    others = [profile("KR", f"K{i}", {"tourism": (1, "both")}, population=100_000) for i in range(3)]
    french = [
        profile("FR", f"F{i}", {"tourism": (3, "both"), "smart_city": (2, "both")}, population=100_000)
        for i in range(6)
    ]
    matches = scorer_factory().fit([star, *others, *french]).top_k(k=2)
    chosen = select_introductions(matches, cap=2)
    assert sum(1 for m in chosen if m.kr_id == star.id) == 2
    assert sum(1 for m in matches if m.kr_id == star.id) == 6  # every French side wanted the star
    for fr in french:
        assert sum(1 for m in chosen if m.fr_id == fr.id) <= 2
