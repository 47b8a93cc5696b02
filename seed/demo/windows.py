"""When demo talents can serve: their service modes and availability windows, by category
(teachers and volunteers by school year, experts a few weeks a year, craftsmen in 农闲)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from seed.demo.draw import add_years, rand_date
from seed.demo.profiles import DEMO_START, PAST_END, CategoryProfile
from seed.demo.records import Window

_YEARS = (2025, 2026, 2027)


def modes(rng: random.Random, prof: CategoryProfile) -> tuple[str, ...]:
    k = rng.randint(*prof.n_modes)
    chosen = rng.sample(prof.modes, k)
    if (
        prof.required_mode
        and prof.required_mode not in chosen
        and (prof.required_always or rng.random() < 0.85)
    ):
        chosen[0] = prof.required_mode
    order = {m: j for j, m in enumerate(prof.modes)}
    return tuple(sorted(dict.fromkeys(chosen), key=order.__getitem__))


def _school_year(rng: random.Random, cat: str) -> tuple[Window, ...]:
    """Volunteers (三支一扶) serve two years from August, teachers one to three from
    September."""
    volunteer = cat == "volunteer"
    year = rng.choice((2025, 2026)) if volunteer else rng.choice(_YEARS)
    start = date(year, 8 if volunteer else 9, 1) + timedelta(days=rng.randint(0, 30))
    years = 2 if volunteer else rng.randint(1, 3)
    return ((start, add_years(start, years) - timedelta(days=1)),)


def _stints(rng: random.Random, cat: str) -> tuple[Window, ...]:
    """Experts and PhDs: a stint in most years (PhDs often in the summer)."""
    out: list[Window] = []
    for year in _YEARS:
        if rng.random() < 0.75:
            if cat == "phd" and rng.random() < 0.6:
                s = date(year, 7, 1) + timedelta(days=rng.randint(0, 20))
                out.append((s, s + timedelta(days=rng.randint(20, 50))))
            else:
                s = rand_date(rng, date(year, 1, 1), date(year, 10, 31))
                out.append((s, s + timedelta(days=rng.randint(14, 90))))
    if not out:
        s = rand_date(rng, DEMO_START, date(2027, 10, 1))
        out.append((s, s + timedelta(days=60)))
    return tuple(out)


def _one_or_two(rng: random.Random, modes: Sequence[str]) -> tuple[Window, ...]:
    if "onsite_long" in modes or rng.random() < 0.5:
        s = rand_date(rng, DEMO_START, date(2026, 9, 1))
        return ((s, s + timedelta(days=rng.randint(365, 800))),)
    s1 = rand_date(rng, DEMO_START, date(2026, 1, 1))
    e1 = s1 + timedelta(days=rng.randint(90, 300))
    s2 = e1 + timedelta(days=rng.randint(30, 120))
    return ((s1, e1), (s2, s2 + timedelta(days=rng.randint(90, 300))))


def windows(rng: random.Random, cat: str, modes: Sequence[str]) -> tuple[Window, ...]:
    if cat in ("volunteer", "teacher"):
        return _school_year(rng, cat)
    if cat in ("expert", "phd"):
        return _stints(rng, cat)
    if cat == "craftsman" and rng.random() < 0.6:
        # 农闲: November to March each winter
        return tuple((date(y, 11, 1), date(y + 1, 3, 31)) for y in (2024, 2025, 2026, 2027))
    if cat == "retired":
        s = rand_date(rng, DEMO_START, date(2026, 6, 30))
        return ((s, s + timedelta(days=rng.randint(180, 900))),)
    return _one_or_two(rng, modes)


def past_windows(rng: random.Random) -> tuple[Window, ...]:
    """A window that ended before the demo period (a talent who fits nothing)."""
    s = rand_date(rng, date(2021, 1, 1), date(2023, 6, 30))
    return ((s, min(s + timedelta(days=rng.randint(30, 360)), PAST_END)),)
