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
from matching.constraints import _MODE_BIT, TalentArrays, feasible_talents
from matching.features import (
    SIBLING_CREDIT,
    _parent,
    lexical_value,
    priority_area,
    semantic_value,
    structured_features,
)
from matching.geo import haversine_km
from matching.ranker import LearnedScorer
from matching.results import FeatureContribution, Recommendation
from matching.types import Mode, NeedProfile, TalentProfile

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


def feasible_rows(need: NeedProfile, arrays: TalentArrays, rows: np.ndarray) -> np.ndarray:
    """(n,) bool: ``feasible_talents(need, arrays)[rows]``, reading only those rows."""
    declined = arrays.declined_rows.get(need.id)
    blocked = arrays.blocked_rows.get(need.site_id) if need.site_id is not None else None
    subset = TalentArrays(
        ids=arrays.ids[rows],
        mode_bits=arrays.mode_bits[rows],
        has_windows=arrays.has_windows[rows],
        window_start=arrays.window_start[rows],
        window_end=arrays.window_end[rows],
        title=arrays.title[rows],
        degree=arrays.degree[rows],
        licences={k: arrays.licences[k][rows] for k in need.licences if k in arrays.licences},
        languages={k: arrays.languages[k][rows] for k in need.languages if k in arrays.languages},
        lat=arrays.lat[rows],
        lon=arrays.lon[rows],
        travel_radius_km=arrays.travel_radius_km[rows],
        free_slots=arrays.free_slots[rows],
        free_days=arrays.free_days[rows],
        declined_rows={}
        if declined is None
        else {need.id: np.flatnonzero(np.isin(rows, declined))},
        blocked_rows={}
        if blocked is None or need.site_id is None
        else {need.site_id: np.flatnonzero(np.isin(rows, blocked))},
        category=arrays.category[rows],
        long_ok=arrays.long_ok[rows],
        occupied_start=arrays.occupied_start[rows],
        occupied_end=arrays.occupied_end[rows],
        engaged_start=arrays.engaged_start[rows],
        engaged_end=arrays.engaged_end[rows],
    )
    return feasible_talents(need, subset)


def feasible_all(need: NeedProfile, arrays: TalentArrays) -> np.ndarray:
    """(N,) bool: ``feasible_talents(need, arrays)``, the trigonometry and the window
    tests run only on the rows that pass the cheap column comparisons (each of those is
    one of the same conjuncts, so the answer is the same)."""
    ok = (arrays.mode_bits & _MODE_BIT[need.mode]) != 0
    ok &= arrays.title >= need.min_title_level
    ok &= arrays.degree >= need.min_degree_level
    ok &= arrays.free_slots > 0
    ok &= arrays.long_ok if need.long_placement else arrays.free_days >= need.days_needed
    rows = np.flatnonzero(ok)
    # The distance usually leaves the fewest rows (a median need keeps ~2 % of 100,000
    # talents): testing it first reads three columns of the survivors, not all twenty.
    rows = rows[_within_reach(need, arrays, rows)]
    out = np.zeros(len(arrays), dtype=bool)
    out[rows[feasible_rows(need, arrays, rows)]] = True
    return out


def _within_reach(need: NeedProfile, arrays: TalentArrays, rows: np.ndarray) -> np.ndarray:
    """(n,) bool: the distance conjunct of ``feasible_talents`` at ``rows``."""
    if need.mode == Mode.REMOTE or need.lat is None or need.lon is None:
        return np.ones(len(rows), dtype=bool)
    distance = haversine_km(need.lat, need.lon, arrays.lat[rows], arrays.lon[rows])
    # NaN distance (talent without coordinates) compares False, so it passes.
    return ~(distance > arrays.travel_radius_km[rows])


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
