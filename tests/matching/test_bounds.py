"""The array bounds on a pair's structured score hold the per-pair features' sum, and are
tight where the module says its arithmetic is exact."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from matching.bounds import TalentColumns, structured_bounds
from matching.config import FEATURE_NAMES, MatchingConfig
from matching.constraints import TalentArrays
from matching.features import structured_features
from matching.pair_scores import PairColumns, continuity_values, skills_values

from .strategies import populations

CONFIG = MatchingConfig(show_progress=False)
# A boost can make a weight negative; the bounds must hold for either sign.
WEIGHTS = [
    {name: CONFIG.weight(name) for name in FEATURE_NAMES},
    {**{name: CONFIG.weight(name) for name in FEATURE_NAMES}, "load": -0.4, "skills": -0.2},
]


@settings(max_examples=60, deadline=None)
@given(populations(max_needs=3, max_talents=10))
def test_bounds_hold_every_pair(population) -> None:  # type: ignore[no-untyped-def]
    needs, talents = population
    arrays = TalentArrays.build(talents)
    columns = TalentColumns.build(talents)
    rows = np.arange(len(talents))
    for weights in WEIGHTS:
        for need in needs:
            low, high = structured_bounds(need, arrays, columns, rows, weights, CONFIG)
            for row, talent in enumerate(talents):
                values = structured_features(need, talent, CONFIG)
                exact = sum(weights[name] * fv.value for name, fv in values.items())
                assert low[row] <= exact <= high[row], (need, talent)
                unknown = bool(need.skills) or bool(
                    talent.paired_site_ids or talent.paired_counties
                )
                if not unknown:
                    assert high[row] - low[row] < 1e-5, (need, talent)


@settings(max_examples=60, deadline=None)
@given(populations(max_needs=3, max_talents=10))
def test_bounds_are_tight_given_the_inverted_lists(population) -> None:  # type: ignore[no-untyped-def]
    """With skills and continuity read from the side's inverted lists, every feature is
    known: low and high close on the per-pair sum, for any need and talent."""
    needs, talents = population
    arrays = TalentArrays.build(talents)
    columns = TalentColumns.build(talents)
    pairs = PairColumns.build(talents)
    rows = np.arange(len(talents))
    for weights in WEIGHTS:
        for need in needs:
            known = {
                "skills": skills_values(need, pairs, rows),
                "continuity": continuity_values(need, pairs, rows),
            }
            low, high = structured_bounds(need, arrays, columns, rows, weights, CONFIG, known)
            for row, talent in enumerate(talents):
                values = structured_features(need, talent, CONFIG)
                exact = sum(weights[name] * fv.value for name, fv in values.items())
                assert low[row] <= exact <= high[row], (need, talent)
                assert high[row] - low[row] < 1e-5, (need, talent)
