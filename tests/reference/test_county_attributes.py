"""Counties and townships carry their real attributes, each with a named source or an
explicit 'estimate' (issue 11, item 8)."""

from __future__ import annotations

import pytest

from reference import is_poverty_county, load_divisions, parse_divisions, read_data_file
from reference._parse import DIVISIONS_FILE, ReferenceDataError

PLAN_ERA_POVERTY = {"双柏县", "牟定县", "南华县", "姚安县", "大姚县", "永仁县", "武定县"}


def test_the_seven_reported_poverty_counties_are_national_and_sourced() -> None:
    d = load_divisions()
    national = {c.name for c in d.counties if c.poverty_county == "national"}
    assert national == PLAN_ERA_POVERTY
    for county in d.counties:
        if county.name in PLAN_ERA_POVERTY:
            (src,) = d.sources_of("poverty_county", county.code)
            assert src.status == "sourced" and src.url and src.date is not None
            assert "7个贫困县" in src.source
            assert not county.poverty_county_estimate


def test_the_provincial_one_is_marked_an_estimate() -> None:
    d = load_divisions()
    provincial = [c for c in d.counties if c.poverty_county == "provincial"]
    assert [c.name for c in provincial] == ["元谋县"]
    assert provincial[0].poverty_county_estimate
    assert [s.status for s in d.sources_of("poverty_county", provincial[0].code)] == ["estimate"]


def test_every_attribute_of_every_county_names_where_it_comes_from() -> None:
    d = load_divisions()
    for county in d.counties:
        for attribute in ("poverty_township", "altitude_m"):
            assert d.sources_of(attribute, county.code), (attribute, county.name)
    assert {s.status for s in d.attribute_sources if s.attribute == "poverty_township"} == {
        "estimate"
    }
    assert len(d.poverty_townships()) == 25


def test_is_poverty_county_by_code_or_name() -> None:
    assert is_poverty_county("532322") and is_poverty_county("双柏县")
    assert not is_poverty_county("532301") and not is_poverty_county("禄丰县")
    assert not is_poverty_county("no-such-county")


def test_a_source_for_an_unknown_county_is_refused() -> None:
    raw = read_data_file(DIVISIONS_FILE)
    raw["attribute_sources"][0]["counties"].append("532399")
    with pytest.raises(ReferenceDataError, match="532399"):
        parse_divisions(raw)


def test_counties_in_the_database_carry_the_flag_and_altitude(session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from models import County

    rows = {c.name: c for c in session.scalars(select(County))}
    assert rows["双柏县"].poverty_county == "national" and rows["双柏县"].is_poverty_county
    assert rows["楚雄市"].poverty_county is None and rows["楚雄市"].altitude_m == 1773.0
