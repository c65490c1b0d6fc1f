"""What every computation of suggestions starts from: the weights in force, the pairs never to suggest, and the
engine fitted on the current responses (kept between calls, so that rescoring one response is quick).

Both the full recompute (:mod:`.recompute`) and the operations on one response (:mod:`.operations`) read them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select

from matchmaker.extensions import db
from matchmaker.matching import DEFAULT_WEIGHTS
from matchmaker.matching.scorer import normalise_weights
from matchmaker.models import Setting, Suggestion, utcnow
from matchmaker.outreach.partnerships import known_partnership_pairs
from matchmaker.suggestions.profiles import (
    Fingerprint,
    load_profiles,
    matchable_responses,
    project_matcher,
    response_fingerprints,
)

WEIGHTS_KEY = "matching.weights"
CLOSED_STATES = ("rejected", "declined")


def current_weights() -> dict[str, float]:
    """The dimension weights in force (staff's last applied weights, else the engine's defaults)."""
    row = db.session.get(Setting, WEIGHTS_KEY)
    return normalise_weights(row.value["weights"]) if row else dict(DEFAULT_WEIGHTS)


def excluded_pairs(collectivite_id: int | None = None) -> set[tuple[int, int]]:
    """(fr_id, kr_id) pairs that must never be suggested again: rejected by staff, declined by a side, or known
    partners (outreach's list of existing partnerships)."""
    query = select(Suggestion.fr_id, Suggestion.kr_id).where(
        or_(
            Suggestion.state.in_(CLOSED_STATES),
            Suggestion.cuf_decision == "reject",
            Suggestion.garok_decision == "reject",
        )
    )
    if collectivite_id is not None:
        query = query.where(or_(Suggestion.fr_id == collectivite_id, Suggestion.kr_id == collectivite_id))
    return {(a, b) for a, b in db.session.execute(query)} | known_partnership_pairs(collectivite_id)


@dataclass
class Fitted:
    """An engine fitted on the responses ``ids`` with ``weights``, from what the database held at ``fitted_at``;
    ``answers`` are the responses' answer digests (Fingerprint.answers) when it was read from the database."""

    matcher: Any
    weights: dict[str, float]
    ids: frozenset[int]
    fitted_at: datetime
    answers: dict[int, str] | None = None


_cache: dict[str, Fitted] = {}


def _cache_key() -> str:
    """One cached engine per database (tests run several apps in one process)."""
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def fit_engine(weights: dict[str, float], profiles: list[dict] | None = None) -> Fitted:
    """Fit the engine on ``profiles`` (default: every matchable response, read now) and keep it for rescoring."""
    fitted_at = utcnow()
    answers = None
    if profiles is None:
        answers = {cid: f.answers for cid, f in response_fingerprints().items()}  # read before the rows
        profiles = load_profiles()
    return _keep(project_matcher(weights=weights).fit(profiles), weights, fitted_at, answers)


def _keep(matcher: Any, weights: dict[str, float], fitted_at: datetime, answers: dict[int, str] | None) -> Fitted:
    ids = frozenset(matcher.fr_row_) | frozenset(matcher.kr_row_)
    fitted = _cache[_cache_key()] = Fitted(matcher, weights, ids, fitted_at, answers)
    return fitted


def engine_for_recompute(
    weights: dict[str, float], fingerprints: dict[int, Fingerprint], refit: bool = False
) -> tuple[Fitted, str]:
    """The engine fitted on every matchable response as ``fingerprints`` (read just before) describe them.

    In a long-running process (the scheduler) the engine kept from the last run or rescoring serves again: when
    only some responses' answers changed, those alone are read and vectorised again (MatchScorer.refreshed,
    equal to a new fit); a response added or withdrawn, other weights, or a change to what the engine learns from
    every response (a description, a population, a level) fit it again from every response; so does ``refit``
    (``matchmaker match --full``: everything from the stored answers, nothing kept). Returns the engine
    and how it was had: "kept", "refreshed" or "fitted".
    """
    fitted_at = utcnow()
    answers = {cid: f.answers for cid, f in fingerprints.items()}
    if not refit:
        kept = _brought_up_to_date(weights, answers, fitted_at)
        if kept is not None:
            return kept
    return _keep(project_matcher(weights=weights).fit(load_profiles()), weights, fitted_at, answers), "fitted"


def _brought_up_to_date(
    weights: dict[str, float], answers: dict[int, str], fitted_at: datetime
) -> tuple[Fitted, str] | None:
    """The kept engine as it is ("kept") or with the responses whose ``answers`` changed re-vectorised
    ("refreshed"); None when it cannot serve (none kept, other weights or responses, or MatchScorer.refreshed
    refuses the change)."""
    cached = _cache.get(_cache_key())
    if cached is None or cached.weights != weights or cached.answers is None or cached.answers.keys() != answers.keys():
        return None
    changed = [cid for cid, digest in answers.items() if cached.answers[cid] != digest]
    if not changed:
        return _keep(cached.matcher, weights, fitted_at, answers), "kept"
    matcher = cached.matcher.refreshed(load_profiles(changed))  # a copy: the kept engine is never half-changed
    if matcher is None:
        return None
    return _keep(matcher, weights, fitted_at, answers), "refreshed"


def engine_for_rescoring(collectivite_id: int, weights: dict[str, float]) -> Fitted:
    """A fitted matcher that knows every other matchable response as it is now.

    The kept engine when nobody else changed since it was fitted (one count); else, when only other responses'
    answers changed, the kept engine with those re-vectorised (the response being rescored stays as the engine
    knew it, or absent if it is new: score_one scores its new version); else a new fit.
    """
    cached = _cache.get(_cache_key())
    if cached is not None and cached.weights == weights:
        subquery = matchable_responses().subquery()
        ids = set(db.session.scalars(select(subquery.c.collectivite_id)))
        changed = db.session.scalar(
            select(func.count())
            .select_from(subquery)
            .where(subquery.c.updated_at > cached.fitted_at, subquery.c.collectivite_id != collectivite_id)
        )
        if not changed and (ids - {collectivite_id}) <= cached.ids:
            return cached
        if cached.answers is not None:
            fitted_at = utcnow()
            answers = {cid: f.answers for cid, f in response_fingerprints().items()}
            if collectivite_id in cached.answers:
                answers[collectivite_id] = cached.answers[collectivite_id]
            else:
                answers.pop(collectivite_id, None)
            kept = _brought_up_to_date(weights, answers, fitted_at)
            if kept is not None:
                return kept[0]
    return fit_engine(weights)
