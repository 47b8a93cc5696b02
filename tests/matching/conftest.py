"""Shared, session-scoped fixtures: the real USE encoder loads once per test run."""

from __future__ import annotations

from datetime import date

import pytest

from matching.config import MatchingConfig
from matching.encoders import TextEncoder
from matching.matcher import Matcher
from matching.types import Mode, NeedProfile, TalentProfile, Window

YEAR = Window(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture(scope="session")
def use_encoder() -> TextEncoder:
    return TextEncoder("use-multilingual", show_progress=False)


@pytest.fixture(scope="session")
def quiet_config() -> MatchingConfig:
    return MatchingConfig(show_progress=False)


def need(id: int, text: str, **fields: object) -> NeedProfile:
    values: dict[str, object] = {"mode": Mode.ONSITE_SHORT, "window": YEAR}
    values.update(fields)
    return NeedProfile(id=id, text=text, **values)  # type: ignore[arg-type]


def talent(id: int, text: str, **fields: object) -> TalentProfile:
    values: dict[str, object] = {"modes": tuple(Mode)}
    values.update(fields)
    return TalentProfile(id=id, text=text, **values)  # type: ignore[arg-type]


CORPUS_TALENTS = [
    talent(1, "全科医生，乡镇卫生院慢病管理与常见病诊治", licences=("执业医师",)),
    talent(2, "野生菌采摘、保鲜与交易市场质量检测专家"),
    talent(3, "小学数学教师，乡村学校教学帮带", licences=("教师资格",), languages=("彝语",)),
    talent(4, "兽医，生猪养殖疫病防治与免疫"),
    talent(5, "果树栽培与病虫害绿色防控，生态水果基地技术指导"),
    talent(6, "electrical engineer, rural power grid maintenance"),
]
CORPUS_NEEDS = [
    need(101, "卫生院需要全科医生坐诊，开展高血压糖尿病随访", licences=("执业医师",)),
    need(102, "野生菌交易市场需要检测和保鲜技术指导"),
    need(103, "村小缺数学老师，需要双语教学", languages=("彝语",)),
    need(104, "养猪场出现猪瘟疑似病例，需要兽医"),
]


@pytest.fixture(scope="session")
def corpus_matcher(use_encoder: TextEncoder, quiet_config: MatchingConfig) -> Matcher:
    return Matcher(quiet_config, encoder=use_encoder).fit(CORPUS_NEEDS, CORPUS_TALENTS)
