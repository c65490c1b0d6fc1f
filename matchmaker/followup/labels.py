"""Self-reported outcomes as labels for learning the dimension weights, beside staff decisions.

How: staff decisions label every decided pair (1 approved by both, 0 rejected), as
``suggestions.operations.decided_pairs`` does. A survey answer that staff confirmed is stronger evidence, because
it says what happened after the introduction: "we met", "letter of intent" and "agreement" label the pair 1;
"we stopped" because "the partnership was not a good fit" labels it 0. Other reasons to stop (no reply, changed
priorities, language) and "no contact yet" say nothing about the match and add no label. The latest confirmed
answer of a pair replaces its decision label. Unconfirmed answers are never used.
"""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching import tune_weights
from matchmaker.models import Suggestion, SurveyAnswer
from matchmaker.suggestions.operations import current_weights, decided_pairs
from matchmaker.vocabulary import DIMENSIONS

POSITIVE = {"met", "letter_of_intent", "agreement"}
NEGATIVE_REASONS = {"not_a_fit"}


def label_of(answer: str, stop_reason: str | None) -> int | None:
    """The learning label of one self-reported answer, or None when it says nothing about the match."""
    if answer in POSITIVE:
        return 1
    if answer == "stopped" and stop_reason in NEGATIVE_REASONS:
        return 0
    return None


def survey_labels() -> dict[int, int]:
    """Pair id → label from the latest staff-confirmed survey answer that carries one."""
    rows = db.session.execute(
        select(SurveyAnswer.suggestion_id, SurveyAnswer.answer, SurveyAnswer.stop_reason)
        .where(SurveyAnswer.confirmed_at.is_not(None))
        .order_by(SurveyAnswer.answered_at, SurveyAnswer.id)
    ).all()
    labels: dict[int, int] = {}
    for suggestion_id, answer, reason in rows:
        label = label_of(answer, reason)
        if label is not None:
            labels[suggestion_id] = label
    return labels


def labelled_pairs(with_surveys: bool = True) -> tuple[list[dict[str, float]], list[int], list[int]]:
    """Per-dimension scores, labels and ids: staff decisions, overridden or completed by confirmed outcomes."""
    scores, labels, ids = decided_pairs()
    if not with_surveys:
        return scores, labels, ids
    outcome = survey_labels()
    index = {pair_id: i for i, pair_id in enumerate(ids)}
    for pair_id, label in outcome.items():
        if pair_id in index:
            labels[index[pair_id]] = label
            continue
        s = db.session.get(Suggestion, pair_id)
        scores.append({dim: getattr(s, f"score_{dim}") for dim in DIMENSIONS})
        labels.append(label)
        ids.append(pair_id)
    return scores, labels, ids


def tune_weights_with_outcomes(cv: int = 5, with_surveys: bool = True):
    """Fit weights from decisions and (by default) confirmed outcomes; returns the TuningReport, applies nothing."""
    scores, labels, _ = labelled_pairs(with_surveys)
    return tune_weights(scores, labels, old_weights=current_weights(), cv=cv)
