"""Scoring: every dimension of a set of French–Korean pairs, from the fitted factors.

`PairScoring` is the part of MatchScorer that computes scores: score_pairs (FR × KR matrices), the block
products that ranking runs over all pairs, and the direct per-pair formulas explanations and tests use.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
from scipy import sparse

from .dimensions import DIMENSIONS, PART_DIMENSION, PARTS, combine_sides
from .features import SideFeatures


class PairScoring:
    """Scores of pairs of fitted (or newly vectorised) profiles (the scoring part of MatchScorer)."""

    def _scales(self) -> dict[str, float]:
        """Factor each part is computed with: its weight, or 1 for a dimension weighted 0 (still reported)."""
        return {p: self.weights_[PART_DIMENSION[p]] or 1.0 for p in PARTS}

    def _scaled(self, kr_parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Korean-side parts multiplied by their scale, so the products come out weighted."""
        scales = self._scales()
        return {p: kr_parts[p] * np.float32(scales[p]) for p in PARTS}

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
            sim = sparse.coo_matrix(
                take(fr.latin, fr_rows) @ take(kr.latin, kr_rows).T
                + take(fr.hangul, fr_rows) @ take(kr.hangul, kr_rows).T
            )
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
        dims = {
            "themes": v["themes"],
            "sectors": v["sectors"],
            "text": v["text"],
            "complementarity": (v["comp_fr"] + v["comp_kr"]) / 2.0,
            "size": (v["size_fr"] + v["size_kr"]) / 2.0,
        }
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
            tfidf = sum(
                np.asarray(((a if all_i else a[i[:, 0]]) @ (b if all_j else b[j[0]]).T).todense(), dtype=np.float64)
                for a, b in ((fr.latin, kr.latin), (fr.hangul, kr.hangul))
            )
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
        out = {
            "themes": dot(fr.themes, kr.themes),
            "sectors": dot(fr.sectors, kr.sectors),
            "text": text,
            "complementarity": (comp_fr + comp_kr) / 2.0,
            "size": (size_fr + size_kr) / 2.0,
        }
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
    def score_pairs(
        self, fr_ids: Iterable[int] | None = None, kr_ids: Iterable[int] | None = None
    ) -> dict[str, np.ndarray]:
        """Per-dimension score matrices (FR ids × KR ids), plus "fr_side", "kr_side" and "total".

        Not named `score`: scikit-learn reserves score(X, y) for a goodness of fit."""
        i = self._rows(fr_ids, self.fr_row_)
        j = self._rows(kr_ids, self.kr_row_)
        parts, fr_side, kr_side, total = self._block(
            self.fr_, self.fr_parts_, i, self.kr_, self._scaled(self.kr_parts_), j
        )
        out = self._dimensions(parts)
        out.update(
            fr_side=fr_side.astype(np.float64), kr_side=kr_side.astype(np.float64), total=total.astype(np.float64)
        )
        return out
