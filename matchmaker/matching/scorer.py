"""MatchScorer: scores every French–Korean pair on five dimensions and ranks partners both ways."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator

from .concepts import ConceptTable, KeywordMatcher
from .features import (FR_LEVELS, KR_LEVELS, UNKNOWN_LEVEL, UNKNOWN_LEVEL_COMPATIBILITY, SideFeatures,
                       SizeKernel, TextSpaces, side_features)
from .profile import Profile
from .reasons import Reason

DIMENSIONS = ("themes", "complementarity", "sectors", "size", "text")
# Explicit answers (themes, offers/seeks) weigh most; free text is next since it is the only
# signal when nothing is ticked; size/level and sectors refine.
DEFAULT_WEIGHTS = {"themes": 0.30, "complementarity": 0.20, "sectors": 0.10, "size": 0.15, "text": 0.25}
COMBINE = ("harmonic", "geometric", "arithmetic", "min")
_EXCLUDED = -1.0  # below any real total (totals are in [0, 1])


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


def combine_sides(fr_side: np.ndarray, kr_side: np.ndarray, how: str) -> np.ndarray:
    """Combine the two directional totals so that a pair suiting only one side ranks low."""
    a = np.maximum(fr_side, 0.0)
    b = np.maximum(kr_side, 0.0)
    if how == "harmonic":
        s = a + b
        return np.divide(2.0 * a * b, s, out=np.zeros_like(s), where=s > 0)
    if how == "geometric":
        return np.sqrt(a * b)
    if how == "arithmetic":
        return (a + b) / 2.0
    if how == "min":
        return np.minimum(a, b)
    raise ValueError(f"combine must be one of {COMBINE}, not {how!r}")


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
    """Matches as parallel arrays (one entry per pair, sorted by total); rank 0 means beyond k."""

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
    text_tfidf_share : how much of the room left by the concept match (1 - concepts) within-language
        TF-IDF similarity can fill: text = concepts + share * (1 - concepts) * tfidf.
    infer_from_text : when no theme (sector) is ticked, take them from the description's concepts.
    taxonomy : themes and sectors with labels and keywords (taxonomy.json dict or dataclasses).
    level_compatibility : compatibility[fr_level][kr_level] in [0,1], or a function (fr, kr) -> value;
        None means every level pair is compatible.
    chunk_size : French rows scored at once in top_k (bounds memory).
    """

    def __init__(self, weights: Mapping[str, float] | None = None, combine: str = "harmonic",
                 size_bandwidth: float = 1.5, unpreferred_level: float = 0.5,
                 text_tfidf_share: float = 0.5, infer_from_text: bool = True,
                 taxonomy: Any = None, level_compatibility: Any = None, chunk_size: int = 2048):
        self.weights = weights
        self.combine = combine
        self.size_bandwidth = size_bandwidth
        self.unpreferred_level = unpreferred_level
        self.text_tfidf_share = text_tfidf_share
        self.infer_from_text = infer_from_text
        self.taxonomy = taxonomy
        self.level_compatibility = level_compatibility
        self.chunk_size = chunk_size

    # ------------------------------------------------------------------ fitting
    def fit(self, profiles: Iterable[Profile | Mapping[str, Any]], y: Any = None) -> "MatchScorer":
        """Learn vocabularies (themes, sectors, levels, TF-IDF) and vectorise every profile; returns self."""
        profiles = [p if isinstance(p, Profile) else Profile.from_record(p) for p in profiles]
        ids = [p.id for p in profiles]
        if len(set(ids)) != len(ids):
            raise ValueError("profile ids must be unique")
        if self.combine not in COMBINE:
            raise ValueError(f"combine must be one of {COMBINE}, not {self.combine!r}")
        if not 0 <= self.unpreferred_level <= 1 or not 0 <= self.text_tfidf_share <= 1:
            raise ValueError("unpreferred_level and text_tfidf_share must be in [0, 1]")
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
        seen = {c: {p.level for p in profiles if p.country == c and p.level} for c in ("FR", "KR")}
        self.fr_levels_ = vocabulary(list(FR_LEVELS), seen["FR"] | table_fr) + [UNKNOWN_LEVEL]
        self.kr_levels_ = vocabulary(list(KR_LEVELS), seen["KR"] | table_kr) + [UNKNOWN_LEVEL]
        self.compatibility_ = _compatibility_table(self.level_compatibility, self.fr_levels_, self.kr_levels_)
        self.size_kernel_ = SizeKernel(self.size_bandwidth)
        self.text_spaces_ = TextSpaces().fit([p.description for p in profiles])

        # Unknown populations take the median of the same country and level (then of the country).
        self.typical_population_: dict[tuple[str, str], float] = {}
        for country in ("FR", "KR"):
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
        self.fr_blocks_ = self._blocks(self.fr_, "FR")
        self.kr_blocks_ = self._blocks(self.kr_, "KR")
        self.declared_partners_ = self._declared_pairs(self.fr_profiles_, self.kr_profiles_)
        return self

    def _vectorise(self, profiles: list[Profile], country: str) -> SideFeatures:
        """Feature blocks for profiles of one country, with the fitted vocabularies."""
        own, other = ((self.fr_levels_, self.kr_levels_) if country == "FR"
                      else (self.kr_levels_, self.fr_levels_))
        return side_features(
            profiles, theme_codes=self.theme_codes_, sector_codes=self.sector_codes_,
            keywords=self.keywords_, text_spaces=self.text_spaces_, size_kernel=self.size_kernel_,
            levels=own, other_levels=other, typical_population=self.typical_population_,
            infer_from_text=self.infer_from_text, unpreferred_level=self.unpreferred_level)

    def _column_dimensions(self) -> tuple[np.ndarray, np.ndarray]:
        """Dimension index of each column of the two direction blocks (to apply weights)."""
        t, s, c = len(self.theme_codes_), len(self.sector_codes_), len(self.concepts_.all)
        r = self.size_kernel_.projection.shape[1]
        head = [0] * t + [2] * s + [4] * c + [1] * t
        return (np.array(head + [3] * (r * len(self.kr_levels_))),
                np.array(head + [3] * (r * len(self.fr_levels_))))

    def _blocks(self, side: SideFeatures, country: str) -> tuple[np.ndarray, np.ndarray]:
        """The side's matrices for the French direction and the Korean direction.

        French direction (how well KR suits FR): FR rows [themes, sectors, concepts, seek,
        kernel ⊗ (compatibility row × FR preference)] against KR rows [themes, sectors,
        concepts, offer, kernel ⊗ one-hot KR level]; the Korean direction mirrors it. Each
        dot product is then the unweighted sum of the directional dimension scores.
        """
        common = [side.themes, side.sectors, side.concepts]
        if country == "FR":
            fr_pref = self.compatibility_[side.level] * side.preference
            fr_dir = np.hstack(common + [side.seek, _khatri_rao(side.kernel, fr_pref)])
            onehot = np.eye(len(self.fr_levels_), dtype=np.float32)[side.level]
            kr_dir = np.hstack(common + [side.offer, _khatri_rao(side.kernel, onehot)])
        else:
            onehot = np.eye(len(self.kr_levels_), dtype=np.float32)[side.level]
            fr_dir = np.hstack(common + [side.offer, _khatri_rao(side.kernel, onehot)])
            kr_pref = self.compatibility_[:, side.level].T * side.preference
            kr_dir = np.hstack(common + [side.seek, _khatri_rao(side.kernel, kr_pref)])
        return (np.ascontiguousarray(fr_dir, dtype=np.float32),
                np.ascontiguousarray(kr_dir, dtype=np.float32))

    def _declared_pairs(self, fr: list[Profile], kr: list[Profile]) -> set[tuple[int, int]]:
        """(fr_id, kr_id) pairs where either side declared the other as an existing partner."""
        pairs: set[tuple[int, int]] = set()
        for side, others, fr_first in ((fr, kr, True), (kr, fr, False)):
            index: dict[str, list[int]] = {}
            for other in others:
                for key in other.identity_keys():
                    index.setdefault(key, []).append(other.id)
            for profile in side:
                for key in profile.partner_keys():
                    for other_id in index.get(key, ()):
                        pairs.add((profile.id, other_id) if fr_first else (other_id, profile.id))
        return pairs

    # ------------------------------------------------------------------ scoring core
    def _weighted(self, blocks: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Scale the two direction blocks of one side by the weights of their columns."""
        cols_fr, cols_kr = self._column_dimensions()
        w = np.array([self.weights_[d] for d in DIMENSIONS], dtype=np.float32)
        return blocks[0] * w[cols_fr], blocks[1] * w[cols_kr]

    def _tfidf(self, fr: SideFeatures, fr_rows: Any, kr: SideFeatures, kr_rows: Any) -> sparse.coo_matrix:
        """Within-language TF-IDF cosine for the given rows (sparse: zero across languages)."""
        sim = fr.latin[fr_rows] @ kr.latin[kr_rows].T + fr.hangul[fr_rows] @ kr.hangul[kr_rows].T
        return sparse.coo_matrix(sim)

    def _side_totals(self, fr: SideFeatures, fr_blocks, fr_rows, kr: SideFeatures, kr_blocks_weighted,
                     kr_rows) -> tuple[np.ndarray, np.ndarray]:
        """Directional totals (French side, Korean side) for a block of FR rows × KR rows."""
        fr_side = fr_blocks[0][fr_rows] @ kr_blocks_weighted[0][kr_rows].T
        kr_side = fr_blocks[1][fr_rows] @ kr_blocks_weighted[1][kr_rows].T
        share = self.text_tfidf_share * self.weights_["text"]
        if share > 0:
            sim = self._tfidf(fr, fr_rows, kr, kr_rows)
            if sim.nnz:
                fr_idx = np.arange(len(fr))[fr_rows][sim.row]
                kr_idx = np.arange(len(kr))[kr_rows][sim.col]
                concepts = np.einsum("ij,ij->i", fr.concepts[fr_idx], kr.concepts[kr_idx])
                extra = (share * (1.0 - concepts) * sim.data).astype(np.float32)
                np.add.at(fr_side, (sim.row, sim.col), extra)
                np.add.at(kr_side, (sim.row, sim.col), extra)
        return fr_side, kr_side

    def _pair_scores(self, fr: SideFeatures, i: np.ndarray, kr: SideFeatures, j: np.ndarray) -> dict[str, np.ndarray]:
        """Per-dimension scores (both directions) for aligned arrays of FR rows i and KR rows j."""
        def dot(a, b):
            return np.einsum("ij,ij->i", a[i].astype(np.float64), b[j].astype(np.float64))

        kernel = dot(fr.kernel, kr.kernel)
        compat = self.compatibility_[fr.level[i], kr.level[j]]
        size_fr = np.clip(kernel * compat * fr.preference[i, kr.level[j]], 0.0, 1.0)
        size_kr = np.clip(kernel * compat * kr.preference[j, fr.level[i]], 0.0, 1.0)
        concepts = dot(fr.concepts, kr.concepts)
        tfidf = (np.asarray(fr.latin[i].multiply(kr.latin[j]).sum(axis=1)).ravel()
                 + np.asarray(fr.hangul[i].multiply(kr.hangul[j]).sum(axis=1)).ravel())
        text = concepts + self.text_tfidf_share * (1.0 - concepts) * tfidf
        comp_fr = dot(fr.seek, kr.offer)
        comp_kr = dot(fr.offer, kr.seek)
        out = {
            "themes": dot(fr.themes, kr.themes),
            "complementarity": (comp_fr + comp_kr) / 2.0,
            "sectors": dot(fr.sectors, kr.sectors),
            "size": (size_fr + size_kr) / 2.0,
            "text": text,
        }
        w = self.weights_
        shared = w["themes"] * out["themes"] + w["sectors"] * out["sectors"] + w["text"] * text
        fr_side = np.clip(shared + w["complementarity"] * comp_fr + w["size"] * size_fr, 0.0, 1.0)
        kr_side = np.clip(shared + w["complementarity"] * comp_kr + w["size"] * size_kr, 0.0, 1.0)
        out = {d: np.clip(v, 0.0, 1.0) for d, v in out.items()}
        out["fr_side"], out["kr_side"] = fr_side, kr_side
        out["total"] = combine_sides(fr_side, kr_side, self.combine)
        out["tfidf"], out["kernel"], out["compatibility"] = tfidf, kernel, compat
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
        ii, jj = np.meshgrid(i, j, indexing="ij")
        scores = self._pair_scores(self.fr_, ii.ravel(), self.kr_, jj.ravel())
        keep = DIMENSIONS + ("fr_side", "kr_side", "total")
        return {d: scores[d].reshape(len(i), len(j)) for d in keep}

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

        Pairs with a total of 0 (nothing in common at all) are never suggested. `exclude` holds (fr_id, kr_id) pairs rejected by staff or answered "not interested";
        declared existing partners are always excluded. With explain, each match carries its reasons.
        """
        return self.to_matches(self.top_k_table(k, exclude), explain)

    def top_k_table(self, k: int = 10, exclude: Iterable[tuple[int, int]] = ()) -> MatchTable:
        """top_k as arrays (no Python object per pair): what large runs and the benchmark use.

        `exclude` holds (fr_id, kr_id) pairs rejected by staff or answered "not interested";
        declared existing partners are always excluded. Work is chunked over French rows, so
        memory stays bounded by chunk_size × number of Korean profiles.
        """
        n, m = len(self.fr_), len(self.kr_)
        if k < 1:
            raise ValueError("k must be at least 1")
        if n == 0 or m == 0:
            empty = np.zeros(0, dtype=np.int64)
            return self._make_table(self.fr_, empty, self.kr_, empty, empty, empty)
        k_row, k_col = min(k, m), min(k, n)
        excluded = self._exclusion_matrix(exclude)
        kr_weighted = self._weighted(self.kr_blocks_)
        row_idx = np.empty((n, k_row), dtype=np.intp)
        row_val = np.empty((n, k_row), dtype=np.float32)
        col_idx = np.empty((0, m), dtype=np.intp)
        col_val = np.empty((0, m), dtype=np.float32)
        for start in range(0, n, max(1, self.chunk_size)):
            stop = min(n, start + self.chunk_size)
            rows = slice(start, stop)
            fr_side, kr_side = self._side_totals(self.fr_, self.fr_blocks_, rows, self.kr_, kr_weighted,
                                                 slice(None))
            total = combine_sides(fr_side, kr_side, self.combine)
            del fr_side, kr_side
            ex_r, ex_c = excluded[rows].nonzero()
            total[ex_r, ex_c] = _EXCLUDED
            # per French row
            if k_row < m:
                idx = np.argpartition(total, m - k_row, axis=1)[:, m - k_row:]
            else:
                idx = np.broadcast_to(np.arange(m), (stop - start, m))
            row_idx[rows] = idx
            row_val[rows] = np.take_along_axis(total, idx, axis=1)
            # per Korean column: merge this chunk's best with the running best
            c = stop - start
            kc = min(k_col, c)
            idx = np.argpartition(total, c - kc, axis=0)[c - kc:] if kc < c else np.broadcast_to(
                np.arange(c)[:, None], (c, m))
            vals = np.take_along_axis(total, idx, axis=0)
            col_idx = np.vstack([col_idx, idx + start])
            col_val = np.vstack([col_val, vals])
            if len(col_idx) > k_col:
                keep = np.argpartition(col_val, len(col_idx) - k_col, axis=0)[len(col_idx) - k_col:]
                col_idx = np.take_along_axis(col_idx, keep, axis=0)
                col_val = np.take_along_axis(col_val, keep, axis=0)
        return self._table(row_idx, row_val, col_idx, col_val)

    def _table(self, row_idx, row_val, col_idx, col_val) -> "MatchTable":
        """Union of the per-row and per-column top lists, with exact ranks, as arrays."""
        m = len(self.kr_)
        fr_ids, kr_ids = self.fr_.ids, self.kr_.ids
        # Rank within each list: score descending, ties to the lower partner id.
        row_order = np.lexsort((kr_ids[row_idx], -row_val), axis=1)
        row_idx = np.take_along_axis(row_idx, row_order, axis=1)
        row_val = np.take_along_axis(row_val, row_order, axis=1)
        col_order = np.lexsort((fr_ids[col_idx], -col_val), axis=0)
        col_idx = np.take_along_axis(col_idx, col_order, axis=0)
        col_val = np.take_along_axis(col_val, col_order, axis=0)
        row_rank = np.broadcast_to(np.arange(1, row_idx.shape[1] + 1), row_idx.shape)
        col_rank = np.broadcast_to(np.arange(1, col_idx.shape[0] + 1)[:, None], col_idx.shape)
        # a pair with no evidence at all (total 0) is not a suggestion
        row_ok, col_ok = row_val > 0, col_val > 0
        row_code = (np.arange(len(row_idx))[:, None] * m + row_idx)[row_ok]
        col_code = (col_idx * m + np.arange(m)[None, :])[col_ok]
        codes = np.union1d(row_code, col_code)
        fr_rank = np.zeros(len(codes), dtype=np.int64)
        kr_rank = np.zeros(len(codes), dtype=np.int64)
        fr_rank[np.searchsorted(codes, row_code)] = row_rank[row_ok]
        kr_rank[np.searchsorted(codes, col_code)] = col_rank[col_ok]
        i, j = codes // m, codes % m
        return self._make_table(self.fr_, i, self.kr_, j, fr_rank, kr_rank)

    def _make_table(self, fr, i, kr, j, fr_rank, kr_rank) -> "MatchTable":
        """A MatchTable for aligned FR rows i and KR rows j, sorted by total (ties by ids)."""
        scores = self._pair_scores(fr, i, kr, j)
        order = np.lexsort((kr.ids[j], fr.ids[i], -scores["total"]))
        return MatchTable(
            fr_id=fr.ids[i][order], kr_id=kr.ids[j][order], total=scores["total"][order],
            scores={d: scores[d][order] for d in DIMENSIONS},
            fr_side=scores["fr_side"][order], kr_side=scores["kr_side"][order],
            fr_rank=np.asarray(fr_rank)[order], kr_rank=np.asarray(kr_rank)[order],
            _rows=(fr, i[order], kr, j[order], {d: v[order] for d, v in scores.items()}))

    def to_matches(self, table: MatchTable, explain: bool = True) -> list[Match]:
        """Match objects (with reasons when explain) from a MatchTable, in the table's order."""
        fr, i, kr, j, scores = table._rows
        out = []
        for n in range(len(table)):
            reasons = (tuple(self._reasons(fr, int(i[n]), kr, int(j[n]), {d: v[n] for d, v in scores.items()}))
                       if explain else ())
            out.append(Match(
                fr_id=int(table.fr_id[n]), kr_id=int(table.kr_id[n]), total=float(table.total[n]),
                scores={d: float(table.scores[d][n]) for d in DIMENSIONS},
                sides={"fr": float(table.fr_side[n]), "kr": float(table.kr_side[n])},
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
        new = self._vectorise([profile], profile.country)
        new_blocks = self._blocks(new, profile.country)
        is_fr = profile.country == "FR"
        other = self.kr_ if is_fr else self.fr_
        if len(other) == 0:
            return []
        if is_fr:
            fr_side, kr_side = self._side_totals(new, new_blocks, slice(None), self.kr_,
                                                 self._weighted(self.kr_blocks_), slice(None))
        else:
            fr_side, kr_side = self._side_totals(self.fr_, self.fr_blocks_, slice(None), new,
                                                 self._weighted(new_blocks), slice(None))
        total = combine_sides(fr_side, kr_side, self.combine).ravel()
        excluded = {(int(a), int(b)) for a, b in exclude}
        other_profiles = self.kr_profiles_ if is_fr else self.fr_profiles_
        declared = (self._declared_pairs([profile], other_profiles) if is_fr
                    else self._declared_pairs(other_profiles, [profile]))
        for fr_id, kr_id in excluded | declared:
            other_id, own_id = (kr_id, fr_id) if is_fr else (fr_id, kr_id)
            row = (self.kr_row_ if is_fr else self.fr_row_).get(other_id)
            if own_id == profile.id and row is not None:
                total[row] = _EXCLUDED
        valid = np.flatnonzero(total > 0)
        order = valid[np.lexsort((other.ids[valid], -total[valid]))]
        if k is not None:
            order = order[:k]
        own_rows = np.zeros(len(order), dtype=np.intp)
        own_rank = np.arange(1, len(order) + 1)
        their_rank = self._partner_ranks(profile, order, total[order])
        if is_fr:
            table = self._make_table(new, own_rows, self.kr_, order, own_rank, their_rank)
        else:
            table = self._make_table(self.fr_, order, new, own_rows, their_rank, own_rank)
        return self.to_matches(table, explain)

    def _partner_ranks(self, profile: Profile, partners: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Rank the new profile would have in each partner's own list (ties go to the lower id)."""
        is_fr = profile.country == "FR"
        own = self.fr_ if is_fr else self.kr_
        if is_fr:
            fr_side, kr_side = self._side_totals(self.fr_, self.fr_blocks_, slice(None), self.kr_,
                                                 self._weighted(self.kr_blocks_), partners)
            column_totals = combine_sides(fr_side, kr_side, self.combine)       # (own rows, partners)
        else:
            fr_side, kr_side = self._side_totals(self.fr_, self.fr_blocks_, partners, self.kr_,
                                                 self._weighted(self.kr_blocks_), slice(None))
            column_totals = combine_sides(fr_side, kr_side, self.combine).T     # (own rows, partners)
        own_row = self.fr_row_ if is_fr else self.kr_row_
        partner_ids = (self.kr_ if is_fr else self.fr_).ids[partners]
        column_totals[own.ids == profile.id, :] = _EXCLUDED  # the previous version of this response
        for fr_id, kr_id in self.declared_partners_:
            own_id, partner_id = (fr_id, kr_id) if is_fr else (kr_id, fr_id)
            column_totals[own_row[own_id], partner_ids == partner_id] = _EXCLUDED
        values = np.asarray(values, dtype=np.float32)[None, :]
        ahead = (column_totals > values) | ((column_totals == values) & (own.ids < profile.id)[:, None])
        return 1 + ahead.sum(axis=0)

    def explain(self, fr_id: int, kr_id: int) -> list[Reason]:
        """Structured reasons for one fitted pair, strongest weighted contribution first."""
        i = self._rows([fr_id], self.fr_row_)
        j = self._rows([kr_id], self.kr_row_)
        scores = self._pair_scores(self.fr_, i, self.kr_, j)
        return self._reasons(self.fr_, i[0], self.kr_, j[0], {d: v[0] for d, v in scores.items()})

    def _reasons(self, fr: SideFeatures, i: int, kr: SideFeatures, j: int, scores: dict[str, float]) -> list[Reason]:
        """Reasons for FR row i and KR row j, given that pair's scores."""
        found: list[tuple[str, Reason]] = []

        def top_codes(values: np.ndarray, codes: list[str], limit: int = 3) -> list[str]:
            order = sorted((-float(values[c]), codes[c]) for c in np.flatnonzero(values > 0))
            return [code for _, code in order[:limit]]

        shared = np.minimum(fr.themes_raw[i], kr.themes_raw[j])
        if shared.any():
            found.append(("themes", Reason("shared_themes", {"codes": top_codes(shared, self.theme_codes_)})))
        for offerer, giver, taker, gi, ti in (("fr", fr, kr, i, j), ("kr", kr, fr, j, i)):
            overlap = giver.offer[gi] * taker.seek[ti]
            if overlap.any():
                found.append(("complementarity", Reason(
                    "offers", {"offerer": offerer, "themes": top_codes(overlap, self.theme_codes_)})))
        sectors = fr.sectors[i] * kr.sectors[j]
        if sectors.any():
            found.append(("sectors", Reason("shared_sectors", {"codes": top_codes(sectors, self.sector_codes_)})))
        kernel, compat = float(scores["kernel"]), float(scores["compatibility"])
        ratio = float(max(fr.population[i], kr.population[j]) / max(1.0, min(fr.population[i], kr.population[j])))
        if kernel >= 0.5 and compat >= 0.5:
            found.append(("size", Reason("similar_size", {"population_ratio": round(ratio, 1)})))
        elif compat >= 0.75:
            found.append(("size", Reason("compatible_levels", {"population_ratio": round(ratio, 1)})))
        for chooser, side, row, partner_level in (("fr", fr, i, kr.level[j]), ("kr", kr, j, fr.level[i])):
            if side.preference[row].min() < 1 and side.preference[row, partner_level] == 1:
                found.append(("size", Reason("preferred_level", {"chooser": chooser})))
        concept_codes = [c.code for c in self.concepts_.all]
        both = fr.concepts[i] * kr.concepts[j]
        if both.any():
            found.append(("text", Reason("text_concepts", {"codes": top_codes(both, concept_codes)})))
        if float(scores["tfidf"]) >= 0.15:
            found.append(("text", Reason("similar_text", {"similarity": round(float(scores["tfidf"]), 2)})))
        weight = {d: self.weights_[d] * float(scores[d]) for d in DIMENSIONS}
        found = [(dim, reason) for dim, reason in found if self.weights_[dim] > 0]
        found.sort(key=lambda item: -weight[item[0]])
        return [reason for _, reason in found]
