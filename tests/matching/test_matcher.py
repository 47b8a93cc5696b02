from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import HealthCheck, given, settings

from matching.config import FEATURE_NAMES, MatchingConfig
from matching.encoders import TextEncoder
from matching.errors import NotFittedError, ProfileError, UnknownIdError
from matching.matcher import Matcher
from matching.types import Mode
from tests.matching.conftest import CORPUS_NEEDS, CORPUS_TALENTS, need, talent
from tests.matching.strategies import populations


def test_right_specialist_ranks_first_for_each_need(corpus_matcher: Matcher) -> None:
    expected = {101: 1, 102: 2, 103: 3, 104: 4}
    for n in CORPUS_NEEDS:
        top = corpus_matcher.recommend_talents(n, k=1)
        assert [r.talent_id for r in top] == [expected[n.id]], n.text


def test_constraints_remove_unqualified_candidates(corpus_matcher: Matcher) -> None:
    # Need 101 asks for 执业医师: only talent 1 holds it.
    ranked = corpus_matcher.recommend_talents(CORPUS_NEEDS[0], k=10)
    assert [r.talent_id for r in ranked] == [1]


def test_reverse_direction_ranks_needs_for_a_talent(corpus_matcher: Matcher) -> None:
    vet = CORPUS_TALENTS[3]
    ranked = corpus_matcher.recommend_needs(vet, k=3)
    assert ranked[0].need_id == 104
    assert all(r.talent_id == vet.id for r in ranked)
    # Needs 101 (licence) and 103 (language) are infeasible for the vet.
    assert {r.need_id for r in ranked} <= {102, 104}


def test_breakdown_explains_the_score(corpus_matcher: Matcher) -> None:
    rec = corpus_matcher.recommend_talents(CORPUS_NEEDS[1], k=1)[0]
    assert [line.feature for line in rec.breakdown] == list(FEATURE_NAMES)
    assert math.isclose(rec.score, sum(line.contribution for line in rec.breakdown), abs_tol=1e-9)
    for line in rec.breakdown:
        assert line.zh and line.en
        expected = corpus_matcher.config.weight(line.feature) * line.value
        assert math.isclose(line.contribution, expected, abs_tol=1e-6)


def test_pagination_and_filters(corpus_matcher: Matcher) -> None:
    open_need = need(200, "乡村发展需要各类人才", mode=Mode.REMOTE)
    everyone = corpus_matcher.recommend_talents(open_need, k=6)
    page2 = corpus_matcher.recommend_talents(open_need, k=2, offset=2)
    assert [r.talent_id for r in page2] == [r.talent_id for r in everyone[2:4]]
    assert [r.rank for r in page2] == [3, 4]
    filtered = corpus_matcher.recommend_talents(open_need, k=6, categories={"nobody"})
    assert filtered == []
    by_county = corpus_matcher.recommend_needs(CORPUS_TALENTS[1], k=5, programmes={"never"})
    assert by_county == []


