"""Learning dimension weights from staff decisions (approved vs rejected pairs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from .scorer import DIMENSIONS, normalise_weights


class NonNegativeLogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-regularised logistic regression whose coefficients are constrained to be >= 0.

    A higher score on any dimension should never make a pair less suitable, so negative
    weights are ruled out; scikit-learn's LogisticRegression has no such bound, hence L-BFGS-B.
    """

    def __init__(self, C: float = 1.0):
        self.C = C

    def fit(self, X: np.ndarray, y: np.ndarray) -> "NonNegativeLogisticRegression":
        """Fit coefficients (bounded at 0) and an unbounded intercept; returns self."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self.classes_ = np.array([0, 1])
        signs = 2.0 * y - 1.0
        n, d = X.shape

        def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
            w, b = params[:d], params[d]
            margin = signs * (X @ w + b)
            value = np.logaddexp(0.0, -margin).sum() / n + w @ w / (2.0 * self.C * n)
            g = -signs * expit(-margin) / n
            return value, np.concatenate([X.T @ g + w / (self.C * n), [g.sum()]])

        start = np.concatenate([np.full(d, 1.0), [0.0]])
        result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * d + [(None, None)])
        self.coef_ = result.x[:d]
        self.intercept_ = float(result.x[d])
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Linear score X·w + b."""
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_

    def predict(self, X: np.ndarray) -> np.ndarray:
        """1 for approved, 0 for rejected."""
        return (self.decision_function(X) > 0).astype(int)


@dataclass(frozen=True)
class RankChange:
    """Where one decided pair ranks among the decided pairs, by total, before and after."""

    index: int
    label: int
    old_rank: int
    new_rank: int


@dataclass(frozen=True)
class TuningReport:
    """Old and new weights, cross-validated AUC of both, and how the decided pairs re-rank."""

    old_weights: Mapping[str, float]
    new_weights: Mapping[str, float]
    cv_auc_old: float
    cv_auc_new: float
    cv_auc_new_std: float
    folds: int
    n_approved: int
    n_rejected: int
    rank_changes: tuple[RankChange, ...]

    @property
    def improved(self) -> bool:
        """True when the new weights separate approved from rejected pairs better out of sample."""
        return self.cv_auc_new > self.cv_auc_old

    def mean_rank(self, label: int, which: str) -> float:
        """Mean rank (1 = best total) of pairs with `label` under the "old" or "new" weights."""
        ranks = [getattr(c, f"{which}_rank") for c in self.rank_changes if c.label == label]
        return float(np.mean(ranks)) if ranks else float("nan")


def _matrix(dim_scores: Any) -> np.ndarray:
    """Per-dimension scores as an (n, len(DIMENSIONS)) array, from an array or a dict of columns."""
    if isinstance(dim_scores, Mapping):
        return np.column_stack([np.asarray(dim_scores.get(d, np.zeros(0)), dtype=np.float64) for d in DIMENSIONS])
    if len(dim_scores) and isinstance(dim_scores[0], Mapping):
        return np.array([[float(row.get(d, 0.0)) for d in DIMENSIONS] for row in dim_scores])
    X = np.asarray(dim_scores, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != len(DIMENSIONS):
        raise ValueError(f"dim_scores must have one column per dimension {DIMENSIONS}")
    return X


def _ranks(totals: np.ndarray) -> np.ndarray:
    """1 = highest total; ties share the best rank."""
    return rankdata(-totals, method="min").astype(int)


def tune_weights(
    dim_scores: Any,
    labels: Sequence[int],
    old_weights: Mapping[str, float] | None = None,
    cv: int = 5,
    C: float = 1.0,
    random_state: int = 0,
) -> TuningReport:
    """Fit weights from decided pairs (1 approved, 0 rejected), cross-validated against the old ones.

    dim_scores: per-dimension scores of the decided pairs, as an (n, 5) array in DIMENSIONS
    order, a dict of columns, or a list of per-pair dicts (as stored with suggestions).
    The new weights are the non-negative logistic coefficients scaled to sum 1; the AUCs compare
    the weighted sum under old and new weights on held-out folds. Nothing is applied here.
    """
    X = _matrix(dim_scores)
    y = np.asarray(labels, dtype=int)
    if len(y) != len(X):
        raise ValueError("dim_scores and labels must have the same length")
    if not set(np.unique(y)) <= {0, 1}:
        raise ValueError("labels must be 1 (approved) or 0 (rejected)")
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    if min(n_pos, n_neg) < max(cv, 2):
        raise ValueError(
            f"need at least {max(cv, 2)} approved and {max(cv, 2)} rejected pairs (have {n_pos} and {n_neg})"
        )
    old = normalise_weights(old_weights)
    w_old = np.array([old[d] for d in DIMENSIONS])

    auc_old, auc_new = [], []
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    for train, test in folds.split(X, y):
        model = NonNegativeLogisticRegression(C=C).fit(X[train], y[train])
        auc_old.append(roc_auc_score(y[test], X[test] @ w_old))
        auc_new.append(roc_auc_score(y[test], X[test] @ model.coef_))

    coef = NonNegativeLogisticRegression(C=C).fit(X, y).coef_
    if coef.sum() <= 1e-12:
        new = dict(old)  # no dimension separates the decisions: keep the weights
    else:
        new = {d: float(v) for d, v in zip(DIMENSIONS, coef / coef.sum())}
    w_new = np.array([new[d] for d in DIMENSIONS])
    old_rank, new_rank = _ranks(X @ w_old), _ranks(X @ w_new)
    changes = sorted(
        (RankChange(int(i), int(y[i]), int(old_rank[i]), int(new_rank[i])) for i in range(len(y))),
        key=lambda c: (-abs(c.old_rank - c.new_rank), c.index),
    )
    return TuningReport(
        old_weights=old,
        new_weights=new,
        cv_auc_old=float(np.mean(auc_old)),
        cv_auc_new=float(np.mean(auc_new)),
        cv_auc_new_std=float(np.std(auc_new)),
        folds=cv,
        n_approved=n_pos,
        n_rejected=n_neg,
        rank_changes=tuple(changes),
    )
