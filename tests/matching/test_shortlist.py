"""The query path tests the hard constraints on its retrieved shortlist only; these
tests hold it to the full scan it replaced (every row filtered, then the pools taken),
on populations small enough to enumerate but larger than twice the candidate pool."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.bounds import TalentColumns
from matching.config import MatchingConfig
from matching.constraints import TalentArrays, feasible_talents
from matching.matcher import Matcher, _talent_filter
from matching.types import Mode, NeedProfile
from tests.matching.strategies import COUNTIES, populations


def _loosened(need: NeedProfile) -> NeedProfile:
    return dataclasses.replace(
        need,
        mode=Mode.REMOTE,
        min_title_level=0,
        min_degree_level=0,
        licences=(),
        languages=(),
        required_categories=(),
        long_placement=False,
        days_needed=0,
    )


class FullScanMatcher(Matcher):
    """The candidate step as it was: every row tested against the constraints and
    filters, the lexical pool ranked over every row, then the pools intersected."""

    def _candidates(  # type: ignore[override]
        self,
        side: Any,
        query_dense: Any,
        lexical_all: Any,
        allowed: Any,
        want: int,
        dense_pool: Any = None,
    ) -> np.ndarray:
        every = allowed(None)
        n, pool = len(side.row_ids), self.config.candidate_pool
        if n <= 2 * pool:
            return np.flatnonzero(every)
        _, ids = side.index.search(query_dense[None, :], pool)
        chosen = np.zeros(n, dtype=bool)
        chosen[[side.row_of[int(i)] for i in ids[0] if i >= 0]] = True
        order = sorted(range(n), key=lambda row: (-lexical_all[row], row))
        chosen[order[:pool]] = True
        rows = np.flatnonzero(chosen & every)
        return rows if len(rows) >= want else np.flatnonzero(every)


@settings(max_examples=150, deadline=None)
@given(populations(max_needs=3, max_talents=25), st.data())
def test_constraints_on_some_rows_equal_constraints_on_every_row(population, data) -> None:  # type: ignore[no-untyped-def]
    need_list, talent_list = population
    arrays = TalentArrays.build(talent_list)
    columns = TalentColumns.build(talent_list)
    every = np.arange(len(talent_list))
    rows = np.array(sorted(data.draw(st.sets(st.sampled_from(list(every))))), dtype=np.int64)
    counties = data.draw(st.none() | st.sets(st.sampled_from(COUNTIES), min_size=1))
    modes = data.draw(st.none() | st.sets(st.sampled_from(list(Mode)), min_size=1))
    categories = data.draw(st.none() | st.sets(st.sampled_from(["craftsman", ""]), min_size=1))
    for need in need_list:
        np.testing.assert_array_equal(
            feasible_talents(need, arrays, rows), feasible_talents(need, arrays)[rows]
        )
        allowed = _talent_filter(need, arrays, columns, counties, modes, categories)
        np.testing.assert_array_equal(allowed(rows), allowed(None)[rows])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    population=populations(max_needs=3, max_talents=30),
    fusion=st.sampled_from(["sum", "zscore", "rrf"]),
    pool=st.integers(1, 6),
    k=st.integers(1, 8),
    counties=st.none() | st.sets(st.sampled_from(COUNTIES), min_size=1, max_size=2),
    loose=st.booleans(),
)
def test_recommendations_equal_the_full_scan(  # type: ignore[no-untyped-def]
    use_encoder, population, fusion, pool, k, counties, loose
) -> None:
    need_list, talent_list = population
    if loose:
        # Needs most talents can serve: long feasible lists, pools that matter.
        need_list = [_loosened(n) for n in need_list]
    config = MatchingConfig(show_progress=False, candidate_pool=pool, fusion=fusion)
    matcher = Matcher(config, encoder=use_encoder).fit(need_list, talent_list)
    full_scan = FullScanMatcher(config, encoder=use_encoder)
    full_scan.__dict__.update(matcher.snapshot().__dict__)
    for need in need_list:
        got = matcher.recommend_talents(need, k=k, counties=counties)
        expected = full_scan.recommend_talents(need, k=k, counties=counties)
        assert got == expected
    assert matcher.recommend_talents_many(need_list, [k] * len(need_list)) == (
        full_scan.recommend_talents_many(need_list, [k] * len(need_list))
    )
