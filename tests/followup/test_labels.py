"""Confirmed survey answers as learning labels beside staff decisions, and their effect on the learned weights."""

import numpy as np
import pytest

from matchmaker.followup.labels import label_of, labelled_pairs, tune_weights_with_outcomes
from matchmaker.models import SurveyAnswer, utcnow
from tests.review import factories as f


def test_which_answers_are_labels():
    assert [label_of(a, None) for a in ("met", "letter_of_intent", "agreement", "no_contact")] == [1, 1, 1, None]
    assert label_of("stopped", "not_a_fit") == 0
    assert label_of("stopped", "no_reply") is None and label_of("stopped", "language") is None


@pytest.fixture
def history(db):
    """40 decided pairs: staff approved on shared themes; of the approved pairs, those whose presentations meet
    (text score) went on to meet, the others stopped as "not a good fit" (answers confirmed by staff, except one)."""
    rng = np.random.default_rng(7)
    staff = f.staff("CUF")
    for i in range(40):
        themes, text = float(rng.uniform()), float(rng.uniform())
        fr = f.collectivite(f"Commune {i}", "FR")
        kr = f.collectivite(f"Gun {i}", "KR")
        approved = themes > 0.5
        s = f.suggestion(
            fr,
            kr,
            0.5,
            dims={"themes": themes, "text": text, "complementarity": 0.3, "sectors": 0.3, "size": 0.5},
            state="mutual" if approved else "rejected",
            cuf_decision="approve" if approved else "reject",
            garok_decision="approve" if approved else None,
        )
        if approved:
            answer, reason = ("met", None) if text > 0.5 else ("stopped", "not_a_fit")
            db.session.add(
                SurveyAnswer(
                    suggestion_id=s.id,
                    side="FR",
                    wave=3,
                    answer=answer,
                    stop_reason=reason,
                    answered_at=utcnow(),
                    confirmed_at=None if i == 0 else utcnow(),
                    confirmed_by=staff.id,
                )
            )
    db.session.commit()


def test_confirmed_outcomes_replace_decision_labels(db, history):
    _, decisions, ids = labelled_pairs(with_surveys=False)
    _, outcomes, ids2 = labelled_pairs(with_surveys=True)
    assert ids == ids2 and len(ids) == 40
    assert sum(decisions) > sum(outcomes)  # approved pairs that stopped as "not a fit" became negatives


def test_outcome_labels_shift_weight_towards_what_predicts_success(db, history):
    without = tune_weights_with_outcomes(cv=3, with_surveys=False)
    with_outcomes = tune_weights_with_outcomes(cv=3, with_surveys=True)
    # Decisions alone only reward shared themes; outcomes show that the presentations meeting matters too.
    assert with_outcomes.new_weights["text"] > without.new_weights["text"] + 0.15
    assert with_outcomes.new_weights["themes"] < without.new_weights["themes"]
    # Effect on what matters: how well each set of weights ranks the pairs by what actually came of them.
    from sklearn.metrics import roc_auc_score

    scores, outcome_labels, _ = labelled_pairs(with_surveys=True)
    X = np.array([[row[d] for d in without.new_weights] for row in scores])
    auc = {
        name: roc_auc_score(outcome_labels, X @ np.array(list(report.new_weights.values())))
        for name, report in (("decisions", without), ("outcomes", with_outcomes))
    }
    assert auc["outcomes"] > auc["decisions"]
