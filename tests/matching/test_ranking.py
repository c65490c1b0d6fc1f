"""top_k, score_one and the hard rules: FR–KR only, exclusions, ranks on both sides, pure score order."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchmaker.matching import Profile
from matchmaker.matching.ranking import _best_first

from .conftest import profile

CODES = ["tourism", "smart_city", "water", "culture_heritage", "youth_education", "environment_biodiversity"]
TEXTS = [
    "festival et musée",
    "관광 축제와 박물관",
    "ville intelligente, données ouvertes",
    "스마트시티 공공데이터",
    "eau potable et assainissement",
    "",
    "youth exchanges and students",
    "도시 숲",
]


def population(seed=0, n_fr=40, n_kr=15):
    """A random but reproducible population of both countries."""
    rng = np.random.default_rng(seed)
    people = []
    for n in range(n_fr + n_kr):
        country = "FR" if n < n_fr else "KR"
        chosen = rng.choice(CODES, size=int(rng.integers(0, 4)), replace=False)
        people.append(
            profile(
                country,
                f"{country}{n}",
                {c: (int(rng.integers(1, 4)), ["offer", "seek", "both"][rng.integers(0, 3)]) for c in chosen},
                id=1000 + n,
                level=["commune", "region"][n % 2] if country == "FR" else ["si", "gu", "province"][n % 3],
                population=int(rng.integers(1_000, 3_000_000)),
                description=TEXTS[int(rng.integers(0, len(TEXTS)))],
                sectors=list(
                    rng.choice(["aerospace", "agrifood", "digital_ict"], size=int(rng.integers(0, 3)), replace=False)
                ),
            )
        )
    return people


def brute_force_lists(scorer, k, excluded=frozenset()):
    """Best k partners per collectivité from the full total matrix (ties to the lower id)."""
    fr_ids, kr_ids = list(scorer.fr_.ids), list(scorer.kr_.ids)
    total = scorer.score_pairs()["total"]
    fr_lists, kr_lists = {}, {}
    for a, fr_id in enumerate(fr_ids):
        cands = [
            (-total[a, b], kr_id)
            for b, kr_id in enumerate(kr_ids)
            if (fr_id, kr_id) not in excluded and total[a, b] > 0
        ]
        fr_lists[fr_id] = [kr_id for _, kr_id in sorted(cands)[:k]]
    for b, kr_id in enumerate(kr_ids):
        cands = [
            (-total[a, b], fr_id)
            for a, fr_id in enumerate(fr_ids)
            if (fr_id, kr_id) not in excluded and total[a, b] > 0
        ]
        kr_lists[kr_id] = [fr_id for _, fr_id in sorted(cands)[:k]]
    return fr_lists, kr_lists


@pytest.mark.parametrize("chunk_cells", [1 << 22, 7, 2000])
def test_top_k_is_the_union_of_both_sides_best_lists_with_their_ranks(scorer_factory, chunk_cells):
    # 150 French rows: blocks of at least 64 rows, so 7 and 2000 cells mean three blocks
    scorer = scorer_factory(chunk_cells=chunk_cells).fit(population(n_fr=150))
    matches = scorer.top_k(k=3, explain=False)
    fr_lists, kr_lists = brute_force_lists(scorer, 3)
    expected = {(f, kk) for f, ks in fr_lists.items() for kk in ks} | {
        (f, kk) for kk, fs in kr_lists.items() for f in fs
    }
    assert {(m.fr_id, m.kr_id) for m in matches} == expected
    for m in matches:
        assert m.fr_rank == (fr_lists[m.fr_id].index(m.kr_id) + 1 if m.kr_id in fr_lists[m.fr_id] else None)
        assert m.kr_rank == (kr_lists[m.kr_id].index(m.fr_id) + 1 if m.fr_id in kr_lists[m.kr_id] else None)
    totals = [m.total for m in matches]
    assert totals == sorted(totals, reverse=True)  # pure score order
    table = scorer.top_k_table(k=3)
    assert list(zip(table.fr_id.tolist(), table.kr_id.tolist())) == [(m.fr_id, m.kr_id) for m in matches]


def test_match_scores_agree_with_the_score_matrices(scorer_factory):
    scorer = scorer_factory().fit(population(seed=1))
    s = scorer.score_pairs()
    row = {pid: i for i, pid in enumerate(scorer.fr_.ids)}
    col = {pid: j for j, pid in enumerate(scorer.kr_.ids)}
    for m in scorer.top_k(k=2, explain=False):
        i, j = row[m.fr_id], col[m.kr_id]
        assert m.total == pytest.approx(s["total"][i, j], abs=1e-5)
        for dim, value in m.scores.items():
            assert value == pytest.approx(s[dim][i, j], abs=1e-5)
        assert sum(scorer.weights_[d] * v for d, v in m.scores.items()) == pytest.approx(
            (m.sides["fr"] + m.sides["kr"]) / 2, abs=1e-5
        )


def test_only_french_korean_pairs_are_scored(scorer_factory):
    people = population(seed=2)
    scorer = scorer_factory().fit(people)
    countries = {p.id: p.country for p in people}
    for m in scorer.top_k(k=5, explain=False):
        assert (countries[m.fr_id], countries[m.kr_id]) == ("FR", "KR")
    assert scorer.score_pairs()["total"].shape == (40, 15)
    with pytest.raises(KeyError):
        scorer.score_pairs(fr_ids=[people[-1].id])  # a Korean id is not a French row


def test_excluded_and_declared_pairs_are_never_suggested(scorer_factory):
    fr = profile("FR", "Lyon", {"tourism": (3, "both")}, existing_partners=["KR:41"])
    kr_declared = profile("KR", "Gyeonggi", {"tourism": (3, "both")}, code="41")
    kr_by_name = profile("KR", "Gwangju", {"tourism": (3, "both")}, existing_partners=["Lyon"])
    kr_rejected = profile("KR", "Busan", {"tourism": (3, "both")})
    kr_free = profile("KR", "Daegu", {"tourism": (1, "both")})
    scorer = scorer_factory().fit([fr, kr_declared, kr_by_name, kr_rejected, kr_free])
    excluded = {(fr.id, kr_rejected.id)}
    pairs = {(m.fr_id, m.kr_id) for m in scorer.top_k(k=4, exclude=excluded)}
    assert pairs == {(fr.id, kr_free.id)}
    one = scorer.score_one(fr, k=None, exclude=excluded)
    assert [m.kr_id for m in one] == [kr_free.id]


def test_a_pair_with_nothing_in_common_is_not_suggested(scorer_factory):
    fr = profile("FR", "A", {"tourism": (3, "both")}, level="region", population=5_000_000)
    kr = profile("KR", "B", {"water": (3, "both")}, level="gu", population=1_000)
    scorer = scorer_factory(weights={"themes": 1, "complementarity": 1}).fit([fr, kr])
    assert scorer.top_k(k=3) == []


def test_score_one_ranks_a_new_response_like_a_full_refit(scorer_factory):
    people = population(seed=4)
    new = Profile.from_record(
        {
            "country": "KR",
            "name": "New",
            "level": "si",
            "population": 250_000,
            "themes": {"tourism": {"priority": 3, "stance": "seek"}},
            "description": "관광 축제",
            "id": 99_999,
        }
    )
    refit = scorer_factory().fit(people + [new])
    fast = scorer_factory().fit(people).score_one(new, k=5)
    full = refit.score_pairs([p.id for p in people if p.country == "FR"], [new.id])["total"][:, 0]
    fr_ids = [p.id for p in people if p.country == "FR"]
    expected = sorted(zip(-full, fr_ids))[:5]
    assert [m.fr_id for m in fast] == [fid for _, fid in expected]
    assert [m.kr_rank for m in fast] == [1, 2, 3, 4, 5]
    # the partner-side rank is where the new response would stand in that French list
    refit_matches = {(m.fr_id, m.kr_id): m for m in refit.top_k(k=len(people))}
    for m in fast:
        assert m.fr_rank == refit_matches[(m.fr_id, new.id)].fr_rank


def test_score_one_replaces_the_previous_version_of_an_edited_response(scorer_factory):
    people = population(seed=5)
    scorer = scorer_factory().fit(people)
    old = next(p for p in people if p.country == "FR" and p.themes)
    edited = Profile.from_record(
        {
            "country": "FR",
            "name": old.name,
            "level": old.level,
            "population": old.population,
            "themes": {"water": {"priority": 3, "stance": "seek"}},
        },
        id=old.id,
    )
    matches = scorer.score_one(edited, k=3)
    assert all(m.fr_id == old.id for m in matches)
    assert all(m.fr_rank is not None for m in matches)


def test_fit_rejects_duplicate_ids(scorer_factory):
    a = profile("FR", "A", id=5)
    with pytest.raises(ValueError):
        scorer_factory().fit([a, Profile.from_record({"country": "KR", "name": "B"}, id=5)])


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), st.integers(0, 6), st.integers(0, 6)),
        unique_by=lambda t: (t[1], t[2]),
        max_size=40,
    )
)
def test_best_first_is_the_order_of_a_three_key_lexsort(pairs):
    # few distinct totals, so most pairs tie and the order comes from the ids
    total = np.array([p[0] for p in pairs], dtype=np.float64)
    fr = np.array([p[1] for p in pairs], dtype=np.int64)
    kr = np.array([p[2] for p in pairs], dtype=np.int64)
    expected = np.lexsort((kr, fr, -total))
    assert _best_first(total, fr, kr, 7).tolist() == expected.tolist()
