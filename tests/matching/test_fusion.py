from __future__ import annotations

import numpy as np
import pytest

from matching.errors import ConfigError
from matching.fusion import fuse_channel, reciprocal_rank, zscore


def test_zscore_standardises_and_constant_channels_contribute_nothing() -> None:
    out = zscore(np.array([1.0, 2.0, 3.0]))
    assert out.mean() == pytest.approx(0.0) and out.std() == pytest.approx(1.0)
    assert (zscore(np.array([0.4, 0.4])) == 0).all()


def test_reciprocal_rank_follows_order_not_scale() -> None:
    a = reciprocal_rank(np.array([0.9, 0.1, 0.5]), k=60)
    b = reciprocal_rank(np.array([900.0, -5.0, 1.0]), k=60)
    np.testing.assert_allclose(a, b)
    assert a[0] == pytest.approx(1 / 61) and a[1] == pytest.approx(1 / 63)


@pytest.mark.parametrize("method", ["sum", "zscore", "rrf"])
def test_every_method_preserves_the_channel_order(method: str) -> None:
    values = np.array([0.2, 0.8, 0.5])
    fused = fuse_channel(values, method=method, weight=2.0, rrf_k=60)
    assert list(np.argsort(-fused)) == [1, 2, 0]


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ConfigError, match="fusion='max'"):
        fuse_channel(np.ones(2), method="max", weight=1.0, rrf_k=60)
