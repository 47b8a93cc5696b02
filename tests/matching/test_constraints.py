from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.constraints import (
    Constraint,
    NeedArrays,
    TalentArrays,
    column_conjuncts,
    feasible_needs,
    feasible_talents,
    reach_conjunct,
    why_not,
    window_and_list_conjuncts,
)
from matching.labels import register_category_names
from matching.types import Mode, Window
from tests.matching.conftest import need, talent
from tests.matching.strategies import populations

SITE = need(
    1,
    "需要全科医生",
    mode=Mode.ONSITE_SHORT,
    window=Window(date(2025, 3, 1), date(2025, 3, 31)),
    lat=25.03,
    lon=101.55,
    min_title_level=3,
    min_degree_level=3,
    licences=("执业医师",),
    languages=("彝语",),
    days_needed=10,
    site_id=9,
    required_categories=("general_practitioner", "expert"),
)
LONG = dataclasses.replace(
    SITE,
    mode=Mode.ONSITE_LONG,
    window=Window(date(2025, 3, 1), date(2027, 2, 28)),
    days_needed=730,
    long_placement=True,
)
FITS = talent(
    2,
    "全科医生",
    modes=(Mode.ONSITE_SHORT,),
    windows=(Window(date(2025, 3, 20), date(2025, 4, 30)),),
    lat=25.10,
    lon=101.60,
    travel_radius_km=50.0,
    title_level=4,
    degree_level=3,
    licences=("执业医师", "教师资格"),
    languages=("彝语", "普通话"),
    capacity_concurrent=2,
    active_matches=1,
    capacity_days_per_year=60,
    days_committed=50,
    category="general_practitioner",
    engaged=(Window(date(2025, 5, 1), date(2025, 5, 10)),),
)

# One change per constraint that breaks exactly that constraint.
BREAKERS: dict[Constraint, dict[str, object]] = {
    Constraint.WINDOW: {"windows": (Window(date(2025, 5, 1), date(2025, 5, 2)),)},
    Constraint.MODE: {"modes": (Mode.REMOTE,)},
    Constraint.TITLE: {"title_level": 2},
    Constraint.DEGREE: {"degree_level": 2},
    Constraint.LICENCE: {"licences": ("教师资格",)},
    Constraint.DISTANCE: {"lat": 26.5, "lon": 103.0},
    Constraint.LANGUAGE: {"languages": ("普通话",)},
    Constraint.CAPACITY_CONCURRENT: {"active_matches": 2},
    Constraint.CAPACITY_DAYS: {"days_committed": 51},
    Constraint.DECLINED: {"declined_need_ids": frozenset({1})},
    Constraint.BLOCKED: {"blocked_site_ids": frozenset({9})},
    Constraint.CATEGORY: {"category": "craftsman"},
    Constraint.LONG_PLACEMENT: {},  # see test_long_placements_*
    Constraint.OCCUPIED: {"occupied": (Window(date(2025, 3, 31), date(2026, 3, 30)),)},
}


def test_the_fitting_pair_passes() -> None:
    assert why_not(SITE, FITS) == []


def test_each_breaker_fails_exactly_its_constraint_with_zh_and_en() -> None:
    assert set(BREAKERS) == set(Constraint)
    for constraint, change in BREAKERS.items():
        if not change:
            continue
        violations = why_not(SITE, dataclasses.replace(FITS, **change))  # type: ignore[arg-type]
        assert [v.constraint for v in violations] == [constraint]
        assert violations[0].zh and violations[0].en and violations[0].zh != violations[0].en


def test_every_breaker_at_once_lists_every_constraint() -> None:
    merged: dict[str, object] = {}
    for change in BREAKERS.values():
        merged.update(change)
    merged["declined_need_ids"] = frozenset({1})
    violations = why_not(SITE, dataclasses.replace(FITS, **merged))  # type: ignore[arg-type]
    assert [v.constraint for v in violations] == [
        c for c in Constraint if c is not Constraint.LONG_PLACEMENT
    ]


def test_category_reason_names_both_sides_in_words() -> None:
    # The application registers the names from its reference data; the library's own
    # test registers the two it needs.
    register_category_names(
        {
            "craftsman": ("能工巧匠/土专家/田秀才", "Craftsman / local expert"),
            "retired_technician": ("退休专技人员", "Retired technician"),
        }
    )
    craft = dataclasses.replace(SITE, required_categories=("craftsman",))
    (v,) = why_not(craft, dataclasses.replace(FITS, category="retired_technician"))
    assert v.constraint is Constraint.CATEGORY
    assert "需要：能工巧匠/土专家" in v.zh and "本人：退休专技人员" in v.zh
    assert "Retired" in v.en


