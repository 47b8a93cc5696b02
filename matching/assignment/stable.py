"""Stable mode: many-to-many deferred acceptance with capacities.

For programmes where both sides state preferences. Needs rank talents (by score, see
:func:`preferences_from_scores`, or by the site's own ranking); talents rank needs by
their stated preferences. A pair can match only when each side lists the other: leaving
someone off a list refuses them. A need takes up to its headcount, a talent up to their
capacity (0 allowed), and a pair matches at most once.

The proposing side gets its best stable outcome: deferred acceptance with responsive
preferences yields the proposer-optimal pairwise-stable matching whatever the order of
proposals (Roth 1984), so any correct implementation returns the same matching.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from matching.assignment._arrays import FloatArray, IntArray, count_array, float_array, index_array

ProposingSide = Literal["needs", "talents"]
Preferences = Sequence[Sequence[int]]


@dataclass(frozen=True, slots=True)
class StableOptions:
    """Options of :func:`deferred_acceptance`.

    proposing_side:
        ``"needs"`` (default): sites propose, the result is the best stable matching for
        sites. ``"talents"``: talents propose, the best stable matching for talents.
    """

    proposing_side: ProposingSide = "needs"

    def __post_init__(self) -> None:
        if self.proposing_side not in ("needs", "talents"):
            raise ValueError(
                f"StableOptions.proposing_side = {self.proposing_side!r}; "
                "expected 'needs' or 'talents'"
            )


@dataclass(frozen=True, eq=False, slots=True)
class StableMatching:
    """A matching as pairs (K matched pairs), sorted by need then talent.

    Attributes:
        need_index: int (K,) need of each matched pair.
        talent_index: int (K,) talent of each matched pair.
        unfilled_slots: int (N,) headcount left open per need.
        proposing_side: which side proposed.
        rounds: proposal rounds until no one was rejected.
    """

    need_index: IntArray
    talent_index: IntArray
    unfilled_slots: IntArray
    proposing_side: ProposingSide
    rounds: int

    def pairs(self) -> set[tuple[int, int]]:
        return {(int(n), int(t)) for n, t in zip(self.need_index, self.talent_index, strict=True)}


def preferences_from_scores(
    owner_index: Any, other_index: Any, score: Any, *, n_owners: int, n_others: int
) -> list[list[int]]:
    """Preference lists from scored pairs: for each owner (e.g. need), the others (e.g.
    talents) it has a scored pair with, best score first; ties go to the lower index so
    the lists are deterministic. Shapes: all three (E,)."""
    owner = index_array("owner_index", owner_index, length=None, upper=n_owners)
    other = index_array("other_index", other_index, length=owner.shape[0], upper=n_others)
    value: FloatArray = float_array("score", score, length=owner.shape[0])
    order = np.lexsort((other, -value, owner))
    lists: list[list[int]] = [[] for _ in range(n_owners)]
    for e in order:
        lists[int(owner[e])].append(int(other[e]))
    return lists


def _checked_preferences(
    name: str, lists: Preferences, n_owners: int, n_others: int
) -> list[list[int]]:
    if len(lists) != n_owners:
        raise ValueError(f"{name} must have one list per entry ({n_owners}), got {len(lists)}")
    checked = []
    for i, ranked in enumerate(lists):
        items = [int(x) for x in ranked]
        for x in items:
            if not 0 <= x < n_others:
                raise ValueError(f"{name}[{i}] lists {x}, outside 0..{n_others - 1}")
        if len(set(items)) != len(items):
            raise ValueError(f"{name}[{i}] lists an entry twice: {items}")
        checked.append(items)
    return checked


def _rank_tables(lists: list[list[int]]) -> list[dict[int, int]]:
    return [{x: r for r, x in enumerate(ranked)} for ranked in lists]


def deferred_acceptance(
    need_preferences: Preferences,
    talent_preferences: Preferences,
    need_headcount: Any,
    talent_capacity: Any,
    options: StableOptions | None = None,
) -> StableMatching:
    """The proposer-optimal stable matching.

    Args:
        need_preferences: N lists of talent indices, most preferred first.
        talent_preferences: T lists of need indices, most preferred first.
        need_headcount: int (N,) >= 0.
        talent_capacity: int (T,) >= 0.
    """
    options = options or StableOptions()
    headcount = count_array("need_headcount", need_headcount, length=None)
    capacity = count_array("talent_capacity", talent_capacity, length=None)
    n_needs, n_talents = headcount.shape[0], capacity.shape[0]
    need_lists = _checked_preferences("need_preferences", need_preferences, n_needs, n_talents)
    talent_lists = _checked_preferences(
        "talent_preferences", talent_preferences, n_talents, n_needs
    )
    if options.proposing_side == "needs":
        held, rounds = _propose(need_lists, talent_lists, headcount, capacity)
        pairs = [(n, t) for t, needs in enumerate(held) for n in needs]
    else:
        held, rounds = _propose(talent_lists, need_lists, capacity, headcount)
        pairs = [(n, t) for n, talents in enumerate(held) for t in talents]
    pairs.sort()
    need_index = np.array([p[0] for p in pairs], dtype=np.int64)
    talent_index = np.array([p[1] for p in pairs], dtype=np.int64)
    return StableMatching(
        need_index=need_index,
        talent_index=talent_index,
        unfilled_slots=headcount - np.bincount(need_index, minlength=n_needs),
        proposing_side=options.proposing_side,
        rounds=rounds,
    )


def _propose(
    proposer_lists: list[list[int]],
    receiver_lists: list[list[int]],
    proposer_capacity: IntArray,
    receiver_capacity: IntArray,
) -> tuple[list[list[int]], int]:
    """Simultaneous rounds: every proposer with open slots proposes to as many of its
    next acceptable receivers as it has open slots; each receiver keeps its best offers
    up to capacity and rejects the rest. Returns what each receiver holds at the end."""
    receiver_rank = _rank_tables(receiver_lists)
    # Only mutually acceptable pairs: a receiver that does not list a proposer refuses it.
    lists = [
        [r for r in ranked if p in receiver_rank[r]] for p, ranked in enumerate(proposer_lists)
    ]
    next_choice = [0] * len(lists)
    open_slots = [int(c) for c in proposer_capacity]
    held: list[list[int]] = [[] for _ in receiver_lists]
    rounds = 0
    while True:
        offers: dict[int, list[int]] = {}
        for p, ranked in enumerate(lists):
            while open_slots[p] > 0 and next_choice[p] < len(ranked):
                r = ranked[next_choice[p]]
                next_choice[p] += 1
                open_slots[p] -= 1
                offers.setdefault(r, []).append(p)
        if not offers:
            return held, rounds
        rounds += 1
        for r, proposers in offers.items():
            pool = sorted(held[r] + proposers, key=receiver_rank[r].__getitem__)
            keep = int(receiver_capacity[r])
            held[r] = pool[:keep]
            for rejected in pool[keep:]:
                open_slots[rejected] += 1


def blocking_pairs(
    matching: StableMatching,
    need_preferences: Preferences,
    talent_preferences: Preferences,
    need_headcount: Any,
    talent_capacity: Any,
) -> list[tuple[int, int]]:
    """Every (need, talent) pair that would both rather match each other: mutually
    listed, not matched, and each side has a free slot or ranks the other above its
    worst current partner. Raises ``ValueError`` when the matching itself is not
    feasible (a pair not mutually listed, a pair twice, or a limit exceeded)."""
    headcount = count_array("need_headcount", need_headcount, length=None)
    capacity = count_array("talent_capacity", talent_capacity, length=None)
    n_needs, n_talents = headcount.shape[0], capacity.shape[0]
    need_lists = _checked_preferences("need_preferences", need_preferences, n_needs, n_talents)
    talent_lists = _checked_preferences(
        "talent_preferences", talent_preferences, n_talents, n_needs
    )
    need_rank, talent_rank = _rank_tables(need_lists), _rank_tables(talent_lists)
    pairs = list(zip(matching.need_index.tolist(), matching.talent_index.tolist(), strict=True))
    if len(set(pairs)) != len(pairs):
        raise ValueError("the matching lists a (need, talent) pair twice")
    partners_of_need: list[list[int]] = [[] for _ in range(n_needs)]
    partners_of_talent: list[list[int]] = [[] for _ in range(n_talents)]
    for n, t in pairs:
        if not (0 <= n < n_needs and 0 <= t < n_talents):
            raise ValueError(
                f"matched pair ({n}, {t}) is outside {n_needs} needs x {n_talents} talents"
            )
        if t not in need_rank[n] or n not in talent_rank[t]:
            raise ValueError(f"matched pair (need {n}, talent {t}) is not listed by both sides")
        partners_of_need[n].append(t)
        partners_of_talent[t].append(n)
    for n, partners in enumerate(partners_of_need):
        if len(partners) > headcount[n]:
            raise ValueError(f"need {n} has {len(partners)} matches > headcount {headcount[n]}")
    for t, partners in enumerate(partners_of_talent):
        if len(partners) > capacity[t]:
            raise ValueError(f"talent {t} has {len(partners)} matches > capacity {capacity[t]}")

    def wants(rank: dict[int, int], partners: list[int], limit: int, other: int) -> bool:
        if limit == 0:
            return False
        if len(partners) < limit:
            return True
        return rank[other] < max(rank[p] for p in partners)

    matched = set(pairs)
    blocking = []
    for n, ranked in enumerate(need_lists):
        for t in ranked:
            if (n, t) in matched or n not in talent_rank[t]:
                continue
            if wants(need_rank[n], partners_of_need[n], int(headcount[n]), t) and wants(
                talent_rank[t], partners_of_talent[t], int(capacity[t]), n
            ):
                blocking.append((n, t))
    return blocking


def is_stable(
    matching: StableMatching,
    need_preferences: Preferences,
    talent_preferences: Preferences,
    need_headcount: Any,
    talent_capacity: Any,
) -> bool:
    """True when the matching is feasible and no pair blocks it."""
    try:
        return not blocking_pairs(
            matching, need_preferences, talent_preferences, need_headcount, talent_capacity
        )
    except ValueError:
        return False
