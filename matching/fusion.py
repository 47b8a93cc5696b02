"""Fusion of the semantic and lexical channels into per-candidate contributions.

``sum`` keeps raw cosines (weights act directly); ``zscore`` standardises each channel
over the query's candidate list first (scales differ between channels and queries);
``rrf`` uses reciprocal ranks (ignores scale entirely). All take (n,) arrays over the
same candidates and return (n,) arrays.
"""

from __future__ import annotations

import numpy as np

from matching.errors import ConfigError


def zscore(values: np.ndarray) -> np.ndarray:
    """(n,) -> (n,) standardised; a constant channel contributes 0."""
    values = np.asarray(values, dtype=np.float64)
    assert values.ndim == 1, values.shape
    spread = values.std()
    if values.size == 0 or spread < 1e-12:
        return np.zeros_like(values)
    return (values - values.mean()) / spread


def reciprocal_rank(values: np.ndarray, k: int) -> np.ndarray:
    """(n,) -> (n,) 1 / (k + rank), rank 1 for the highest value (ties by position)."""
    values = np.asarray(values, dtype=np.float64)
    assert values.ndim == 1, values.shape
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.arange(1, values.size + 1)
    return 1.0 / (k + ranks)


def fuse_channel(values: np.ndarray, *, method: str, weight: float, rrf_k: int) -> np.ndarray:
    """The score contribution of one text channel over a candidate list, shape (n,)."""
    if method == "sum":
        transformed = np.asarray(values, dtype=np.float64)
    elif method == "zscore":
        transformed = zscore(values)
    elif method == "rrf":
        # Scaled by rrf_k so weights stay comparable to the cosine scale of "sum".
        transformed = rrf_k * reciprocal_rank(values, rrf_k)
    else:
        raise ConfigError(f"fusion={method!r}: expected one of 'sum', 'zscore', 'rrf'")
    return weight * transformed
