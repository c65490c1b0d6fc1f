"""MatchScorer: scores every French–Korean pair on five dimensions and ranks partners both ways."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator

from .codes import COUNTRIES, DIMENSIONS
from .concepts import ConceptTable, KeywordMatcher
from .features import (FR_LEVELS, KR_LEVELS, UNKNOWN_LEVEL, UNKNOWN_LEVEL_COMPATIBILITY, SideFeatures,
                       SizeKernel, TextSpaces, embedding_width, side_features)
from .profile import Profile
from .reasons import Reason
from .sentences import split_sentences

# Explicit answers (themes, offers/seeks) weigh most; free text is next since it is the only
# signal when nothing is ticked; size/level and sectors refine.
DEFAULT_WEIGHTS = {"themes": 0.30, "complementarity": 0.20, "sectors": 0.10, "size": 0.15, "text": 0.25}
COMBINE = ("harmonic", "geometric", "arithmetic", "min")
# A pair's scores are assembled from parts, each one dot product of a French and a Korean factor.
PARTS = ("themes", "sectors", "text", "comp_fr", "comp_kr", "size_fr", "size_kr")
PART_DIMENSION = {"themes": "themes", "sectors": "sectors", "text": "text", "comp_fr": "complementarity",
                  "comp_kr": "complementarity", "size_fr": "size", "size_kr": "size"}
# Each side's total is the shared parts plus its own directional parts: three products per block,
# together exactly as wide as one product of all the parts.
_GROUPS = (("themes", "sectors", "text"), ("comp_fr", "size_fr"), ("comp_kr", "size_kr"))
_EXCLUDED = -1.0  # below any real total (totals are in [0, 1])
# The closest sentences are quoted when the text makes at least this share of a pair's weighted sum.
TEXT_REASON_SHARE = 0.2
QUOTE_CHARS = 160


def normalise_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Validate weights (unknown dimensions rejected, missing ones 0) and scale them to sum 1."""
    if weights is None:
        weights = DEFAULT_WEIGHTS
    unknown = set(weights) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions in weights: {sorted(unknown)}")
    values = {d: float(weights.get(d, 0.0)) for d in DIMENSIONS}
    if any(v < 0 for v in values.values()) or sum(values.values()) <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    total = sum(values.values())
    return {d: v / total for d, v in values.items()}


def combine_sides(fr_side: np.ndarray, kr_side: np.ndarray, how: str, in_place: bool = False) -> np.ndarray:
    """Combine the two directional totals (each in [0, 1]) so that a pair suiting only one side ranks low.

    With in_place the result is written over fr_side and kr_side is used as scratch (large blocks).
    """
    if how not in COMBINE:
        raise ValueError(f"combine must be one of {COMBINE}, not {how!r}")
    a = fr_side if in_place else fr_side.copy()
    b = kr_side if in_place else kr_side.copy()
    if how == "harmonic":
        # 2ab / (a + b); the tiny addend keeps 0/0 at 0 without a masked divide
        s = a + b
        s += np.asarray(1e-30, dtype=a.dtype)
        a *= b
        a /= s
        a *= 2.0
        return a
    if how == "geometric":
        a *= b
        return np.sqrt(a, out=a)
    if how == "arithmetic":
        a += b
        a *= 0.5
        return a
    return np.minimum(a, b, out=a)


