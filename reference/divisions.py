"""``divisions.json``: the prefecture's county-level divisions and their townships, with
approximate coordinates and altitudes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from reference._parse import (
    _ADMIN_CODE_RE,
    _DOTTED_CODE_RE,
    COUNTY_KINDS,
    DIVISIONS_FILE,
    POVERTY_COUNTY_LEVELS,
    TOWNSHIP_KINDS,
    _header,
    _Node,
    _Obj,
    _unique,
    read_data_file,
)


@dataclass(frozen=True, slots=True)
class BBox:
    """A latitude/longitude rectangle (WGS84 degrees), ends included."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon

    def covers(self, other: BBox) -> bool:
        return self.contains(other.min_lat, other.min_lon) and self.contains(
            other.max_lat, other.max_lon
        )


@dataclass(frozen=True, slots=True)
class Township:
    """A township-level division (镇, 乡 or 民族乡). Coordinates and altitude are
    approximate (see the data file's notes); ``poverty_township`` is a stand-in flag."""

    code: str
    name: str
    en: str
    kind: str
    county_code: str
    lat: float
    lon: float
    altitude_m: int
    poverty_township: bool


@dataclass(frozen=True, slots=True)
class County:
    """A county-level division. ``former_name``/``former_code`` hold the plan-era name
    when it has changed since 2020 (禄丰县 → 禄丰市)."""

    code: str
    slug: str
    name: str
    former_name: str | None
    former_code: str | None
    en: str
    kind: str
    seat: str
    lat: float
    lon: float
    altitude_m: int
    poverty_county: str | None
    townships: tuple[Township, ...]
    poverty_county_estimate: bool = False

    @property
    def is_poverty_county(self) -> bool:
        """A 贫困县 (national or provincial) when the plan was written (2020)."""
        return self.poverty_county is not None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,) if self.former_name is None else (self.name, self.former_name)


ATTRIBUTES = ("poverty_county", "poverty_township", "altitude_m")
SOURCE_STATUSES = ("sourced", "estimate")


@dataclass(frozen=True, slots=True)
class AttributeSource:
    """Where the values of one attribute come from. ``status`` is ``sourced`` (a public
    text names them; ``url`` and ``date`` say which) or ``estimate`` (the editor's
    judgement). ``counties`` lists the county codes it covers; () means all."""

    attribute: str
    status: str
    counties: tuple[str, ...]
    source: str
    url: str | None
    date: date | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Prefecture:
    code: str
    name: str
    short_name: str
    en: str
    seat_county: str
    seat: str
    lat: float
    lon: float
    extent: BBox


@dataclass(frozen=True, slots=True)
class Divisions:
    source: str
    as_of: date
    notes: tuple[str, ...]
    prefecture: Prefecture
    bbox: BBox
    counties: tuple[County, ...]
    attribute_sources: tuple[AttributeSource, ...] = ()

    def sources_of(self, attribute: str, county_code: str) -> tuple[AttributeSource, ...]:
        """The sources that cover ``attribute`` for one county."""
        return tuple(
            s
            for s in self.attribute_sources
            if s.attribute == attribute and (not s.counties or county_code in s.counties)
        )

    def county(self, key: str) -> County:
        """A county by code, former code, name, former name or slug."""
        for c in self.counties:
            if key in (c.code, c.former_code, c.slug, *c.names):
                return c
        raise KeyError(f"no county {key!r} in {self.prefecture.name}")

    def townships(self) -> tuple[Township, ...]:
        return tuple(t for c in self.counties for t in c.townships)

    def township(self, code: str) -> Township:
        for t in self.townships():
            if t.code == code:
                return t
        raise KeyError(f"no township with code {code!r}")

    def find_township(self, county: str, name: str) -> Township | None:
        """A township by its Chinese name within a county (given by any county key)."""
        for t in self.county(county).townships:
            if t.name == name:
                return t
        return None

    def poverty_townships(self) -> tuple[Township, ...]:
        return tuple(t for t in self.townships() if t.poverty_township)


_LAT_RANGE = (-90.0, 90.0)
_LON_RANGE = (-180.0, 180.0)


def _bbox(node: _Node) -> BBox:
    o = node.obj()
    box = BBox(
        min_lat=o["min_lat"].number(lo=_LAT_RANGE[0], hi=_LAT_RANGE[1]),
        max_lat=o["max_lat"].number(lo=_LAT_RANGE[0], hi=_LAT_RANGE[1]),
        min_lon=o["min_lon"].number(lo=_LON_RANGE[0], hi=_LON_RANGE[1]),
        max_lon=o["max_lon"].number(lo=_LON_RANGE[0], hi=_LON_RANGE[1]),
    )
    o.done()
    if box.max_lat <= box.min_lat or box.max_lon <= box.min_lon:
        raise node.fail("min_lat < max_lat and min_lon < max_lon")
    return box


def _township_kind_ok(name: str, kind: str) -> bool:
    if kind == "town":
        return name.endswith("镇")
    if kind == "ethnic_township":
        return name.endswith("族乡")
    return name.endswith("乡") and not name.endswith("族乡")


def _source(node: _Node, county_codes: set[str]) -> AttributeSource:
    o = node.obj()
    counties = o["counties"].str_tuple()
    for code in counties:
        if code not in county_codes:
            raise o["counties"].fail("codes of this file's counties", code)
    when = o.get("date")
    result = AttributeSource(
        attribute=o["attribute"].choice(ATTRIBUTES),
        status=o["status"].choice(SOURCE_STATUSES),
        counties=counties,
        source=o["source"].string(),
        url=o.get("url").opt_string(),
        date=None if when.value is None else when.iso_date(),
        note=o.get("note").opt_string(),
    )
    o.done()
    return result


