"""Decisions as training data, the metrics that judge a ranking of them, the
time-ordered split and the guardrail that compares the learned ranker with the hand
weights.

A :class:`DecisionSet` holds one row per candidate shown in a list (an impression):

- ``X`` (n, F): the breakdown's feature values when shown, in ``FEATURE_NAMES`` order;
- ``gain`` (n,) int: 0 nothing or declined/rejected, 1 interest or site accept,
  2 approved (active, completed), 3 completed and rated 4 or 5;
- ``rank`` (n,) int >= 1: the position it was shown at;
- ``group`` (n,) int: the list it was shown in (one need's candidate list, one run);
- ``time`` (n,) float: when it was shown (seconds since the epoch);
- ``scope`` (n,) str: the county code of the need's site;
- ``decided`` (n,) bool: someone decided on the pair (interest, decline, accept,
  approve, reject …), whatever the outcome.

The label the ranker learns is "approved or better" (``gain >= 2``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matching.config import FEATURE_NAMES
from matching.errors import ShapeError

APPROVED_GAIN = 2
_KEYS = ("X", "gain", "rank", "group", "time", "scope", "decided")


@dataclass(frozen=True)
class DecisionSet:
    X: np.ndarray
    gain: np.ndarray
    rank: np.ndarray
    group: np.ndarray
    time: np.ndarray
    scope: np.ndarray
    decided: np.ndarray
    feature_names: tuple[str, ...] = FEATURE_NAMES

    def __post_init__(self) -> None:
        n = len(self.gain)
        if self.X.shape != (n, len(self.feature_names)):
            raise ShapeError(
                f"X has shape {self.X.shape}; expected ({n}, {len(self.feature_names)})"
            )
        for name in ("rank", "group", "time", "scope", "decided"):
            if getattr(self, name).shape != (n,):
                raise ShapeError(f"{name} has shape {getattr(self, name).shape}; expected ({n},)")
        if n and self.rank.min() < 1:
            raise ValueError(f"rank: smallest is {self.rank.min()}; expected ranks counted from 1")

    def __len__(self) -> int:
        return len(self.gain)

    @property
    def label(self) -> np.ndarray:
        return (self.gain >= APPROVED_GAIN).astype(np.int64)

    @property
    def decisions(self) -> int:
        """Rows someone decided on (the count the thresholds use)."""
        return int(self.decided.sum())

    def subset(self, mask: np.ndarray) -> DecisionSet:
        return DecisionSet(
            self.X[mask],
            self.gain[mask],
            self.rank[mask],
            self.group[mask],
            self.time[mask],
            self.scope[mask],
            self.decided[mask],
            self.feature_names,
        )

    def in_scope(self, scope: str | None) -> DecisionSet:
        """Rows of one county (``None``: all, the prefecture)."""
        return self if scope is None else self.subset(self.scope == scope)

    def save(self, path: str | Path) -> None:
        np.savez_compressed(
            Path(path),
            X=self.X,
            gain=self.gain,
            rank=self.rank,
            group=self.group,
            time=self.time,
            scope=self.scope.astype(str),
            decided=self.decided,
            feature_names=np.array(self.feature_names),
        )

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any]) -> DecisionSet:
        missing = [k for k in _KEYS if k not in arrays]
        if missing:
            raise ValueError(f"decision arrays miss {missing}; expected keys {list(_KEYS)}")
        names = tuple(str(n) for n in arrays.get("feature_names", FEATURE_NAMES))
        if names != FEATURE_NAMES:
            raise ValueError(f"feature_names={list(names)}; expected {list(FEATURE_NAMES)}")
        return cls(
            np.asarray(arrays["X"], dtype=np.float64),
            np.asarray(arrays["gain"], dtype=np.int64),
            np.asarray(arrays["rank"], dtype=np.int64),
            np.asarray(arrays["group"], dtype=np.int64),
            np.asarray(arrays["time"], dtype=np.float64),
            np.asarray(arrays["scope"]).astype(str),
            np.asarray(arrays["decided"], dtype=bool),
        )

    @classmethod
    def load(cls, path: str | Path) -> DecisionSet:
        with np.load(Path(path), allow_pickle=False) as data:
            return cls.from_arrays({k: data[k] for k in data.files})


def empty_decisions() -> DecisionSet:
    n_f = len(FEATURE_NAMES)
    return DecisionSet(
        np.zeros((0, n_f)),
        np.zeros(0, np.int64),
        np.ones(0, np.int64),
        np.zeros(0, np.int64),
        np.zeros(0),
        np.zeros(0, dtype=str),
        np.zeros(0, dtype=bool),
    )


# ---------------------------------------------------------------- metrics
def _groups(group: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(group, kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    return np.split(order, bounds) if len(order) else []


def _order(scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``rows`` best first; ties keep the shown order (rows are in rank order)."""
    return rows[np.argsort(-scores[rows], kind="stable")]


