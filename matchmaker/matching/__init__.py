"""The matching engine: a pure library (NumPy, SciPy, scikit-learn; no Flask, no database).

Public API
----------
Profile.from_record(record, id)         a questionnaire response (import/export row) as a frozen record;
                                        record["embedding"] / ["sentence_embeddings"]: encoder vectors
MatchScorer(weights=None, combine="harmonic", size_bandwidth=1.5, unpreferred_level=0.5,
            text_tfidf_share=0.0, text_semantic_share=0.85, semantic_floor=0.15,
            infer_from_text=True, taxonomy=None, level_compatibility=None, chunk_cells=2**23)
    .fit(profiles) -> self              learns vocabularies, vectorises every profile         (fitting.py)
    .score_pairs(fr_ids=None, kr_ids=None)  {dimension: FR × KR matrix, "fr_side", "kr_side", "total"}
                                                                                              (scoring.py)
    .top_k(k=10, exclude=set())         list[Match]: top k per collectivité on BOTH sides (union) (ranking.py)
    .top_k_table(k=10, exclude=set())   the same as parallel arrays (large runs)
    .score_one(profile, k=10)           rescoring one new or edited response, fast
    .explain(fr_id, kr_id)              list[Reason]                                       (explanation.py)
    .reason_records(table, positions)   the reasons of a MatchTable's pairs as JSON-ready dicts
render_reasons(reasons, lang, names, taxonomy)     sentences in fr / ko / en
select_introductions(candidates, cap, open_counts) greedy in score order under the exposure cap
tune_weights(dim_scores, labels, old_weights, cv=5) -> TuningReport
evaluate(pairs, matcher_factory, text_only_records=False, distractors=(), embed=None)
                                        -> {"hit@1", "hit@3", "hit@5", "mrr", "n", ...}
load_half(directory, split, variant)    (pairs, pool) of data/eval's development or held-out half
calibration.calibrate(sets, ...)        weights, text blend and combination chosen by cross-validated MRR
encoder.SentenceEncoder                 the sentence encoder (its own module; the scorer only takes vectors)
default_matcher(data_dir, **params)     MatchScorer on data_dir/taxonomy.json and data_dir/levels.json
particles.resolve_particles(text)       Korean particles after a name (the reasons' Korean; the app's messages too)

Scoring
-------
Dimensions, each in [0, 1]: themes (cosine of priority-weighted theme vectors), complementarity
(what one side seeks that the other offers), sectors (cosine of sectors of excellence), size
(Gaussian kernel on ln(population) × level compatibility × stated level preference) and text
(the cosine of the presentations' multilingual sentence-encoder vectors, blended with the description
concepts found through the multilingual keyword lists, plus within-language TF-IDF). When the text
weighs in, the reasons quote the closest sentence of each presentation.
Complementarity and size are directional: each side gets its own weighted total ("sides"), and
the pair's total combines them (harmonic mean by default) so that a pair suiting one side only
ranks low. A Match's per-dimension scores are the mean of the two directions. A response with no
ticked theme (or sector) takes them from its description's concepts, so free text alone still
finds partners.

`python -m matchmaker.matching` prints the table on the held-out half of the independent evaluation
set (data/eval); `--calibrate` chooses the settings on the development half. That command is the library's one
entry point that knows the project's data folder; everything else takes it (or what was read from it) as input,
and no module here imports the app, Flask or SQLAlchemy (tests/matching/test_library_boundary.py). Figures and the
benchmarks (bench/matching.py, bench/encoding.py) are in bench/README.md.

Hard rules: only FR–KR pairs are scored; pairs declared as existing partners and the pairs passed
in `exclude` (rejected by staff, answered "not interested") are never returned.
"""

from __future__ import annotations

import importlib
from typing import Any

from .codes import COUNTRIES, DIMENSIONS, LANGUAGES, STANCES  # noqa: F401 - public, listed in __all__

# The public API, imported on first use: the app reads the codes and the text normaliser at start-up, and
# must not load NumPy, SciPy and scikit-learn for them.
_LAZY = {
    ".concepts": ("ConceptTable", "KeywordMatcher"),
    ".defaults": ("default_matcher", "load_inputs"),
    ".evaluation": ("encoder_alone", "evaluate", "load_half", "load_pairs", "naive_sum", "text_only", "themes_only"),
    ".profile": ("Profile", "ThemeAnswer"),
    ".reasons": ("Reason", "render_reasons"),
    ".scorer": ("COMBINE", "DEFAULT_WEIGHTS", "Match", "MatchScorer", "MatchTable"),
    ".selection": ("select_introductions",),
    ".tuning": ("TuningReport", "tune_weights"),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}

__all__ = sorted(["COUNTRIES", "DIMENSIONS", "LANGUAGES", "STANCES", *_MODULE_OF])


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_MODULE_OF[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
