from __future__ import annotations

import numpy as np

from matching.geo import haversine_km


def test_known_distance_chuxiong_to_kunming() -> None:
    # 楚雄市 (25.03 N, 101.55 E) to 昆明 (25.04 N, 102.71 E): about 117 km great-circle.
    assert 110 < float(haversine_km(25.03, 101.55, 25.04, 102.71)) < 125


def test_broadcasts_and_propagates_nan() -> None:
    out = haversine_km(25.0, 101.0, np.array([25.0, np.nan]), np.array([101.0, 101.0]))
    assert out[0] == 0.0
    assert np.isnan(out[1])
