"""A run never proposes two placements for one talent that clash over a long placement.

A long placement (``NeedProfile.long_placement``: 挂职、选派、三支一扶… over 1–2 years)
occupies the talent full-time over its dates. The hard constraints already keep a talent
off needs that overlap a long placement they *hold*; within one run, the assignment
counts only places and days, so it could choose for one talent two long needs whose
dates overlap, or a long one and a short one inside its dates. This module finds such
clashes among the chosen edges and takes the clashing edges out of the problem, so the
solver is asked again without them (it may then fill the slot with someone else)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import numpy as np

from matching.assignment import AssignmentProblem
from matching.types import NeedProfile


@dataclasses.dataclass(frozen=True)
class NeedSpans:
    """Per need index of a run's problem: its dates as day ordinals, and whether it is a
    long placement."""

    start: np.ndarray
    end: np.ndarray
    long: np.ndarray

    @classmethod
    def of(cls, needs: list[NeedProfile]) -> NeedSpans:
        return cls(
            start=np.array([n.window.start.toordinal() for n in needs], np.int64),
            end=np.array([n.window.end.toordinal() for n in needs], np.int64),
            long=np.array([n.long_placement for n in needs], bool),
        )

    def clash(self, a: int, b: int) -> bool:
        """Two placements of one talent clash when either is long and their dates meet."""
        if not (self.long[a] or self.long[b]):
            return False
        return bool(self.start[a] <= self.end[b] and self.start[b] <= self.end[a])


def clashing_edges(problem: AssignmentProblem, spans: NeedSpans, chosen: np.ndarray) -> np.ndarray:
    """The chosen edges to give up so that no talent keeps two clashing placements: per
    talent, the chosen edges by score (best first), each kept unless it clashes with one
    kept before it."""
    by_talent: dict[int, list[int]] = defaultdict(list)
    for e in chosen.tolist():
        by_talent[int(problem.talent_index[e])].append(int(e))
    dropped: list[int] = []
    for edges in by_talent.values():
        if len(edges) < 2:
            continue
        kept: list[int] = []
        for e in sorted(edges, key=lambda x: (-float(problem.score[x]), x)):
            need = int(problem.need_index[e])
            if any(spans.clash(need, int(problem.need_index[k])) for k in kept):
                dropped.append(e)
            else:
                kept.append(e)
    return np.array(sorted(dropped), dtype=np.int64)


def edges_to_drop(
    problem: AssignmentProblem, spans: NeedSpans, chosen: np.ndarray, clashing: np.ndarray
) -> np.ndarray:
    """``clashing`` (from :func:`clashing_edges`) and, for each talent that had a clash,
    every other candidate edge that clashes with a placement the talent keeps: asked
    again, the solver would otherwise move the talent to the next clashing need, one
    round at a time (4,991 needs over 100,000 talents took 24 rounds of ~2 s)."""
    dropped = set(clashing.tolist())
    kept: dict[int, list[int]] = defaultdict(list)
    for e in chosen.tolist():
        if e not in dropped:
            kept[int(problem.talent_index[e])].append(int(problem.need_index[e]))
    talents = np.unique(problem.talent_index[clashing])
    for e in np.flatnonzero(np.isin(problem.talent_index, talents)).tolist():
        need = int(problem.need_index[e])
        holds = kept.get(int(problem.talent_index[e]), [])
        if any(k != need and spans.clash(need, k) for k in holds):
            dropped.add(e)
    return np.array(sorted(dropped), dtype=np.int64)


def without_edges(problem: AssignmentProblem, edges: np.ndarray) -> AssignmentProblem:
    """The same problem with ``edges`` taken out of the candidate graph."""
    keep = np.ones(problem.n_edges, bool)
    keep[edges] = False
    return dataclasses.replace(
        problem,
        need_index=problem.need_index[keep],
        talent_index=problem.talent_index[keep],
        score=problem.score[keep],
        edge_weight=problem.edge_weight[keep],
        edge_existing=problem.edge_existing[keep],
    )