def ndcg_at_k(gain: np.ndarray, scores: np.ndarray, group: np.ndarray, k: int = 10) -> float:
    """Mean nDCG@k over the lists with any gain (exponential gain 2^g - 1)."""
    values = []
    for rows in _groups(group):
        g = gain[rows]
        if g.max(initial=0) <= 0:
            continue
        ranked = gain[_order(scores, rows)][:k]
        ideal = np.sort(g)[::-1][:k]
        discount = 1.0 / np.log2(np.arange(2, k + 2))
        dcg = float(((2.0**ranked - 1) * discount[: len(ranked)]).sum())
        idcg = float(((2.0**ideal - 1) * discount[: len(ideal)]).sum())
        values.append(dcg / idcg)
    return float(np.mean(values)) if values else float("nan")


def auc(label: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve of approved vs not (NaN with one class only)."""
    from sklearn.metrics import roc_auc_score

    if len(np.unique(label)) < 2:
        return float("nan")
    return float(roc_auc_score(label, scores))


def top_share(label: np.ndarray, scores: np.ndarray, group: np.ndarray, k: int = 3) -> float:
    """Share of all approved candidates that the ranking puts in their list's top k."""
    hits = total = 0
    for rows in _groups(group):
        total += int(label[rows].sum())
        hits += int(label[_order(scores, rows)][:k].sum())
    return hits / total if total else float("nan")


@dataclass(frozen=True)
class Metrics:
    ndcg10: float
    auc: float
    top3: float
    lists: int
    rows: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "ndcg10": self.ndcg10,
            "auc": self.auc,
            "top3": self.top3,
            "lists": self.lists,
            "rows": self.rows,
        }


def metrics_of(data: DecisionSet, scores: np.ndarray) -> Metrics:
    return Metrics(
        ndcg_at_k(data.gain, scores, data.group),
        auc(data.label, scores),
        top_share(data.label, scores, data.group),
        len(np.unique(data.group)),
        len(data),
    )


def hand_scores(X: np.ndarray, weights: Mapping[str, float]) -> np.ndarray:
    """(n,) hand-weighted scores of (n, F) values (the engine's ``sum`` fusion)."""
    w = np.array([float(weights.get(name, 0.0)) for name in FEATURE_NAMES])
    return X @ w  # type: ignore[no-any-return]


def time_split(data: DecisionSet, test_share: float = 0.3) -> tuple[DecisionSet, DecisionSet]:
    """Whole lists by the time they were first shown: the earliest ``1 - test_share``
    train, the later ones test (no list is split, nothing later leaks into training)."""
    if not 0 < test_share < 1:
        raise ValueError(f"test_share={test_share!r}: expected between 0 and 1")
    groups = _groups(data.group)
    firsts = np.array([data.time[rows].min() for rows in groups])
    ids = np.array([data.group[rows[0]] for rows in groups])
    order = ids[np.argsort(firsts, kind="stable")]
    cut = round(len(order) * (1 - test_share))
    train_groups = order[:cut]
    mask = np.isin(data.group, train_groups)
    return data.subset(mask), data.subset(~mask)


# ---------------------------------------------------------------- guardrail
@dataclass(frozen=True)
class Comparison:
    """Held-out figures of the learned ranker and the hand weights on one scope."""

    scope: str
    train: int
    test: int
    train_decisions: int
    test_decisions: int
    learned: Metrics | None
    hand: Metrics
    beats_hand: bool
    why: str
    window: tuple[float, float] = field(default=(0.0, 0.0))


def text_tie(weights: Mapping[str, float]) -> tuple[tuple[int, float], ...]:
    """The semantic and lexical channels tied in the hand weights' proportion (see
    :class:`~matching.ranker.LogisticRanker`); none when either weighs nothing."""
    pairs = tuple((FEATURE_NAMES.index(f), float(weights.get(f, 0.0))) for f in _TEXT)
    return pairs if all(w > 0 for _, w in pairs) else ()


_TEXT = ("semantic", "lexical")
_DEFAULT_TIE = ((0, 1.0), (1, 1.0))  # the default hand weights' 1 : 1