def test_history_lifts_someone_who_has_done_it_before(
    use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    base = "农业技术推广人员，熟悉种植和市场服务"
    seasoned = talent(
        1,
        base,
        history=(
            "指导南华县野生菌交易市场建立分级和冷链保鲜",
            "为姚安县菌子市场培训菌农识别有毒野生菌",
            "协助双柏县野生菌市场建设质量检测室",
        ),
    )
    novice = talent(2, base, history=("参与县城道路绿化", "协助办公室整理档案"))
    fourth_market = need(10, "永仁县野生菌交易市场需要分级、保鲜和检测指导")
    matcher = Matcher(quiet_config, encoder=use_encoder).fit([fourth_market], [seasoned, novice])
    ranked = matcher.recommend_talents(fourth_market, k=2)
    assert [r.talent_id for r in ranked] == [1, 2]
    assert ranked[0].contribution("semantic") > ranked[1].contribution("semantic")


def test_add_update_remove_without_refit(
    use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    matcher = Matcher(quiet_config, encoder=use_encoder).fit(CORPUS_NEEDS, CORPUS_TALENTS[1:])
    vet_need = CORPUS_NEEDS[3]
    matcher.add_talents([talent(50, "兽医，猪病诊断与防疫")])
    assert matcher.recommend_talents(vet_need, k=1)[0].talent_id in {4, 50}
    matcher.update_talents([talent(50, "小学语文教师")])
    matcher.remove_talents([4])
    top = matcher.recommend_talents(vet_need, k=5)
    assert 4 not in {r.talent_id for r in top}
    with pytest.raises(ValueError, match="already indexed"):
        matcher.add_talents([talent(50, "x")])
    with pytest.raises(UnknownIdError, match="not indexed"):
        matcher.update_talents([talent(999, "x")])
    matcher.remove_needs([104])
    assert matcher.need_count == 3


def test_bad_input_is_named(corpus_matcher: Matcher) -> None:
    with pytest.raises(ProfileError, match="need 5 text: text is empty"):
        corpus_matcher.recommend_talents(need(5, ""), k=3)
    with pytest.raises(ProfileError, match="lat=nan"):
        corpus_matcher.recommend_talents(need(5, "兽医", lat=float("nan"), lon=101.0), k=3)
    with pytest.raises(ProfileError, match="unknown mode 'helicopter'"):
        corpus_matcher.recommend_talents(need(5, "兽医", mode="helicopter"), k=3)
    with pytest.raises(ProfileError, match="title_level=9"):
        corpus_matcher.recommend_needs(talent(5, "兽医", title_level=9), k=3)
    with pytest.raises(ValueError, match="k=0"):
        corpus_matcher.recommend_talents(need(5, "兽医"), k=0)
    with pytest.raises(NotFittedError):
        Matcher().recommend_talents(need(5, "兽医"))


def test_explain_and_why_not_for_any_pair(corpus_matcher: Matcher) -> None:
    explanation = corpus_matcher.explain(CORPUS_NEEDS[0], CORPUS_TALENTS[3])
    assert not explanation.feasible
    assert [v.constraint.value for v in explanation.violations] == ["licence"]
    assert corpus_matcher.why_not(CORPUS_NEEDS[0], CORPUS_TALENTS[0]) == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(population=populations(max_needs=3, max_talents=10))
def test_no_recommendation_ever_violates_a_hard_constraint(use_encoder, population) -> None:  # type: ignore[no-untyped-def]
    need_list, talent_list = population
    matcher = Matcher(MatchingConfig(show_progress=False), encoder=use_encoder)
    matcher.fit(need_list, talent_list)
    talents_by_id = {t.id: t for t in talent_list}
    needs_by_id = {n.id: n for n in need_list}
    for n in need_list:
        ranked = matcher.recommend_talents(n, k=len(talent_list))
        assert all(matcher.why_not(n, talents_by_id[r.talent_id]) == [] for r in ranked)
        # ... and nobody feasible is left out.
        feasible = {t.id for t in talent_list if not matcher.why_not(n, t)}
        assert {r.talent_id for r in ranked} == feasible
    for t in talent_list:
        ranked = matcher.recommend_needs(t, k=len(need_list))
        assert all(matcher.why_not(needs_by_id[r.need_id], t) == [] for r in ranked)


def test_structured_features_break_text_ties(
    use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    site = need(1, "需要果树技术员", county="双柏县", site_id=3, poverty_township=True)
    local = talent(1, "果树技术员", home_county="双柏县", paired_site_ids=frozenset({3}))
    outsider = dataclasses.replace(local, id=2, home_county="", paired_site_ids=frozenset())
    matcher = Matcher(quiet_config, encoder=use_encoder).fit([site], [outsider, local])
    ranked = matcher.recommend_talents(site, k=2)
    assert [r.talent_id for r in ranked] == [1, 2]
    assert ranked[0].contribution("hometown") > 0 and ranked[1].contribution("hometown") == 0


def test_lexical_pool_from_rare_ngrams_scores_its_candidates_in_full(
    use_encoder: TextEncoder,
) -> None:
    """Above 2 × candidate_pool rows the pools decide who is scored: a postings budget
    big enough to read every n-gram changes nothing, and with a tiny one the lexical
    values of whoever is scored are still the exact cosines."""
    from dataclasses import replace

    base = MatchingConfig(show_progress=False, candidate_pool=2)
    exact = Matcher(base, encoder=use_encoder).fit(CORPUS_NEEDS, CORPUS_TALENTS)
    everything = Matcher(replace(base, lexical_pool_postings=10**9), encoder=use_encoder).fit(
        CORPUS_NEEDS, CORPUS_TALENTS
    )
    tiny = Matcher(replace(base, lexical_pool_postings=2), encoder=use_encoder).fit(
        CORPUS_NEEDS, CORPUS_TALENTS
    )
    for wanted in CORPUS_NEEDS:
        assert everything.recommend_talents(wanted, k=3) == exact.recommend_talents(wanted, k=3)
        for rec in tiny.recommend_talents(wanted, k=3):
            full = exact.explain(wanted, exact.talents_.profiles[rec.talent_id])
            lexical = {line.feature: line.value for line in rec.breakdown}["lexical"]
            expected = {line.feature: line.value for line in full.breakdown}["lexical"]
            assert lexical == pytest.approx(expected, abs=1e-5)