@dataclass(frozen=True)
class Match:
    """A suggested French–Korean pair with its total, per-dimension scores, ranks and reasons.

    `sides["fr"]` is how well the Korean partner suits the French collectivité, `sides["kr"]`
    the reverse; `fr_rank` is the Korean partner's rank in the French side's list (None when
    beyond the k asked for), `kr_rank` the French partner's rank in the Korean side's list.
    """

    fr_id: int
    kr_id: int
    total: float
    scores: Mapping[str, float]
    sides: Mapping[str, float]
    fr_rank: int | None = None
    kr_rank: int | None = None
    reasons: tuple[Reason, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class MatchTable:
    """Matches as parallel arrays, one entry per pair, best total first; a rank of 0 means beyond k."""

    fr_id: np.ndarray
    kr_id: np.ndarray
    total: np.ndarray
    scores: Mapping[str, np.ndarray]
    fr_side: np.ndarray
    kr_side: np.ndarray
    fr_rank: np.ndarray
    kr_rank: np.ndarray
    _rows: Any = field(default=None, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.total)


def _ranks(values: np.ndarray, id_order: np.ndarray, axis: int) -> np.ndarray:
    """1-based ranks along `axis`: value descending, ties to the lower id (id_order: rank of the id)."""
    ranks = np.zeros(values.shape, dtype=np.int64)
    if values.size:
        # one int64 key: for non-negative floats the bit pattern orders like the value
        bits = np.maximum(values, 0).astype(np.float32).view(np.int32).astype(np.int64)
        key = ((np.int64(2**31) - bits) << 24) | id_order.astype(np.int64)
        order = np.argsort(key, axis=axis)
        shape = [1, 1]
        shape[axis] = values.shape[axis]
        np.put_along_axis(ranks, order, np.arange(1, values.shape[axis] + 1).reshape(shape), axis=axis)
    return ranks


def _best_first(total: np.ndarray, fr_order: np.ndarray, kr_order: np.ndarray, m: int) -> np.ndarray:
    """Order of pairs by total descending, ties by French id then Korean id.

    The same order as np.lexsort((kr_id, fr_id, -total)), about eight times faster: one quicksort
    on the totals, then only the runs of equal totals are sorted again by ids.
    """
    order = np.argsort(-total)
    ordered = total[order]
    same = ordered[1:] == ordered[:-1]
    if same.any():
        run = np.concatenate([[0], np.cumsum(~same)])  # run number of each position
        tied = np.zeros(len(order), dtype=bool)
        tied[1:] |= same
        tied[:-1] |= same
        at = np.flatnonzero(tied)
        ids = fr_order[order[at]].astype(np.int64) * m + kr_order[order[at]]
        order[at] = order[at][np.lexsort((ids, run[at]))]
    return order


class _ColumnBest:
    """Running best k French rows of every Korean column, fed block by block.

    Only cells above the column's current k-th best value are kept as candidates, so after the
    first blocks almost nothing is copied; the pool is cut back to k per column when it grows.
    """

    def __init__(self, m: int, k: int, row_order: np.ndarray):
        self.m, self.k, self.row_order = m, k, row_order
        self.threshold = np.zeros(m, dtype=np.float32)  # a total of 0 is never a suggestion
        self.vals: list[np.ndarray] = []
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.size = 0

    def add(self, total: np.ndarray, start: int) -> None:
        """Offer one block (rows start.. of the French side) of pair totals."""
        if self.size == 0 and len(total) > self.k:
            # start from this block's k-th best per column, so the pool stays small from the start
            # partitioning contiguous rows of the transpose is faster than strided columns
            kth = np.partition(np.ascontiguousarray(total.T), len(total) - self.k, axis=1)[:, len(total) - self.k]
            np.maximum(self.threshold, kth, out=self.threshold)
        # >= so that equal values may still win on id; the floor keeps totals of 0 out
        hit = total >= np.maximum(self.threshold, np.float32(1e-38))
        r, c = np.nonzero(hit)
        self.vals.append(total[r, c])
        self.rows.append(r + start)
        self.cols.append(c)
        self.size += len(r)
        if self.size > 4 * self.k * self.m + 100_000:
            self._reduce()

    def _reduce(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Keep the best k per column (value descending, ties to the lower id); returns them with ranks."""
        vals, rows, cols = (np.concatenate(x) for x in (self.vals, self.rows, self.cols))
        order = np.lexsort((self.row_order[rows], -vals, cols))
        vals, rows, cols = vals[order], rows[order], cols[order]
        rank = np.arange(len(cols)) - np.searchsorted(cols, cols, side="left")
        keep = rank < self.k
        vals, rows, cols, rank = vals[keep], rows[keep], cols[keep], rank[keep]
        full = rank == self.k - 1
        self.threshold[cols[full]] = vals[full]
        self.vals, self.rows, self.cols, self.size = [vals], [rows], [cols], len(vals)
        return rows, cols, rank + 1

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(French rows, Korean columns, rank in the column's list) of every kept pair."""
        if self.size == 0:
            empty = np.zeros(0, dtype=np.intp)
            return empty, empty, empty
        return self._reduce()


class _KoreanFactors:
    """Korean-side factors for block totals: weighted, transposed groups and transposed TF-IDF rows."""

    def __init__(self, scorer: "MatchScorer", side: SideFeatures, parts: dict[str, np.ndarray],
                 rows: np.ndarray | None = None):
        if rows is None:
            rows = np.arange(len(side))
        self.groups = [np.ascontiguousarray(np.hstack(
            [parts[p][rows] * np.float32(scorer.weights_[PART_DIMENSION[p]]) for p in group]).T) for group in _GROUPS]
        self.text = side.text[rows]
        self.latin_t = side.latin[rows].T.tocsr()  # transposed once, not once per block
        self.hangul_t = side.hangul[rows].T.tocsr()


def _khatri_rao(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise Kronecker product: (n, p) and (n, q) -> (n, p*q); turns a product of scores into one dot."""
    return np.einsum("ip,iq->ipq", a, b).reshape(len(a), -1)


def _compatibility_table(table: Any, fr_levels: list[str], kr_levels: list[str]) -> np.ndarray:
    """Level compatibility as a (FR levels × KR levels) array from a nested dict or a function."""
    out = np.full((len(fr_levels), len(kr_levels)), UNKNOWN_LEVEL_COMPATIBILITY, dtype=np.float32)
    for i, fr in enumerate(fr_levels):
        for j, kr in enumerate(kr_levels):
            if fr == UNKNOWN_LEVEL or kr == UNKNOWN_LEVEL:
                continue
            if table is None:
                value = 1.0
            elif callable(table):
                value = table(fr, kr)
            else:
                value = (table.get(fr) or {}).get(kr)
            if value is not None:
                out[i, j] = float(value)
    if np.any(out < 0) or np.any(out > 1):
        raise ValueError("level compatibility values must be in [0, 1]")
    return out


def _table_levels(table: Any) -> tuple[set[str], set[str]]:
    """Levels named in a nested-dict compatibility table (none for a function)."""
    if isinstance(table, Mapping):
        kr = {k for row in table.values() for k in (row or {})}
        return set(table), kr
    return set(), set()


def _identity_keys(profile: Profile) -> frozenset[str]:
    return profile.identity_key_set


def _partner_keys(profile: Profile) -> frozenset[str]:
    return profile.partner_key_set


class MatchScorer(BaseEstimator):
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

    def __init__(self, weights: Mapping[str, float] | None = None, combine: str = "harmonic",
                 size_bandwidth: float = 1.5, unpreferred_level: float = 0.5,
                 text_tfidf_share: float = 0.0, text_semantic_share: float = 0.85, semantic_floor: float = 0.15,
                 infer_from_text: bool = True,
                 taxonomy: Any = None, level_compatibility: Any = None, chunk_cells: int = 1 << 23):
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

    # ------------------------------------------------------------------ fitting
    def fit(self, profiles: Iterable[Profile | Mapping[str, Any]], y: Any = None) -> "MatchScorer":
        """Learn vocabularies (themes, sectors, levels, TF-IDF) and vectorise every profile; returns self."""
        profiles = [p if isinstance(p, Profile) else Profile.from_record(p) for p in profiles]
        ids = [p.id for p in profiles]
        if len(set(ids)) != len(ids):
            raise ValueError("profile ids must be unique")
        if self.combine not in COMBINE:
            raise ValueError(f"combine must be one of {COMBINE}, not {self.combine!r}")
        if not all(0 <= v <= 1 for v in (self.unpreferred_level, self.text_tfidf_share, self.text_semantic_share)):
            raise ValueError("unpreferred_level, text_tfidf_share and text_semantic_share must be in [0, 1]")
        if not 0 <= self.semantic_floor < 1:
            raise ValueError("semantic_floor must be in [0, 1)")
        self.weights_ = normalise_weights(self.weights)
        self.concepts_ = (ConceptTable.from_taxonomy(self.taxonomy) if self.taxonomy is not None
                          else ConceptTable((), ()))
        self.keywords_ = KeywordMatcher(self.concepts_)

        def vocabulary(known: list[str], seen: Iterable[str]) -> list[str]:
            return known + sorted(set(seen) - set(known))

        self.theme_codes_ = vocabulary(self.concepts_.theme_codes,
                                       (a.code for p in profiles for a in p.themes))
        self.sector_codes_ = vocabulary(self.concepts_.sector_codes, (s for p in profiles for s in p.sectors))
        table_fr, table_kr = _table_levels(self.level_compatibility)
        seen = {c: {p.level for p in profiles if p.country == c and p.level} for c in COUNTRIES}
        self.fr_levels_ = vocabulary(list(FR_LEVELS), seen["FR"] | table_fr) + [UNKNOWN_LEVEL]
        self.kr_levels_ = vocabulary(list(KR_LEVELS), seen["KR"] | table_kr) + [UNKNOWN_LEVEL]
        self.compatibility_ = _compatibility_table(self.level_compatibility, self.fr_levels_, self.kr_levels_)
        self.size_kernel_ = SizeKernel(self.size_bandwidth)
        self.text_spaces_ = TextSpaces().fit([p.description for p in profiles])
        self.embedding_width_ = embedding_width(profiles)

        # Unknown populations take the median of the same country and level (then of the country).
        self.typical_population_: dict[tuple[str, str], float] = {}
        for country in COUNTRIES:
            known = [p for p in profiles if p.country == country and p.population]
            if known:
                self.typical_population_[(country, UNKNOWN_LEVEL)] = float(np.median([p.population for p in known]))
            for level in {p.level for p in known}:
                self.typical_population_[(country, level)] = float(
                    np.median([p.population for p in known if p.level == level]))

        self.fr_profiles_ = [p for p in profiles if p.country == "FR"]
        self.kr_profiles_ = [p for p in profiles if p.country == "KR"]
        self.fr_ = self._vectorise(self.fr_profiles_, "FR")
        self.kr_ = self._vectorise(self.kr_profiles_, "KR")
        self.fr_row_ = {pid: i for i, pid in enumerate(self.fr_.ids)}
        self.kr_row_ = {pid: i for i, pid in enumerate(self.kr_.ids)}
        self.fr_order_ = np.argsort(np.argsort(self.fr_.ids))  # rank of each row's id: ties go to the lower id
        self.kr_order_ = np.argsort(np.argsort(self.kr_.ids))
        self.fr_parts_ = self._parts(self.fr_, "FR")
        self.kr_parts_ = self._parts(self.kr_, "KR")
        self.fr_groups_ = [np.hstack([self.fr_parts_[p] for p in group]) for group in _GROUPS]
        self.fr_names_ = self._key_index(self.fr_profiles_, _identity_keys)
        self.kr_names_ = self._key_index(self.kr_profiles_, _identity_keys)
        self.fr_declared_ = self._key_index(self.fr_profiles_, _partner_keys)
        self.kr_declared_ = self._key_index(self.kr_profiles_, _partner_keys)
        self.declared_partners_ = self._declared_pairs(self.fr_profiles_, self.kr_profiles_,
                                                       self.fr_names_, self.kr_names_)
        return self

    def _vectorise(self, profiles: list[Profile], country: str) -> SideFeatures:
        """Feature blocks for profiles of one country, with the fitted vocabularies."""
        own, other = ((self.fr_levels_, self.kr_levels_) if country == "FR"
                      else (self.kr_levels_, self.fr_levels_))
        side = side_features(
            profiles, theme_codes=self.theme_codes_, sector_codes=self.sector_codes_,
            keywords=self.keywords_, text_spaces=self.text_spaces_, size_kernel=self.size_kernel_,
            levels=own, other_levels=other, typical_population=self.typical_population_,
            infer_from_text=self.infer_from_text, unpreferred_level=self.unpreferred_level,
            semantic_width=self.embedding_width_)
        side.text = self._text_factor(side, country)
        return side

    def _text_factor(self, side: SideFeatures, country: str) -> np.ndarray:
        """The side's factor of the text base: fr.text · kr.text = (1 - b) concepts + b (cos - floor) / (1 - floor).

        The floor is subtracted through one extra column (+√ on the French side, −√ on the Korean
        side, 0 where a description is not encoded), so the base stays one dot product.
        """
        b = self.text_semantic_share if self.embedding_width_ else 0.0
        if b == 0:
            return np.ascontiguousarray(side.concepts, dtype=np.float32)
        f = self.semantic_floor
        sign = 1.0 if country == "FR" else -1.0
        floor_column = sign * np.sqrt(b * f / (1 - f)) * side.has_semantic[:, None]
        return np.ascontiguousarray(np.hstack([
            np.sqrt(1 - b) * side.concepts, np.sqrt(b / (1 - f)) * side.semantic, floor_column]), dtype=np.float32)

    def _parts(self, side: SideFeatures, country: str) -> dict[str, np.ndarray]:
        """The side's factor for each score part; part p of a pair is fr_parts[p][i] · kr_parts[p][j].

        comp_fr is what the French side seeks against what the Korean side offers, comp_kr the
        reverse; size_fr is kernel × compatibility × the French side's level preference (the
        product of scores becomes one dot product through a row-wise Kronecker product).
        """
        if country == "FR":
            onehot = np.eye(len(self.fr_levels_), dtype=np.float32)[side.level]
            preferred = self.compatibility_[side.level] * side.preference       # over KR levels
            size_fr, size_kr = _khatri_rao(side.kernel, preferred), _khatri_rao(side.kernel, onehot)
            comp_fr, comp_kr = side.seek, side.offer
        else:
            onehot = np.eye(len(self.kr_levels_), dtype=np.float32)[side.level]
            preferred = self.compatibility_[:, side.level].T * side.preference  # over FR levels
            size_fr, size_kr = _khatri_rao(side.kernel, onehot), _khatri_rao(side.kernel, preferred)
            comp_fr, comp_kr = side.offer, side.seek
        parts = {"themes": side.themes, "sectors": side.sectors, "text": side.text,
                 "comp_fr": comp_fr, "comp_kr": comp_kr, "size_fr": size_fr, "size_kr": size_kr}
        return {p: np.ascontiguousarray(parts[p], dtype=np.float32) for p in PARTS}

    def _scales(self) -> dict[str, float]:
        """Factor each part is computed with: its weight, or 1 for a dimension weighted 0 (still reported)."""
        return {p: self.weights_[PART_DIMENSION[p]] or 1.0 for p in PARTS}

    def _scaled(self, kr_parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Korean-side parts multiplied by their scale, so the products come out weighted."""
        scales = self._scales()
        return {p: kr_parts[p] * np.float32(scales[p]) for p in PARTS}

    @staticmethod
    def _key_index(profiles: list[Profile], keys: Callable[[Profile], set[str]]) -> dict[str, list[int]]:
        """key -> ids of the profiles having it (identity keys, or declared partner keys)."""
        index: dict[str, list[int]] = {}
        for profile in profiles:
            for key in keys(profile):
                index.setdefault(key, []).append(profile.id)
        return index

    def _declared_pairs(self, fr: list[Profile], kr: list[Profile], fr_names: dict[str, list[int]] | None = None,
                        kr_names: dict[str, list[int]] | None = None) -> set[tuple[int, int]]:
        """(fr_id, kr_id) pairs where either side declared the other as an existing partner."""
        pairs: set[tuple[int, int]] = set()
        fr_names = self._key_index(fr, _identity_keys) if fr_names is None else fr_names
        kr_names = self._key_index(kr, _identity_keys) if kr_names is None else kr_names
        for profile in fr:
            pairs.update((profile.id, kr_id) for key in profile.partner_key_set for kr_id in kr_names.get(key, ()))
        for profile in kr:
            pairs.update((fr_id, profile.id) for key in profile.partner_key_set for fr_id in fr_names.get(key, ()))
        return pairs

    def _declared_with(self, profile: Profile) -> set[tuple[int, int]]:
        """Declared-partner pairs between one (new) profile and the fitted other side, using fit's indexes."""
        is_fr = profile.country == "FR"
        names, declared = (self.kr_names_, self.kr_declared_) if is_fr else (self.fr_names_, self.fr_declared_)
        others = {pid for key in profile.partner_keys() for pid in names.get(key, ())}
        others |= {pid for key in profile.identity_keys() for pid in declared.get(key, ())}
        return {(profile.id, pid) if is_fr else (pid, profile.id) for pid in others}

    # ------------------------------------------------------------------ scoring core
    def _block(self, fr: SideFeatures, fr_parts, fr_rows, kr: SideFeatures, kr_scaled, kr_rows):
        """Scaled parts, directional totals and pair totals for FR rows × KR rows (slices or arrays)."""
        def take(a, rows):
            if isinstance(rows, slice) or sparse.issparse(a):
                return a[rows]
            return np.take(a, rows, axis=0)  # gathers rows several times faster than a[rows]

        parts = {p: take(fr_parts[p], fr_rows) @ take(kr_scaled[p], kr_rows).T for p in PARTS}
        scales = self._scales()
        if self.text_tfidf_share > 0:
            sim = sparse.coo_matrix(take(fr.latin, fr_rows) @ take(kr.latin, kr_rows).T
                                    + take(fr.hangul, fr_rows) @ take(kr.hangul, kr_rows).T)
            sim.sum_duplicates()
            if sim.nnz:
                # text = base + share × (1 − base) × tfidf, on the scaled part
                text = parts["text"]
                scaled = text[sim.row, sim.col]
                text[sim.row, sim.col] = scaled + self.text_tfidf_share * (scales["text"] - scaled) * sim.data
        included = {p for p in PARTS if self.weights_[PART_DIMENSION[p]] > 0}
        kr_side = np.zeros_like(parts["themes"])
        for p in ("themes", "sectors", "text"):
            if p in included:
                kr_side += parts[p]
        fr_side = kr_side.copy()
        for side, own in ((fr_side, ("comp_fr", "size_fr")), (kr_side, ("comp_kr", "size_kr"))):
            for p in own:
                if p in included:
                    side += parts[p]
            np.clip(side, 0.0, 1.0, out=side)  # the size kernel is exact only to 1e-3
        return parts, fr_side, kr_side, combine_sides(fr_side, kr_side, self.combine)

    def _dimensions(self, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Per-dimension scores in [0, 1] from gathered scaled parts (directional parts averaged)."""
        scales = self._scales()
        v = {p: values[p].astype(np.float64) / scales[p] for p in PARTS}
        dims = {"themes": v["themes"], "sectors": v["sectors"], "text": v["text"],
                "complementarity": (v["comp_fr"] + v["comp_kr"]) / 2.0, "size": (v["size_fr"] + v["size_kr"]) / 2.0}
        return {d: np.clip(dims[d], 0.0, 1.0) for d in DIMENSIONS}

    def _pair_scores(self, fr: SideFeatures, i: np.ndarray, kr: SideFeatures, j: np.ndarray) -> dict[str, np.ndarray]:
        """Per-dimension scores and their ingredients for aligned FR rows i and KR rows j (float64).

        The direct per-pair computation: used for explanations, and by the tests to check the
        block computation of top_k.
        """
        # i (n, 1) against j (1, p) is a grid: matrix products; otherwise row-wise products
        grid = np.ndim(i) == 2 and np.ndim(j) == 2 and np.shape(i)[1] == 1 and np.shape(j)[0] == 1
        all_i = grid and len(i) == len(fr) and bool(np.all(i[:, 0] == np.arange(len(fr))))  # no copy needed
        all_j = grid and j.shape[1] == len(kr) and bool(np.all(j[0] == np.arange(len(kr))))

        def dot(a, b):
            # np.take gathers rows several times faster than fancy indexing; i and j may be
            # broadcastable arrays (e.g. (n, 1) against (n, k)) so French rows are not repeated
            if grid:
                left = a if all_i else np.take(a, i[:, 0], axis=0)
                right = b if all_j else np.take(b, j[0], axis=0)
                if len(right) == 1:  # one against all: a plain loop beats threaded BLAS on a busy machine
                    return np.einsum("nd,d->n", left, right[0])[:, None].astype(np.float64)
                if len(left) == 1:
                    return np.einsum("d,pd->p", left[0], right)[None, :].astype(np.float64)
                return (left @ right.T).astype(np.float64)
            return np.einsum("...d,...d->...", np.take(a, i, axis=0), np.take(b, j, axis=0)).astype(np.float64)

        kernel = dot(fr.kernel, kr.kernel)
        compat = self.compatibility_[fr.level[i], kr.level[j]].astype(np.float64)
        size_fr = kernel * compat * fr.preference[i, kr.level[j]]
        size_kr = kernel * compat * kr.preference[j, fr.level[i]]
        base = dot(fr.text, kr.text)
        if grid:
            tfidf = sum(np.asarray(((a if all_i else a[i[:, 0]]) @ (b if all_j else b[j[0]]).T).todense(),
                                   dtype=np.float64)
                        for a, b in ((fr.latin, kr.latin), (fr.hangul, kr.hangul)))
        else:
            flat_i, flat_j = (x.ravel() for x in np.broadcast_arrays(i, j))
            tfidf = np.zeros(len(flat_i))
            for a, b in ((fr.latin, kr.latin), (fr.hangul, kr.hangul)):
                both = np.flatnonzero((np.diff(a.indptr) > 0)[flat_i] & (np.diff(b.indptr) > 0)[flat_j])  # same script
                if len(both):
                    tfidf[both] += np.asarray(a[flat_i[both]].multiply(b[flat_j[both]]).sum(axis=1)).ravel()
            tfidf = tfidf.reshape(base.shape)
        text = base + self.text_tfidf_share * (1.0 - base) * tfidf
        comp_fr, comp_kr = dot(fr.seek, kr.offer), dot(fr.offer, kr.seek)
        out = {"themes": dot(fr.themes, kr.themes), "sectors": dot(fr.sectors, kr.sectors), "text": text,
               "complementarity": (comp_fr + comp_kr) / 2.0, "size": (size_fr + size_kr) / 2.0}
        w = self.weights_
        shared = w["themes"] * out["themes"] + w["sectors"] * out["sectors"] + w["text"] * text
        fr_side = np.clip(shared + w["complementarity"] * comp_fr + w["size"] * size_fr, 0.0, 1.0)
        kr_side = np.clip(shared + w["complementarity"] * comp_kr + w["size"] * size_kr, 0.0, 1.0)
        out = {d: np.clip(v, 0.0, 1.0) for d, v in out.items()}
        out["fr_side"], out["kr_side"] = fr_side, kr_side
        out["total"] = combine_sides(fr_side, kr_side, self.combine)
        out["tfidf"], out["kernel"], out["compatibility"] = tfidf, kernel, compat
        out["comp_fr"], out["comp_kr"], out["size_fr"], out["size_kr"] = comp_fr, comp_kr, size_fr, size_kr
        if self.embedding_width_:
            out["semantic"] = dot(fr.semantic, kr.semantic)
        return out

    def _rows(self, ids: Iterable[int] | None, index: dict[int, int]) -> np.ndarray:
        """Row positions for profile ids (all rows when ids is None)."""
        if ids is None:
            return np.arange(len(index))
        try:
            return np.array([index[int(pid)] for pid in ids], dtype=np.intp)
        except KeyError as missing:
            raise KeyError(f"no fitted profile of that country with id {missing}") from None

    # ------------------------------------------------------------------ public API
    def score(self, fr_ids: Iterable[int] | None = None, kr_ids: Iterable[int] | None = None) -> dict[str, np.ndarray]:
        """Per-dimension score matrices (FR ids × KR ids), plus "fr_side", "kr_side" and "total"."""
        i = self._rows(fr_ids, self.fr_row_)
        j = self._rows(kr_ids, self.kr_row_)
        parts, fr_side, kr_side, total = self._block(self.fr_, self.fr_parts_, i, self.kr_,
                                                     self._scaled(self.kr_parts_), j)
        out = self._dimensions(parts)
        out.update(fr_side=fr_side.astype(np.float64), kr_side=kr_side.astype(np.float64),
                   total=total.astype(np.float64))
        return out

    def exclusion_pairs(self, exclude: Iterable[tuple[int, int]] = ()) -> set[tuple[int, int]]:
        """Pairs never suggested: declared existing partners plus `exclude` (rejected, not interested)."""
        return self.declared_partners_ | {(int(a), int(b)) for a, b in exclude}

    def _exclusion_matrix(self, exclude: Iterable[tuple[int, int]]) -> sparse.csr_matrix:
        """Excluded pairs as a boolean (FR rows × KR rows) sparse matrix."""
        rows, cols = [], []
        for fr_id, kr_id in self.exclusion_pairs(exclude):
            if fr_id in self.fr_row_ and kr_id in self.kr_row_:
                rows.append(self.fr_row_[fr_id])
                cols.append(self.kr_row_[kr_id])
        data = np.ones(len(rows), dtype=bool)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(self.fr_), len(self.kr_)), dtype=bool)

    def top_k(self, k: int = 10, exclude: Iterable[tuple[int, int]] = (), explain: bool = True) -> list[Match]:
        """The best k partners of every collectivité on BOTH sides (union), in pure score order.

        Pairs with a total of 0 (nothing in common at all) are never suggested. `exclude` holds
        (fr_id, kr_id) pairs rejected by staff or answered "not interested"; declared existing
        partners are always excluded. With explain, each match carries its reasons.
        """
        return self.to_matches(self.top_k_table(k, exclude), explain)

    def _totals(self, fr: SideFeatures, fr_groups: list[np.ndarray], rows: Any,
                korean: "_KoreanFactors") -> np.ndarray:
        """Pair totals (float32) of French rows `rows` against every Korean profile in `korean`.

        Three matrix products (the shared parts, then each side's own directional parts) give both
        sides' weighted totals; within-language TF-IDF is added where it is not zero.
        """
        def pick(a):
            return a[rows] if isinstance(rows, slice) or sparse.issparse(a) else np.take(a, rows, axis=0)

        shared = pick(fr_groups[0]) @ korean.groups[0]
        fr_side = pick(fr_groups[1]) @ korean.groups[1]
        fr_side += shared
        kr_side = pick(fr_groups[2]) @ korean.groups[2]
        kr_side += shared
        del shared
        share = np.float32(self.text_tfidf_share * self.weights_["text"])
        if share > 0:
            sim = sparse.coo_matrix(pick(fr.latin) @ korean.latin_t + pick(fr.hangul) @ korean.hangul_t)
            sim.sum_duplicates()  # coordinates are then unique, so += below is safe
            if sim.nnz:
                fr_rows = np.arange(len(fr))[rows][sim.row]
                base = np.einsum("ij,ij->i", np.take(fr.text, fr_rows, axis=0),
                                 np.take(korean.text, sim.col, axis=0))
                extra = share * (1.0 - base) * sim.data
                fr_side[sim.row, sim.col] += extra
                kr_side[sim.row, sim.col] += extra
        np.clip(fr_side, 0.0, 1.0, out=fr_side)  # the size kernel is exact only to 1e-3
        np.clip(kr_side, 0.0, 1.0, out=kr_side)
        return combine_sides(fr_side, kr_side, self.combine, in_place=True)

    def top_k_table(self, k: int = 10, exclude: Iterable[tuple[int, int]] = ()) -> MatchTable:
        """top_k as arrays, with no Python object per pair (large runs, the benchmark).

        Work is chunked over French rows (about chunk_cells pairs at a time). Each block costs
        three matrix products (shared parts, then each side's own); every French row keeps its best k,
        and every Korean column a running best k behind a threshold, so memory stays bounded.
        Per-dimension scores are then computed for the selected pairs only.
        """
        if k < 1:
            raise ValueError("k must be at least 1")
        n, m = len(self.fr_), len(self.kr_)
        k_row = min(k, m)
        row_idx = np.zeros((n, k_row), dtype=np.intp)
        row_val = np.zeros((n, k_row), dtype=np.float32)
        columns = _ColumnBest(m, min(k, n), self.fr_order_)
        if n and m:
            excluded = self._exclusion_matrix(exclude)
            korean = _KoreanFactors(self, self.kr_, self.kr_parts_)
            step = max(64, self.chunk_cells // m)  # fewer, larger blocks cost less Python per pair
            for start in range(0, n, step):
                rows = slice(start, min(n, start + step))
                total = self._totals(self.fr_, self.fr_groups_, rows, korean)
                ex_r, ex_c = excluded[rows].nonzero()
                total[ex_r, ex_c] = _EXCLUDED
                if k_row < m:
                    idx = np.argpartition(total, m - k_row, axis=1)[:, m - k_row:]
                else:
                    idx = np.broadcast_to(np.arange(m), total.shape)
                row_idx[rows] = idx
                row_val[rows] = np.take_along_axis(total, idx, axis=1)
                columns.add(total, start)
        return self._table(row_idx, row_val, *columns.result())

    def _table(self, row_idx, row_val, col_rows, col_cols, col_rank) -> MatchTable:
        """Union of the per-row and per-column best lists, with each side's rank, as a MatchTable."""
        n, m = len(self.fr_), len(self.kr_)
        row_rank = _ranks(row_val, self.kr_order_[row_idx], axis=1)
        row_ok = row_val > 0  # a pair with no evidence at all (total 0) is not a suggestion
        same = row_idx[col_rows] == col_cols[:, None]
        position = same.argmax(axis=1)
        in_rows = same.any(axis=1) & row_ok[col_rows, position]
        row_kr_rank = np.zeros(row_idx.shape, dtype=np.int64)
        row_kr_rank[col_rows[in_rows], position[in_rows]] = col_rank[in_rows]
        only = ~in_rows
        i = np.concatenate([np.broadcast_to(np.arange(n)[:, None], row_idx.shape)[row_ok], col_rows[only]])
        j = np.concatenate([row_idx[row_ok], col_cols[only]])
        fr_rank = np.concatenate([row_rank[row_ok], np.zeros(int(only.sum()), dtype=np.int64)])
        kr_rank = np.concatenate([row_kr_rank[row_ok], col_rank[only]])
        # the row lists as an (n, k) block: each French row is read once, not k times
        in_lists = self._pair_scores(self.fr_, np.arange(n)[:, None], self.kr_, row_idx)
        extra = self._pair_scores(self.fr_, col_rows[only], self.kr_, col_cols[only])
        scores = {key: np.concatenate([in_lists[key][row_ok], extra[key]]) for key in (*DIMENSIONS, "total", "fr_side", "kr_side")}
        order = _best_first(scores["total"], self.fr_order_[i], self.kr_order_[j], m)
        i, j, fr_rank, kr_rank = i[order], j[order], fr_rank[order], kr_rank[order]
        return MatchTable(
            fr_id=self.fr_.ids[i], kr_id=self.kr_.ids[j], total=scores["total"][order],
            scores={d: scores[d][order] for d in DIMENSIONS}, fr_side=scores["fr_side"][order],
            kr_side=scores["kr_side"][order], fr_rank=fr_rank, kr_rank=kr_rank, _rows=(self.fr_, i, self.kr_, j))

    def to_matches(self, table: MatchTable, explain: bool = True) -> list[Match]:
        """Match objects (with reasons when explain), best total first (ties by ids)."""
        fr, i, kr, j = table._rows
        order = np.lexsort((table.kr_id, table.fr_id, -table.total))
        reasons_of = self._reasons(fr, i, kr, j) if explain and len(i) else None
        out = []
        for n in order:
            reasons = tuple(reasons_of[n]) if reasons_of is not None else ()
            out.append(Match(
                fr_id=int(table.fr_id[n]), kr_id=int(table.kr_id[n]), total=round(float(table.total[n]), 6),
                scores={d: round(float(table.scores[d][n]), 6) for d in DIMENSIONS},
                sides={"fr": round(float(table.fr_side[n]), 6), "kr": round(float(table.kr_side[n]), 6)},
                fr_rank=int(table.fr_rank[n]) or None, kr_rank=int(table.kr_rank[n]) or None,
                reasons=reasons))
        return out

    def score_one(self, profile: Profile | Mapping[str, Any], k: int | None = 10,
                  exclude: Iterable[tuple[int, int]] = (), explain: bool = True) -> list[Match]:
        """Rescore one new or edited response against every fitted profile of the other country.

        Returns its best k partners (all when k is None) in score order. `fr_rank`/`kr_rank`
        are exact: the partner's rank for this response, and this response's rank in each
        partner's list (its previous version, if fitted under the same id, is left out).
        """
        if not isinstance(profile, Profile):
            profile = Profile.from_record(profile)
        is_fr = profile.country == "FR"
        other = self.kr_ if is_fr else self.fr_
        if len(other) == 0:
            return []
        new = self._vectorise([profile], profile.country)
        # one against all: per-pair formulas read ~150 numbers per candidate, not the 432 of the
        # block factors (the size part is not expanded), which keeps this fast at 36,000 candidates
        everyone, one = np.arange(len(other))[:, None], np.zeros((1, 1), dtype=np.intp)
        scores = (self._pair_scores(new, one, self.kr_, everyone.T) if is_fr
                  else self._pair_scores(self.fr_, everyone, new, one))
        scores = {key: value.ravel() for key, value in scores.items()}
        total = scores["total"].copy()
        declared = self._declared_with(profile)
        other_row = self.kr_row_ if is_fr else self.fr_row_
        for fr_id, kr_id in {(int(a), int(b)) for a, b in exclude} | declared:
            own_id, other_id = (fr_id, kr_id) if is_fr else (kr_id, fr_id)
            if own_id == profile.id and other_id in other_row:
                total[other_row[other_id]] = _EXCLUDED
        valid = np.flatnonzero(total > 0)
        order = valid[np.lexsort((other.ids[valid], -total[valid]))]
        if k is not None:
            order = order[:k]
        own_rows = np.zeros(len(order), dtype=np.intp)
        own_rank = np.arange(1, len(order) + 1)
        their_rank = self._partner_ranks(profile, new, order)
        fr, i, kr, j = (new, own_rows, self.kr_, order) if is_fr else (self.fr_, order, new, own_rows)
        table = MatchTable(
            fr_id=fr.ids[i], kr_id=kr.ids[j], total=total[order],
            scores={d: scores[d][order] for d in DIMENSIONS}, fr_side=scores["fr_side"][order],
            kr_side=scores["kr_side"][order],
            fr_rank=own_rank if is_fr else their_rank, kr_rank=their_rank if is_fr else own_rank,
            _rows=(fr, i, kr, j))
        return self.to_matches(table, explain)

    def _partner_ranks(self, profile: Profile, new: SideFeatures, partners: np.ndarray) -> np.ndarray:
        """Rank the new profile would have in each partner's own list (ties go to the lower id)."""
        is_fr = profile.country == "FR"
        own = self.fr_ if is_fr else self.kr_
        if len(partners) == 0:
            return np.zeros(0, dtype=np.int64)
        # the partners' lists, and the new profile's place in them, computed the same way as top_k
        if is_fr:
            korean = _KoreanFactors(self, self.kr_, self.kr_parts_, partners)
            column_totals = self._totals(self.fr_, self.fr_groups_, slice(None), korean)
            new_parts = self._parts(new, "FR")
            values = self._totals(new, [np.hstack([new_parts[p] for p in g]) for g in _GROUPS], slice(None), korean)[0]
        else:
            korean = _KoreanFactors(self, self.kr_, self.kr_parts_)
            column_totals = self._totals(self.fr_, self.fr_groups_, partners, korean).T
            new_korean = _KoreanFactors(self, new, self._parts(new, "KR"))
            values = self._totals(self.fr_, self.fr_groups_, partners, new_korean)[:, 0]
        own_row = self.fr_row_ if is_fr else self.kr_row_
        partner_ids = (self.kr_ if is_fr else self.fr_).ids[partners]
        column_totals[own.ids == profile.id, :] = _EXCLUDED  # the previous version of this response
        for fr_id, kr_id in self.declared_partners_:
            own_id, partner_id = (fr_id, kr_id) if is_fr else (kr_id, fr_id)
            column_totals[own_row[own_id], partner_ids == partner_id] = _EXCLUDED
        values = values[None, :]
        ahead = (column_totals > values) | ((column_totals == values) & (own.ids < profile.id)[:, None])
        return 1 + ahead.sum(axis=0)

    def _closest_sentences(self, fr: SideFeatures, i: np.ndarray, kr: SideFeatures, j: np.ndarray,
                           scores: Mapping[str, np.ndarray]) -> dict[int, Reason]:
        """For pairs where the text dimension weighs in, the closest sentence of each presentation.

        The text weighs in when its weighted score is at least TEXT_REASON_SHARE of the pair's
        weighted sum and the encoder cosine is above the floor; each sentence is quoted in its own
        language.
        """
        if not self.embedding_width_ or self.text_semantic_share == 0 or self.weights_["text"] == 0:
            return {}
        weighted = {d: self.weights_[d] * np.asarray(scores[d], dtype=np.float64) for d in DIMENSIONS}
        total = sum(weighted.values())
        wanted = np.flatnonzero((weighted["text"] >= TEXT_REASON_SHARE * total) & (total > 0)
                                & (scores["semantic"] > self.semantic_floor))
        out: dict[int, Reason] = {}
        split: dict[int, list[str]] = {}

        def usable(side: SideFeatures, row: int, key: int) -> bool:
            vectors = side.sentence_embeddings[row]
            if vectors is None or not len(vectors):
                return False
            if key not in split:
                split[key] = split_sentences(side.descriptions[row])
            return len(vectors) == len(split[key])

        pairs = [p for p in wanted.tolist() if usable(fr, int(i[p]), 2 * int(i[p])) and usable(kr, int(j[p]), 2 * int(j[p]) + 1)]
        # pairs in chunks: each side's sentence vectors padded into one (pairs, sentences, d) block, so
        # the closest sentences of thousands of pairs come from one batched product
        for start in range(0, len(pairs), 2048):
            chunk = pairs[start:start + 2048]
            fr_vectors = [fr.sentence_embeddings[int(i[p])] for p in chunk]
            kr_vectors = [kr.sentence_embeddings[int(j[p])] for p in chunk]
            a_max, b_max = max(len(v) for v in fr_vectors), max(len(v) for v in kr_vectors)
            width = fr_vectors[0].shape[1]
            left = np.zeros((len(chunk), a_max, width), dtype=np.float32)
            right = np.zeros((len(chunk), b_max, width), dtype=np.float32)
            valid = np.zeros((len(chunk), a_max, b_max), dtype=bool)
            for n, (u, v) in enumerate(zip(fr_vectors, kr_vectors)):
                left[n, :len(u)], right[n, :len(v)] = u, v
                valid[n, :len(u), :len(v)] = True
            similarity = np.where(valid, np.matmul(left, right.transpose(0, 2, 1)), -np.inf)
            best = similarity.reshape(len(chunk), -1).argmax(axis=1)
            for n, p in enumerate(chunk):
                a, b = divmod(int(best[n]), b_max)
                out[p] = Reason("close_sentences", {
                    "fr": _quote(split[2 * int(i[p])][a]), "kr": _quote(split[2 * int(j[p]) + 1][b]),
                    "similarity": round(float(similarity[n, a, b]), 2)})
        return out

    def explain(self, fr_id: int, kr_id: int) -> list[Reason]:
        """Structured reasons for one fitted pair, strongest weighted contribution first."""
        i = self._rows([fr_id], self.fr_row_)
        j = self._rows([kr_id], self.kr_row_)
        return self._reasons(self.fr_, i, self.kr_, j)[0]

    def _reasons(self, fr: SideFeatures, i: np.ndarray, kr: SideFeatures, j: np.ndarray) -> list[list[Reason]]:
        """Reasons for aligned FR rows i and KR rows j, each list strongest first (see reason_records)."""
        return [[Reason(r["code"], r["params"]) for r in pair] for pair in self._reason_records(fr, i, kr, j)]

    def reason_records(self, table: MatchTable, positions: np.ndarray | None = None) -> list[list[dict[str, Any]]]:
        """Reasons of a MatchTable's pairs (all, or those at `positions`) as JSON-ready dicts, strongest first.

        Built from the same matrices as the scores, vectorised over pairs: the code lists come from
        array overlaps, and each distinct reason is one dict shared by every pair that has it (read-only).
        """
        fr, i, kr, j = table._rows
        if positions is not None:
            i, j = i[positions], j[positions]
        return self._reason_records(fr, i, kr, j)

    def _reason_records(self, fr: SideFeatures, i: np.ndarray, kr: SideFeatures, j: np.ndarray) -> list[list[dict]]:
        """Reasons for aligned FR rows i and KR rows j as dicts; per pair, dimensions by weighted contribution."""
        n = len(i)
        if n == 0:
            return []
        scores = self._pair_scores(fr, i, kr, j)
        concept_codes = [c.code for c in self.concepts_.all]
        # one column per kind of reason, in the order reasons of a dimension are listed; None where absent
        kinds: list[tuple[str, np.ndarray]] = []
        from_text = fr.themes_inferred[i] | kr.themes_inferred[j]  # themes read in a description, not ticked
        shared = np.minimum(np.take(fr.themes_raw, i, axis=0), np.take(kr.themes_raw, j, axis=0))
        kinds.append(("themes", _code_reasons(shared, self.theme_codes_, from_text, lambda top, flag: {
            "code": "shared_themes", "params": {"codes": top, "from_text": True} if flag else {"codes": top}})))
        for offerer, giver, taker, gi, ti in (("fr", fr, kr, i, j), ("kr", kr, fr, j, i)):
            values = np.take(giver.offer, gi, axis=0) * np.take(taker.seek, ti, axis=0)
            kinds.append(("complementarity", _code_reasons(values, self.theme_codes_, None, lambda top, _, o=offerer: {
                "code": "offers", "params": {"offerer": o, "themes": top}})))
        values = np.take(fr.sectors, i, axis=0) * np.take(kr.sectors, j, axis=0)
        kinds.append(("sectors", _code_reasons(values, self.sector_codes_, None, lambda top, _: {
            "code": "shared_sectors", "params": {"codes": top}})))
        ratio = np.maximum(fr.population[i], kr.population[j]) / np.maximum(
            1.0, np.minimum(fr.population[i], kr.population[j]))
        kernel, compat = scores["kernel"], scores["compatibility"]
        similar = (kernel >= 0.5) & (compat >= 0.5)
        size = np.full(n, None, dtype=object)
        for code, mask in (("similar_size", similar), ("compatible_levels", ~similar & (compat >= 0.75))):
            at = np.flatnonzero(mask)
            size[at] = _rounded_reasons(ratio[at], 1, lambda x, c=code: {"code": c, "params": {"population_ratio": x}})
        kinds.append(("size", size))
        for chooser, prefers in (
                ("fr", (fr.preference[i].min(axis=1) < 1) & (fr.preference[i, kr.level[j]] == 1)),
                ("kr", (kr.preference[j].min(axis=1) < 1) & (kr.preference[j, fr.level[i]] == 1))):
            column = np.full(n, None, dtype=object)
            column[prefers] = [{"code": "preferred_level", "params": {"chooser": chooser}}]
            kinds.append(("size", column))
        values = np.take(fr.concepts, i, axis=0) * np.take(kr.concepts, j, axis=0)
        kinds.append(("text", _code_reasons(values, concept_codes, None, lambda top, _: {
            "code": "text_concepts", "params": {"codes": top}})))
        similar_text = np.full(n, None, dtype=object)
        at = np.flatnonzero(scores["tfidf"] >= 0.15)
        similar_text[at] = _rounded_reasons(scores["tfidf"][at], 2,
                                            lambda x: {"code": "similar_text", "params": {"similarity": x}})
        kinds.append(("text", similar_text))
        quoted = np.full(n, None, dtype=object)  # the closest sentence of each presentation, where text weighs in
        for pair, reason in self._closest_sentences(fr, i, kr, j, scores).items():
            quoted[pair] = reason.to_dict()
        kinds.append(("text", quoted))

        # dimensions by weighted contribution, strongest first; equal contributions keep DIMENSIONS' order
        weights = np.array([self.weights_[d] for d in DIMENSIONS])
        contribution = np.column_stack([weights[k] * scores[d] for k, d in enumerate(DIMENSIONS)])
        dim_order = np.argsort(-contribution, axis=1, kind="stable")
        columns_of = {d: [column for dim, column in kinds if dim == d] for d in DIMENSIONS if self.weights_[d] > 0}
        out: list[list[dict]] = [[] for _ in range(n)]
        # pairs sharing an order of dimensions read the same columns in the same sequence
        perm_key = (dim_order * (len(DIMENSIONS) ** np.arange(len(DIMENSIONS)))).sum(axis=1)
        for key in np.unique(perm_key):
            pairs = np.flatnonzero(perm_key == key)
            sequence = [column[pairs] for d in dim_order[pairs[0]] for column in columns_of.get(DIMENSIONS[d], ())]
            for pair, reasons in zip(pairs.tolist(), zip(*sequence)):
                out[pair] = [r for r in reasons if r is not None]
        return out


def _quote(sentence: str, limit: int = QUOTE_CHARS) -> str:
    """A sentence shortened to `limit` characters at a word boundary."""
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return (cut if len(cut) > limit // 2 else sentence[:limit]).rstrip(" ,;:") + "…"


def _objects(items: list) -> np.ndarray:
    """A 1-D object array of the items (dicts are kept whole, not turned into a 2-D array)."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array


def _rounded_reasons(values: np.ndarray, digits: int, make: Callable) -> np.ndarray:
    """One reason per value, made from the value rounded as Python's round() does; one dict per distinct value."""
    values = np.asarray(values, dtype=np.float64)
    rounded = np.round(values, digits)
    # NumPy rounds the scaled value; it can differ from round() only next to a half: round() decides those
    scaled = values * 10.0 ** digits
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    rounded[near_half] = [round(x, digits) for x in values[near_half].tolist()]
    unique, inverse = np.unique(rounded, return_inverse=True)
    return _objects([make(x) for x in unique.tolist()])[inverse.ravel()]


def _code_reasons(values: np.ndarray, codes: list[str], flags: np.ndarray | None, make: Callable) -> np.ndarray:
    """Per pair (row), the reason made of its top codes (None where no value is positive); one dict per distinct one."""
    n = len(values)
    out = np.full(n, None, dtype=object)
    top = _top_code_columns(values, codes)
    has = top[:, 0] >= 0
    if not has.any():
        return out
    width = len(codes) + 1
    key = ((top[:, 0] + 1) * width + (top[:, 1] + 1)) * width + (top[:, 2] + 1)
    key = key * 2 + (flags.astype(np.int64) if flags is not None else 0)
    unique, inverse = np.unique(key[has], return_inverse=True)
    made = []
    for value in unique.tolist():
        flag, rest = value % 2, value // 2
        columns = (rest // width // width - 1, rest // width % width - 1, rest % width - 1)
        made.append(make([codes[c] for c in columns if c >= 0], bool(flag)))
    out[has] = _objects(made)[inverse.ravel()]
    return out


def _top_code_columns(values: np.ndarray, codes: list[str], limit: int = 3) -> np.ndarray:
    """For each row, the columns of its up-to-`limit` positive values, by value then code (-1 pads)."""
    out = np.full((len(values), limit), -1, dtype=np.int64)
    rows, cols = np.nonzero(values > 0)
    if len(rows) == 0:
        return out
    code_rank = np.argsort(np.argsort(np.array(codes, dtype=object)))
    order = np.lexsort((code_rank[cols], -values[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    position = np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")
    keep = position < limit
    out[rows[keep], position[keep]] = cols[keep]
    return out
