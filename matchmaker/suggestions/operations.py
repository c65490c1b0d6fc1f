"""Operations on suggestions: recompute all, rescore one response, weights, tuning from staff decisions.

A pair that staff or a collectivité touched (a decision, a note, any state past ``suggested``) is never
deleted by a recompute: it keeps its history and is marked ``is_current=False`` when it leaves the top lists.
Untouched pairs that leave the top lists are deleted. Rejected and declined pairs are passed to the engine
as exclusions, so they are never suggested again.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Iterable, Mapping

from flask import current_app
from sqlalchemy import delete, func, insert, or_, select, update

from matchmaker.extensions import db
from matchmaker.matching import DIMENSIONS, Match, tune_weights
from matchmaker.matching.scorer import normalise_weights
from matchmaker.models import Collectivite, MatchRun, PairNote, Response, Setting, Suggestion, utcnow
from matchmaker.suggestions import recompute
from matchmaker.suggestions.engine import WEIGHTS_KEY, current_weights, engine_for_rescoring, excluded_pairs
from matchmaker.suggestions.profiles import load_profiles, matchable_responses, project_matcher, response_record
from matchmaker.suggestions.themes import themes_of

log = logging.getLogger("matchmaker.suggestions")

RECOMPUTE_KEY = "matching.recompute_requested"
CHUNK = 1000


class WeightsError(ValueError):
    """Weights given by staff are unusable."""


# --------------------------------------------------------------------------------------------- weights


def validate_weights(weights: Mapping[str, Any]) -> dict[str, float]:
    """Check weights (one non-negative number per dimension, not all zero) and scale them to sum 1."""
    clean = {}
    for dim in DIMENSIONS:
        raw = weights.get(dim, 0)
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise WeightsError(f"{dim}: not a number") from None
        if not value >= 0 or value == float("inf"):
            raise WeightsError(f"{dim}: must be zero or more")
        clean[dim] = value
    unknown = set(weights) - set(DIMENSIONS)
    if unknown:
        raise WeightsError(f"unknown dimension(s): {', '.join(sorted(unknown))}")
    if sum(clean.values()) <= 0:
        raise WeightsError("at least one weight must be above zero")
    return normalise_weights(clean)


def apply_weights(weights: Mapping[str, Any], user=None) -> dict[str, float]:
    """Store new weights and ask for a recompute (the scheduler runs it within a minute; the caller commits)."""
    clean = validate_weights(weights)
    _set_setting(WEIGHTS_KEY, {"weights": clean}, user)
    _set_setting(RECOMPUTE_KEY, {"requested_at": utcnow().isoformat()}, user)
    log.info("weights applied", extra={"weights": clean, "user": getattr(user, "email", None)})
    return clean


def _set_setting(key: str, value: dict, user=None) -> None:
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value)
        db.session.add(row)
    row.value = value
    row.updated_by_id = getattr(user, "id", None)
    row.updated_at = utcnow()


def recompute_if_requested() -> MatchRun | None:
    """Run the recompute staff asked for by applying weights; None when nothing was asked."""
    row = db.session.get(Setting, RECOMPUTE_KEY)
    if row is None:
        return None
    db.session.delete(row)
    return recompute_suggestions()


def _touched_ids(ids: Iterable[int] | None = None) -> set[int]:
    """Suggestions a person acted on (decision, note, state past suggested): never deleted by a recompute."""
    acted = select(Suggestion.id).where(
        or_(
            Suggestion.state != "suggested",
            Suggestion.cuf_decision.is_not(None),
            Suggestion.garok_decision.is_not(None),
        )
    )
    noted = select(PairNote.suggestion_id)
    return set(db.session.scalars(acted)) | set(db.session.scalars(noted))


# --------------------------------------------------------------------------------------------- writing


def _row(match: Match, run_id: int) -> dict[str, Any]:
    reasons = [r.to_dict() for r in match.reasons]
    row = {
        "fr_id": match.fr_id,
        "kr_id": match.kr_id,
        "score_total": round(match.total, 6),
        "rank_fr": match.fr_rank,
        "rank_kr": match.kr_rank,
        "reasons": reasons,
        "theme_codes": themes_of(reasons),
        "run_id": run_id,
        "is_current": True,
    }
    for dim in DIMENSIONS:
        row[f"score_{dim}"] = round(float(match.scores[dim]), 6)
    return row


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _store(matches: list[Match], run: MatchRun, scope_ids: set[int] | None) -> dict[str, int]:
    """Write matches: update existing pairs, insert new ones, retire pairs that left the lists.

    ``scope_ids``: when given (rescoring one response), only suggestions involving these collectivités
    are retired; otherwise (full recompute) every suggestion is in scope.
    """
    existing_query = select(Suggestion.id, Suggestion.fr_id, Suggestion.kr_id)
    if scope_ids is not None:
        existing_query = existing_query.where(or_(Suggestion.fr_id.in_(scope_ids), Suggestion.kr_id.in_(scope_ids)))
    existing = {(fr, kr): sid for sid, fr, kr in db.session.execute(existing_query)}
    if scope_ids is not None:
        # a rescored pair may already exist because of the partner's list: find those too
        wanted = [(m.fr_id, m.kr_id) for m in matches if (m.fr_id, m.kr_id) not in existing]
        for chunk in _chunks(wanted, 300):
            for sid, fr, kr in db.session.execute(
                select(Suggestion.id, Suggestion.fr_id, Suggestion.kr_id).where(
                    Suggestion.fr_id.in_({a for a, _ in chunk}), Suggestion.kr_id.in_({b for _, b in chunk})
                )
            ):
                existing[(fr, kr)] = sid
    touched = _touched_ids()
    new_rows, update_rows = [], []
    for match in matches:
        row = _row(match, run.id)
        sid = existing.get((match.fr_id, match.kr_id))
        if sid is None:
            new_rows.append(row)
        else:
            row["id"] = sid
            update_rows.append(row)
    seen = {(m.fr_id, m.kr_id) for m in matches}
    stale = [sid for pair, sid in existing.items() if pair not in seen]
    stale_untouched = [sid for sid in stale if sid not in touched]
    stale_touched = [sid for sid in stale if sid in touched]

    now = utcnow()
    for chunk in _chunks(stale_untouched):
        db.session.execute(delete(Suggestion).where(Suggestion.id.in_(chunk)))
    for chunk in _chunks(stale_touched):
        db.session.execute(update(Suggestion).where(Suggestion.id.in_(chunk)).values(is_current=False, updated_at=now))
    for chunk in _chunks(update_rows):
        db.session.execute(update(Suggestion), [dict(r, updated_at=now) for r in chunk])
    for chunk in _chunks(new_rows):
        db.session.execute(
            insert(Suggestion), [dict(r, state="suggested", created_at=now, updated_at=now) for r in chunk]
        )
    return {
        "inserted": len(new_rows),
        "updated": len(update_rows),
        "deleted": len(stale_untouched),
        "retired": len(stale_touched),
    }


# --------------------------------------------------------------------------------------------- computing


def recompute_suggestions(top_k: int | None = None, full: bool = False) -> MatchRun:
    """Recompute every suggestion, writing only what changed (incremental unless ``full``); the caller commits."""
    return recompute.recompute_suggestions(top_k, full=full)


def rescore_response(response_id: int) -> MatchRun | None:
    """Rescore one submitted response against every other (on save, without waiting for the nightly run).

    Replaces that collectivité's untouched suggestions with its new top list; the caller commits.
    Returns None when the response does not take part in matching (draft, anonymised).
    """
    response = db.session.get(Response, response_id)
    if response is None or response.status != "submitted" or response.collectivite is None or response.anonymised_at:
        return None
    started = time.perf_counter()
    top_k = current_app.config["MATCH_TOP_K"]
    weights = current_weights()
    cid = response.collectivite_id
    run = MatchRun(kind="single", params={"top_k": top_k, "weights": weights, "collectivite_id": cid})
    db.session.add(run)
    db.session.flush()
    other = "KR" if response.collectivite.country == "FR" else "FR"
    subquery = matchable_responses().subquery()
    partners = db.session.scalar(
        select(func.count())
        .select_from(subquery)
        .join(Collectivite, Collectivite.id == subquery.c.collectivite_id)
        .where(Collectivite.country == other)
    )
    if partners:
        fitted = engine_for_rescoring(cid, weights)
        matches = fitted.matcher.score_one(
            response_record(response), k=top_k, exclude=excluded_pairs(cid), explain=True
        )
    else:
        matches = []  # nobody in the other country has answered yet
    counts = _store(matches, run, scope_ids={cid})
    counts["suggestions"] = len(matches)
    run.counts = counts
    run.status = "done"
    run.finished_at = utcnow()
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    log.info("response rescored", extra={"run_id": run.id, "collectivite_id": cid, **counts})
    return run


# --------------------------------------------------------------------------------------------- previews


def preview_weights(weights: Mapping[str, Any], top: int = 20) -> dict[str, Any]:
    """How the ranking would change with other weights: overlap of the top lists and the top pairs' moves."""
    new_weights = validate_weights(weights)
    old_weights = current_weights()
    profiles = load_profiles()
    k = current_app.config["MATCH_TOP_K"]
    exclude = excluded_pairs()
    old = project_matcher(weights=old_weights).fit(profiles).top_k_table(k=k, exclude=exclude)
    new = project_matcher(weights=new_weights).fit(profiles).top_k_table(k=k, exclude=exclude)
    old_pairs = list(zip(old.fr_id.tolist(), old.kr_id.tolist()))
    new_pairs = list(zip(new.fr_id.tolist(), new.kr_id.tolist()))
    old_pos = {pair: n + 1 for n, pair in enumerate(old_pairs)}
    new_pos = {pair: n + 1 for n, pair in enumerate(new_pairs)}
    old_first = {fr: kr for (fr, kr), rank in zip(old_pairs, old.fr_rank.tolist()) if rank == 1}
    new_first = {fr: kr for (fr, kr), rank in zip(new_pairs, new.fr_rank.tolist()) if rank == 1}
    rows = []
    for n, pair in enumerate(new_pairs[:top]):
        rows.append(
            {
                "fr_id": pair[0],
                "kr_id": pair[1],
                "new_position": n + 1,
                "old_position": old_pos.get(pair),
                "new_total": float(new.total[n]),
            }
        )
    union = set(old_pairs) | set(new_pairs)
    return {
        "old_weights": old_weights,
        "new_weights": new_weights,
        "pairs_old": len(old_pairs),
        "pairs_new": len(new_pairs),
        "overlap": (len(set(old_pairs) & set(new_pairs)) / len(union)) if union else 1.0,
        "entering": len(set(new_pairs) - set(old_pairs)),
        "leaving": len(set(old_pairs) - set(new_pairs)),
        "best_partner_changes": sum(1 for fr, kr in new_first.items() if old_first.get(fr) != kr),
        "top": rows,
        "left_top": [
            {"fr_id": p[0], "kr_id": p[1], "old_position": old_pos[p], "new_position": new_pos.get(p)}
            for p in old_pairs[:top]
            if new_pos.get(p, top + 1) > top
        ],
    }


