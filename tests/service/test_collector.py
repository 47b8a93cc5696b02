"""RENCAI_GC_YOUNG_THRESHOLD: the cycle collector's first threshold in a server process."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from service.collector import tune_collector


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_a_threshold_sets_the_youngest_generation_and_keeps_the_others(
    thresholds: tuple[int, int, int],
) -> None:
    tune_collector(20_000)

    assert gc.get_threshold() == (20_000, thresholds[1], thresholds[2])


def test_zero_leaves_pythons_own_thresholds(thresholds: tuple[int, int, int]) -> None:
    tune_collector(0)

    assert gc.get_threshold() == thresholds
