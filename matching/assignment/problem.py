"""The batch-assignment instance: candidate edges plus the limits and metadata of
both sides, as arrays.

Shapes: ``E`` candidate edges, ``N`` needs, ``T`` talents. Capacities are what is
*left*: the service passes ``capacity_concurrent - active_matches`` and
``capacity_days_per_year - days_committed`` so that a run never over-books a talent
who already serves elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.assignment._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    bool_array,
    count_array,
    float_array,
    index_array,
    label_array,
)

NO_LABEL = -1
"""The id used in ``talent_institution`` (and other label arrays) for "none"."""


@dataclass(frozen=True, eq=False, slots=True)
class AssignmentProblem:
    """One instance of the optimal assignment. Build it with :meth:`from_arrays`,
    which fills defaults; direct construction is validated the same way.

    Attributes (E edges, N needs, T talents):
        need_index: int (E,) need of each candidate edge.
        talent_index: int (E,) talent of each candidate edge.
        score: float (E,) match score of each edge (higher is better).
        edge_weight: float (E,) >= 0 multiplier on the score (e.g. programme weight).
        edge_existing: bool (E,) the pair already works together (continuity).
        need_headcount: int (N,) >= 0 people the need still asks for.
        need_days: int (N,) >= 0 days of a talent's year one placement takes.
        need_priority: bool (N,) poverty township or high-altitude site (the plan's 倾斜).
        need_county: int (N,) county id of the need's site (fairness groups).
        need_site: int (N,) site id of the need (institution cap is per site).
        talent_capacity: int (T,) >= 0 further concurrent placements the talent accepts.
        talent_days: int (T,) >= 0 days per year the talent still has.
        talent_institution: int (T,) institution id, or ``NO_LABEL`` (-1) for none.
    """

    need_index: IntArray
    talent_index: IntArray
    score: FloatArray
    edge_weight: FloatArray
    edge_existing: BoolArray
    need_headcount: IntArray
    need_days: IntArray
    need_priority: BoolArray
    need_county: IntArray
    need_site: IntArray
    talent_capacity: IntArray
    talent_days: IntArray
    talent_institution: IntArray

    def __post_init__(self) -> None:
        n_needs = np.asarray(self.need_headcount).shape[0]
        n_talents = np.asarray(self.talent_capacity).shape[0]
        set_ = object.__setattr__
        set_(
            self, "need_headcount", count_array("need_headcount", self.need_headcount, length=None)
        )
        set_(
            self,
            "talent_capacity",
            count_array("talent_capacity", self.talent_capacity, length=None),
        )
        set_(
            self,
            "need_index",
            index_array("need_index", self.need_index, length=None, upper=n_needs),
        )
        n_edges = self.need_index.shape[0]
        set_(
            self,
            "talent_index",
            index_array("talent_index", self.talent_index, length=n_edges, upper=n_talents),
        )
        set_(self, "score", float_array("score", self.score, length=n_edges))
        set_(
            self,
            "edge_weight",
            float_array("edge_weight", self.edge_weight, length=n_edges, non_negative=True),
        )
        set_(self, "edge_existing", bool_array("edge_existing", self.edge_existing, length=n_edges))
        set_(self, "need_days", count_array("need_days", self.need_days, length=n_needs))
        set_(self, "need_priority", bool_array("need_priority", self.need_priority, length=n_needs))
        set_(self, "need_county", label_array("need_county", self.need_county, length=n_needs))
        set_(self, "need_site", label_array("need_site", self.need_site, length=n_needs))
        set_(self, "talent_days", count_array("talent_days", self.talent_days, length=n_talents))
        set_(
            self,
            "talent_institution",
            label_array("talent_institution", self.talent_institution, length=n_talents),
        )
        _reject_duplicate_pairs(self.need_index, self.talent_index, n_talents)

    @property
    def n_edges(self) -> int:
        return int(self.need_index.shape[0])

    @property
    def n_needs(self) -> int:
        return int(self.need_headcount.shape[0])

    @property
    def n_talents(self) -> int:
        return int(self.talent_capacity.shape[0])

    @classmethod
    def from_arrays(
        cls,
        *,
        need_index: Any,
        talent_index: Any,
        score: Any,
        need_headcount: Any,
        talent_capacity: Any,
        need_days: Any = None,
        talent_days: Any = None,
        edge_weight: Any = None,
        edge_existing: Any = None,
        need_priority: Any = None,
        need_county: Any = None,
        need_site: Any = None,
        talent_institution: Any = None,
    ) -> AssignmentProblem:
        """Validate and fill defaults: no days limit, weight 1, no existing pairings,
        no priority, one county, each need its own site, no institutions."""
        n_needs = np.asarray(need_headcount).shape[0]
        n_talents = np.asarray(talent_capacity).shape[0]
        n_edges = np.asarray(need_index).shape[0]
        # A days budget no need can exhaust: the sum of all needs' days.
        no_days_limit = np.full(n_talents, _days_budget_without_limit(need_days, n_needs))
        return cls(
            need_index=need_index,
            talent_index=talent_index,
            score=score,
            edge_weight=np.ones(n_edges) if edge_weight is None else edge_weight,
            edge_existing=np.zeros(n_edges, bool) if edge_existing is None else edge_existing,
            need_headcount=need_headcount,
            need_days=np.zeros(n_needs, np.int64) if need_days is None else need_days,
            need_priority=np.zeros(n_needs, bool) if need_priority is None else need_priority,
            need_county=np.zeros(n_needs, np.int64) if need_county is None else need_county,
            need_site=np.arange(n_needs) if need_site is None else need_site,
            talent_capacity=talent_capacity,
            talent_days=no_days_limit if talent_days is None else talent_days,
            talent_institution=(
                np.full(n_talents, NO_LABEL) if talent_institution is None else talent_institution
            ),
        )


def _days_budget_without_limit(need_days: Any, n_needs: int) -> int:
    if need_days is None:
        return 0
    days = count_array("need_days", need_days, length=n_needs)
    return int(days.sum())


def _reject_duplicate_pairs(need_index: IntArray, talent_index: IntArray, n_talents: int) -> None:
    # A pair listed twice would let the solver place one person twice in one need.
    if need_index.size == 0:
        return
    pair_key = need_index * max(n_talents, 1) + talent_index
    order = np.argsort(pair_key, kind="stable")
    repeated = np.flatnonzero(pair_key[order][1:] == pair_key[order][:-1])
    if repeated.size:
        first, second = sorted((int(order[repeated[0]]), int(order[repeated[0] + 1])))
        raise ValueError(
            f"candidate edges {first} and {second} both pair need {int(need_index[first])} "
            f"with talent {int(talent_index[first])}; list each (need, talent) pair once"
        )