def _prefecture(p: _Obj, bbox: BBox) -> Prefecture:
    prefecture = Prefecture(
        code=p["code"].code(re.compile(r"^53\d{2}00$")),
        name=p["name"].string(),
        short_name=p["short_name"].string(),
        en=p["en"].string(),
        seat_county=p["seat_county"].code(_ADMIN_CODE_RE),
        seat=p["seat"].string(),
        lat=p["lat"].number(lo=bbox.min_lat, hi=bbox.max_lat),
        lon=p["lon"].number(lo=bbox.min_lon, hi=bbox.max_lon),
        extent=_bbox(p["extent"]),
    )
    p.done()
    return prefecture


def _township(tn: _Node, county_code: str, bbox: BBox) -> Township:
    t = tn.obj()
    name = t["name"].string()
    kind = t["kind"].choice(TOWNSHIP_KINDS)
    if not _township_kind_ok(name, kind):
        raise t["kind"].fail(f"a kind that fits the name {name!r} (镇/乡/族乡)")
    town = Township(
        code=t["code"].code(_DOTTED_CODE_RE),
        name=name,
        en=t["en"].string(),
        kind=kind,
        county_code=county_code,
        lat=t["lat"].number(lo=bbox.min_lat, hi=bbox.max_lat),
        lon=t["lon"].number(lo=bbox.min_lon, hi=bbox.max_lon),
        altitude_m=t["altitude_m"].integer(minimum=0),
        poverty_township=t["poverty_township"].flag(),
    )
    t.done()
    return town


def _townships(c: _Obj, code: str, bbox: BBox, file: str) -> tuple[list[_Node], list[Township]]:
    tnodes = c["townships"].items()
    towns = [_township(tn, code, bbox) for tn in tnodes]
    if not towns:
        raise c["townships"].fail("at least one township")
    _unique(tnodes, [t.name for t in towns], "township name within the county")
    if c["seat"].string() not in {t.name for t in towns}:
        raise c["seat"].fail("the name of one of this county's townships")
    slug = c["slug"].code()
    for tn, town in zip(tnodes, towns, strict=True):
        if not town.code.startswith(slug + "."):
            raise _Node(town.code, file, f"{tn.path}.code").fail(f"a code starting {slug}.")
    return tnodes, towns


def _former_code(c: _Obj) -> str | None:
    if c.get("former_code").value is None:
        return None
    return c["former_code"].code(_ADMIN_CODE_RE)


def _county(cn: _Node, prefecture: Prefecture, bbox: BBox, file: str) -> tuple[County, list[_Node]]:
    c = cn.obj()
    code = c["code"].code(_ADMIN_CODE_RE)
    if code[:4] != prefecture.code[:4]:
        raise c["code"].fail(f"a code under prefecture {prefecture.code}")
    tnodes, towns = _townships(c, code, bbox, file)
    county = County(
        code=code,
        slug=c["slug"].code(),
        name=c["name"].string(),
        former_name=c.get("former_name").opt_string(),
        former_code=_former_code(c),
        en=c["en"].string(),
        kind=c["kind"].choice(COUNTY_KINDS),
        seat=c["seat"].string(),
        lat=c["lat"].number(lo=bbox.min_lat, hi=bbox.max_lat),
        lon=c["lon"].number(lo=bbox.min_lon, hi=bbox.max_lon),
        altitude_m=c["altitude_m"].integer(minimum=0),
        poverty_county=c.get("poverty_county").opt_choice(POVERTY_COUNTY_LEVELS),
        townships=tuple(towns),
        poverty_county_estimate=c.get("poverty_county_estimate", False).flag(),
    )
    c.done()
    return county, tnodes


def parse_divisions(raw: Any, *, file: str = DIVISIONS_FILE) -> Divisions:
    root = _Node(raw, file, "").obj()
    source, as_of, notes = _header(root)
    bbox = _bbox(root["bbox"])
    prefecture = _prefecture(root["prefecture"].obj(), bbox)
    if not bbox.covers(prefecture.extent):
        raise root["bbox"].fail("a box that covers prefecture.extent")

    county_nodes = root["counties"].items()
    counties: list[County] = []
    town_nodes: list[_Node] = []
    for cn in county_nodes:
        county, tnodes = _county(cn, prefecture, bbox, file)
        counties.append(county)
        town_nodes.extend(tnodes)
    _unique(county_nodes, [c.code for c in counties], "county code")
    _unique(county_nodes, [c.name for c in counties], "county name")
    _unique(county_nodes, [c.slug for c in counties], "county slug")
    _unique(town_nodes, [t.code for c in counties for t in c.townships], "township code")
    if prefecture.seat_county not in {c.code for c in counties}:
        raise _Node(prefecture.seat_county, file, "prefecture.seat_county").fail(
            "the code of one of the counties"
        )
    codes = {c.code for c in counties}
    sources = tuple(_source(n, codes) for n in root.get("attribute_sources", []).items())
    result = Divisions(source, as_of, notes, prefecture, bbox, tuple(counties), sources)
    root.done()
    return result


@cache
def load_divisions() -> Divisions:
    return parse_divisions(read_data_file(DIVISIONS_FILE))


def is_poverty_county(code: str) -> bool:
    """Whether the county (by code, former code, name or slug) was a 贫困县 (national or
    provincial) when the plan was written; the plan's 对口帮扶 rule (措施4: experts of
    tertiary hospitals to the county hospitals of poverty counties) reads this. An
    unknown county is not one."""
    try:
        return load_divisions().county(code).is_poverty_county
    except KeyError:
        return False
