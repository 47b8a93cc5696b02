"""The batch path's array scores equal the per-pair features (``matching.features``) and
its subset feasibility equals ``feasible_talents`` on every pair of random populations."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.bounds import TalentColumns
from matching.config import FEATURE_NAMES, MatchingConfig
from matching.constraints import TalentArrays, feasible_talents
from matching.features import skills_overlap, structured_features
from matching.pair_scores import (
    PairColumns,
    feasible_all,
    row_sums,
    structured_values,
)
from matching.types import Mode, NeedProfile, TalentProfile, Window

from .strategies import populations

CONFIG = MatchingConfig(show_progress=False)
# Siblings under one parent, another parent, and codes without a parent; drawn with
# repeats so the greedy sibling credit meets every case.
SKILLS = ("A01.01", "A01.02", "A01.03", "A02.01", "A02.02", "B01", "B02", "C-1", "C-2")


def _with_skills(draw: st.DrawFn, profiles: list) -> list:  # type: ignore[type-arg]
    return [
        dataclasses.replace(p, skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=5))))
        for p in profiles
    ]


@st.composite
def skilled(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    needs, talents = draw(populations(max_needs=3, max_talents=12))
    return _with_skills(draw, needs), _with_skills(draw, talents)


@settings(max_examples=80, deadline=None)
@given(skilled())
def test_array_values_equal_the_per_pair_features(population) -> None:  # type: ignore[no-untyped-def]
    needs, talents = population
    arrays = TalentArrays.build(talents)
    columns = TalentColumns.build(talents)
    pairs = PairColumns.build(talents)
    rows = np.arange(len(talents))[::-1]  # any order of rows
    for need in needs:
        values = structured_values(need, arrays, columns, pairs, rows, CONFIG)
        assert values.shape == (len(rows), len(FEATURE_NAMES) - 2)
        for position, row in enumerate(rows):
            expected = structured_features(need, talents[row], CONFIG)
            assert values[position] == pytest.approx(
                [expected[name].value for name in FEATURE_NAMES[2:]], abs=1e-12
            ), (need, talents[row])
        allowed = feasible_talents(need, arrays)
        subset = rows[::2]
        assert feasible_talents(need, arrays, subset).tolist() == allowed[subset].tolist()
        assert feasible_all(need, arrays).tolist() == allowed.tolist()


def test_sibling_credit_counts_each_spare_skill_once() -> None:
    """Two missing skills under A01 and one spare A01 skill: one sibling credit."""
    need, talent = _pair(("A01.01", "A01.02", "B01"), ("A01.03", "B01", "B02"))
    talents = [talent]
    value = structured_values(
        need,
        TalentArrays.build(talents),
        TalentColumns.build(talents),
        PairColumns.build(talents),
        np.array([0]),
        CONFIG,
    )[0, 0]
    assert value == skills_overlap(need, talent).value == pytest.approx((1 + 0.25) / 3)


def test_row_sums_add_left_to_right_like_sum() -> None:
    rng = np.random.default_rng(7)
    contributions = rng.normal(size=(50, len(FEATURE_NAMES))) * 10.0 ** rng.integers(-8, 3, 10)
    assert row_sums(contributions).tolist() == [sum(row.tolist()) for row in contributions]


def _pair(
    need_skills: tuple[str, ...], talent_skills: tuple[str, ...]
) -> tuple[NeedProfile, TalentProfile]:
    window = Window(date(2025, 3, 1), date(2025, 3, 10))
    need = NeedProfile(id=1, text="需求", mode=Mode.ONSITE_SHORT, window=window, skills=need_skills)
    talent = TalentProfile(id=2, text="人才", modes=(Mode.ONSITE_SHORT,), skills=talent_skills)
    return need, talent
