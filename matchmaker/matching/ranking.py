"""Ranking: the best partners of every collectivité on both sides, and of one new or edited response.

`Ranking` is the part of MatchScorer that ranks: top_k / top_k_table over every pair in blocks, score_one for
one response, with the hard rules (declared partners and excluded pairs never returned).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import numpy as np
from scipy import sparse

from .dimensions import DIMENSIONS, GROUPS, PART_DIMENSION, combine_sides
from .features import SideFeatures
from .profile import Profile
from .reasons import Reason

if TYPE_CHECKING:
    from .scorer import MatchScorer

_EXCLUDED = -1.0  # below any real total (totals are in [0, 1])


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

    def __init__(
        self, scorer: "MatchScorer", side: SideFeatures, parts: dict[str, np.ndarray], rows: np.ndarray | None = None
    ):
        if rows is None:
            rows = np.arange(len(side))
        self.groups = [
            np.ascontiguousarray(
                np.hstack([parts[p][rows] * np.float32(scorer.weights_[PART_DIMENSION[p]]) for p in group]).T
            )
            for group in GROUPS
        ]
        self.text = side.text[rows]
        self.latin_t = side.latin[rows].T.tocsr()  # transposed once, not once per block
        self.hangul_t = side.hangul[rows].T.tocsr()


class Ranking:
    """Top lists and rescoring (the ranking part of MatchScorer)."""

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

    def _totals(self, fr: SideFeatures, fr_groups: list[np.ndarray], rows: Any, korean: "_KoreanFactors") -> np.ndarray:
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
                base = np.einsum("ij,ij->i", np.take(fr.text, fr_rows, axis=0), np.take(korean.text, sim.col, axis=0))
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
                    idx = np.argpartition(total, m - k_row, axis=1)[:, m - k_row :]
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
        scores = {
            key: np.concatenate([in_lists[key][row_ok], extra[key]])
            for key in (*DIMENSIONS, "total", "fr_side", "kr_side")
        }
        order = _best_first(scores["total"], self.fr_order_[i], self.kr_order_[j], m)
        i, j, fr_rank, kr_rank = i[order], j[order], fr_rank[order], kr_rank[order]
        return MatchTable(
            fr_id=self.fr_.ids[i],
            kr_id=self.kr_.ids[j],
            total=scores["total"][order],
            scores={d: scores[d][order] for d in DIMENSIONS},
            fr_side=scores["fr_side"][order],
            kr_side=scores["kr_side"][order],
            fr_rank=fr_rank,
            kr_rank=kr_rank,
            _rows=(self.fr_, i, self.kr_, j),
        )

    def to_matches(self, table: MatchTable, explain: bool = True) -> list[Match]:
        """Match objects (with reasons when explain), best total first (ties by ids)."""
        fr, i, kr, j = table._rows
        order = np.lexsort((table.kr_id, table.fr_id, -table.total))
        reasons_of = self._reasons(fr, i, kr, j) if explain and len(i) else None
        out = []
        for n in order:
            reasons = tuple(reasons_of[n]) if reasons_of is not None else ()
            out.append(
                Match(
                    fr_id=int(table.fr_id[n]),
                    kr_id=int(table.kr_id[n]),
                    total=round(float(table.total[n]), 6),
                    scores={d: round(float(table.scores[d][n]), 6) for d in DIMENSIONS},
                    sides={"fr": round(float(table.fr_side[n]), 6), "kr": round(float(table.kr_side[n]), 6)},
                    fr_rank=int(table.fr_rank[n]) or None,
                    kr_rank=int(table.kr_rank[n]) or None,
                    reasons=reasons,
                )
            )
        return out

    def score_one(
        self,
        profile: Profile | Mapping[str, Any],
        k: int | None = 10,
        exclude: Iterable[tuple[int, int]] = (),
        explain: bool = True,
    ) -> list[Match]:
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
        scores = (
            self._pair_scores(new, one, self.kr_, everyone.T)
            if is_fr
            else self._pair_scores(self.fr_, everyone, new, one)
        )
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
            fr_id=fr.ids[i],
            kr_id=kr.ids[j],
            total=total[order],
            scores={d: scores[d][order] for d in DIMENSIONS},
            fr_side=scores["fr_side"][order],
            kr_side=scores["kr_side"][order],
            fr_rank=own_rank if is_fr else their_rank,
            kr_rank=their_rank if is_fr else own_rank,
            _rows=(fr, i, kr, j),
        )
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
            values = self._totals(new, [np.hstack([new_parts[p] for p in g]) for g in GROUPS], slice(None), korean)[0]
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
