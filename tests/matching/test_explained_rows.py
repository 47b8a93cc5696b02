"""A single query explains only the rows whose score can still reach the top: with the
side's inverted lists every structured feature is known from arrays, so the rows
explained are about the ones returned, and the list equals explaining every row."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matching.matcher as matcher_module
from matching.config import MatchingConfig
from matching.encoders import TextEncoder
from matching.matcher import Matcher
from tests.matching.conftest import need, talent
from tests.matching.strategies import populations


def _explain_every_row(base, rows, want, weights, bounds):  # type: ignore[no-untyped-def]
    return np.arange(len(rows))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(population=populations(max_needs=3, max_talents=30), k=st.integers(1, 5))
def test_pruned_lists_equal_explaining_every_row(use_encoder, population, k) -> None:  # type: ignore[no-untyped-def]
    need_list, talent_list = population
    matcher = Matcher(MatchingConfig(show_progress=False), encoder=use_encoder)
    matcher.fit(need_list, talent_list)
    pruned = [matcher.recommend_talents(need, k=k) for need in need_list]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matcher_module, "_worth_explaining", _explain_every_row)
        every = [matcher.recommend_talents(need, k=k) for need in need_list]
    assert pruned == every


SKILLS = ["health.pediatrics", "health.general_practice", "health.gynecology", "agri.tobacco"]


def test_a_query_explains_about_the_rows_it_returns(
    use_encoder: TextEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sixteen doctors alike but for their skills, a need asking for two of them: the
    skills feature alone spans 0.3 of a score, so bounds that did not know it explained
    every row; knowing it, the two best and rows within rounding of them."""
    doctors = [
        talent(i, "乡镇卫生院医生，常见病诊治", skills=(SKILLS[i % 4], SKILLS[(i // 4) % 4]))
        for i in range(16)
    ]
    asking = need(900, "卫生院需要儿科和全科医生", skills=tuple(SKILLS[:2]))
    matcher = Matcher(MatchingConfig(show_progress=False), encoder=use_encoder)
    matcher.fit([asking], doctors)
    explained: list[int] = []
    original = matcher_module._worth_explaining

    def counting(base, rows, want, weights, bounds):  # type: ignore[no-untyped-def]
        keep = original(base, rows, want, weights, bounds)
        explained.append(len(keep))
        return keep

    monkeypatch.setattr(matcher_module, "_worth_explaining", counting)
    top = matcher.recommend_talents(asking, k=2)
    assert {t.talent_id for t in top} == {1, 4}  # both asked skills
    assert explained == [2], explained
