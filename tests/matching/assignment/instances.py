"""Random instances and an independent constraint checker for the assignment tests.

Nothing here calls the code under test: the checker re-derives every limit from the raw
arrays with plain loops, so a shared bug cannot hide in both.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np

from matching.assignment import AssignmentOptions, AssignmentProblem


def random_arrays(
    rng: np.random.Generator,
    *,
    needs: int,
    talents: int,
    candidates_per_need: int,
    days: bool = False,
    institutions: int = 0,
    sites: int | None = None,
    counties: int = 1,
) -> dict[str, Any]:
    k = min(candidates_per_need, talents)
    # Some needs get no candidates at all, as after a strict filter step.
    degree = rng.integers(0, k + 1, size=needs)
    need_index = np.repeat(np.arange(needs), degree)
    talent_index = np.concatenate(
        [rng.choice(talents, size=d, replace=False) for d in degree] or [np.zeros(0, int)]
    ).astype(np.int64)
    e = need_index.shape[0]
    site = rng.integers(0, sites, size=needs) if sites else np.arange(needs)
    arrays: dict[str, Any] = dict(
        need_index=need_index,
        talent_index=talent_index,
        score=np.round(rng.random(e), 3),
        need_headcount=rng.integers(0, 4, size=needs),
        talent_capacity=rng.integers(0, 4, size=talents),
        edge_weight=rng.choice([0.5, 1.0, 1.5], size=e),
        edge_existing=rng.random(e) < 0.1,
        need_priority=rng.random(needs) < 0.3,
        need_county=rng.integers(0, counties, size=needs),
        need_site=site,
    )
    if days:
        arrays["need_days"] = rng.choice([0, 5, 10, 20, 40], size=needs)
        arrays["talent_days"] = rng.integers(0, 60, size=talents)
    if institutions:
        arrays["talent_institution"] = rng.integers(-1, institutions, size=talents)
    return arrays


def check_limits(
    problem: AssignmentProblem, options: AssignmentOptions, chosen: np.ndarray
) -> list[str]:
    """Every limit the chosen edges break, in words; empty when all hold."""
    broken = []
    chosen_list = [int(e) for e in chosen]
    if len(set(chosen_list)) != len(chosen_list):
        broken.append("an edge is chosen twice")
    if any(e < 0 or e >= problem.n_edges for e in chosen_list):
        broken.append("a chosen index is not a candidate edge")
        return broken
    pairs = [(int(problem.need_index[e]), int(problem.talent_index[e])) for e in chosen_list]
    per_need = Counter(n for n, _ in pairs)
    per_talent = Counter(t for _, t in pairs)
    days_used: Counter[int] = Counter()
    for n, t in pairs:
        days_used[t] += int(problem.need_days[n])
    for n, count in per_need.items():
        if count > problem.need_headcount[n]:
            broken.append(f"need {n}: {count} placed > headcount {problem.need_headcount[n]}")
    for t, count in per_talent.items():
        if count > problem.talent_capacity[t]:
            broken.append(f"talent {t}: {count} placements > capacity")
        if days_used[t] > problem.talent_days[t]:
            broken.append(f"talent {t}: {days_used[t]} days > {problem.talent_days[t]}")
    cap = options.max_placements_per_institution_per_site
    if cap is not None:
        groups: Counter[tuple[Any, int]] = Counter()
        for n, t in pairs:
            inst = int(problem.talent_institution[t])
            if inst >= 0:
                site = int(problem.need_site[n])
                groups[(site if site >= 0 else ("need", n), inst)] += 1
        for group, count in groups.items():
            if count > cap:
                broken.append(f"site/institution {group}: {count} > cap {cap}")
    if options.continuity == "forced":
        chosen_set = set(chosen_list)
        for e in np.flatnonzero(problem.edge_existing):
            if int(e) not in chosen_set:
                broken.append(f"existing pairing edge {e} dropped")
    return broken


def county_floors(problem: AssignmentProblem, share: float) -> dict[int, int]:
    floors: dict[int, int] = {}
    if share <= 0:
        return floors
    totals: Counter[int] = Counter()
    for n in range(problem.n_needs):
        if problem.need_county[n] >= 0:
            totals[int(problem.need_county[n])] += int(problem.need_headcount[n])
    for county, total in totals.items():
        floor = math.ceil(round(share * total, 9))
        if floor > 0:
            floors[county] = floor
    return floors


def county_shortfall(problem: AssignmentProblem, share: float, chosen: np.ndarray) -> int:
    placed = Counter(int(problem.need_county[problem.need_index[e]]) for e in chosen)
    return sum(max(0, f - placed[c]) for c, f in county_floors(problem, share).items())


def objective_of(problem: AssignmentProblem, options: AssignmentOptions, chosen: Any) -> float:
    """The objective as the options document it, from first principles."""
    total = 0.0
    for e in chosen:
        value = float(problem.score[e] * problem.edge_weight[e])
        if problem.need_priority[problem.need_index[e]]:
            value *= options.priority_weight
        if options.continuity == "bonus" and problem.edge_existing[e]:
            value += options.continuity_bonus
        total += value
    load = Counter(int(problem.talent_index[e]) for e in chosen)
    total -= options.spread_penalty * sum(
        max(0, c - options.spread_free_placements) for c in load.values()
    )
    if options.county_min_mode == "soft":
        total -= options.county_shortfall_penalty * county_shortfall(
            problem, options.county_min_fill_share, np.asarray(list(chosen), dtype=int)
        )
    return total
