"""Targets as data: stable keys, one target for a figure stated twice, the umbrella line."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from reference import (
    ReferenceDataError,
    load_categories,
    load_programmes,
    load_taxonomy,
    parse_programmes,
    read_data_file,
)


def _raw() -> Any:
    return copy.deepcopy(read_data_file("programmes.json"))


def _parse(raw: Any) -> None:
    parse_programmes(raw, categories=load_categories(), taxonomy=load_taxonomy())


def _measure_target(raw: Any, key: str) -> dict[str, Any]:
    for m in raw["measures"]:
        for t in m["targets"]:
            if t["code"] == key:
                return t
    raise KeyError(key)


def test_every_goal_figure_is_stated_again_by_exactly_one_measure() -> None:
    p = load_programmes()
    goal_keys = {t.key for g in p.goals for t in g.targets}
    duplicates = [t for m in p.measures for t in m.targets if t.same_as]
    assert sorted(t.same_as for t in duplicates) == sorted(goal_keys)
    for t in duplicates:
        goal_target = p.target(t.same_as or "")
        assert (goal_target.value, goal_target.unit) == (t.value, t.unit)
        assert t.counted_key == goal_target.key
    # 选派100名: the goal line and measure 3 are one target.
    assert p.target("measure_3.selected_technicians").same_as == "selected_technicians.technicians"
    # Measure-only figures stand on their own.
    assert p.target("measure_4.county_hospital_experts").same_as is None
    assert p.target("measure_7.urgent_technicians").counted_key == "measure_7.urgent_technicians"


def test_the_umbrella_declares_what_it_rolls_up() -> None:
    p = load_programmes()
    umbrella = p.target("wanming_experts.action_plan")
    # Tertiary-hospital experts at county hospitals are G1's 知名专家 "深入…医院"; the 1000
    # technicians are a goal of their own (G2) and a sentence of their own in measure 8.
    assert umbrella.rolls_up == ("measure_4.county_hospital_experts",)
    assert p.umbrellas_of("measure_4.county_hospital_experts") == ("wanming_experts.action_plan",)
    assert p.umbrellas_of("technicians_frontline.technicians") == ()
    assert p.umbrellas_of("selected_technicians.technicians") == ()
    assert [t.key for _, t in p.targets() if t.rolls_up] == ["wanming_experts.action_plan"]


def test_same_as_must_name_a_known_key() -> None:
    raw = _raw()
    _measure_target(raw, "measure_3.craftsmen")["same_as"] = "craftsmen.nobody"
    with pytest.raises(ReferenceDataError, match=r"measure_3\.craftsmen\.same_as"):
        _parse(raw)


def test_same_as_must_state_the_same_figure() -> None:
    raw = _raw()
    _measure_target(raw, "measure_3.craftsmen")["same_as"] = "blue_fire_phds.phds"
    with pytest.raises(ReferenceDataError, match="same figure 100名"):
        _parse(raw)


def test_same_as_must_not_point_at_a_duplicate() -> None:
    raw = _raw()
    _measure_target(raw, "measure_3.craftsmen")["same_as"] = "measure_3.craftsmen"
    with pytest.raises(ReferenceDataError, match="another target"):
        _parse(raw)


def test_rolls_up_must_name_plain_targets() -> None:
    raw = _raw()
    raw["goals"][0]["targets"][0]["rolls_up"] = ["measure_8.technicians_frontline"]
    with pytest.raises(ReferenceDataError, match=r"wanming_experts\.action_plan\.rolls_up"):
        _parse(raw)
    raw["goals"][0]["targets"][0]["rolls_up"] = ["no.such"]
    with pytest.raises(ReferenceDataError, match="rolls_up"):
        _parse(raw)
