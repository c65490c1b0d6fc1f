"""The guard on the independent evaluation set's held-out half: the engine must stay above its baselines.

Figures and their reading are in README.md and bench/README.md (`python -m matchmaker.matching`);
the held-out half chose nothing, so these are honest out-of-sample figures. The test would fail if
the engine fell to the naive weighted sum, or (presentations only) below the encoder alone.
"""

import pytest

from matchmaker.matching import default_matcher, encoder_alone, evaluate, load_half, naive_sum, themes_only
from matchmaker.matching.defaults import load_inputs
from matchmaker.matching.encoder import default_encoder
from matchmaker.paths import DATA_DIR

EVAL = DATA_DIR / "eval"


@pytest.fixture(scope="module")
def figures():
    encoder, cache = default_encoder(), {}

    def embed(texts):
        todo = [t for t in texts if t not in cache]
        for text, vectors in zip(todo, encoder.encode(todo)):
            cache[text] = (vectors.document, vectors.sentences)
        return [cache[t] for t in texts]

    taxonomy, levels = load_inputs(DATA_DIR)
    rankers = {
        "random": None,
        "themes": themes_only(taxonomy=taxonomy, level_compatibility=levels),
        "naive": naive_sum(taxonomy=taxonomy, level_compatibility=levels),
        "encoder": encoder_alone(),
        "engine": lambda: default_matcher(DATA_DIR),
    }
    out = {}
    for variant in ("full", "presentation"):
        pairs, pool = load_half(EVAL, "heldout", variant)
        out[variant] = {name: evaluate(pairs, f, distractors=pool, embed=embed) for name, f in rankers.items()}
    return out


def test_the_held_out_half_is_disjoint_from_the_development_half():
    dev, held = (load_half(EVAL, split, "full") for split in ("dev", "heldout"))
    key = lambda r: (r["country"], r.get("code"), r["level"])  # noqa: E731
    dev_keys = {key(r) for p in dev[0] for r in (p["fr"], p["kr"])} | {key(r) for r in dev[1]}
    held_keys = {key(r) for p in held[0] for r in (p["fr"], p["kr"])} | {key(r) for r in held[1]}
    assert len(held[0]) >= 15 and not dev_keys & held_keys


def test_full_records_engine_beats_the_naive_sum_and_themes_only(figures):
    f = figures["full"]
    assert f["engine"]["n"] == 2 * len(load_half(EVAL, "heldout", "full")[0])
    assert f["engine"]["mrr"] >= 0.65 and f["engine"]["hit@3"] >= 0.70  # measured 0.667 and 0.733 (15 pairs)
    # On full records the engine is only just above the naive sum (+0.006 MRR, +0.033 hit@3 on 15 pairs): the
    # guard is that it never falls to it or below.
    assert f["engine"]["mrr"] > f["naive"]["mrr"] and f["engine"]["hit@3"] > f["naive"]["hit@3"]
    assert f["engine"]["mrr"] >= f["themes"]["mrr"] + 0.04  # measured +0.077
    assert f["engine"]["hit@1"] >= f["naive"]["hit@1"]
    assert f["engine"]["mrr"] >= f["random"]["mrr"] + 0.5


def test_presentation_only_engine_beats_the_naive_sum_and_the_encoder_alone(figures):
    p = figures["presentation"]
    assert p["engine"]["mrr"] >= 0.50 and p["engine"]["hit@5"] >= 0.60  # measured 0.518 and 0.600 (15 pairs)
    assert p["engine"]["mrr"] >= p["naive"]["mrr"] + 0.1  # measured +0.124
    assert p["engine"]["mrr"] >= p["encoder"]["mrr"] + 0.02  # measured +0.035
    assert p["engine"]["hit@3"] >= p["encoder"]["hit@3"]
    assert p["themes"]["mrr"] == pytest.approx(p["random"]["mrr"])  # nothing ticked: themes only can only guess
