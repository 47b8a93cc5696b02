"""``rows_dot``: the product of some rows with a vector, gathered a block at a time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.dense_rows import rows_dot


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 300),
    dimension=st.integers(1, 40),
    picked=st.integers(0, 300),
    block=st.integers(1, 64),
    seed=st.integers(0, 2**16),
)
def test_blocks_give_the_values_of_one_gather_to_float_rounding(
    n: int, dimension: int, picked: int, block: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.standard_normal((n, dimension)).astype(np.float32)
    vector = rng.standard_normal(dimension).astype(np.float32)
    rows = rng.integers(0, n, size=picked)

    got = rows_dot(matrix, rows, vector, block=block)

    expected = matrix[rows] @ vector
    assert got.shape == (picked,) and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_reads_a_memory_mapped_matrix_as_the_saved_state_holds_it(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    saved = rng.standard_normal((20_000, 64)).astype(np.float32)
    np.save(tmp_path / "dense.npy", saved)
    mapped = np.load(tmp_path / "dense.npy", mmap_mode="r")
    rows = np.sort(rng.choice(20_000, 9_000, replace=False))
    vector = rng.standard_normal(64).astype(np.float32)

    got = rows_dot(mapped, rows, vector)

    assert type(got) is np.ndarray  # a plain array, not a view of the file
    np.testing.assert_allclose(got, saved[rows] @ vector, rtol=1e-5, atol=1e-5)


def test_a_block_of_no_rows_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="block=0"):
        rows_dot(np.ones((3, 2)), np.arange(3), np.ones(2), block=0)
