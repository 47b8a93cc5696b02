"""Shape- and range-checked conversion of caller arrays.

Every public function of the assignment package funnels its inputs through these
helpers so that a wrong input fails early with a message naming the argument, the
offending position and value, and what was expected.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _one_dimensional(name: str, values: Any, length: int | None) -> NDArray[Any]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
    if length is not None and array.shape[0] != length:
        raise ValueError(f"{name} must have length {length}, got {array.shape[0]}")
    return array


def index_array(name: str, values: Any, *, length: int | None, upper: int) -> IntArray:
    """Integer indices in ``0..upper-1``; ``upper`` is the size of the indexed axis."""
    array = _one_dimensional(name, values, length)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    array = array.astype(np.int64, copy=False)
    bad = np.flatnonzero((array < 0) | (array >= upper))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{name}[{i}] = {int(array[i])} is outside 0..{upper - 1} "
            f"(the axis has {upper} entries)"
        )
    return array


def count_array(name: str, values: Any, *, length: int | None) -> IntArray:
    """Non-negative integer counts (headcounts, capacities, days)."""
    array = _one_dimensional(name, values, length)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    array = array.astype(np.int64, copy=False)
    bad = np.flatnonzero(array < 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name}[{i}] = {int(array[i])} is negative; expected a count >= 0")
    return array


def float_array(
    name: str, values: Any, *, length: int | None, non_negative: bool = False
) -> FloatArray:
    """Finite floats, optionally required to be >= 0."""
    array = _one_dimensional(name, values, length)
    if array.size and not (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(f"{name} must hold numbers, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name}[{i}] = {array[i]} is not a finite number")
    if non_negative:
        bad = np.flatnonzero(array < 0)
        if bad.size:
            i = int(bad[0])
            raise ValueError(f"{name}[{i}] = {array[i]} is negative; expected >= 0")
    return array


def bool_array(name: str, values: Any, *, length: int) -> BoolArray:
    """Flags; accepts bool or 0/1 integers."""
    array = _one_dimensional(name, values, length)
    if array.dtype == np.bool_:
        return array
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold booleans, got dtype {array.dtype}")
    bad = np.flatnonzero((array != 0) & (array != 1))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name}[{i}] = {array[i]} is not a flag; expected True/False or 0/1")
    return array.astype(np.bool_)


def label_array(name: str, values: Any, *, length: int) -> IntArray:
    """Integer group labels (county, site, institution ids); -1 means "none"."""
    array = _one_dimensional(name, values, length)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integer ids (-1 for none), got dtype {array.dtype}")
    array = array.astype(np.int64, copy=False)
    bad = np.flatnonzero(array < -1)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{name}[{i}] = {int(array[i])} is not an id; expected >= 0, or -1 for none"
        )
    return array
