from __future__ import annotations

import pytest

from matching.config import MatchingConfig
from matching.errors import ProfileError
from matching.text import clean_text, segments, talent_text
from tests.matching.conftest import talent


def test_empty_text_is_refused_with_the_field_named() -> None:
    with pytest.raises(ProfileError, match="talent 7 text: text is empty"):
        talent_text(talent(7, "   "), MatchingConfig())


def test_overlong_text_is_truncated_or_refused_per_config() -> None:
    long_text = "野" * 100_000
    assert len(clean_text(long_text, field="x", config=MatchingConfig())) == 20_000
    with pytest.raises(ProfileError, match=r"100,000 characters.*20,000"):
        clean_text(long_text, field="need 3 text", config=MatchingConfig(text_overflow="refuse"))


def test_non_string_text_is_refused() -> None:
    with pytest.raises(ProfileError, match="expected a string, got int"):
        clean_text(5, field="need 1 text", config=MatchingConfig())


def test_history_is_appended_and_becomes_segments() -> None:
    config = MatchingConfig()
    text = talent_text(
        talent(1, "食用菌专家。", history=("指导南华野生菌市场", "培训姚安菌农")), config
    )
    assert text == "食用菌专家。服务记录：指导南华野生菌市场；培训姚安菌农"
    assert segments(text, config) == ["食用菌专家", "指导南华野生菌市场", "培训姚安菌农"]


def test_text_without_separators_is_one_segment() -> None:
    assert segments("兽医", MatchingConfig()) == ["兽医"]
