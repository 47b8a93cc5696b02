"""Stable mode: stability on every instance, and agreement with a textbook
one-proposal-at-a-time deferred acceptance written here."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.assignment import (
    StableMatching,
    StableOptions,
    blocking_pairs,
    deferred_acceptance,
    is_stable,
    preferences_from_scores,
)


def textbook_deferred_acceptance(
    proposer_prefs: list[list[int]],
    receiver_prefs: list[list[int]],
    proposer_cap: list[int],
    receiver_cap: list[int],
) -> set[tuple[int, int]]:
    """Gale–Shapley with capacities, one proposal at a time from a queue of proposers
    with an open slot; returns (proposer, receiver) pairs."""
    rank = [{p: i for i, p in enumerate(prefs)} for prefs in receiver_prefs]
    next_index = [0] * len(proposer_prefs)
    holding: list[set[int]] = [set() for _ in receiver_prefs]  # receiver -> proposers
    matched_count = [0] * len(proposer_prefs)
    queue = list(range(len(proposer_prefs)))
    while queue:
        p = queue.pop()
        while matched_count[p] < proposer_cap[p] and next_index[p] < len(proposer_prefs[p]):
            r = proposer_prefs[p][next_index[p]]
            next_index[p] += 1
            if p not in rank[r] or receiver_cap[r] == 0:
                continue  # refused: r does not list p, or takes no one
            if len(holding[r]) < receiver_cap[r]:
                holding[r].add(p)
                matched_count[p] += 1
                continue
            worst = max(holding[r], key=lambda q: rank[r][q])
            if rank[r][p] < rank[r][worst]:
                holding[r].remove(worst)
                holding[r].add(p)
                matched_count[p] += 1
                matched_count[worst] -= 1
                queue.append(worst)
    return {(p, r) for r, ps in enumerate(holding) for p in ps}


@st.composite
def markets(draw: st.DrawFn) -> tuple[list[list[int]], list[list[int]], list[int], list[int]]:
    n_needs = draw(st.integers(0, 7))
    n_talents = draw(st.integers(0, 7))
    need_prefs = [
        draw(st.permutations(range(n_talents)).map(lambda p: p[: draw(st.integers(0, n_talents))]))
        for _ in range(n_needs)
    ]
    talent_prefs = [
        draw(st.permutations(range(n_needs)).map(lambda p: p[: draw(st.integers(0, n_needs))]))
        for _ in range(n_talents)
    ]
    headcount = draw(st.lists(st.integers(0, 3), min_size=n_needs, max_size=n_needs))
    capacity = draw(st.lists(st.integers(0, 3), min_size=n_talents, max_size=n_talents))
    return need_prefs, talent_prefs, headcount, capacity


@settings(max_examples=150, deadline=None)
@given(market=markets(), side=st.sampled_from(["needs", "talents"]))
def test_stable_and_equal_to_textbook(market: tuple, side: str) -> None:
    need_prefs, talent_prefs, headcount, capacity = market
    result = deferred_acceptance(
        need_prefs,
        talent_prefs,
        np.array(headcount, dtype=int),
        np.array(capacity, dtype=int),
        StableOptions(proposing_side=side),  # type: ignore[arg-type]
    )
    assert is_stable(result, need_prefs, talent_prefs, headcount, capacity)
    assert blocking_pairs(result, need_prefs, talent_prefs, headcount, capacity) == []
    if side == "needs":
        expected = textbook_deferred_acceptance(need_prefs, talent_prefs, headcount, capacity)
    else:
        flipped = textbook_deferred_acceptance(talent_prefs, need_prefs, capacity, headcount)
        expected = {(n, t) for t, n in flipped}
    assert result.pairs() == expected
    placed = np.bincount(result.need_index, minlength=len(headcount))
    assert np.array_equal(result.unfilled_slots, np.array(headcount, dtype=int) - placed)


def test_larger_scored_market_agrees_with_textbook() -> None:
    rng = np.random.default_rng(7)
    n_needs, n_talents, per_need = 300, 1000, 15
    need_index = np.repeat(np.arange(n_needs), per_need)
    talent_index = np.concatenate(
        [rng.choice(n_talents, per_need, replace=False) for _ in range(n_needs)]
    )
    score = rng.random(need_index.shape[0])
    need_prefs = preferences_from_scores(
        need_index, talent_index, score, n_owners=n_needs, n_others=n_talents
    )
    # Talents state their own preferences, unrelated to the score; some refuse pairs.
    talent_prefs = preferences_from_scores(
        talent_index, need_index, rng.random(score.shape[0]), n_owners=n_talents, n_others=n_needs
    )
    talent_prefs = [[n for n in prefs if rng.random() > 0.1] for prefs in talent_prefs]
    headcount = rng.integers(0, 4, size=n_needs)
    capacity = rng.integers(0, 3, size=n_talents)
    for side in ("needs", "talents"):
        result = deferred_acceptance(
            need_prefs, talent_prefs, headcount, capacity, StableOptions(proposing_side=side)
        )
        assert is_stable(result, need_prefs, talent_prefs, headcount, capacity)
        if side == "needs":
            expected = textbook_deferred_acceptance(
                need_prefs, talent_prefs, list(headcount), list(capacity)
            )
        else:
            expected = {
                (n, t)
                for t, n in textbook_deferred_acceptance(
                    talent_prefs, need_prefs, list(capacity), list(headcount)
                )
            }
        assert result.pairs() == expected


def test_blocking_pair_is_found() -> None:
    need_prefs = [[0, 1], [0]]
    talent_prefs = [[0, 1], [0]]
    # Need 0 and talent 0 both rank each other first but are apart.
    bad = StableMatching(
        need_index=np.array([0, 1]),
        talent_index=np.array([1, 0]),
        unfilled_slots=np.array([0, 0]),
        proposing_side="needs",
        rounds=0,
    )
    assert blocking_pairs(bad, need_prefs, talent_prefs, [1, 1], [1, 1]) == [(0, 0)]
    assert not is_stable(bad, need_prefs, talent_prefs, [1, 1], [1, 1])


def test_infeasible_matching_is_not_stable_and_explained() -> None:
    refused = StableMatching(
        need_index=np.array([0]),
        talent_index=np.array([0]),
        unfilled_slots=np.array([0]),
        proposing_side="needs",
        rounds=0,
    )
    with pytest.raises(ValueError, match="not listed by both sides"):
        blocking_pairs(refused, [[0]], [[]], [1], [1])
    assert not is_stable(refused, [[0]], [[]], [1], [1])


def test_bad_preferences_name_the_list() -> None:
    with pytest.raises(ValueError, match=r"need_preferences\[0\] lists 5"):
        deferred_acceptance([[5]], [[0]], [1], [1])
    with pytest.raises(ValueError, match=r"talent_preferences\[0\] lists an entry twice"):
        deferred_acceptance([[0]], [[0, 0]], [1], [1])
    with pytest.raises(ValueError, match="proposing_side"):
        StableOptions(proposing_side="sites")  # type: ignore[arg-type]
