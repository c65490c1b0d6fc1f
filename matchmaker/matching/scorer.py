"""MatchScorer: scores every French–Korean pair on five dimensions and ranks partners both ways.

The estimator is a façade over what it does, each in its own module: fitting.py (learning vocabularies and
factors), scoring.py (the dimensions of pairs), ranking.py (top lists, rescoring one response) and
explanation.py (reasons). Its parameters and fitted attributes are those of one scikit-learn estimator.
"""

from __future__ import annotations

from typing import Any, Mapping

from sklearn.base import BaseEstimator

from .dimensions import COMBINE, DEFAULT_WEIGHTS, DIMENSIONS, PART_DIMENSION, PARTS, combine_sides, normalise_weights
from .explanation import QUOTE_CHARS, TEXT_REASON_SHARE, Explaining
from .fitting import Fitting
from .ranking import Match, MatchTable, Ranking
from .scoring import PairScoring

__all__ = [
    "COMBINE",
    "DEFAULT_WEIGHTS",
    "DIMENSIONS",
    "PART_DIMENSION",
    "PARTS",
    "QUOTE_CHARS",
    "TEXT_REASON_SHARE",
    "Match",
    "MatchScorer",
    "MatchTable",
    "combine_sides",
    "normalise_weights",
]


class MatchScorer(Fitting, PairScoring, Ranking, Explaining, BaseEstimator):
    """Scores French–Korean pairs (themes, complementarity, sectors, size, text) in scikit-learn style.

    Parameters
    ----------
    weights : dict dimension -> weight (normalised to sum 1); None for DEFAULT_WEIGHTS.
    combine : how the two directional totals make the pair total: "harmonic" (default),
        "geometric", "arithmetic" or "min".
    size_bandwidth : bandwidth h of the Gaussian kernel on ln(population); 1.5 gives 0.61 for a
        population ratio of 4.5 and 0.2 for a ratio of 11.
    unpreferred_level : factor on the size score, in one direction, when the partner's level is
        not among the levels that side said it prefers.
    text_semantic_share : share b of the sentence-encoder cosine in the text dimension's base:
        base = (1 - b) * concepts + b * (cosine - floor) / (1 - floor); used only when the fitted
        profiles carry encoder vectors (Profile.embedding), else base = concepts.
    semantic_floor : the encoder cosine of two unrelated presentations, mapped to 0 (it is about
        0.1–0.3 for this encoder; a cosine below the floor gives a slightly negative base).
    text_tfidf_share : how much of the room left by the base (1 - base) within-language
        TF-IDF similarity can fill: text = base + share * (1 - base) * tfidf.
    infer_from_text : when no theme (sector) is ticked, take them from the description's concepts.
    taxonomy : themes and sectors with labels and keywords (taxonomy.json dict or dataclasses).
    level_compatibility : compatibility[fr_level][kr_level] in [0,1], or a function (fr, kr) -> value;
        None means every level pair is compatible.
    chunk_cells : pairs scored at once in top_k (at least 64 French rows); larger blocks make
        faster matrix products, and a block needs about 30 bytes per pair (2**23: about 250 MB).
    """

    def __init__(
        self,
        weights: Mapping[str, float] | None = None,
        combine: str = "harmonic",
        size_bandwidth: float = 1.5,
        unpreferred_level: float = 0.5,
        text_tfidf_share: float = 0.0,
        text_semantic_share: float = 0.85,
        semantic_floor: float = 0.15,
        infer_from_text: bool = True,
        taxonomy: Any = None,
        level_compatibility: Any = None,
        chunk_cells: int = 1 << 23,
    ):
        self.weights = weights
        self.combine = combine
        self.size_bandwidth = size_bandwidth
        self.unpreferred_level = unpreferred_level
        self.text_tfidf_share = text_tfidf_share
        self.text_semantic_share = text_semantic_share
        self.semantic_floor = semantic_floor
        self.infer_from_text = infer_from_text
        self.taxonomy = taxonomy
        self.level_compatibility = level_compatibility
        self.chunk_cells = chunk_cells
