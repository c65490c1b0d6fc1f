"""A plain reference path of the nightly recompute, kept in the tests to check the bulk one against.

It is the recompute as first written: one Reason object per reason, built pair by pair, then every pair of the
new top lists written through the ORM (updated or inserted), untouched pairs that left the lists deleted and
touched ones kept for history (``is_current`` false), each pair's common themes
set from its reasons. It is slow and simple on purpose.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import or_, select

from matchmaker.extensions import db
from matchmaker.matching import DIMENSIONS, Reason
from matchmaker.models import PairNote, Suggestion
from matchmaker.suggestions.operations import current_weights, excluded_pairs
from matchmaker.suggestions.profiles import matchable_responses, project_matcher, response_record


def reference_reasons(self, fr, i, kr, j) -> list[list[Reason]]:
    """The engine's reasons as first written (one Python object per reason): what the vectorised path must equal."""
    scores = self._pair_scores(fr, i, kr, j)
    concept_codes = [c.code for c in self.concepts_.all]
    # candidate reasons per pair: (dimension, Reason); the code lists come from vectorised overlaps
    found: list[list[tuple[str, Reason]]] = [[] for _ in range(len(i))]

    def overlap_reason(values, codes, dimension, make):
        for pair, top in _top_codes(values, codes).items():
            found[pair].append((dimension, make(top)))

    from_text = fr.themes_inferred[i] | kr.themes_inferred[j]  # themes read in a description, not ticked
    for pair, top in _top_codes(
        np.minimum(np.take(fr.themes_raw, i, axis=0), np.take(kr.themes_raw, j, axis=0)), self.theme_codes_
    ).items():
        params = {"codes": top, "from_text": True} if from_text[pair] else {"codes": top}
        found[pair].append(("themes", Reason("shared_themes", params)))
    for offerer, giver, taker, gi, ti in (("fr", fr, kr, i, j), ("kr", kr, fr, j, i)):
        overlap_reason(
            np.take(giver.offer, gi, axis=0) * np.take(taker.seek, ti, axis=0),
            self.theme_codes_,
            "complementarity",
            lambda top, offerer=offerer: Reason("offers", {"offerer": offerer, "themes": top}),
        )
    overlap_reason(
        np.take(fr.sectors, i, axis=0) * np.take(kr.sectors, j, axis=0),
        self.sector_codes_,
        "sectors",
        lambda top: Reason("shared_sectors", {"codes": top}),
    )
    ratio = np.maximum(fr.population[i], kr.population[j]) / np.maximum(
        1.0, np.minimum(fr.population[i], kr.population[j])
    )
    fr_prefers = (fr.preference[i].min(axis=1) < 1) & (fr.preference[i, kr.level[j]] == 1)
    kr_prefers = (kr.preference[j].min(axis=1) < 1) & (kr.preference[j, fr.level[i]] == 1)
    for pair in range(len(i)):
        kernel, compat = scores["kernel"][pair], scores["compatibility"][pair]
        if kernel >= 0.5 and compat >= 0.5:
            found[pair].append(("size", Reason("similar_size", {"population_ratio": round(float(ratio[pair]), 1)})))
        elif compat >= 0.75:
            found[pair].append(
                ("size", Reason("compatible_levels", {"population_ratio": round(float(ratio[pair]), 1)}))
            )
        for chooser, prefers in (("fr", fr_prefers), ("kr", kr_prefers)):
            if prefers[pair]:
                found[pair].append(("size", Reason("preferred_level", {"chooser": chooser})))
    overlap_reason(
        np.take(fr.concepts, i, axis=0) * np.take(kr.concepts, j, axis=0),
        concept_codes,
        "text",
        lambda top: Reason("text_concepts", {"codes": top}),
    )
    for pair in np.flatnonzero(scores["tfidf"] >= 0.15):
        found[pair].append(("text", Reason("similar_text", {"similarity": round(float(scores["tfidf"][pair]), 2)})))
    out = []
    for pair, reasons in enumerate(found):
        weight = {d: self.weights_[d] * float(scores[d][pair]) for d in DIMENSIONS}
        reasons = [(dim, reason) for dim, reason in reasons if self.weights_[dim] > 0]
        reasons.sort(key=lambda item: -weight[item[0]])  # stable: equal contributions keep their order
        out.append([reason for _, reason in reasons])
    return out


def _top_codes(values: np.ndarray, codes: list[str], limit: int = 3) -> dict[int, list[str]]:
    """For each row (pair) with a positive value, its up-to-`limit` codes by value, ties by code."""
    rows, cols = np.nonzero(values > 0)
    if len(rows) == 0:
        return {}
    code_rank = np.argsort(np.argsort(np.array(codes, dtype=object)))
    order = np.lexsort((code_rank[cols], -values[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    keep = (np.arange(len(rows)) - np.searchsorted(rows, rows, side="left")) < limit
    out: dict[int, list[str]] = {}
    for row, col in zip(rows[keep].tolist(), cols[keep].tolist()):
        out.setdefault(row, []).append(codes[col])
    return out


def themes_of(reasons: list[dict]) -> set[str]:
    """Theme codes of shared-theme and offer reasons (the review list's theme filter)."""
    codes: set[str] = set()
    for reason in reasons:
        if reason["code"] == "shared_themes":
            codes.update(reason["params"]["codes"])
        elif reason["code"] == "offers":
            codes.update(reason["params"]["themes"])
    return codes


def reference_recompute(top_k: int) -> None:
    """Recompute every suggestion the plain way (ORM profiles, per-pair reasons, row by row writes)."""
    profiles = [response_record(r) for r in db.session.scalars(matchable_responses())]
    matcher = project_matcher(weights=current_weights()).fit(profiles)
    table = matcher.top_k_table(k=top_k, exclude=excluded_pairs())
    fr, i, kr, j = table._rows
    reasons = reference_reasons(matcher, fr, i, kr, j) if len(i) else []
    touched = set(
        db.session.scalars(
            select(Suggestion.id).where(
                or_(
                    Suggestion.state != "suggested",
                    Suggestion.cuf_decision.is_not(None),
                    Suggestion.garok_decision.is_not(None),
                )
            )
        )
    )
    touched |= set(db.session.scalars(select(PairNote.suggestion_id)))
    existing = {(s.fr_id, s.kr_id): s for s in db.session.scalars(select(Suggestion))}
    seen, written = set(), []
    for n in range(len(table)):
        key = (int(table.fr_id[n]), int(table.kr_id[n]))
        seen.add(key)
        values = {
            "score_total": round(float(table.total[n]), 6),
            "rank_fr": int(table.fr_rank[n]) or None,
            "rank_kr": int(table.kr_rank[n]) or None,
            "is_current": True,
            "reasons": [r.to_dict() for r in reasons[n]],
        }
        values["theme_codes"] = sorted(themes_of(values["reasons"]))
        values.update({f"score_{d}": round(float(table.scores[d][n]), 6) for d in DIMENSIONS})
        row = existing.get(key)
        if row is None:
            row = Suggestion(fr_id=key[0], kr_id=key[1], state="suggested", **values)
            db.session.add(row)
        else:
            for name, value in values.items():
                setattr(row, name, value)
        written.append(row)
    for key, row in existing.items():
        if key not in seen:
            if row.id in touched:
                row.is_current = False
            else:
                db.session.delete(row)
    db.session.flush()
