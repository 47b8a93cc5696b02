"""Scores of many need–talent pairs as arrays: the batch run's path.

``Matcher._rank`` explains each retrieved pair in Python (``matching.features``), about
0.1–0.5 ms a pair, two sentences per feature included; a batch run ranks some 400
candidates for each of thousands of needs, so that is most of its time. Here every
structured feature is column arithmetic over the candidate rows, with the arithmetic of
``features`` (so the values, the scores and hence the rankings are the same to float
rounding), and the sentences are written only for the pairs a caller asks for
(:meth:`RankedTalents.recommendation`), e.g. the proposals a run makes.

Shapes: ``rows`` (n,) index the talent side's row order; :func:`structured_values` is
(n, 8) in ``FEATURE_NAMES[2:]`` order; values and contributions are (n, F) with
F = len(FEATURE_NAMES).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.bounds import TalentColumns, _availability, _distance, _hometown, _qualification
from matching.config import FEATURE_NAMES, MatchingConfig
from matching.constraints import (
    TalentArrays,
    column_conjuncts,
    reach_conjunct,
    window_and_list_conjuncts,
)
from matching.features import (
    SIBLING_CREDIT,
    _parent,
    lexical_value,
    priority_area,
    semantic_value,
    structured_features,
)
from matching.ranker import LearnedScorer
from matching.results import FeatureContribution, Recommendation
from matching.types import NeedProfile, TalentProfile

# Sorted talent rows and, per row, how many of the thing they hold.
Holders = tuple[np.ndarray, np.ndarray]
_NONE: Holders = (np.zeros(0, np.int64), np.zeros(0, np.int64))


def _holders(lists: Mapping[object, list[int]]) -> dict[object, Holders]:
    out: dict[object, Holders] = {}
    for key, rows in lists.items():
        found, counts = np.unique(np.array(rows, np.int64), return_counts=True)
        out[key] = (found, counts.astype(np.int64))
    return out


@dataclass(frozen=True, slots=True)
class PairColumns:
    """Inverted lists of the talent side (row order = talents) for the two features
    that read sets: skills (with their taxonomy parents) and earlier pairings."""

    skill: dict[object, Holders]  # skill code -> rows holding it, times held
    parent: dict[object, Holders]  # parent code -> rows, skills held under it
    site: dict[object, Holders]  # site id -> rows that served it
    county: dict[object, Holders]  # county code -> rows that served there

    @classmethod
    def build(cls, talents: Sequence[TalentProfile]) -> PairColumns:
        skill: dict[object, list[int]] = defaultdict(list)
        parent: dict[object, list[int]] = defaultdict(list)
        site: dict[object, list[int]] = defaultdict(list)
        county: dict[object, list[int]] = defaultdict(list)
        for row, t in enumerate(talents):
            for code in t.skills:
                skill[code].append(row)
                if up := _parent(code):
                    parent[up].append(row)
            for site_id in t.paired_site_ids:
                site[site_id].append(row)
            for code in t.paired_counties:
                county[code].append(row)
        return cls(_holders(skill), _holders(parent), _holders(site), _holders(county))


def _count(rows: np.ndarray, holders: Holders) -> np.ndarray:
    """(n,) int64: how many times each of ``rows`` appears in ``holders`` (0 if not)."""
    found, counts = holders
    if not len(found):
        return np.zeros(len(rows), np.int64)
    at = np.minimum(np.searchsorted(found, rows), len(found) - 1)
    return np.where(found[at] == rows, counts[at], 0)


def skills_values(need: NeedProfile, pairs: PairColumns, rows: np.ndarray) -> np.ndarray:
    """(n,) ``features.skills_overlap`` of ``need`` with each row. Its greedy sibling
    credit counts, per parent code, the smaller of the need's missing skills under it
    and the talent's spare skills under it (any spare one stands in for any missing
    one), so it is a sum of minima."""
    wanted = need.skills
    if not wanted:
        return np.zeros(len(rows))
    held = {code: _count(rows, pairs.skill.get(code, _NONE)) for code in set(wanted)}
    exact = np.zeros(len(rows), np.int64)
    missing: dict[str, np.ndarray] = {}
    for code in wanted:  # with repeats, as the per-pair count
        has = held[code] > 0
        exact += has
        if up := _parent(code):
            missing[up] = missing.get(up, np.zeros(len(rows), np.int64)) + ~has
    near = np.zeros(len(rows), np.int64)
    for up, lacking in missing.items():
        spare = _count(rows, pairs.parent.get(up, _NONE))
        spare = spare - sum(held[c] for c in held if _parent(c) == up)
        near += np.minimum(lacking, spare)
    return (exact + SIBLING_CREDIT * near) / len(wanted)  # type: ignore[no-any-return]


def continuity_values(need: NeedProfile, pairs: PairColumns, rows: np.ndarray) -> np.ndarray:
    """(n,) ``features.continuity``: 1 for the site served before, 0.5 its county."""
    value = np.zeros(len(rows))
    if need.county:
        value[_count(rows, pairs.county.get(need.county, _NONE)) > 0] = 0.5
    if need.site_id is not None:
        value[_count(rows, pairs.site.get(need.site_id, _NONE)) > 0] = 1.0
    return value


def structured_values(
    need: NeedProfile,
    arrays: TalentArrays,
    columns: TalentColumns,
    pairs: PairColumns,
    rows: np.ndarray,
    config: MatchingConfig,
) -> np.ndarray:
    """(n, 8): ``features.structured_features(need, talent)`` values of each row."""
    n = len(rows)
    by_name = {
        "skills": skills_values(need, pairs, rows),
        "distance": _distance(need, arrays, rows, config.distance_scale_km),
        "availability": _availability(need, arrays, rows),
        "qualification": _qualification(need, arrays, rows),
        "hometown": _hometown(need, columns, rows),
        "priority": np.full(n, priority_area(need, config).value),
        "load": columns.load[rows],
        "continuity": continuity_values(need, pairs, rows),
    }
    return np.column_stack([by_name[name] for name in FEATURE_NAMES[2:]]).reshape(n, 8)


def feasible_all(need: NeedProfile, arrays: TalentArrays) -> np.ndarray:
    """(N,) bool: ``feasible_talents(need, arrays)``, each group of constraints tested
    once, on the rows the cheaper groups left: the column comparisons on every row, the
    distance on their survivors (a median need keeps ~2 % of 100,000 talents), then the
    windows and lists. Each group is a conjunction of the same constraints, so the
    answer is the same."""
    rows = np.flatnonzero(column_conjuncts(need, arrays))
    rows = rows[reach_conjunct(need, arrays, rows)]
    rows = rows[window_and_list_conjuncts(need, arrays, rows)]
    out = np.zeros(len(arrays), dtype=bool)
    out[rows] = True
    return out


def row_sums(contributions: np.ndarray) -> np.ndarray:
    """(n, F) -> (n,): each row summed left to right, as ``sum()`` over a breakdown
    adds its lines (the same float rounding, so the same ties)."""
    total = np.zeros(contributions.shape[0])
    for column in contributions.T:
        total = total + column
    return total


def ranked_order(scores: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Positions by score, best first, ties to the smaller id."""
    return np.lexsort((ids, -scores))