@dataclass(frozen=True)
class TrainOptions:
    C: float = 1.0
    eta: float = 1.0
    max_weight: float = 10.0
    test_share: float = 0.3
    min_decisions: int = 100
    min_gain: float = 0.005
    tie: tuple[tuple[int, float], ...] = _DEFAULT_TIE


def fit_ranker(data: DecisionSet, options: TrainOptions) -> Any:
    """A :class:`~matching.ranker.LogisticRanker` fitted on ``data`` with
    inverse-propensity weights."""
    from matching.ranker import LogisticRanker, propensity_weights

    weights = propensity_weights(
        data.rank, data.label, eta=options.eta, max_weight=options.max_weight
    )
    model = LogisticRanker(C=options.C, tie=options.tie)
    return model.fit(data.X, data.label, sample_weight=weights)


def _text_coefficient(model: Any) -> float | None:
    """The tied text channels' one coefficient (None when they are not tied)."""
    from matching.ranker import tied_column

    column = tied_column(model.tie, model.n_features_in_)
    return None if column is None else float(model.coef_[column])


def compare(
    data: DecisionSet, weights: Mapping[str, float], options: TrainOptions, scope: str
) -> Comparison:
    """Train on the earlier lists, judge both rankers on the later ones. The learned
    ranker "beats" the hand weights when its held-out nDCG@10 is higher by at least
    ``min_gain`` and its AUC is not lower.

    Both are judged on the later lists' *decided* candidates only: one nobody looked
    at is unjudged, not bad. Judging on every shown row would favour whichever order
    the lists were shown in (people decide on the top of a list), so the hand weights
    that ordered them would win by construction."""
    train, later = time_split(data, options.test_share)
    test = later.subset(later.decided)
    window = (float(data.time.min()), float(data.time.max())) if len(data) else (0.0, 0.0)
    hand = metrics_of(test, hand_scores(test.X, weights))
    base = dict(
        scope=scope,
        train=len(train),
        test=len(test),
        train_decisions=train.decisions,
        test_decisions=test.decisions,
        hand=hand,
        window=window,
    )
    if data.decisions < options.min_decisions:
        return Comparison(
            **base,  # type: ignore[arg-type]
            learned=None,
            beats_hand=False,
            why=f"{data.decisions} decisions < {options.min_decisions}",
        )
    if len(np.unique(train.label)) < 2 or len(test) == 0:
        return Comparison(
            **base,  # type: ignore[arg-type]
            learned=None,
            beats_hand=False,
            why="training or test lists lack an approved or an unapproved candidate",
        )
    model = fit_ranker(train, options)
    learned = metrics_of(test, model.decision_function(test.X))
    better = learned.ndcg10 >= hand.ndcg10 + options.min_gain and not (learned.auc < hand.auc)
    why = (
        f"nDCG@10 {learned.ndcg10:.3f} vs {hand.ndcg10:.3f}"
        f" ({'≥' if better else '<'} +{options.min_gain})"
    )
    text = _text_coefficient(model)
    if text is not None and text <= 0:
        # It would rank a need's talents against what they are about: never used.
        better, why = False, f"text relevance coefficient {text:.3f} ≤ 0"
    return Comparison(
        **base,  # type: ignore[arg-type]
        learned=learned,
        beats_hand=bool(better),
        why=why,
    )


def scopes_to_train(data: DecisionSet, county_min_decisions: int) -> list[str | None]:
    """The prefecture (``None``), then every county with enough decisions of its own."""
    out: list[str | None] = [None]
    for county in sorted(set(data.scope.tolist())):
        if data.in_scope(county).decisions >= county_min_decisions:
            out.append(county)
    return out


def format_table(comparisons: list[Comparison]) -> str:
    """The side-by-side table ``rencai ranker eval`` prints."""

    def f(value: float | None) -> str:
        return "   —  " if value is None or value != value else f"{value:6.3f}"

    lines = [
        "scope        lists(test) decisions(train/test)  "
        "nDCG@10 learned/hand   AUC learned/hand   top-3 approved learned/hand  uses",
    ]
    for c in comparisons:
        learned = c.learned
        lines.append(
            f"{c.scope:<12} {c.hand.lists:>11} {c.train_decisions:>10}/{c.test_decisions:<10}"
            f"  {f(learned.ndcg10 if learned else None)} / {f(c.hand.ndcg10)}"
            f"    {f(learned.auc if learned else None)} / {f(c.hand.auc)}"
            f"    {f(learned.top3 if learned else None)} / {f(c.hand.top3)}"
            f"            {'learned' if c.beats_hand else 'hand'}  ({c.why})"
        )
    return "\n".join(lines)