# --------------------------------------------------------------------------------------------- tuning


def decided_pairs() -> tuple[list[dict[str, float]], list[int], list[int]]:
    """Per-dimension scores and labels (1 approved, 0 rejected by an association) of decided pairs, with ids."""
    rows = db.session.execute(
        select(Suggestion)
        .where(or_(Suggestion.cuf_decision.is_not(None), Suggestion.garok_decision.is_not(None)))
        .order_by(Suggestion.id)
    ).scalars()
    scores, labels, ids = [], [], []
    for s in rows:
        decisions = {s.cuf_decision, s.garok_decision} - {None}
        labels.append(0 if "reject" in decisions else 1)
        scores.append({dim: getattr(s, f"score_{dim}") for dim in DIMENSIONS})
        ids.append(s.id)
    return scores, labels, ids


#: Cross-validation folds when weights are learned from decisions; as many approved and as many rejected pairs
#: are needed at least.
LEARNING_FOLDS = 5


def decision_counts() -> tuple[int, int]:
    """(approved, rejected) decided pairs, labelled as decided_pairs() labels them (one rejection rejects)."""
    rejected = or_(Suggestion.cuf_decision == "reject", Suggestion.garok_decision == "reject")
    decided, refused = db.session.execute(
        select(func.count(), func.count().filter(rejected)).where(
            or_(Suggestion.cuf_decision.is_not(None), Suggestion.garok_decision.is_not(None))
        )
    ).one()
    return decided - refused, refused


def tune_weights_from_decisions(cv: int = LEARNING_FOLDS):
    """Fit weights from staff decisions (cross-validated); returns the library's TuningReport, applies nothing.

    Raises ValueError while there are fewer than `cv` approved or rejected pairs."""
    scores, labels, _ = decided_pairs()
    return tune_weights(scores, labels, old_weights=current_weights(), cv=cv)
