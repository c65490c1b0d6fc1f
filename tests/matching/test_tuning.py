"""Learning weights from staff decisions: a constrained, cross-validated logistic fit."""

import numpy as np
import pytest

from matchmaker.matching import DIMENSIONS, tune_weights
from matchmaker.matching.tuning import NonNegativeLogisticRegression


def decisions(n=200, seed=0):
    """Synthetic decided pairs: staff approve pairs with strong complementarity and size; themes do not matter."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, len(DIMENSIONS)))
    logit = 6 * X[:, 1] + 3 * X[:, 3] - 4.5 + rng.normal(0, 0.5, n)
    return X, (logit > 0).astype(int)


def test_tuning_recovers_the_dimensions_staff_care_about():
    X, y = decisions()
    report = tune_weights(X, y, old_weights={"themes": 1.0}, cv=5)
    new = report.new_weights
    assert sum(new.values()) == pytest.approx(1.0)
    assert min(new.values()) >= 0
    assert new["complementarity"] > new["size"] > max(new["themes"], new["sectors"], new["text"])
    assert report.cv_auc_new > report.cv_auc_old + 0.2 and report.improved
    assert report.n_approved + report.n_rejected == len(y)
    # approved pairs move up among the decided pairs with the new weights
    assert report.mean_rank(1, "new") < report.mean_rank(1, "old")
    biggest = report.rank_changes[0]
    assert abs(biggest.new_rank - biggest.old_rank) == max(abs(c.new_rank - c.old_rank) for c in report.rank_changes)


def test_tuning_accepts_the_stored_per_dimension_dicts():
    X, y = decisions(n=60, seed=1)
    rows = [dict(zip(DIMENSIONS, map(float, x))) for x in X]
    assert tune_weights(rows, y, cv=3).new_weights == pytest.approx(tune_weights(X, y, cv=3).new_weights)


def test_tuning_needs_enough_decisions_of_each_kind():
    X, y = decisions(n=30)
    with pytest.raises(ValueError, match="at least"):
        tune_weights(X[:6], np.array([1, 0, 0, 0, 0, 0]), cv=5)
    with pytest.raises(ValueError):
        tune_weights(X, y[:-1])


def test_non_negative_logistic_regression_never_gives_negative_weights():
    rng = np.random.default_rng(2)
    X = rng.random((300, 3))
    y = (X[:, 0] - X[:, 1] > 0).astype(int)  # dimension 1 is anti-correlated with approval
    model = NonNegativeLogisticRegression().fit(X, y)
    assert model.coef_[1] == 0.0 and model.coef_[0] > 0
    assert (model.predict(X) == y).mean() > 0.7
