"""Bounds on the structured part of a need–talent score, over many candidate rows at once.

Explaining a pair (``matching.features``) builds a sentence per feature in two languages:
about 0.1 ms a pair, the largest cost of a query when hundreds of retrieved candidates
are explained. Most features are cheap column arithmetic, though, so the matcher bounds
each candidate's structured sum from arrays first and explains only the rows whose upper
bound can still reach the top. The rows it explains are scored exactly as before: these
bounds decide which rows to skip, never a score.

Exact here (same arithmetic as ``features``): distance, availability, qualification,
hometown, priority, load; skills when the need lists none, continuity for a talent
without earlier pairings; skills and continuity always when the caller passes them
(``matching.pair_scores``). The rest lie anywhere in [0, 1].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.config import FEATURE_NAMES, MatchingConfig
from matching.constraints import TalentArrays
from matching.features import priority_area
from matching.geo import haversine_km
from matching.types import Mode, NeedProfile, TalentProfile

#: Room for rounding between the array and the per-pair arithmetic.
SLACK = 1e-6


@dataclass(frozen=True, slots=True)
class TalentColumns:
    """Per-talent columns the bounds and the list filters read (row order = talents)."""

    home_county: np.ndarray  # (N,) object: str or None
    category: np.ndarray  # (N,) object
    load: np.ndarray  # (N,) float64: the load-balance feature's value
    paired: np.ndarray  # (N,) bool: served somewhere before (continuity may be > 0)

    @classmethod
    def build(cls, talents: Sequence[TalentProfile]) -> TalentColumns:
        n = len(talents)
        concurrent = np.fromiter((t.capacity_concurrent for t in talents), np.float64, n)
        active = np.fromiter((t.active_matches for t in talents), np.float64, n)
        per_year = np.fromiter((t.capacity_days_per_year for t in talents), np.float64, n)
        committed = np.fromiter((t.days_committed for t in talents), np.float64, n)
        with np.errstate(divide="ignore", invalid="ignore"):
            slots = np.where(concurrent > 0, (concurrent - active) / concurrent, 0.0)
            days = np.where(per_year > 0, (per_year - committed) / per_year, 0.0)
        return cls(
            home_county=np.array([t.home_county for t in talents], dtype=object),
            category=np.array([t.category for t in talents], dtype=object),
            load=np.minimum(1.0, np.maximum(0.0, np.minimum(slots, days))),
            paired=np.fromiter(
                (bool(t.paired_site_ids or t.paired_counties) for t in talents), bool, n
            ),
        )


def _distance(
    need: NeedProfile, arrays: TalentArrays, rows: np.ndarray, scale: float
) -> np.ndarray:
    if need.mode == Mode.REMOTE or need.lat is None or need.lon is None:
        return np.zeros(len(rows))
    km = haversine_km(need.lat, need.lon, arrays.lat[rows], arrays.lon[rows])
    return np.where(np.isnan(km), 0.0, np.exp(-np.nan_to_num(km) / scale))


def _availability(need: NeedProfile, arrays: TalentArrays, rows: np.ndarray) -> np.ndarray:
    lo, hi = need.window.start.toordinal(), need.window.end.toordinal()
    # int64: the int32 padding of the window columns would overflow the subtraction.
    start = arrays.window_start[rows].astype(np.int64)
    end = arrays.window_end[rows].astype(np.int64)
    covered = np.maximum(0, np.minimum(end, hi) - np.maximum(start, lo) + 1).sum(axis=1)
    value = np.minimum(1.0, covered / need.window.days)
    return np.where(arrays.has_windows[rows], value, 0.5)


def _qualification(need: NeedProfile, arrays: TalentArrays, rows: np.ndarray) -> np.ndarray:
    margin = (arrays.title[rows].astype(np.int64) - need.min_title_level) + (
        arrays.degree[rows].astype(np.int64) - need.min_degree_level
    )
    return np.minimum(1.0, np.maximum(0.0, margin / 10))


def _hometown(need: NeedProfile, columns: TalentColumns, rows: np.ndarray) -> np.ndarray:
    if not need.county:
        return np.zeros(len(rows))
    return (columns.home_county[rows] == need.county).astype(np.float64)


def structured_bounds(
    need: NeedProfile,
    arrays: TalentArrays,
    columns: TalentColumns,
    rows: np.ndarray,
    weights: Mapping[str, float],
    config: MatchingConfig,
    known: Mapping[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(low, high), each (len(rows),): bounds on the weighted sum of the structured
    features of ``need`` with each talent row. ``known``: exact values (n,) of further
    features, computed by the caller (skills and continuity from inverted lists)."""
    n = len(rows)
    exact = {
        **(known or {}),
        "distance": _distance(need, arrays, rows, config.distance_scale_km),
        "availability": _availability(need, arrays, rows),
        "qualification": _qualification(need, arrays, rows),
        "hometown": _hometown(need, columns, rows),
        "priority": np.full(n, priority_area(need, config).value),
        "load": columns.load[rows],
    }
    if not need.skills:
        exact["skills"] = np.zeros(n)
    low = np.zeros(n)
    high = np.zeros(n)
    for name in FEATURE_NAMES[2:]:
        weight = weights[name]
        if name in exact:
            part = weight * exact[name]
            low += part
            high += part
        elif name == "continuity":
            # A talent never paired anywhere scores 0 on continuity.
            low += np.where(columns.paired[rows], min(0.0, weight), 0.0)
            high += np.where(columns.paired[rows], max(0.0, weight), 0.0)
        else:
            low += min(0.0, weight)
            high += max(0.0, weight)
    return low - SLACK, high + SLACK
