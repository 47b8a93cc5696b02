from __future__ import annotations

import dataclasses
import inspect

import pytest

from matching.config import FEATURE_NAMES, MatchingConfig, config_field_names
from matching.errors import ConfigError


def test_every_field_is_documented_in_the_docstring() -> None:
    doc = inspect.getdoc(MatchingConfig) or ""
    undocumented = [name for name in config_field_names() if f"\n{name}:" not in f"\n{doc}"]
    assert undocumented == []


def test_default_weights_cover_every_feature_and_are_read_only() -> None:
    config = MatchingConfig()
    assert set(config.weights) == set(FEATURE_NAMES)
    with pytest.raises(TypeError):
        config.weights["semantic"] = 5.0  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.fusion = "rrf"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("encoder", "word2vec", "encoder='word2vec'"),
        ("fusion", "max", "fusion='max'"),
        ("text_overflow", "ignore", "text_overflow='ignore'"),
        ("candidate_pool", 0, "candidate_pool=0"),
        ("lexical_ngram_range", (3, 1), "lexical_ngram_range"),
        ("weights", {"charm": 1.0}, "charm"),
        ("distance_scale_km", 0.0, "distance_scale_km"),
    ],
)
def test_bad_values_name_the_field(field: str, value: object, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(")):
        MatchingConfig(**{field: value})  # type: ignore[arg-type]


def test_plain_dict_weights_are_frozen_and_missing_features_weigh_zero() -> None:
    config = MatchingConfig(weights={"semantic": 2.0})
    assert config.weight("semantic") == 2.0
    assert config.weight("hometown") == 0.0
    with pytest.raises(TypeError):
        config.weights["semantic"] = 1.0  # type: ignore[index]
