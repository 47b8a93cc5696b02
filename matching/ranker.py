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


def interaction_pairs(n_features: int, alone: int | None = None) -> list[tuple[int, int]]:
    """Every unordered pair of distinct feature columns, in a fixed order; column
    ``alone`` takes part in none."""
    return [p for p in combinations(range(n_features), 2) if alone not in p]


def expand(X: np.ndarray, alone: int | None = None) -> np.ndarray:
    """(n, F) feature values -> (n, F + pairs): the values, then each pair's product
    (column ``alone`` in none)."""
    if X.ndim != 2:
        raise ShapeError(f"X has shape {X.shape}; expected (n, features)")
    pairs = interaction_pairs(X.shape[1], alone)
    if not pairs:
        return X.astype(np.float64)
    left = np.array([i for i, _ in pairs])
    right = np.array([j for _, j in pairs])
    return np.hstack([X, X[:, left] * X[:, right]]).astype(np.float64)


def split_contributions(X: np.ndarray, coef: np.ndarray, alone: int | None = None) -> np.ndarray:
    """(n, F) values and (F + pairs,) coefficients -> (n, F) contributions whose row
    sums equal ``expand(X, alone) @ coef``: a product's term goes half to each of its
    features."""
    f = X.shape[1]
    pairs = interaction_pairs(f, alone)
    if coef.shape != (f + len(pairs),):
        raise ShapeError(f"coef has shape {coef.shape}; expected ({f + len(pairs)},)")
    out = X * coef[:f]
    for column, (i, j) in enumerate(pairs, start=f):
        half = 0.5 * coef[column] * X[:, i] * X[:, j]
        out[:, i] += half
        out[:, j] += half
    return out


#: Columns summed into one before fitting, each with its weight: ``((0, 1.0), (1, 1.0))``
#: ties the semantic and lexical channels in the proportion of the hand weights.
Tie = tuple[tuple[int, float], ...]


def kept_columns(n_features: int, tie: Tie) -> list[int]:
    """Columns left after tying: the untied ones and, in its place, the first tied one."""
    tied = {i for i, _ in tie}
    first = min(tied) if tied else -1
    return [j for j in range(n_features) if j not in tied or j == first]


def check_tie(tie: Tie, n_features: int) -> None:
    columns = [i for i, _ in tie]
    if len(set(columns)) != len(columns) or any(not 0 <= i < n_features for i in columns):
        raise ValueError(f"tie={tie!r}: expected distinct columns of 0..{n_features - 1}")
    if any(not w > 0 for _, w in tie):
        raise ValueError(f"tie={tie!r}: expected positive weights")


def collapse(X: np.ndarray, tie: Tie) -> np.ndarray:
    """(n, F) -> (n, F - len(tie) + 1): the tied columns replaced, at the first one's
    place, by their weighted sum (no tie: X itself)."""
    if not tie:
        return X.astype(np.float64)
    keep = kept_columns(X.shape[1], tie)
    Z = X[:, keep].astype(np.float64)
    Z[:, keep.index(min(i for i, _ in tie))] = sum(w * X[:, i] for i, w in tie)
    return Z


def tied_column(tie: Tie, n_features: int) -> int | None:
    """Where the tied columns' sum sits after :func:`collapse` (None: no tie). It takes
    part in no product, so the text channels' effect is one coefficient, the same for
    every candidate: a learner cannot turn text relevance upside down for some kinds
    of pair (e.g. remote needs, where distance is 0) while fitting others."""
    if not tie:
        return None
    return kept_columns(n_features, tie).index(min(i for i, _ in tie))


def _spread(Zc: np.ndarray, X: np.ndarray, tie: Tie) -> np.ndarray:
    """(n, G) contributions over the collapsed columns -> (n, F): a tied column's share
    goes to its features in proportion to their weighted values (each row sums the same)."""
    if not tie:
        return Zc
    keep = kept_columns(X.shape[1], tie)
    out = np.zeros(X.shape, dtype=np.float64)
    out[:, keep] = Zc
    total = Zc[:, keep.index(min(i for i, _ in tie))]
    parts = np.column_stack([w * X[:, i] for i, w in tie]).astype(np.float64)
    sums = parts.sum(axis=1, keepdims=True)
    share = np.divide(parts, sums, out=np.full_like(parts, 1.0 / len(tie)), where=sums != 0)
    for k, (i, _) in enumerate(tie):
        out[:, i] = total * share[:, k]
    return out


def score_contributions(
    X: np.ndarray, coef: np.ndarray, *, interactions: bool, tie: Tie = ()
) -> np.ndarray:
    """(n, F) values -> (n, F) contributions whose row sums are the model's score less its
    intercept, whatever the tie and interactions."""
    Z = collapse(X, tie)
    if interactions:
        return _spread(split_contributions(Z, coef, tied_column(tie, X.shape[1])), X, tie)
    if coef.shape != (Z.shape[1],):
        raise ShapeError(f"coef has shape {coef.shape}; expected ({Z.shape[1]},)")
    return _spread(Z * coef, X, tie)


def main_effects(coef: np.ndarray, n_features: int, tie: Tie) -> np.ndarray:
    """(F,) each feature's own coefficient (a tied feature: the tied column's times its
    weight); the interactions' terms are left out."""
    keep = kept_columns(n_features, tie)
    out = np.zeros(n_features)
    out[keep] = coef[: len(keep)]
    for i, w in tie:
        out[i] = coef[keep.index(min(j for j, _ in tie))] * w
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
    tie: columns that enter as one weighted sum (:data:`Tie`). The engine ties the
        semantic and lexical channels in the hand weights' proportion: the decisions
        judge candidates, not which of two text similarities found them, and the
        proportion is what the labelled evaluation sets validated; an untied learner
        re-weighed the two on noise and lost up to 0.03 nDCG@10 there.

    Fitted: ``coef_`` (p,), ``intercept_`` (float), ``classes_`` (2,),
    ``n_features_in_``. Binary only: the contributions of a two-class model are what
    the explanations show.
    """

    def __init__(
        self, C: float = 1.0, interactions: bool = True, max_iter: int = 1000, tie: Tie = ()
    ) -> None:
        self.C = C
        self.interactions = interactions
        self.max_iter = max_iter
        self.tie = tie

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _design(self, X: np.ndarray) -> np.ndarray:
        Z = collapse(X, self.tie)
        return expand(Z, tied_column(self.tie, X.shape[1])) if self.interactions else Z

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
        check_tie(self.tie, X.shape[1])
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
        return score_contributions(X, self.coef_, interactions=self.interactions, tie=self.tie)

    def feature_coefficients(self) -> np.ndarray:
        """(F,) each input column's own coefficient (see :func:`main_effects`)."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "coef_")
        return main_effects(self.coef_, self.n_features_in_, self.tie)


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
    tie: Tie = ()

    def contributions(self, X: np.ndarray) -> np.ndarray:
        if X.ndim != 2 or X.shape[1] != len(self.feature_names):
            raise ShapeError(f"X has shape {X.shape}; expected (n, {len(self.feature_names)})")
        return score_contributions(X, self.coef, interactions=self.interactions, tie=self.tie)

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
            tie=tuple(model.tie),
        )
