"""Simulated decisions for the learned ranker's tests and demo: deterministic lists of
candidates, shown in the hand weights' order, decided by people who follow a hidden
preference. The demo population has too few real decisions to learn from; this shows
that the machinery recovers a preference it was never told, and that the guardrail
keeps the hand weights when there is nothing better to learn. It proves the
machinery, not real-world gains.

The planted preference (:data:`PLANTED`) — sites want talents who are near, available
for the whole period and have the requested skills; coordinators reject the
over-loaded (little spare capacity); nearness matters most when the period is covered
too; a profile that reads like the need helps, by either text channel — as log-odds of
approval:

    u = -5.0 + 2.2·skills + 2.6·distance + 1.6·availability + 1.8·load
        + 0.8·continuity + 0.6·semantic + 0.6·lexical + 1.5·distance·availability

With ``preference="hand"`` people follow the hand weights themselves
(u = 6·hand score - 6), so a learner can at best tie them.

Position bias: a candidate at rank r is looked at with chance r^-1; only one looked
at is decided (interest, accept, approve, or a decline or rejection).

Arrays returned (the keys of ``matching.decisions.DecisionSet``; n rows):
``X`` (n, 10) in :data:`FEATURE_NAMES` order, ``gain`` (n,), ``rank`` (n,),
``group`` (n,), ``time`` (n,), ``scope`` (n,), ``decided`` (n,), ``feature_names``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np

#: Same order as ``matching.config.FEATURE_NAMES`` (seed may not import matching; a
#: test holds them equal).
FEATURE_NAMES: tuple[str, ...] = (
    "semantic",
    "lexical",
    "skills",
    "distance",
    "availability",
    "qualification",
    "hometown",
    "priority",
    "load",
    "continuity",
)

PLANTED_INTERCEPT = -5.0
PLANTED: dict[str, float] = {
    "semantic": 0.6,
    "lexical": 0.6,
    "skills": 2.2,
    "distance": 2.6,
    "availability": 1.6,
    "load": 1.8,
    "continuity": 0.8,
}
PLANTED_INTERACTION = (("distance", "availability"), 1.5)

# Chuxiong's counties, the first ones busier (more needs, more decisions).
COUNTIES = ("532322", "532301", "532331", "532329", "532326", "532323")
_COUNTY_SHARE = np.array([0.35, 0.2, 0.15, 0.1, 0.1, 0.1])

Preference = Literal["planted", "hand"]


def _features(rng: np.random.Generator, size: int) -> np.ndarray:
    """(size, 10) feature values of one list's candidates."""
    col = {name: np.zeros(size) for name in FEATURE_NAMES}
    col["semantic"] = rng.beta(4, 6, size)
    col["lexical"] = rng.beta(2, 8, size)
    col["skills"] = rng.choice([0.0, 0.5, 1.0], size=size, p=[0.45, 0.25, 0.3])
    col["distance"] = np.exp(-rng.uniform(0, 250, size) / 100.0)
    col["availability"] = np.clip(rng.beta(3, 1.5, size), 0, 1)
    col["qualification"] = rng.integers(0, 7, size) / 10.0
    col["hometown"] = (rng.random(size) < 0.15).astype(float)
    col["priority"] = np.full(size, float(rng.random() < 0.4))
    col["load"] = rng.uniform(0, 1, size)
    col["continuity"] = rng.choice([0.0, 0.5, 1.0], size=size, p=[0.8, 0.1, 0.1])
    return np.column_stack([col[name] for name in FEATURE_NAMES])


def _utility(X: np.ndarray, preference: Preference, hand: np.ndarray) -> np.ndarray:
    if preference == "hand":
        return 6.0 * (X @ hand) - 6.0  # type: ignore[no-any-return]
    index = {name: i for i, name in enumerate(FEATURE_NAMES)}
    u = np.full(len(X), PLANTED_INTERCEPT)
    for name, weight in PLANTED.items():
        u += weight * X[:, index[name]]
    (left, right), weight = PLANTED_INTERACTION
    return u + weight * X[:, index[left]] * X[:, index[right]]  # type: ignore[no-any-return]


def _outcomes(
    rng: np.random.Generator, utility: np.ndarray, ranks: np.ndarray, eta: float
) -> tuple[np.ndarray, np.ndarray]:
    """(gain, decided) of one list."""
    looked = rng.random(len(ranks)) < ranks.astype(float) ** -eta
    approve = rng.random(len(ranks)) < 1.0 / (1.0 + np.exp(-utility))
    gain = np.zeros(len(ranks), np.int64)
    gain[looked & approve] = 2
    rated = looked & approve & (rng.random(len(ranks)) < 0.5)
    gain[rated] = 3
    # Some declined pairs got as far as interest or a site accept first.
    gain[looked & ~approve & (rng.random(len(ranks)) < 0.3)] = 1
    return gain, looked


def simulate_decisions(
    *,
    n_lists: int,
    hand_weights: Mapping[str, float],
    preference: Preference = "planted",
    seed: int = 2020,
    list_size: int = 15,
    eta: float = 1.0,
    start: float = 1_735_689_600.0,  # 2025-01-01 UTC
) -> dict[str, np.ndarray]:
    """``n_lists`` lists of ``list_size`` candidates, a day or so apart, decided by the
    ``preference``; same arguments, same arrays."""
    if n_lists < 1 or list_size < 2:
        raise ValueError(f"n_lists={n_lists}, list_size={list_size}: expected >= 1 and >= 2")
    rng = np.random.default_rng(seed)
    hand = np.array([float(hand_weights.get(name, 0.0)) for name in FEATURE_NAMES])
    parts: dict[str, list[np.ndarray]] = {
        k: [] for k in ("X", "gain", "rank", "group", "time", "scope", "decided")
    }
    when = start
    for group in range(n_lists):
        X = _features(rng, list_size)
        order = np.argsort(-(X @ hand), kind="stable")  # shown in the hand weights' order
        X = X[order]
        ranks = np.arange(1, list_size + 1)
        gain, decided = _outcomes(rng, _utility(X, preference, hand), ranks, eta)
        when += float(rng.uniform(0.2, 1.8)) * 86_400
        county = COUNTIES[int(rng.choice(len(COUNTIES), p=_COUNTY_SHARE))]
        parts["X"].append(X)
        parts["gain"].append(gain)
        parts["rank"].append(ranks)
        parts["group"].append(np.full(list_size, group))
        parts["time"].append(np.full(list_size, when))
        parts["scope"].append(np.full(list_size, county))
        parts["decided"].append(decided)
    out = {k: np.concatenate(v) for k, v in parts.items()}
    out["feature_names"] = np.array(FEATURE_NAMES)
    return out
