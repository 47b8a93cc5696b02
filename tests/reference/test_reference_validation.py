"""Bad reference data is refused with an error that names file, path, value and expectation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from reference import (
    ReferenceDataError,
    load_categories,
    load_taxonomy,
    parse_categories,
    parse_divisions,
    parse_programmes,
    parse_taxonomy,
    read_data_file,
)


def programmes_raw() -> Any:
    return copy.deepcopy(read_data_file("programmes.json"))


def parse_p(raw: Any) -> None:
    parse_programmes(raw, categories=load_categories(), taxonomy=load_taxonomy())


def test_pristine_files_parse() -> None:
    parse_p(programmes_raw())
    parse_divisions(read_data_file("divisions.json"))
    parse_taxonomy(read_data_file("taxonomy.json"))
    parse_categories(read_data_file("categories.json"))


def test_value_not_in_text_is_refused() -> None:
    raw = programmes_raw()
    raw["measures"][1]["targets"][0]["value"] = 99
    with pytest.raises(ReferenceDataError) as err:
        parse_p(raw)
    e = err.value
    assert e.file == "programmes.json"
    assert e.path == "measures[1].targets[0].value"
    assert e.value == 99
    assert "99名" in e.expected
    assert "programmes.json: measures[1].targets[0].value: found 99" in str(e)


def test_target_text_must_be_quoted_from_its_owner() -> None:
    raw = programmes_raw()
    raw["measures"][0]["targets"][0]["text"] = "新增20个院士专家工作站"
    with pytest.raises(ReferenceDataError, match=r"measures\[0\]\.targets\[0\]\.text"):
        parse_p(raw)


def test_unit_without_value_is_refused() -> None:
    raw = programmes_raw()
    raw["measures"][8]["targets"][0]["unit"] = "名"
    with pytest.raises(ReferenceDataError, match=r"measures\[8\]\.targets\[0\]\.unit"):
        parse_p(raw)


def test_approx_and_at_least_exclude_each_other() -> None:
    raw = programmes_raw()
    raw["measures"][1]["targets"][0]["at_least"] = True
    with pytest.raises(ReferenceDataError, match="at_least"):
        parse_p(raw)


def test_unknown_key_is_refused() -> None:
    raw = programmes_raw()
    raw["measures"][2]["lead_unit"] = ["typo"]
    with pytest.raises(ReferenceDataError, match=r"measures\[2\]\.lead_unit: .*unknown"):
        parse_p(raw)


def test_missing_key_is_refused() -> None:
    raw = programmes_raw()
    del raw["goals"][0]["text"]
    with pytest.raises(ReferenceDataError, match=r"goals\[0\]\.text: .*present"):
        parse_p(raw)


def test_units_must_split_the_text() -> None:
    raw = programmes_raw()
    raw["measures"][4]["lead_units"] = ["州教育体育局", "州卫生健康委"]
    with pytest.raises(ReferenceDataError, match=r"measures\[4\]\.lead_units"):
        parse_p(raw)


def test_unknown_counting_code_is_refused() -> None:
    raw = programmes_raw()
    raw["measures"][3]["targets"][0]["counting"]["talent_categories"] = ["astronaut"]
    with pytest.raises(ReferenceDataError) as err:
        parse_p(raw)
    assert err.value.path == "measures[3].targets[0].counting.talent_categories[0]"
    assert err.value.value == "astronaut"


def test_measures_must_be_numbered_in_order() -> None:
    raw = programmes_raw()
    raw["measures"][5]["number"] = 7
    with pytest.raises(ReferenceDataError, match=r"measures\[5\]\.number"):
        parse_p(raw)


def test_period_basis_must_name_a_goal() -> None:
    raw = programmes_raw()
    raw["measures"][0]["targets"][0]["period_basis"] = "goal:nonexistent"
    with pytest.raises(ReferenceDataError, match="period_basis"):
        parse_p(raw)


def test_township_outside_the_box_is_refused() -> None:
    raw = copy.deepcopy(read_data_file("divisions.json"))
    raw["counties"][1]["townships"][2]["lat"] = 30.5
    with pytest.raises(ReferenceDataError) as err:
        parse_divisions(raw)
    assert err.value.path == "counties[1].townships[2].lat"
    assert err.value.file == "divisions.json"


def test_township_kind_must_fit_its_name() -> None:
    raw = copy.deepcopy(read_data_file("divisions.json"))
    raw["counties"][0]["townships"][0]["kind"] = "township"  # 鹿城镇 is a town
    with pytest.raises(ReferenceDataError, match=r"counties\[0\]\.townships\[0\]\.kind"):
        parse_divisions(raw)


def test_duplicate_township_code_is_refused() -> None:
    raw = copy.deepcopy(read_data_file("divisions.json"))
    towns = raw["counties"][0]["townships"]
    towns[1]["code"] = towns[0]["code"]
    with pytest.raises(ReferenceDataError, match="unique"):
        parse_divisions(raw)


def test_taxonomy_must_cover_its_plan_domains() -> None:
    raw = copy.deepcopy(read_data_file("taxonomy.json"))
    raw["plan_domains"].append("航天工程")
    with pytest.raises(ReferenceDataError, match=r"plan_domains\[\d+\]"):
        parse_taxonomy(raw)


def test_levels_must_run_in_order() -> None:
    raw = copy.deepcopy(read_data_file("categories.json"))
    raw["title_levels"][2]["level"] = 3
    with pytest.raises(ReferenceDataError, match=r"title_levels\[2\]\.level"):
        parse_categories(raw)


def test_wrong_types_name_the_path() -> None:
    raw = copy.deepcopy(read_data_file("categories.json"))
    raw["talent_categories"][0]["zh"] = ""
    with pytest.raises(ReferenceDataError, match=r"talent_categories\[0\]\.zh: .*non-empty"):
        parse_categories(raw)
    with pytest.raises(ReferenceDataError, match="JSON object"):
        parse_categories([])


def test_missing_file_is_named() -> None:
    with pytest.raises(ReferenceDataError, match=r"nope\.json"):
        read_data_file("nope.json")
