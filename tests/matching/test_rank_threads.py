"""A batch of needs ranked on several threads (``rank_threads``) gives the rankings of
the needs ranked in turn, bit for bit, and really is spread over the threads."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.config import MatchingConfig
from matching.matcher import Matcher, _mapped
from tests.matching.strategies import populations


def _arrays(ranked: list[Any]) -> list[tuple[list[int], np.ndarray, np.ndarray]]:
    return [([t.id for t in r.talents], r.scores, r.contributions) for r in ranked]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(population=populations(max_needs=4, max_talents=30), k=st.integers(1, 8))
def test_threads_rank_as_the_needs_in_turn(use_encoder, population, k) -> None:  # type: ignore[no-untyped-def]
    needs, talents = population
    # A pool smaller than the talents, so each need's pools and fallbacks are taken.
    one = MatchingConfig(show_progress=False, candidate_pool=3, rank_threads=1)
    matcher = Matcher(one, encoder=use_encoder).fit(needs, talents)
    in_turn = matcher.rank_talents_many(needs, [k] * len(needs))
    threaded = Matcher(MatchingConfig(show_progress=False, candidate_pool=3, rank_threads=3))
    threaded.__dict__.update({**matcher.snapshot().__dict__, "config": threaded.config})
    spread = threaded.rank_talents_many(needs, [k] * len(needs))
    for (ids_a, scores_a, parts_a), (ids_b, scores_b, parts_b) in zip(
        _arrays(in_turn), _arrays(spread), strict=True
    ):
        assert ids_a == ids_b
        np.testing.assert_array_equal(scores_a, scores_b)
        np.testing.assert_array_equal(parts_a, parts_b)


def test_mapped_keeps_order_and_uses_the_threads() -> None:
    names: set[str] = set()
    started = threading.Barrier(2, timeout=10)

    def work(i: int) -> int:
        names.add(threading.current_thread().name)
        if i < 2:
            started.wait()  # the first two items run at once, on two threads
        return i * i

    assert _mapped(work, range(40), 2) == [i * i for i in range(40)]
    assert len(names) == 2 and all(name.startswith("rank") for name in names)
    names.clear()
    assert _mapped(lambda i: names.add(threading.current_thread().name) or i, range(5), 1) == [
        0,
        1,
        2,
        3,
        4,
    ]
    assert names == {threading.current_thread().name}
