"""Explanations a clerk reads in five seconds (issue 13, item 2): the fit never leaves
0–100 and never falls as the score rises; reasons are plain sentences from the breakdown,
strongest first, at most three; a requirement line appears only when the need makes it."""

from __future__ import annotations

import math
import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from models import AvailabilityWindow, Need, Site, Talent
from service.usecases.explain import (
    Context,
    ServiceHistory,
    fit_band,
    fit_score,
    reasons,
)

SCORES = st.floats(allow_nan=True, allow_infinity=True)


@given(SCORES)
def test_the_fit_is_always_within_0_and_100(score: float) -> None:
    fit = fit_score(score)
    assert isinstance(fit, int)
    assert 0 <= fit <= 100, (score, fit)


@given(SCORES.filter(lambda s: not math.isnan(s)), SCORES.filter(lambda s: not math.isnan(s)))
def test_the_fit_never_falls_as_the_score_rises(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert fit_score(low) <= fit_score(high), (low, high)


def test_the_fit_of_the_score_the_issue_saw() -> None:
    # "匹配度 1.17" was shown raw; it reads 86 of 100 now, a strong fit.
    assert fit_score(1.17) == 86
    assert fit_band(fit_score(1.17)) == "fit.band.high"
    assert fit_score(0) == 0 and fit_score(-3) == 0 and fit_score(float("nan")) == 0
    assert fit_score(1e308) == 100 and fit_score(float("inf")) == 100


COUNTIES = {"532322": ("双柏县", "Shuangbai County"), "532301": ("楚雄市", "Chuxiong City")}


def _pair(**need_fields: object) -> tuple[Need, Talent]:
    site = Site(
        id=5,
        name="双柏县妥甸镇卫生院",
        site_type="township_hospital",
        county_code="532322",
        township_id=9,
        lat=24.686,
        lon=101.638,
        poverty_township=True,
    )
    values: dict[str, object] = {
        "id": 7,
        "title": "卫生院需要儿科医生每周坐诊两天",
        "description": "",
        "skills": ["health.pediatrics", "health.general_practice"],
        "mode": "onsite_short",
        "min_title_level": 0,
        "min_degree_level": 0,
        "start_date": date(2025, 3, 1),
        "end_date": date(2025, 6, 30),
    }
    values.update(need_fields)
    need = Need(**values)
    need.site = site
    talent = Talent(
        id=11,
        name="李医生",
        category="professional",
        title_level=4,
        degree_level=3,
        skills=["health.pediatrics", "health.general_practice", "health.nursing"],
        bio="",
        home_county_code="532322",
        base_lat=24.70,
        base_lon=101.56,
    )
    talent.windows = [AvailabilityWindow(start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))]
    return need, talent


def _line(feature: str, value: float, contribution: float) -> dict[str, object]:
    return {"feature": feature, "value": value, "contribution": contribution, "zh": "", "en": ""}


BREAKDOWN = [
    _line("semantic", 0.43, 0.43),
    _line("lexical", 0.21, 0.21),
    _line("skills", 1.0, 0.3),
    _line("distance", 0.9, 0.09),
    _line("availability", 1.0, 0.1),
    _line("qualification", 0.4, 0.02),
    _line("hometown", 1.0, 0.1),
    _line("priority", 1.0, 0.1),
    _line("load", 1.0, 0.05),
    _line("continuity", 0.0, 0.0),
]
NO_HISTORY = Context(counties=COUNTIES, history={})


def test_the_three_strongest_reasons_in_plain_words() -> None:
    need, talent = _pair()
    found = reasons(BREAKDOWN, need, talent, NO_HISTORY)
    assert [r.feature for r in found] == ["text", "skills", "availability"]
    assert found[1].zh == "有儿科和全科医学两项所需技能"
    assert found[1].en == "Has two required skills: Paediatrics and General practice"
    everything = reasons(BREAKDOWN, need, talent, NO_HISTORY, limit=None)
    said = {r.feature: r.zh for r in everything}
    assert re.fullmatch(r"同在双柏县，距离约 \d+ 公里", said["distance"]), said["distance"]
    assert said["hometown"] == "双柏县人，回乡服务"
    for r in everything:
        # no raw similarity, no codes
        assert not re.search(r"0\.\d\d|语义相似度|用词重合度|532322|health\.", r.zh + r.en), r


def test_no_requirement_line_when_the_need_makes_none() -> None:
    need, talent = _pair()
    features = {r.feature for r in reasons(BREAKDOWN, need, talent, NO_HISTORY, limit=None)}
    assert "qualification" not in features  # "高出要求共 10 级" for a need asking nothing
    need, talent = _pair(min_title_level=3)
    lines = [r for r in reasons(BREAKDOWN, need, talent, NO_HISTORY, limit=None)]
    qualification = [r.zh for r in lines if r.feature == "qualification"]
    assert len(qualification) == 1 and qualification[0].startswith("职称")


def test_the_priority_area_is_a_reason_for_the_talent_only() -> None:
    need, talent = _pair()
    for_site = reasons(BREAKDOWN, need, talent, NO_HISTORY, limit=None)
    for_talent = reasons(BREAKDOWN, need, talent, NO_HISTORY, limit=None, for_talent=True)
    assert "priority" not in {r.feature for r in for_site}
    assert "贫困乡镇，优先倾斜" in {r.zh for r in for_talent}


def test_past_service_here_with_its_rating() -> None:
    need, talent = _pair()
    ctx = Context(
        counties=COUNTIES,
        history={(7, 11): ServiceHistory(township_visits=3, county_visits=4, rating=4.8)},
    )
    said = {r.feature: r for r in reasons(BREAKDOWN, need, talent, ctx, limit=None)}
    assert said["history"].zh == "近两年在本乡服务过 3 次，评价 4.8 分"
    assert (
        said["history"].en
        == "Served in this township 3 times in the last two years, rated 4.8 of 5"
    )


def test_a_talent_without_the_skills_gets_no_skill_reason() -> None:
    need, talent = _pair()
    talent.skills = ["agri.fruit"]
    lines = [
        dict(b, value=0.0, contribution=0.0) if b["feature"] == "skills" else b for b in BREAKDOWN
    ]
    assert "skills" not in {r.feature for r in reasons(lines, need, talent, NO_HISTORY, limit=None)}
