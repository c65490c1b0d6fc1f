"""The text dimension's encoder part: vectors come in with the profiles; the scorer never encodes."""

import numpy as np
import pytest

from matchmaker.matching import Profile, render_reasons
from tests.matching.conftest import TAXONOMY

ONLY_TEXT = {"text": 1.0}


def unit(*values):
    v = np.zeros(8, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def profile(country, id, description, document, sentences=None, **fields):
    record = {
        "country": country,
        "name": f"{country}{id}",
        "level": "commune" if country == "FR" else "si",
        "population": 50_000,
        "description": description,
        **fields,
    }
    return Profile.from_record(record, id=id).with_embedding(document, sentences)


def test_the_encoder_cosine_ranks_presentations_that_share_no_keyword(scorer_factory):
    fr = profile("FR", 1, "On plante des arbres dans les cours d'école.", unit(1, 0.2))
    close = profile("KR", 2, "학교 숲을 만듭니다.", unit(0.9, 0.3))
    far = profile("KR", 3, "반도체 공장이 있습니다.", unit(0, 0, 1))
    scores = scorer_factory(weights=ONLY_TEXT, semantic_floor=0.2).fit([fr, close, far]).score_pairs()
    cosine = float(unit(1, 0.2) @ unit(0.9, 0.3))
    assert scores["text"][0, 0] == pytest.approx(0.85 * (cosine - 0.2) / 0.8, abs=1e-5)
    assert scores["text"][0, 1] == 0.0  # below the floor: clipped to nothing in common
    assert scores["total"][0, 0] > scores["total"][0, 1]


def test_without_vectors_the_text_is_the_keyword_concepts_as_before(scorer_factory):
    plain = [
        Profile.from_record({"country": c, "name": n, "description": d}, id=i)
        for i, (c, n, d) in enumerate(
            [("FR", "A", "végétalisation et biodiversité"), ("KR", "B", "녹지와 생물다양성"), ("KR", "C", "관광 축제")]
        )
    ]
    with_b = scorer_factory(weights=ONLY_TEXT, text_semantic_share=0.0).fit(plain).score_pairs()["text"]
    default = scorer_factory(weights=ONLY_TEXT).fit(plain).score_pairs()["text"]
    np.testing.assert_allclose(default, with_b)
    assert default[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_block_totals_and_per_pair_scores_agree_with_vectors(scorer_factory):
    rng = np.random.default_rng(0)
    profiles = [
        profile(
            "FR" if i < 5 else "KR",
            i,
            "texte",
            unit(*rng.normal(size=8)),
            themes={"tourism": {"priority": 2, "stance": "both"}},
        )
        for i in range(9)
    ]
    scorer = scorer_factory().fit(profiles)
    block = scorer.score_pairs()["total"]
    table = scorer.top_k_table(k=4)
    for fr_id, kr_id, total in zip(table.fr_id, table.kr_id, table.total):
        assert total == pytest.approx(block[fr_id, kr_id - 5], abs=1e-5)
    new = profile("FR", 100, "texte", unit(*rng.normal(size=8)), themes={"tourism": {"priority": 2, "stance": "both"}})
    best = scorer.score_one(new, k=1)[0]
    assert best.total == pytest.approx(max(scorer.fit(profiles + [new]).score_pairs([100])["total"][0]), abs=1e-5)


def test_reasons_quote_the_closest_sentence_of_each_side_in_its_own_language(scorer_factory):
    fr_sentences = np.stack([unit(0, 0, 1), unit(1, 0.1)])
    kr_sentences = np.stack([unit(0, 1), unit(1, 0.2)])
    fr = profile(
        "FR", 1, "Nous accueillons un festival. Nous végétalisons les cours d'école.", unit(1, 0.1, 0.3), fr_sentences
    )
    kr = profile("KR", 2, "반도체 산업 도시입니다. 학교 숲을 조성합니다.", unit(1, 0.3, 0.1), kr_sentences)
    scorer = scorer_factory(weights=ONLY_TEXT).fit([fr, kr])
    reasons = [r for r in scorer.explain(1, 2) if r.code == "close_sentences"]
    assert reasons and reasons[0].params["fr"] == "Nous végétalisons les cours d'école."
    assert reasons[0].params["kr"] == "학교 숲을 조성합니다."
    names = {"fr": "Ville", "kr": "시"}
    assert (
        "«\u00a0Nous végétalisons les cours d'école.\u00a0» ↔ «\u00a0학교 숲을 조성합니다.\u00a0»"
        in render_reasons(reasons, "fr", names, TAXONOMY)[0]
    )
    assert (
        "“Nous végétalisons les cours d'école.” ↔ “학교 숲을 조성합니다.”"
        in render_reasons(reasons, "ko", names, TAXONOMY)[0]
    )
    # without sentence vectors (or with the text weighted 0) nothing is quoted
    bare = scorer_factory(weights=ONLY_TEXT).fit([fr.with_embedding(fr.embedding), kr.with_embedding(kr.embedding)])
    assert not [r for r in bare.explain(1, 2) if r.code == "close_sentences"]
    no_text = scorer_factory(weights={"themes": 1.0}).fit([fr, kr])
    assert not [r for r in no_text.explain(1, 2) if r.code == "close_sentences"]
