"""Explaining: why a pair was suggested, as structured reasons built from the same matrices as the scores.

`Explaining` is the part of MatchScorer that explains: explain (one pair), reason_records (a MatchTable's pairs,
vectorised), and the closest sentences of both presentations when the text weighs in.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from .dimensions import DIMENSIONS
from .features import SideFeatures
from .ranking import MatchTable
from .reasons import Reason
from .sentences import split_sentences

# The closest sentences are quoted when the text makes at least this share of a pair's weighted sum.
TEXT_REASON_SHARE = 0.2
QUOTE_CHARS = 160


class Explaining:
    """Reasons of fitted pairs (the explaining part of MatchScorer)."""

    def _closest_sentences(
        self, fr: SideFeatures, i: np.ndarray, kr: SideFeatures, j: np.ndarray, scores: Mapping[str, np.ndarray]
    ) -> dict[int, Reason]:
        """For pairs where the text dimension weighs in, the closest sentence of each presentation.

        The text weighs in when its weighted score is at least TEXT_REASON_SHARE of the pair's
        weighted sum and the encoder cosine is above the floor; each sentence is quoted in its own
        language.
        """
        if not self.embedding_width_ or self.text_semantic_share == 0 or self.weights_["text"] == 0:
            return {}
        weighted = {d: self.weights_[d] * np.asarray(scores[d], dtype=np.float64) for d in DIMENSIONS}
        total = sum(weighted.values())
        wanted = np.flatnonzero(
            (weighted["text"] >= TEXT_REASON_SHARE * total) & (total > 0) & (scores["semantic"] > self.semantic_floor)
        )
        out: dict[int, Reason] = {}
        split: dict[int, list[str]] = {}

        def usable(side: SideFeatures, row: int, key: int) -> bool:
            vectors = side.sentence_embeddings[row]
            if vectors is None or not len(vectors):
                return False
            if key not in split:
                split[key] = split_sentences(side.descriptions[row])
            return len(vectors) == len(split[key])

        pairs = [
            p
            for p in wanted.tolist()
            if usable(fr, int(i[p]), 2 * int(i[p])) and usable(kr, int(j[p]), 2 * int(j[p]) + 1)
        ]
        # pairs in chunks: each side's sentence vectors padded into one (pairs, sentences, d) block, so
        # the closest sentences of thousands of pairs come from one batched product
        for start in range(0, len(pairs), 2048):
            chunk = pairs[start : start + 2048]
            fr_vectors = [fr.sentence_embeddings[int(i[p])] for p in chunk]
            kr_vectors = [kr.sentence_embeddings[int(j[p])] for p in chunk]
            a_max, b_max = max(len(v) for v in fr_vectors), max(len(v) for v in kr_vectors)
            width = fr_vectors[0].shape[1]
            left = np.zeros((len(chunk), a_max, width), dtype=np.float32)
            right = np.zeros((len(chunk), b_max, width), dtype=np.float32)
            valid = np.zeros((len(chunk), a_max, b_max), dtype=bool)
            for n, (u, v) in enumerate(zip(fr_vectors, kr_vectors)):
                left[n, : len(u)], right[n, : len(v)] = u, v
                valid[n, : len(u), : len(v)] = True
            similarity = np.where(valid, np.matmul(left, right.transpose(0, 2, 1)), -np.inf)
            best = similarity.reshape(len(chunk), -1).argmax(axis=1)
            for n, p in enumerate(chunk):
                a, b = divmod(int(best[n]), b_max)
                out[p] = Reason(
                    "close_sentences",
                    {
                        "fr": _quote(split[2 * int(i[p])][a]),
                        "kr": _quote(split[2 * int(j[p]) + 1][b]),
                        "similarity": round(float(similarity[n, a, b]), 2),
                    },
                )
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
        kinds.append(
            (
                "themes",
                _code_reasons(
                    shared,
                    self.theme_codes_,
                    from_text,
                    lambda top, flag: {
                        "code": "shared_themes",
                        "params": {"codes": top, "from_text": True} if flag else {"codes": top},
                    },
                ),
            )
        )
        for offerer, giver, taker, gi, ti in (("fr", fr, kr, i, j), ("kr", kr, fr, j, i)):
            values = np.take(giver.offer, gi, axis=0) * np.take(taker.seek, ti, axis=0)
            kinds.append(
                (
                    "complementarity",
                    _code_reasons(
                        values,
                        self.theme_codes_,
                        None,
                        lambda top, _, o=offerer: {"code": "offers", "params": {"offerer": o, "themes": top}},
                    ),
                )
            )
        values = np.take(fr.sectors, i, axis=0) * np.take(kr.sectors, j, axis=0)
        kinds.append(
            (
                "sectors",
                _code_reasons(
                    values,
                    self.sector_codes_,
                    None,
                    lambda top, _: {"code": "shared_sectors", "params": {"codes": top}},
                ),
            )
        )
        ratio = np.maximum(fr.population[i], kr.population[j]) / np.maximum(
            1.0, np.minimum(fr.population[i], kr.population[j])
        )
        kernel, compat = scores["kernel"], scores["compatibility"]
        similar = (kernel >= 0.5) & (compat >= 0.5)
        size = np.full(n, None, dtype=object)
        for code, mask in (("similar_size", similar), ("compatible_levels", ~similar & (compat >= 0.75))):
            at = np.flatnonzero(mask)
            size[at] = _rounded_reasons(ratio[at], 1, lambda x, c=code: {"code": c, "params": {"population_ratio": x}})
        kinds.append(("size", size))
        for chooser, prefers in (
            ("fr", (fr.preference[i].min(axis=1) < 1) & (fr.preference[i, kr.level[j]] == 1)),
            ("kr", (kr.preference[j].min(axis=1) < 1) & (kr.preference[j, fr.level[i]] == 1)),
        ):
            column = np.full(n, None, dtype=object)
            column[prefers] = [{"code": "preferred_level", "params": {"chooser": chooser}}]
            kinds.append(("size", column))
        values = np.take(fr.concepts, i, axis=0) * np.take(kr.concepts, j, axis=0)
        kinds.append(
            (
                "text",
                _code_reasons(
                    values, concept_codes, None, lambda top, _: {"code": "text_concepts", "params": {"codes": top}}
                ),
            )
        )
        similar_text = np.full(n, None, dtype=object)
        at = np.flatnonzero(scores["tfidf"] >= 0.15)
        similar_text[at] = _rounded_reasons(
            scores["tfidf"][at], 2, lambda x: {"code": "similar_text", "params": {"similarity": x}}
        )
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
    scaled = values * 10.0**digits
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
