"""Small deterministic helpers of the demo generator: weighted draws, coordinates, dates."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta


class Weighted:
    """Weighted choice by bisect over cumulative weights (fast, deterministic)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[str, int]] | Sequence[tuple[int, int]]) -> None:
        self.items = [p[0] for p in pairs]
        self.cum: list[int] = []
        acc = 0
        for _, w in pairs:
            acc += w
            self.cum.append(acc)
        self.total = acc

    def draw(self, rng: random.Random):  # type: ignore[no-untyped-def]
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


def search_text(*parts: str) -> str:
    return " ".join(parts).lower()


def county_key(name: str) -> str:
    return name[:2]


def jitter(rng: random.Random, lat: float, lon: float, d: float) -> tuple[float, float]:
    return (
        round(lat + (rng.random() * 2 - 1) * d, 5),
        round(lon + (rng.random() * 2 - 1) * d, 5),
    )


def clip_bbox(
    lat: float, lon: float, bbox: tuple[float, float, float, float]
) -> tuple[float, float]:
    return (
        min(max(lat, bbox[0] + 0.001), bbox[1] - 0.001),
        min(max(lon, bbox[2] + 0.001), bbox[3] - 0.001),
    )


def date_zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def level_below(r: float, thresholds: Sequence[float]) -> int:
    """How many of the ascending ``thresholds`` are ≤ ``r``: 0 when r < thresholds[0]."""
    return bisect_right(thresholds, r)