def test_long_placements_skip_the_yearly_budget_but_need_a_willing_free_talent() -> None:
    free = dataclasses.replace(FITS, windows=(), engaged=(), modes=(Mode.ONSITE_LONG,))
    # 730 days against a 60-day budget: not a capacity question for a long placement.
    assert [v.constraint for v in why_not(LONG, free)] == [Constraint.LONG_PLACEMENT]
    willing = dataclasses.replace(free, long_placement_ok=True)
    assert why_not(LONG, willing) == []
    # Full-time: any placement the talent holds over those dates is a clash...
    busy = dataclasses.replace(willing, engaged=(Window(date(2026, 1, 1), date(2026, 1, 5)),))
    assert [v.constraint for v in why_not(LONG, busy)] == [Constraint.OCCUPIED]
    # ...and a held long placement blocks a short need over its dates.
    placed = dataclasses.replace(FITS, occupied=(LONG.window,))
    (v,) = why_not(SITE, placed)
    assert v.constraint is Constraint.OCCUPIED and "2025-03-01" in v.zh


def test_remote_needs_ignore_distance_and_unknown_locations_pass() -> None:
    far = dataclasses.replace(FITS, lat=40.0, lon=116.0, modes=(Mode.REMOTE,))
    assert why_not(dataclasses.replace(SITE, mode=Mode.REMOTE), far) == []
    assert why_not(SITE, dataclasses.replace(FITS, lat=None, lon=None)) == []


def test_no_windows_means_no_restriction_on_time() -> None:
    assert why_not(SITE, dataclasses.replace(FITS, windows=())) == []


GROUPS = (column_conjuncts, reach_conjunct, window_and_list_conjuncts)


@settings(max_examples=150, deadline=None)
@given(populations(max_needs=4, max_talents=15))
def test_the_constraint_groups_partition_the_rule(population) -> None:  # type: ignore[no-untyped-def]
    """The three groups together are the rule: a talent passes all of them iff
    ``why_not`` names nothing; each answers at some rows as it does at every row."""
    need_list, talent_list = population
    arrays = TalentArrays.build(talent_list)
    rows = np.arange(len(talent_list))[::-1]
    for n in need_list:
        passed = [group(n, arrays) for group in GROUPS]
        for group, every in zip(GROUPS, passed, strict=True):
            # At some rows, in any order: the same answers as at every row.
            np.testing.assert_array_equal(group(n, arrays, rows), every[rows])
        expected = np.array([not why_not(n, t) for t in talent_list])
        np.testing.assert_array_equal(passed[0] & passed[1] & passed[2], expected)


@settings(max_examples=150, deadline=None)
@given(populations(max_needs=4, max_talents=15))
def test_vectorised_filters_agree_with_why_not(population) -> None:  # type: ignore[no-untyped-def]
    need_list, talent_list = population
    talent_arrays = TalentArrays.build(talent_list)
    need_arrays = NeedArrays.build(need_list)
    for n in need_list:
        expected = np.array([not why_not(n, t) for t in talent_list])
        np.testing.assert_array_equal(feasible_talents(n, talent_arrays), expected)
        # Only some rows, in any order (a query's retrieved pool): the same answers.
        rows = np.random.default_rng(n.id).permutation(len(talent_list))[: len(talent_list) // 2]
        np.testing.assert_array_equal(feasible_talents(n, talent_arrays, rows), expected[rows])
    for t in talent_list:
        expected = np.array([not why_not(n, t) for n in need_list])
        np.testing.assert_array_equal(feasible_needs(t, need_arrays), expected)


@settings(max_examples=100, deadline=None)
@given(populations(max_needs=1, max_talents=1), st.sampled_from(list(Constraint)))
def test_why_not_names_a_constraint_iff_its_rule_fails(population, constraint) -> None:  # type: ignore[no-untyped-def]
    (n,), (t,) = population
    named = {v.constraint for v in why_not(n, t)}
    distance = None
    if n.lat is not None and t.lat is not None:
        from matching.geo import haversine_km

        distance = float(haversine_km(n.lat, n.lon, t.lat, t.lon))
    rule_fails = {
        Constraint.WINDOW: bool(t.windows)
        and all(w.overlap_days(n.window) == 0 for w in t.windows),
        Constraint.MODE: n.mode not in t.modes,
        Constraint.TITLE: t.title_level < n.min_title_level,
        Constraint.DEGREE: t.degree_level < n.min_degree_level,
        Constraint.LICENCE: not set(n.licences) <= set(t.licences),
        Constraint.DISTANCE: n.mode != Mode.REMOTE
        and distance is not None
        and distance > t.travel_radius_km,
        Constraint.LANGUAGE: not set(n.languages) <= set(t.languages),
        Constraint.CAPACITY_CONCURRENT: t.active_matches >= t.capacity_concurrent,
        Constraint.CAPACITY_DAYS: not n.long_placement
        and t.days_committed + n.days_needed > t.capacity_days_per_year,
        Constraint.DECLINED: n.id in t.declined_need_ids,
        Constraint.BLOCKED: n.site_id in t.blocked_site_ids,
        Constraint.CATEGORY: bool(n.required_categories)
        and t.category not in n.required_categories,
        Constraint.LONG_PLACEMENT: n.long_placement and not t.long_placement_ok,
        Constraint.OCCUPIED: any(w.overlap_days(n.window) for w in t.occupied)
        or (n.long_placement and any(w.overlap_days(n.window) for w in t.engaged)),
    }[constraint]
    assert (constraint in named) == rule_fails
