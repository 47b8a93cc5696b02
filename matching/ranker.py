"""A learned ranker over the score breakdown: a regularised logistic model of "this
candidate was approved" on the breakdown's feature values and their pairwise products.

Why logistic and not boosted trees: a linear model in (features, products) splits its
score *exactly* into one contribution per feature (each product's term is shared half
and half by its two features), so the reasons shown with a candidate are the very terms
that ranked it, not an after-the-fact attribution; it trains in milliseconds on the few
thousand decisions a prefecture makes in a year, is hard to overfit with an L2 penalty,
and is saved as plain numbers (JSON), never a pickle. Pointwise rather than pairwise:
the decisions we learn from (approved or not) are absolute judgements of one pair, and
a pointwise model's score means the same across lists, which the batch assignment needs
(it adds scores across needs).

Position bias: a coordinator looks at the top of a list more than its tail, so "not
chosen" at rank 20 says less than at rank 1. Each positive example is weighted by the
inverse of the chance its rank was examined, ``p(rank) = rank ** -eta`` (Joachims et
al. 2017, the position-based model), clipped at ``max_weight``; negatives weigh 1.

Shapes: ``X`` is (n, F) with F = len(FEATURE_NAMES), the breakdown's values in that
order; scores are (n,); contributions (n, F).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from matching.config import FEATURE_NAMES
from matching.errors import ShapeError


def interaction_pairs(n_features: int) -> list[tuple[int, int]]:
    """Every unordered pair of distinct feature columns, in a fixed order."""
    return list(combinations(range(n_features), 2))


def expand(X: np.ndarray) -> np.ndarray:
    """(n, F) feature values -> (n, F + F(F-1)/2): the values, then each pair's product."""
    if X.ndim != 2:
        raise ShapeError(f"X has shape {X.shape}; expected (n, features)")
    pairs = interaction_pairs(X.shape[1])
    if not pairs:
        return X.astype(np.float64)
    left = np.array([i for i, _ in pairs])
    right = np.array([j for _, j in pairs])
    return np.hstack([X, X[:, left] * X[:, right]]).astype(np.float64)


def split_contributions(X: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """(n, F) values and (F + F(F-1)/2,) coefficients -> (n, F) contributions whose row
    sums equal ``expand(X) @ coef``: a product's term goes half to each of its features."""
    f = X.shape[1]
    pairs = interaction_pairs(f)
    if coef.shape != (f + len(pairs),):
        raise ShapeError(f"coef has shape {coef.shape}; expected ({f + len(pairs)},)")
    out = X * coef[:f]
    for column, (i, j) in enumerate(pairs, start=f):
        half = 0.5 * coef[column] * X[:, i] * X[:, j]
        out[:, i] += half
        out[:, j] += half
    return out


def propensity_weights(
    ranks: np.ndarray, labels: np.ndarray, *, eta: float = 1.0, max_weight: float = 10.0
) -> np.ndarray:
    """(n,) sample weights for position-bias correction: positives weigh
    ``min(rank ** eta, max_weight)`` (the inverse of their examination chance), negatives 1.
    ``ranks`` count from 1."""
    ranks = np.asarray(ranks, dtype=np.float64)
    labels = np.asarray(labels)
    if ranks.shape != labels.shape or ranks.ndim != 1:
        raise ShapeError(f"ranks {ranks.shape} and labels {labels.shape}: expected (n,) each")
    if len(ranks) and ranks.min() < 1:
        raise ValueError(f"ranks: smallest is {ranks.min()}; expected ranks counted from 1")
    weights = np.ones_like(ranks)
    positive = labels > 0
    weights[positive] = np.minimum(ranks[positive] ** eta, max_weight)
    return weights


class LogisticRanker(ClassifierMixin, BaseEstimator):
    """Regularised logistic regression on feature values and their pairwise products.

    Parameters
    ----------
    C: inverse L2 strength (scikit-learn's ``LogisticRegression.C``).
    interactions: add the pairwise products of the features.
    max_iter: iterations of the L-BFGS solver.

    Fitted: ``coef_`` (p,), ``intercept_`` (float), ``classes_`` (2,),
    ``n_features_in_``. Binary only: the contributions of a two-class model are what
    the explanations show.
    """

    def __init__(self, C: float = 1.0, interactions: bool = True, max_iter: int = 1000) -> None:
        self.C = C
        self.interactions = interactions
        self.max_iter = max_iter

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _design(self, X: np.ndarray) -> np.ndarray:
        return expand(X) if self.interactions else X.astype(np.float64)

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogisticRanker:
        from sklearn.linear_model import LogisticRegression
        from sklearn.utils.multiclass import check_classification_targets
        from sklearn.utils.validation import validate_data

        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(
                f"Only binary classification is supported: y has {len(self.classes_)} "
                f"classes {self.classes_.tolist()[:5]}; expected exactly 2 (approved or not)"
            )
        if not self.C > 0:
            raise ValueError(f"C={self.C!r}: expected > 0")
        model = LogisticRegression(C=self.C, max_iter=self.max_iter)
        model.fit(self._design(X), y, sample_weight=sample_weight)
        self.coef_ = model.coef_[0].astype(np.float64)
        self.intercept_ = float(model.intercept_[0])
        self.n_iter_ = model.n_iter_
        return self

    def _checked(self, X: Any) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted, validate_data

        check_is_fitted(self, "coef_")
        return validate_data(self, X, reset=False)  # type: ignore[no-any-return]

    def decision_function(self, X: Any) -> np.ndarray:
        """(n,) log-odds of approval."""
        return self._design(self._checked(X)) @ self.coef_ + self.intercept_  # type: ignore[no-any-return]

    def predict_proba(self, X: Any) -> np.ndarray:
        """(n, 2) probabilities of the two classes."""
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "coef_")
        return self.classes_[(self.decision_function(X) > 0).astype(int)]  # type: ignore[no-any-return]

    def contributions(self, X: Any) -> np.ndarray:
        """(n, F) per-feature contributions; each row sums to the log-odds minus the
        intercept (the same for every candidate, so it changes no ranking)."""
        X = self._checked(X)
        if self.interactions:
            return split_contributions(X, self.coef_)
        return X * self.coef_  # type: ignore[no-any-return]


@dataclass(frozen=True)
class LearnedScorer:
    """A fitted ranker as the matcher uses it: ``contributions(X)`` (n, F) -> (n, F);
    a candidate's score is its row sum. ``label`` names it for people and the API
    (e.g. ``learned:532322:v3``)."""

    coef: np.ndarray
    intercept: float
    interactions: bool
    label: str
    scope: str
    version: int
    feature_names: tuple[str, ...] = FEATURE_NAMES

    def contributions(self, X: np.ndarray) -> np.ndarray:
        if X.ndim != 2 or X.shape[1] != len(self.feature_names):
            raise ShapeError(f"X has shape {X.shape}; expected (n, {len(self.feature_names)})")
        if self.interactions:
            return split_contributions(X.astype(np.float64), self.coef)
        return X.astype(np.float64) * self.coef  # type: ignore[no-any-return]

    def scores(self, X: np.ndarray) -> np.ndarray:
        return self.contributions(X).sum(axis=1)  # type: ignore[no-any-return]

    @classmethod
    def from_estimator(cls, model: LogisticRanker, *, scope: str, version: int) -> LearnedScorer:
        return cls(
            coef=np.asarray(model.coef_, dtype=np.float64),
            intercept=float(model.intercept_),
            interactions=bool(model.interactions),
            label=f"learned:{scope}:v{version}",
            scope=scope,
            version=version,
        )