def learned(
    values: np.ndarray, scorer: LearnedScorer, boost: Mapping[str, float] | None
) -> tuple[np.ndarray, np.ndarray]:
    """(n, F) values -> (contributions (n, F), scores (n,)) by ``scorer`` plus the
    boosts: ``matcher._rescore`` over arrays (the chance of approval)."""
    contributions = scorer.contributions(values)
    extra = np.array([float((boost or {}).get(name, 0.0)) for name in FEATURE_NAMES])
    contributions = contributions + values * extra
    logits = scorer.intercept + contributions.sum(axis=1)
    return contributions, 1.0 / (1.0 + np.exp(-logits))


def worded(
    need: NeedProfile,
    talent: TalentProfile,
    values: np.ndarray,
    contributions: np.ndarray,
    config: MatchingConfig,
) -> tuple[FeatureContribution, ...]:
    """One pair's breakdown: the numbers given, (F,) each, with the sentences of
    ``features`` for the pair."""
    words = {
        "semantic": semantic_value(float(values[0])),
        "lexical": lexical_value(float(values[1])),
        **structured_features(need, talent, config),
    }
    return tuple(
        FeatureContribution(
            name, float(values[j]), float(contributions[j]), words[name].zh, words[name].en
        )
        for j, name in enumerate(FEATURE_NAMES)
    )


@dataclass(frozen=True)
class RankedTalents:
    """One need's ranked talents as arrays, best first: ``talents`` (k,), ``scores``
    (k,), ``values`` and ``contributions`` (k, F); ``scorer`` labels who scored."""

    need: NeedProfile
    talents: list[TalentProfile]
    scores: np.ndarray
    values: np.ndarray
    contributions: np.ndarray
    scorer: str
    config: MatchingConfig

    def __len__(self) -> int:
        return len(self.talents)

    def recommendation(self, i: int, *, explained: bool = True) -> Recommendation:
        """The ``i``-th (from 0) as a :class:`Recommendation`; its breakdown stays
        empty unless ``explained``."""
        breakdown = (
            worded(self.need, self.talents[i], self.values[i], self.contributions[i], self.config)
            if explained
            else ()
        )
        return Recommendation(
            self.need.id,
            self.talents[i].id,
            float(self.scores[i]),
            i + 1,
            breakdown,
            self.scorer,
        )

    def recommendations(self, *, explained: bool = True) -> list[Recommendation]:
        return [self.recommendation(i, explained=explained) for i in range(len(self))]
