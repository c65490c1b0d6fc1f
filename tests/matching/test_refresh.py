"""MatchScorer.refreshed: re-vectorising the changed profiles only must give what a new fit gives, array for array."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from scipy import sparse

from matchmaker.matching import Profile

THEMES = ["environment_biodiversity", "smart_city", "tourism", "culture_heritage", "youth_education", "water"]
SECTORS = ["aerospace", "digital_ict", "agrifood"]
STANCES = ["offer", "seek", "both"]
TEXTS = [
    "Nous plantons des arbres dans les cours d'école et gérons l'eau de la ville.",
    "Tourisme, patrimoine et festivals de musique toute l'année.",
    "Ville intelligente : capteurs, données ouvertes et transports.",
    "해양 관광, 수산업, 항만 물류, 청소년 교류.",
    "스마트시티와 디지털 행정, 청년 창업 지원.",
    "",
]
WIDTH = 8


def _vector(rng: random.Random, rows: int | None = None) -> np.ndarray:
    shape = (rows, WIDTH) if rows else (WIDTH,)
    v = np.array([rng.gauss(0, 1) for _ in range(int(np.prod(shape)))], dtype=np.float32).reshape(shape)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _record(rng: random.Random, country: str, pid: int) -> Profile:
    record = {
        "country": country,
        "name": f"{country} town {pid}",
        "name_local": f"도시 {pid}" if country == "KR" else "",
        "code": f"{pid:05d}",
        "level": rng.choice(["commune", "region"] if country == "FR" else ["si", "province"]),
        "population": rng.choice([None, 5_000, 80_000, 400_000, 2_000_000]),
        "themes": {
            code: {"priority": rng.randint(1, 3), "stance": rng.choice(STANCES)}
            for code in rng.sample(THEMES, rng.randint(0, 3))
        },
        "sectors": rng.sample(SECTORS, rng.randint(0, 2)),
        "partner_levels": rng.sample(
            ["si", "province"] if country == "FR" else ["commune", "region"], rng.randint(0, 1)
        ),
        "existing_partners": [f"{'KR' if country == 'FR' else 'FR'}:{rng.randint(1, 80):05d}"]
        if rng.random() < 0.2
        else [],
        "description": rng.choice(TEXTS),
    }
    profile = Profile.from_record(record, id=pid)
    if profile.description and rng.random() < 0.7:
        profile = profile.with_embedding(_vector(rng), _vector(rng, 2))
    return profile


def _changed(rng: random.Random, profile: Profile) -> Profile:
    """New answers that leave the population, level, description and vector presence as they were."""
    other = _record(rng, profile.country, profile.id)
    return dataclasses.replace(
        other,
        level=profile.level,
        population=profile.population,
        description=profile.description,
        embedding=None if profile.embedding is None else _vector(rng),
        sentence_embeddings=None if profile.embedding is None else _vector(rng, 2),
    )


def _same(a, b) -> bool:
    if sparse.issparse(a):
        return sparse.issparse(b) and a.shape == b.shape and (a != b).nnz == 0
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if dataclasses.is_dataclass(a) and not isinstance(a, type) and not isinstance(a, Profile):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, Profile):
        return a == b and _same(a.embedding, b.embedding) and _same(a.sentence_embeddings, b.sentence_embeddings)
    return a == b


FITTED = [
    "fr_",
    "kr_",
    "fr_parts_",
    "kr_parts_",
    "fr_groups_",
    "fr_profiles_",
    "kr_profiles_",
    "fr_names_",
    "kr_names_",
    "fr_declared_",
    "kr_declared_",
    "declared_partners_",
    "fr_row_",
    "kr_row_",
    "fr_order_",
    "kr_order_",
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_refreshing_the_changed_profiles_equals_a_new_fit(scorer_factory, seed):
    rng = random.Random(seed)
    profiles = [_record(rng, "FR", i) for i in range(1, 81)] + [_record(rng, "KR", i) for i in range(81, 111)]
    fitted = scorer_factory().fit(profiles)
    before = fitted.top_k_table(k=3)
    changed = {p.id: _changed(rng, p) for p in rng.sample(profiles, 12)}
    now = [changed.get(p.id, p) for p in profiles]

    refreshed = fitted.refreshed(list(changed.values()))
    refit = scorer_factory().fit(now)

    assert refreshed is not None
    for name in FITTED:
        assert _same(getattr(refreshed, name), getattr(refit, name)), name
    table, expected = refreshed.top_k_table(k=3), refit.top_k_table(k=3)
    assert _same(table, expected)
    assert refreshed.reason_records(table) == refit.reason_records(expected)
    # the scorer it was made from still serves the old answers
    assert _same(fitted.top_k_table(k=3), before)


@pytest.mark.parametrize(
    "change",
    [
        {"description": "Une tout autre présentation de la ville."},
        {"population": 123_456},
        {"level": "region"},
        {"themes": ({"code": "not_in_the_taxonomy"},)},
    ],
    ids=["description", "population", "level", "unknown theme"],
)
def test_a_change_to_what_fit_learns_from_everyone_asks_for_a_new_fit(scorer_factory, change):
    rng = random.Random(7)
    profiles = [_record(rng, "FR", i) for i in range(1, 21)] + [_record(rng, "KR", i) for i in range(21, 31)]
    profiles[0] = dataclasses.replace(profiles[0], level="commune", population=5_000, description=TEXTS[0])
    fitted = scorer_factory().fit(profiles)
    if "themes" in change:
        record = {"country": "FR", "name": profiles[0].name, "themes": {"not_in_the_taxonomy": {"priority": 2}}}
        new = dataclasses.replace(profiles[0], themes=Profile.from_record(record, id=1).themes)
    else:
        new = dataclasses.replace(profiles[0], **change)
    assert fitted.refreshed([new]) is None


def test_a_profile_it_was_not_fitted_on_asks_for_a_new_fit(scorer_factory):
    rng = random.Random(9)
    profiles = [_record(rng, "FR", i) for i in range(1, 11)] + [_record(rng, "KR", i) for i in range(11, 16)]
    fitted = scorer_factory().fit(profiles)
    assert fitted.refreshed([_record(rng, "KR", 99)]) is None
    assert fitted.refreshed([]) is not None
