"""Structured relevance (issue 15, item 6), as properties of the real engine's ranking:
other things equal — the same bio, place, dates and capacity — a talent with every
requested skill ranks above one with some of them, and one with some above one with
none; a talent of a requested category is shown and one of another category is not;
a talent meeting the title and degree asked for is shown above one exceeding them less,
and one below them is not shown at all.

The texts are drawn too, so no wording favours one talent: all of a case's talents share
the one drawn bio."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.config import MatchingConfig
from matching.encoders import TextEncoder
from matching.matcher import Matcher
from matching.types import Mode, NeedProfile, TalentProfile
from tests.matching.conftest import YEAR

SKILLS = (
    "health.general_practice",
    "health.pediatrics",
    "social.mental_health",
    "agri.food_safety",
    "agri.fruit",
    "edu.bilingual",
)
NEED_TEXTS = (
    "卫生院需要儿科医生每周坐诊两天",
    "乡村小学需要留守儿童心理辅导老师",
    "野生菌交易市场需要食品安全检测技术指导",
    "果树基地需要修剪嫁接技术指导",
)
BIOS = (
    "长期在基层服务，愿意每月下乡两天。",
    "退休专业技术人员，熟悉农村情况，可以驻点指导。",
    "在州里工作二十年，多次参加对口帮扶。",
)
CASES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _need(text: str, **fields: object) -> NeedProfile:
    values: dict[str, object] = dict(
        id=1, text=text, mode=Mode.ONSITE_SHORT, window=YEAR, lat=24.65, lon=101.64
    )
    values.update(fields)
    return NeedProfile(**values)  # type: ignore[arg-type]


def _talent(id: int, bio: str, **fields: object) -> TalentProfile:
    """Everything not named in ``fields`` is the same for every talent."""
    values: dict[str, object] = dict(
        id=id,
        text=bio,
        modes=tuple(Mode),
        lat=24.66,
        lon=101.62,
        travel_radius_km=200,
        windows=(YEAR,),
        title_level=3,
        degree_level=3,
    )
    values.update(fields)
    return TalentProfile(**values)  # type: ignore[arg-type]


def _ranked(
    encoder: TextEncoder, config: MatchingConfig, need: NeedProfile, talents: list[TalentProfile]
) -> list[int]:
    matcher = Matcher(config, encoder=encoder).fit([need], talents)
    return [r.talent_id for r in matcher.recommend_talents(need, k=len(talents))]


@CASES
@given(
    wanted=st.lists(st.sampled_from(SKILLS), min_size=2, max_size=4, unique=True),
    text=st.sampled_from(NEED_TEXTS),
    bio=st.sampled_from(BIOS),
    data=st.data(),
)
def test_every_requested_skill_above_some_above_none(
    use_encoder: TextEncoder,
    quiet_config: MatchingConfig,
    wanted: list[str],
    text: str,
    bio: str,
    data: st.DataObject,
) -> None:
    some = data.draw(st.lists(st.sampled_from(wanted), min_size=1, max_size=len(wanted) - 1))
    unwanted = [s for s in SKILLS if s not in wanted]
    none = data.draw(st.lists(st.sampled_from(unwanted), max_size=2, unique=True))
    need = _need(text, skills=tuple(wanted))
    talents = [
        _talent(3, bio, skills=tuple(none)),
        _talent(2, bio, skills=tuple(dict.fromkeys(some))),
        _talent(1, bio, skills=tuple(wanted)),
    ]
    assert _ranked(use_encoder, quiet_config, need, talents) == [1, 2, 3]


@CASES
@given(
    text=st.sampled_from(NEED_TEXTS),
    bio=st.sampled_from(BIOS),
    wanted=st.sampled_from(("craftsman", "retired_technician", "sanzhi_yifu")),
    other=st.sampled_from(("expert", "returnee", "veteran")),
)
def test_a_requested_category_is_shown_another_is_not(
    use_encoder: TextEncoder,
    quiet_config: MatchingConfig,
    text: str,
    bio: str,
    wanted: str,
    other: str,
) -> None:
    need = _need(text, required_categories=(wanted,))
    talents = [_talent(2, bio, category=other), _talent(1, bio, category=wanted)]
    assert _ranked(use_encoder, quiet_config, need, talents) == [1]


@CASES
@given(
    text=st.sampled_from(NEED_TEXTS),
    bio=st.sampled_from(BIOS),
    min_title=st.integers(1, 3),
    min_degree=st.integers(1, 3),
    extra=st.integers(1, 2),
)
def test_meeting_the_qualifications_ranks_above_and_below_them_is_not_shown(
    use_encoder: TextEncoder,
    quiet_config: MatchingConfig,
    text: str,
    bio: str,
    min_title: int,
    min_degree: int,
    extra: int,
) -> None:
    need = _need(text, min_title_level=min_title, min_degree_level=min_degree)
    just = _talent(2, bio, title_level=min_title, degree_level=min_degree)
    above = replace(just, id=1, title_level=min_title + extra, degree_level=min_degree + extra)
    below = replace(just, id=3, title_level=min_title - 1)
    assert _ranked(use_encoder, quiet_config, need, [below, just, above]) == [1, 2]
