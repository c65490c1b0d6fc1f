"""Choosing the engine's settings on documented partnerships: weights, text blend, combination of the two sides.

The objective is a ranking one: the mean reciprocal rank of each real partner among all candidates of
the other country, over full records and presentation-only records alike. Every candidate setting is
scored once per query; cross-validation (folds of partnerships, a collectivité never in two folds)
then measures how well *choosing* on some partnerships carries to others, and the final choice is the
best setting on the whole development half. Nothing here reads the held-out half: the caller passes
only the partnerships it may tune on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from .evaluation import Embed, _profiles, _records, identity
from .scorer import COMBINE, DEFAULT_WEIGHTS, DIMENSIONS, MatchScorer, combine_sides, normalise_weights
from .tuning import NonNegativeLogisticRegression

# The text settings tried (each needs a fit); the weights are sampled for each of them.
SEMANTIC_SHARES = (0.0, 0.5, 0.7, 0.85, 1.0)
SEMANTIC_FLOORS = (0.15, 0.3)
TFIDF_SHARES = (0.0, 0.3)
MODES = ("full", "text")


@dataclass(frozen=True)
class EngineSettings:
    """What calibration chooses: the MatchScorer parameters that shape the ranking."""

    weights: Mapping[str, float]
    combine: str = "harmonic"
    text_semantic_share: float = 0.85
    semantic_floor: float = 0.15
    text_tfidf_share: float = 0.0

    def params(self) -> dict[str, Any]:
        """Keyword arguments for MatchScorer / default_matcher."""
        return {**asdict(self), "weights": dict(self.weights)}


@dataclass
class CalibrationReport:
    """The chosen settings, their development MRR, and the cross-validated MRR of choosing this way."""

    settings: EngineSettings
    dev_mrr: Mapping[str, float]
    cv_mrr: Mapping[str, float]
    cv_mrr_default: Mapping[str, float]
    fold_choices: list[EngineSettings] = field(default_factory=list)
    candidates: int = 0


def _harmonic_table(n: int) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(1.0 / np.arange(1, n + 2))])


class _Queries:
    """Each pair's two queries as masks over candidates, for reciprocal ranks of many totals at once.

    The same filtered ranking as evaluation.rank_metrics (other documented partners of the query are
    not competitors), with each competing collectivité counted by its first record.
    """

    def __init__(
        self,
        pairs: Sequence[Mapping[str, Any]],
        fr_records: Sequence[Mapping[str, Any]],
        kr_records: Sequence[Mapping[str, Any]],
    ):
        fr_keys = [identity(r) for r in fr_records]
        kr_keys = [identity(r) for r in kr_records]
        partners: dict[str, set[str]] = {}
        for pair in pairs:
            a, b = identity(pair["fr"]), identity(pair["kr"])
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
        self.n = len(pairs)

        def masks(own_keys, other_keys):
            first = {}
            for col, key in enumerate(other_keys):
                first.setdefault(key, col)
            mask = np.zeros((self.n, len(other_keys)), dtype=bool)
            for p in range(self.n):
                for col, key in enumerate(other_keys):
                    if col == p:
                        continue
                    if first[key] == col and key != other_keys[p] and key not in partners.get(own_keys[p], ()):
                        mask[p, col] = True
            return mask

        self.fr_mask = masks(fr_keys, kr_keys)  # FR query p: which Korean columns compete
        self.kr_mask = masks(kr_keys, fr_keys)  # KR query p: which French rows compete
        self.harmonic = _harmonic_table(max(len(fr_keys), len(kr_keys)) + 2)

    def reciprocal_ranks(self, totals: np.ndarray) -> np.ndarray:
        """Expected reciprocal rank (ties broken at random) of each query: FR queries, then KR queries."""
        n = self.n
        out = []
        for scores, mask in ((totals[:n, :], self.fr_mask), (totals[:, :n].T, self.kr_mask)):
            true = scores[np.arange(n), np.arange(n)][:, None]
            greater = ((scores > true + 1e-9) & mask).sum(axis=1)
            ties = ((np.abs(scores - true) <= 1e-9) & mask).sum(axis=1)
            h = self.harmonic
            out.append((h[greater + ties + 1] - h[greater]) / (ties + 1))
        return np.concatenate(out)


def _parts(matcher: MatchScorer, fr_ids: list[int], kr_ids: list[int]) -> dict[str, np.ndarray]:
    """Unweighted score parts of every FR × KR pair (the directional ones separately)."""
    fr = matcher._rows(fr_ids, matcher.fr_row_)
    kr = matcher._rows(kr_ids, matcher.kr_row_)
    scores = matcher._pair_scores(matcher.fr_, fr[:, None], matcher.kr_, kr[None, :])
    keys = ("themes", "sectors", "text", "comp_fr", "comp_kr", "size_fr", "size_kr")
    return {k: np.asarray(scores[k], dtype=np.float32) for k in keys}


def totals_from_parts(parts: Mapping[str, np.ndarray], weights: Mapping[str, float], combine: str) -> np.ndarray:
    """Pair totals for given weights and combination, from unweighted parts (as MatchScorer computes them)."""
    w = normalise_weights(weights)
    shared = w["themes"] * parts["themes"] + w["sectors"] * parts["sectors"] + w["text"] * parts["text"]
    fr_side = np.clip(shared + w["complementarity"] * parts["comp_fr"] + w["size"] * parts["size_fr"], 0, 1)
    kr_side = np.clip(shared + w["complementarity"] * parts["comp_kr"] + w["size"] * parts["size_kr"], 0, 1)
    return combine_sides(fr_side, kr_side, combine)


def _folds(pairs: Sequence[Mapping[str, Any]], k: int, seed: int) -> np.ndarray:
    """Fold number of each pair; pairs sharing a collectivité share a fold (union-find on identities)."""
    parent = list(range(len(pairs)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seen: dict[str, int] = {}
    for p, pair in enumerate(pairs):
        for key in (identity(pair["fr"]), identity(pair["kr"])):
            if key in seen:
                parent[find(p)] = find(seen[key])
            seen.setdefault(key, p)
    groups = sorted({find(p) for p in range(len(pairs))})
    order = np.random.default_rng(seed).permutation(len(groups))
    fold_of_group = {groups[g]: i % k for i, g in enumerate(order)}
    return np.array([fold_of_group[find(p)] for p in range(len(pairs))])


def _dimension_matrix(parts: Mapping[str, np.ndarray]) -> np.ndarray:
    """(FR × KR × dimension) scores from parts, directional ones averaged (as stored with suggestions)."""
    dims = {
        "themes": parts["themes"],
        "sectors": parts["sectors"],
        "text": parts["text"],
        "complementarity": (parts["comp_fr"] + parts["comp_kr"]) / 2,
        "size": (parts["size_fr"] + parts["size_kr"]) / 2,
    }
    return np.stack([dims[d] for d in DIMENSIONS], axis=-1)


def _learned_weights(dims: np.ndarray, rows: np.ndarray) -> dict[str, float] | None:
    """tune_weights' model (non-negative logistic regression) fitted on each pair of `rows` (FR record p, KR
    record p) against the other Korean records of its row and the other French records of its column."""
    cells, labels = [], []
    for p in rows:
        cells.append(dims[p, :, :])
        labels.append(np.arange(dims.shape[1]) == p)
        cells.append(dims[:, p, :])
        labels.append(np.arange(dims.shape[0]) == p)
    coef = NonNegativeLogisticRegression().fit(np.concatenate(cells), np.concatenate(labels).astype(int)).coef_
    if coef.sum() <= 1e-12:
        return None
    return dict(zip(DIMENSIONS, map(float, coef / coef.sum())))


def calibrate(
    sets: Mapping[str, tuple[Sequence[Mapping[str, Any]], Sequence[Mapping[str, Any]]]],
    *,
    taxonomy: Any,
    level_compatibility: Any,
    embed: Embed | None = None,
    folds: int = 5,
    samples: int = 40,
    seed: int = 0,
) -> CalibrationReport:
    """Choose EngineSettings maximising the mean of full-record and presentation-only MRR.

    `sets` maps "full" and "text" to (pairs, pool of competitors), the same partnerships in the same
    order in both (e.g. evaluation.load_half of the development half, variants full and presentation).
    Weights tried for each text setting and combination: the defaults, `samples` Dirichlet draws, and
    the non-negative logistic fit of tune_weights (refit inside each fold on that fold's training pairs only).
    """
    pairs = list(sets["full"][0])
    if [p.get("id") for p in sets["text"][0]] != [p.get("id") for p in pairs]:
        raise ValueError("the full and presentation-only sets must hold the same partnerships in the same order")
    n = len(pairs)
    prepared = {}
    for mode in MODES:
        mode_pairs, distractors = list(sets[mode][0]), list(sets[mode][1])
        profiles = _profiles(mode_pairs, distractors, dict, embed)
        fr = sorted((p for p in profiles if p.country == "FR"), key=lambda p: (p.id >= 2 * n, p.id))
        kr = sorted((p for p in profiles if p.country == "KR"), key=lambda p: (p.id >= 2 * n, p.id))
        records = dict(enumerate(_records(mode_pairs, distractors)))  # ids are positions (see _profiles)
        queries = _Queries(mode_pairs, [records[p.id] for p in fr], [records[p.id] for p in kr])
        prepared[mode] = (profiles, [p.id for p in fr], [p.id for p in kr], queries)

    fold_of_pair = _folds(pairs, folds, seed)
    fold = np.tile(fold_of_pair, 2)  # query q of either mode belongs to pair q mod n
    rng = np.random.default_rng(seed)
    sampled = [dict(zip(DIMENSIONS, map(float, v))) for v in rng.dirichlet(np.ones(len(DIMENSIONS)), size=samples)]
    text_settings = sorted(
        {
            (b, f if b > 0 else SEMANTIC_FLOORS[0], t)
            for b in (SEMANTIC_SHARES if embed is not None else (0.0,))
            for f in SEMANTIC_FLOORS
            for t in TFIDF_SHARES
        }
    )
    candidates: list[EngineSettings] = []
    scope: list[int | None] = []  # None: any fold; k: fold k's own learned weights; -1: learned on all pairs
    rows = {mode: [] for mode in MODES}
    for b, f, t in text_settings:
        parts = {}
        for mode in MODES:
            profiles, fr_ids, kr_ids, _ = prepared[mode]
            matcher = MatchScorer(
                taxonomy=taxonomy,
                level_compatibility=level_compatibility,
                text_semantic_share=b,
                semantic_floor=f,
                text_tfidf_share=t,
            ).fit(profiles)
            parts[mode] = _parts(matcher, fr_ids, kr_ids)
        dims = _dimension_matrix(parts["full"])
        weights: list[tuple[dict, int | None]] = [(dict(DEFAULT_WEIGHTS), None)] + [(w, None) for w in sampled]
        for k in [*range(folds), -1]:
            learned = _learned_weights(dims, np.flatnonzero(fold_of_pair != k) if k >= 0 else np.arange(n))
            if learned is not None:
                weights.append((learned, k))
        for w, k in weights:
            for how in COMBINE:
                candidates.append(
                    EngineSettings(
                        weights=normalise_weights(w),
                        combine=how,
                        text_semantic_share=b,
                        semantic_floor=f,
                        text_tfidf_share=t,
                    )
                )
                scope.append(k)
                for mode in MODES:
                    rows[mode].append(prepared[mode][3].reciprocal_ranks(totals_from_parts(parts[mode], w, how)))
    rr = {mode: np.array(rows[mode]) for mode in MODES}
    objective = (rr["full"] + rr["text"]) / 2
    scope_arr = np.array([-2 if k is None else k for k in scope])

    default = next(
        i
        for i, c in enumerate(candidates)
        if c.weights == normalise_weights(None)
        and c.combine == "harmonic"
        and scope[i] is None
        and c.text_semantic_share == (0.85 if embed is not None else 0.0)
    )
    cv = {mode: [] for mode in MODES}
    cv_default = {mode: [] for mode in MODES}
    choices = []
    for k in range(folds):
        train, test = fold != k, fold == k
        if not test.any():
            continue
        eligible = (scope_arr == -2) | (scope_arr == k)
        score = np.where(eligible, objective[:, train].mean(axis=1), -np.inf)
        best = int(np.argmax(score))
        choices.append(candidates[best])
        for mode in MODES:
            cv[mode].append(rr[mode][best, test])
            cv_default[mode].append(rr[mode][default, test])
    eligible = (scope_arr == -2) | (scope_arr == -1)
    best = int(np.argmax(np.where(eligible, objective.mean(axis=1), -np.inf)))
    return CalibrationReport(
        settings=candidates[best],
        dev_mrr={mode: float(rr[mode][best].mean()) for mode in MODES},
        cv_mrr={mode: float(np.concatenate(cv[mode]).mean()) for mode in MODES},
        cv_mrr_default={mode: float(np.concatenate(cv_default[mode]).mean()) for mode in MODES},
        fold_choices=choices,
        candidates=len(candidates),
    )
