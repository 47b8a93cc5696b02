"""Reference data drawn from the 2020 Chuxiong action plan (楚才组〔2020〕4号).

The data lives in versioned JSON files under ``reference/data/``; this module only reads and
validates them into frozen dataclasses. It knows nothing about a database: the upserts
into ``models`` are written on top of these records elsewhere.

Four loaders, each cached and each reading through :mod:`importlib.resources` so that an
installed package works the same as a checkout:

- :func:`load_programmes` — the plan's meta, its yearly goals (行动目标) and the ten
  measures of its task table (任务分解表) with structured targets;
- :func:`load_divisions` — the prefecture's ten county-level divisions and their
  townships, with approximate coordinates and altitudes;
- :func:`load_taxonomy` — the two-level skills and fields taxonomy;
- :func:`load_categories` — talent categories, site and institution types, title and
  degree levels, licences, languages and service modes.

Bad data raises :class:`ReferenceDataError`, which names the file, the JSON path, the
value found and what was expected. The ``parse_*`` functions take already-decoded JSON so
that a caller (or a test) can validate data that does not come from the package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal, cast

__all__ = [
    "BBox",
    "Categories",
    "Counting",
    "County",
    "Divisions",
    "Duration",
    "Goal",
    "Level",
    "Measure",
    "MeasureGroup",
    "ModeInfo",
    "Plan",
    "Prefecture",
    "Programmes",
    "ReferenceDataError",
    "SkillGroup",
    "SkillLeaf",
    "Target",
    "Taxonomy",
    "Term",
    "Township",
    "load_categories",
    "load_divisions",
    "load_programmes",
    "load_taxonomy",
    "parse_categories",
    "parse_divisions",
    "parse_programmes",
    "parse_taxonomy",
    "read_data_file",
]

PROGRAMMES_FILE = "programmes.json"
DIVISIONS_FILE = "divisions.json"
TAXONOMY_FILE = "taxonomy.json"
CATEGORIES_FILE = "categories.json"

Period = Literal["yearly", "unspecified"]
CountKind = Literal["distinct_talents", "matches", "coverage_sites"]
PERIODS: tuple[str, ...] = ("yearly", "unspecified")
COUNT_KINDS: tuple[str, ...] = ("distinct_talents", "matches", "coverage_sites")
COUNTY_KINDS: tuple[str, ...] = ("county", "county_level_city")
TOWNSHIP_KINDS: tuple[str, ...] = ("town", "township", "ethnic_township")
POVERTY_COUNTY_LEVELS: tuple[str, ...] = ("national", "provincial")

# Codes are ASCII slugs so that they survive URLs, CSV headers and config files.
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_DOTTED_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_ADMIN_CODE_RE = re.compile(r"^53\d{4}$")
_UNIT_SPLIT_RE = re.compile("[、，]")


class ReferenceDataError(ValueError):
    """A reference data file does not hold what the loaders expect."""

    def __init__(self, file: str, path: str, value: object, expected: str) -> None:
        self.file = file
        self.path = path
        self.value = value
        self.expected = expected
        shown = repr(value)
        if len(shown) > 120:
            shown = shown[:117] + "..."
        super().__init__(f"{file}: {path}: found {shown}, expected {expected}")


# ---------------------------------------------------------------------------------------
# A small validating reader. Every accessor records the JSON path so that an error can say
# exactly where the bad value sits.

_MISSING = object()


class _Node:
    __slots__ = ("file", "path", "value")

    def __init__(self, value: Any, file: str, path: str) -> None:
        self.value = value
        self.file = file
        self.path = path

    def fail(self, expected: str, value: object = _MISSING) -> ReferenceDataError:
        return ReferenceDataError(
            self.file, self.path, self.value if value is _MISSING else value, expected
        )

    def obj(self) -> _Obj:
        if not isinstance(self.value, Mapping):
            raise self.fail("a JSON object")
        return _Obj(self.value, self.file, self.path)

    def items(self) -> list[_Node]:
        if not isinstance(self.value, list):
            raise self.fail("a JSON array")
        return [_Node(v, self.file, f"{self.path}[{i}]") for i, v in enumerate(self.value)]

    def string(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            raise self.fail("a non-empty string")
        if self.value != self.value.strip():
            raise self.fail("a string without leading or trailing whitespace")
        return self.value

    def opt_string(self) -> str | None:
        return None if self.value is None else self.string()

    def code(self, pattern: re.Pattern[str] = _CODE_RE) -> str:
        value = self.string()
        if not pattern.match(value):
            raise self.fail(f"a code matching {pattern.pattern}")
        return value

    def integer(self, *, minimum: int | None = None) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail("an integer")
        if minimum is not None and self.value < minimum:
            raise self.fail(f"an integer >= {minimum}")
        return self.value

    def opt_integer(self, *, minimum: int | None = None) -> int | None:
        return None if self.value is None else self.integer(minimum=minimum)

    def number(self, *, lo: float | None = None, hi: float | None = None) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail("a number")
        value = float(self.value)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise self.fail(f"a number in [{lo}, {hi}]")
        return value

    def flag(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("true or false")
        return self.value

    def choice(self, options: tuple[str, ...]) -> str:
        value = self.string()
        if value not in options:
            raise self.fail("one of " + ", ".join(options))
        return value

    def opt_choice(self, options: tuple[str, ...]) -> str | None:
        return None if self.value is None else self.choice(options)

    def iso_date(self) -> date:
        value = self.string()
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail("an ISO date YYYY-MM-DD") from None

    def str_tuple(self, *, allow_empty: bool = True) -> tuple[str, ...]:
        out = tuple(n.string() for n in self.items())
        if not allow_empty and not out:
            raise self.fail("a non-empty array of strings")
        if len(set(out)) != len(out):
            raise self.fail("an array without duplicates")
        return out

    def code_tuple(self, pattern: re.Pattern[str] = _CODE_RE) -> tuple[str, ...]:
        out = tuple(n.code(pattern) for n in self.items())
        if len(set(out)) != len(out):
            raise self.fail("an array without duplicates")
        return out


class _Obj:
    """A JSON object being read; :meth:`done` rejects keys nobody asked for (typos)."""

    __slots__ = ("data", "file", "path", "seen")

    def __init__(self, data: Mapping[str, Any], file: str, path: str) -> None:
        self.data = data
        self.file = file
        self.path = path
        self.seen: set[str] = set()

    def __getitem__(self, key: str) -> _Node:
        self.seen.add(key)
        if key not in self.data:
            raise ReferenceDataError(self.file, self._child(key), None, "this key to be present")
        return _Node(self.data[key], self.file, self._child(key))

    def get(self, key: str, default: Any = None) -> _Node:
        self.seen.add(key)
        return _Node(self.data.get(key, default), self.file, self._child(key))

    def done(self) -> None:
        extra = sorted(set(self.data) - self.seen)
        if extra:
            raise ReferenceDataError(
                self.file, self._child(extra[0]), self.data[extra[0]], "no such key (unknown)"
            )

    def _child(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key


def _unique(nodes: list[_Node], keys: list[str], what: str) -> None:
    seen: dict[str, int] = {}
    for node, key in zip(nodes, keys, strict=True):
        if key in seen:
            raise node.fail(f"a unique {what} (already used at index {seen[key]})", key)
        seen[key] = len(seen)


def read_data_file(name: str) -> Any:
    """Decode one JSON file from ``reference/data`` (works from a checkout or an install)."""
    try:
        text = resources.files("reference").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReferenceDataError(name, "$", None, "the file to exist in reference/data") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"$ (line {exc.lineno}, column {exc.colno})"
        raise ReferenceDataError(name, where, exc.msg, "valid JSON") from None


def _header(root: _Obj) -> tuple[str, date, tuple[str, ...]]:
    source = root["source"].string()
    as_of = root["as_of"].iso_date()
    notes = root.get("notes", []).str_tuple()
    root.get("schema_version", 1).integer(minimum=1)
    return source, as_of, notes


# ---------------------------------------------------------------------------------------
# categories.json


@dataclass(frozen=True, slots=True)
class Term:
    """A coded entry with Chinese and English names; ``plan_terms`` are the plan's words
    for it (empty when the plan has none)."""

    code: str
    zh: str
    en: str
    plan_terms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Level:
    """One step of an ordinal scale (职称 ``title_level`` or 学历 ``degree_level``)."""

    level: int
    code: str
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class ModeInfo:
    """A service mode; ``code`` equals a ``matching.types.Mode`` value. ``min_days`` and
    ``max_days`` are a guide for one stint, not the plan's rule (None means open)."""

    code: str
    zh: str
    en: str
    plan_terms: tuple[str, ...]
    min_days: int | None
    max_days: int | None


@dataclass(frozen=True, slots=True)
class Categories:
    source: str
    as_of: date
    notes: tuple[str, ...]
    talent_categories: tuple[Term, ...]
    site_types: tuple[Term, ...]
    institution_types: tuple[Term, ...]
    title_levels: tuple[Level, ...]
    degree_levels: tuple[Level, ...]
    licences: tuple[Term, ...]
    languages: tuple[Term, ...]
    modes: tuple[ModeInfo, ...]

    def codes(self, kind: str) -> frozenset[str]:
        """Codes of one list, e.g. ``codes("site_types")``."""
        entries = getattr(self, kind)
        return frozenset(e.code for e in entries)

    def get(self, kind: str, code: str) -> Term | Level | ModeInfo:
        """The entry of list ``kind`` with this code; KeyError when there is none."""
        for entry in getattr(self, kind):
            if entry.code == code:
                return cast(Term | Level | ModeInfo, entry)
        raise KeyError(f"no {kind} entry with code {code!r}")


_TERM_LISTS = ("talent_categories", "site_types", "institution_types", "licences", "languages")


def _terms(node: _Node) -> tuple[Term, ...]:
    nodes = node.items()
    out = []
    for n in nodes:
        o = n.obj()
        out.append(
            Term(
                code=o["code"].code(),
                zh=o["zh"].string(),
                en=o["en"].string(),
                plan_terms=o.get("plan_terms", []).str_tuple(),
            )
        )
        o.done()
    _unique(nodes, [t.code for t in out], "code")
    return tuple(out)


def _levels(node: _Node) -> tuple[Level, ...]:
    nodes = node.items()
    out = []
    for i, n in enumerate(nodes):
        o = n.obj()
        level = o["level"].integer(minimum=0)
        if level != i:
            raise o["level"].fail(f"level {i} (levels run 0, 1, 2, ... in order)")
        out.append(Level(level, o["code"].code(), o["zh"].string(), o["en"].string()))
        o.done()
    _unique(nodes, [x.code for x in out], "code")
    return tuple(out)


def _modes(node: _Node) -> tuple[ModeInfo, ...]:
    nodes = node.items()
    out = []
    for n in nodes:
        o = n.obj()
        lo = o.get("min_days").opt_integer(minimum=1)
        hi = o.get("max_days").opt_integer(minimum=1)
        if lo is not None and hi is not None and hi < lo:
            raise o["max_days"].fail(f"max_days >= min_days ({lo})")
        out.append(
            ModeInfo(
                code=o["code"].code(),
                zh=o["zh"].string(),
                en=o["en"].string(),
                plan_terms=o.get("plan_terms", []).str_tuple(),
                min_days=lo,
                max_days=hi,
            )
        )
        o.done()
    _unique(nodes, [m.code for m in out], "code")
    return tuple(out)


def parse_categories(raw: Any, *, file: str = CATEGORIES_FILE) -> Categories:
    root = _Node(raw, file, "").obj()
    source, as_of, notes = _header(root)
    terms = {name: _terms(root[name]) for name in _TERM_LISTS}
    result = Categories(
        source=source,
        as_of=as_of,
        notes=notes,
        talent_categories=terms["talent_categories"],
        site_types=terms["site_types"],
        institution_types=terms["institution_types"],
        title_levels=_levels(root["title_levels"]),
        degree_levels=_levels(root["degree_levels"]),
        licences=terms["licences"],
        languages=terms["languages"],
        modes=_modes(root["modes"]),
    )
    root.done()
    return result


@cache
def load_categories() -> Categories:
    return parse_categories(read_data_file(CATEGORIES_FILE))


# ---------------------------------------------------------------------------------------
# taxonomy.json


@dataclass(frozen=True, slots=True)
class SkillLeaf:
    """A leaf of the skills/fields taxonomy; ``code`` is ``"<group>.<leaf>"``."""

    code: str
    group: str
    zh: str
    en: str
    keywords: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The Chinese name followed by its aliases."""
        return (self.zh, *self.aliases)


@dataclass(frozen=True, slots=True)
class SkillGroup:
    code: str
    zh: str
    en: str
    leaves: tuple[SkillLeaf, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    source: str
    as_of: date
    notes: tuple[str, ...]
    plan_domains: tuple[str, ...]
    groups: tuple[SkillGroup, ...]

    def leaves(self) -> tuple[SkillLeaf, ...]:
        return tuple(leaf for g in self.groups for leaf in g.leaves)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(leaf.code for leaf in self.leaves())

    def leaf(self, code: str) -> SkillLeaf:
        for leaf in self.leaves():
            if leaf.code == code:
                return leaf
        raise KeyError(f"no taxonomy leaf with code {code!r}")

    def find(self, name: str) -> SkillLeaf | None:
        """The leaf whose Chinese name or alias is exactly ``name``."""
        for leaf in self.leaves():
            if name in leaf.names:
                return leaf
        return None


def parse_taxonomy(raw: Any, *, file: str = TAXONOMY_FILE) -> Taxonomy:
    root = _Node(raw, file, "").obj()
    source, as_of, notes = _header(root)
    group_nodes = root["groups"].items()
    groups = []
    all_leaf_nodes: list[_Node] = []
    for gn in group_nodes:
        g = gn.obj()
        gcode = g["code"].code()
        leaves = []
        for ln in g["children"].items():
            leaf_obj = ln.obj()
            lcode = leaf_obj["code"].code()
            keywords = leaf_obj["keywords"].str_tuple(allow_empty=False)
            leaves.append(
                SkillLeaf(
                    code=f"{gcode}.{lcode}",
                    group=gcode,
                    zh=leaf_obj["zh"].string(),
                    en=leaf_obj["en"].string(),
                    keywords=keywords,
                    aliases=leaf_obj.get("aliases", []).str_tuple(),
                )
            )
            leaf_obj.done()
            all_leaf_nodes.append(ln)
        if not leaves:
            raise g["children"].fail("at least one leaf")
        groups.append(SkillGroup(gcode, g["zh"].string(), g["en"].string(), tuple(leaves)))
        g.done()
    _unique(group_nodes, [g.code for g in groups], "group code")
    flat = [leaf for g in groups for leaf in g.leaves]
    _unique(all_leaf_nodes, [leaf.code for leaf in flat], "leaf code")
    _unique(all_leaf_nodes, [leaf.zh for leaf in flat], "leaf zh name")
    names = {n for leaf in flat for n in leaf.names}
    domains_node = root["plan_domains"]
    domains = domains_node.str_tuple(allow_empty=False)
    for i, domain in enumerate(domains):
        if domain not in names:
            raise _Node(domain, file, f"plan_domains[{i}]").fail(
                "a domain that some leaf names in zh or aliases"
            )
    result = Taxonomy(source, as_of, notes, domains, tuple(groups))
    root.done()
    return result


@cache
def load_taxonomy() -> Taxonomy:
    return parse_taxonomy(read_data_file(TAXONOMY_FILE))


# ---------------------------------------------------------------------------------------
# divisions.json


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

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,) if self.former_name is None else (self.name, self.former_name)


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


def parse_divisions(raw: Any, *, file: str = DIVISIONS_FILE) -> Divisions:
    root = _Node(raw, file, "").obj()
    source, as_of, notes = _header(root)
    bbox = _bbox(root["bbox"])

    p = root["prefecture"].obj()
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
    if not bbox.covers(prefecture.extent):
        raise root["bbox"].fail("a box that covers prefecture.extent")

    county_nodes = root["counties"].items()
    counties: list[County] = []
    town_nodes: list[_Node] = []
    for cn in county_nodes:
        c = cn.obj()
        code = c["code"].code(_ADMIN_CODE_RE)
        if code[:4] != prefecture.code[:4]:
            raise c["code"].fail(f"a code under prefecture {prefecture.code}")
        towns = []
        tnodes = c["townships"].items()
        for tn in tnodes:
            t = tn.obj()
            name = t["name"].string()
            kind = t["kind"].choice(TOWNSHIP_KINDS)
            if not _township_kind_ok(name, kind):
                raise t["kind"].fail(f"a kind that fits the name {name!r} (镇/乡/族乡)")
            towns.append(
                Township(
                    code=t["code"].code(_DOTTED_CODE_RE),
                    name=name,
                    en=t["en"].string(),
                    kind=kind,
                    county_code=code,
                    lat=t["lat"].number(lo=bbox.min_lat, hi=bbox.max_lat),
                    lon=t["lon"].number(lo=bbox.min_lon, hi=bbox.max_lon),
                    altitude_m=t["altitude_m"].integer(minimum=0),
                    poverty_township=t["poverty_township"].flag(),
                )
            )
            t.done()
        if not towns:
            raise c["townships"].fail("at least one township")
        _unique(tnodes, [t.name for t in towns], "township name within the county")
        town_nodes.extend(tnodes)
        seat = c["seat"].string()
        if seat not in {t.name for t in towns}:
            raise c["seat"].fail("the name of one of this county's townships")
        slug = c["slug"].code()
        for tn, town in zip(tnodes, towns, strict=True):
            if not town.code.startswith(slug + "."):
                raise _Node(town.code, file, f"{tn.path}.code").fail(f"a code starting {slug}.")
        counties.append(
            County(
                code=code,
                slug=slug,
                name=c["name"].string(),
                former_name=c.get("former_name").opt_string(),
                former_code=(
                    None
                    if c.get("former_code").value is None
                    else c["former_code"].code(_ADMIN_CODE_RE)
                ),
                en=c["en"].string(),
                kind=c["kind"].choice(COUNTY_KINDS),
                seat=seat,
                lat=c["lat"].number(lo=bbox.min_lat, hi=bbox.max_lat),
                lon=c["lon"].number(lo=bbox.min_lon, hi=bbox.max_lon),
                altitude_m=c["altitude_m"].integer(minimum=0),
                poverty_county=c.get("poverty_county").opt_choice(POVERTY_COUNTY_LEVELS),
                townships=tuple(towns),
            )
        )
        c.done()
    _unique(county_nodes, [c.code for c in counties], "county code")
    _unique(county_nodes, [c.name for c in counties], "county name")
    _unique(county_nodes, [c.slug for c in counties], "county slug")
    _unique(town_nodes, [t.code for c in counties for t in c.townships], "township code")
    if prefecture.seat_county not in {c.code for c in counties}:
        raise _Node(prefecture.seat_county, file, "prefecture.seat_county").fail(
            "the code of one of the counties"
        )
    result = Divisions(source, as_of, notes, prefecture, bbox, tuple(counties))
    root.done()
    return result


@cache
def load_divisions() -> Divisions:
    return parse_divisions(read_data_file(DIVISIONS_FILE))


# ---------------------------------------------------------------------------------------
# programmes.json


@dataclass(frozen=True, slots=True)
class Counting:
    """How the service counts matches toward a target. ``None`` in a list field means "no
    restriction"; a target whose ``counting`` is ``None`` is counted by manual entries."""

    talent_categories: tuple[str, ...] | None
    modes: tuple[str, ...] | None
    field_codes: tuple[str, ...] | None
    site_types: tuple[str, ...] | None
    institution_types: tuple[str, ...] | None
    min_days: int | None
    poverty_township_only: bool
    poverty_county_only: bool
    home_county_match: bool
    count: CountKind
    note: str


@dataclass(frozen=True, slots=True)
class Duration:
    """A service length named in a target, e.g. 服务1-2年."""

    text: str
    min: int
    max: int
    unit: str


@dataclass(frozen=True, slots=True)
class Target:
    """One figure of the plan. ``value``/``unit`` are None when the plan gives no number.
    ``approx`` marks 左右 and ``at_least`` marks 以上. ``period_basis`` is ``"stated"``
    (the text says 每年), ``"goal:<code>"`` (the task table gives no period but the same
    figure is a yearly goal) or ``"none"``."""

    code: str
    text: str
    value: int | None
    unit: str | None
    subject: str
    period: Period
    period_basis: str
    approx: bool
    at_least: bool
    duration: Duration | None
    counting: Counting | None


@dataclass(frozen=True, slots=True)
class Goal:
    """A yearly goal of 行动目标 (one "——" bullet)."""

    code: str
    order: int
    text: str
    organiser_text: str | None
    lead_units: tuple[str, ...]
    partner_units: tuple[str, ...]
    organising_systems: tuple[str, ...]
    fields: tuple[str, ...]
    field_codes: tuple[str, ...]
    site_types: tuple[str, ...]
    site_types_text: tuple[str, ...]
    targets: tuple[Target, ...]
    related_measures: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MeasureGroup:
    code: str
    label: str
    title: str

    @property
    def heading(self) -> str:
        return self.label + self.title


@dataclass(frozen=True, slots=True)
class Measure:
    """One row of the task table (任务分解表), texts as the table has them."""

    number: int
    code: str
    group: MeasureGroup
    main_content: str
    targets_text: str
    targets: tuple[Target, ...]
    lead_text: str
    lead_units: tuple[str, ...]
    responsible_text: str
    responsible_units: tuple[str, ...]
    related_goals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    doc_number: str
    issuer: str
    printed_by: str
    date: date
    title: str
    notice_title: str
    basis: tuple[str, ...]
    poverty_townships_count: int
    poverty_townships_text: str


@dataclass(frozen=True, slots=True)
class Programmes:
    source: str
    as_of: date
    notes: tuple[str, ...]
    plan: Plan
    goals: tuple[Goal, ...]
    measure_groups: tuple[MeasureGroup, ...]
    measures: tuple[Measure, ...]

    def goal(self, code: str) -> Goal:
        for g in self.goals:
            if g.code == code:
                return g
        raise KeyError(f"no goal with code {code!r}")

    def measure(self, number: int) -> Measure:
        for m in self.measures:
            if m.number == number:
                return m
        raise KeyError(f"no measure number {number}")

    def targets(self) -> Iterator[tuple[Goal | Measure, Target]]:
        """Every target with its owner: the goals first, then the measures."""
        for g in self.goals:
            for t in g.targets:
                yield g, t
        for m in self.measures:
            for t in m.targets:
                yield m, t


def _opt_codes(node: _Node, known: frozenset[str] | None, what: str) -> tuple[str, ...] | None:
    if node.value is None:
        return None
    pattern = _DOTTED_CODE_RE if what == "taxonomy leaf" else _CODE_RE
    codes = node.code_tuple(pattern)
    if not codes:
        raise node.fail("null (no restriction) or a non-empty array")
    _check_known(node, codes, known, what)
    return codes


def _check_known(
    node: _Node, codes: tuple[str, ...], known: frozenset[str] | None, what: str
) -> None:
    if known is None:
        return
    for i, code in enumerate(codes):
        if code not in known:
            raise _Node(code, node.file, f"{node.path}[{i}]").fail(f"a known {what} code")


@dataclass(frozen=True, slots=True)
class _Known:
    talent_categories: frozenset[str] | None
    modes: frozenset[str] | None
    site_types: frozenset[str] | None
    institution_types: frozenset[str] | None
    fields: frozenset[str] | None


def _counting(node: _Node, known: _Known) -> Counting | None:
    if node.value is None:
        return None
    o = node.obj()
    result = Counting(
        talent_categories=_opt_codes(
            o["talent_categories"], known.talent_categories, "talent category"
        ),
        modes=_opt_codes(o["modes"], known.modes, "mode"),
        field_codes=_opt_codes(o["field_codes"], known.fields, "taxonomy leaf"),
        site_types=_opt_codes(o["site_types"], known.site_types, "site type"),
        institution_types=_opt_codes(
            o["institution_types"], known.institution_types, "institution type"
        ),
        min_days=o["min_days"].opt_integer(minimum=1),
        poverty_township_only=o["poverty_township_only"].flag(),
        poverty_county_only=o["poverty_county_only"].flag(),
        home_county_match=o["home_county_match"].flag(),
        count=cast(CountKind, o["count"].choice(COUNT_KINDS)),
        note=o["note"].string(),
    )
    o.done()
    return result


def _target(node: _Node, owner_text: str, owner_path: str, known: _Known) -> Target:
    o = node.obj()
    text = o["text"].string()
    if text not in owner_text:
        raise o["text"].fail(f"a phrase quoted from {owner_path}")
    value = o["value"].opt_integer(minimum=1)
    unit = o["unit"].opt_string()
    if (value is None) != (unit is None):
        raise o["unit"].fail("a unit exactly when value is a number (both or neither null)")
    if value is not None and f"{value}{unit}" not in text:
        raise o["value"].fail(f"a value that appears as '{value}{unit}' in the target text")
    approx = o["approx"].flag()
    at_least = o["at_least"].flag()
    if approx and at_least:
        raise o["at_least"].fail("false when approx is true (左右 and 以上 exclude each other)")
    period = cast(Period, o["period"].choice(PERIODS))
    basis_node = o["period_basis"]
    basis = basis_node.string()
    if basis not in ("stated", "none") and not basis.startswith("goal:"):
        raise basis_node.fail("'stated', 'none' or 'goal:<goal code>'")
    if (period == "yearly") == (basis == "none"):
        raise basis_node.fail("'stated' or 'goal:<code>' for a yearly target, else 'none'")
    duration = None
    if o.get("duration").value is not None:
        d = o["duration"].obj()
        duration = Duration(
            text=d["text"].string(),
            min=d["min"].integer(minimum=1),
            max=d["max"].integer(minimum=1),
            unit=d["unit"].string(),
        )
        d.done()
        if duration.max < duration.min or duration.text not in text:
            raise o["duration"].fail("min <= max and a text quoted from the target text")
    result = Target(
        code=o["code"].code(_DOTTED_CODE_RE),
        text=text,
        value=value,
        unit=unit,
        subject=o["subject"].string(),
        period=period,
        period_basis=basis,
        approx=approx,
        at_least=at_least,
        duration=duration,
        counting=_counting(o["counting"], known),
    )
    o.done()
    return result


def _targets(node: _Node, owner_text: str, owner_path: str, known: _Known) -> tuple[Target, ...]:
    nodes = node.items()
    if not nodes:
        raise node.fail("at least one target")
    return tuple(_target(n, owner_text, owner_path, known) for n in nodes)


def _split_units(node: _Node, text: str) -> tuple[str, ...]:
    units = node.str_tuple(allow_empty=False)
    if units != tuple(_UNIT_SPLIT_RE.split(text)):
        raise node.fail(f"the units of {node.path}_text split at 、 and ， in order")
    return units


def parse_programmes(
    raw: Any,
    *,
    categories: Categories | None = None,
    taxonomy: Taxonomy | None = None,
    file: str = PROGRAMMES_FILE,
) -> Programmes:
    """Validate decoded ``programmes.json``. With ``categories`` and ``taxonomy`` given,
    every code in a ``counting`` hint, ``field_codes`` and ``site_types`` must exist."""
    known = _Known(
        talent_categories=categories.codes("talent_categories") if categories else None,
        modes=categories.codes("modes") if categories else None,
        site_types=categories.codes("site_types") if categories else None,
        institution_types=categories.codes("institution_types") if categories else None,
        fields=taxonomy.codes if taxonomy else None,
    )
    root = _Node(raw, file, "").obj()
    source, as_of, notes = _header(root)

    p = root["plan"].obj()
    plan = Plan(
        doc_number=p["doc_number"].string(),
        issuer=p["issuer"].string(),
        printed_by=p["printed_by"].string(),
        date=p["date"].iso_date(),
        title=p["title"].string(),
        notice_title=p["notice_title"].string(),
        basis=p["basis"].str_tuple(),
        poverty_townships_count=p["poverty_townships_count"].integer(minimum=1),
        poverty_townships_text=p["poverty_townships_text"].string(),
    )
    p.done()

    goal_nodes = root["goals"].items()
    goals: list[Goal] = []
    for i, gn in enumerate(goal_nodes):
        g = gn.obj()
        text = g["text"].string()
        organiser = g["organiser_text"].opt_string()
        if organiser is not None and organiser not in text:
            raise g["organiser_text"].fail("a phrase quoted from the goal's text")
        order = g["order"].integer(minimum=1)
        if order != i + 1:
            raise g["order"].fail(f"{i + 1} (goals are listed in the plan's order)")
        field_codes = g["field_codes"].code_tuple(_DOTTED_CODE_RE)
        _check_known(g["field_codes"], field_codes, known.fields, "taxonomy leaf")
        site_types = g["site_types"].code_tuple()
        _check_known(g["site_types"], site_types, known.site_types, "site type")
        lead_units = g["lead_units"].str_tuple()
        partner_units = g["partner_units"].str_tuple()
        for key, units in (("lead_units", lead_units), ("partner_units", partner_units)):
            for unit in units:
                if unit not in text:
                    raise g[key].fail("units named in the goal's text", unit)
        goals.append(
            Goal(
                code=g["code"].code(),
                order=order,
                text=text,
                organiser_text=organiser,
                lead_units=lead_units,
                partner_units=partner_units,
                organising_systems=g.get("organising_systems", []).str_tuple(),
                fields=g["fields"].str_tuple(),
                field_codes=field_codes,
                site_types=site_types,
                site_types_text=g.get("site_types_text", []).str_tuple(),
                targets=_targets(g["targets"], text, f"{gn.path}.text", known),
                related_measures=tuple(n.integer(minimum=1) for n in g["related_measures"].items()),
            )
        )
        g.done()
    _unique(goal_nodes, [g.code for g in goals], "goal code")

    group_nodes = root["measure_groups"].items()
    groups: dict[str, MeasureGroup] = {}
    for gn in group_nodes:
        g = gn.obj()
        group = MeasureGroup(g["code"].code(), g["label"].string(), g["title"].string())
        g.done()
        if group.code in groups:
            raise g["code"].fail("a unique group code", group.code)
        groups[group.code] = group

    measure_nodes = root["measures"].items()
    measures: list[Measure] = []
    goal_codes = {g.code for g in goals}
    for i, mn in enumerate(measure_nodes):
        m = mn.obj()
        number = m["number"].integer(minimum=1)
        if number != i + 1:
            raise m["number"].fail(f"{i + 1} (measures are numbered 1, 2, ... in order)")
        code = m["code"].code()
        if code != f"measure_{number}":
            raise m["code"].fail(f"measure_{number}")
        group_code = m["group"].code()
        if group_code not in groups:
            raise m["group"].fail("the code of one of measure_groups")
        targets_text = m["targets_text"].string()
        lead_text = m["lead_text"].string()
        responsible_text = m["responsible_text"].string()
        related = m["related_goals"].code_tuple()
        _check_known(m["related_goals"], related, frozenset(goal_codes), "goal")
        measures.append(
            Measure(
                number=number,
                code=code,
                group=groups[group_code],
                main_content=m["main_content"].string(),
                targets_text=targets_text,
                targets=_targets(m["targets"], targets_text, f"{mn.path}.targets_text", known),
                lead_text=lead_text,
                lead_units=_split_units(m["lead_units"], lead_text),
                responsible_text=responsible_text,
                responsible_units=_split_units(m["responsible_units"], responsible_text),
                related_goals=related,
            )
        )
        m.done()

    numbers = {m.number for m in measures}
    for gn, goal in zip(goal_nodes, goals, strict=True):
        for j, n in enumerate(goal.related_measures):
            if n not in numbers:
                raise _Node(n, file, f"{gn.path}.related_measures[{j}]").fail("a measure number")
    all_targets = [t for g in goals for t in g.targets] + [t for m in measures for t in m.targets]
    seen: set[str] = set()
    for t in all_targets:
        if t.code in seen:
            raise ReferenceDataError(file, "targets", t.code, "target codes unique across file")
        seen.add(t.code)
        if t.period_basis.startswith("goal:") and t.period_basis[5:] not in goal_codes:
            raise ReferenceDataError(
                file,
                f"target {t.code}.period_basis",
                t.period_basis,
                "goal:<code of a goal in this file>",
            )

    result = Programmes(
        source=source,
        as_of=as_of,
        notes=notes,
        plan=plan,
        goals=tuple(goals),
        measure_groups=tuple(groups.values()),
        measures=tuple(measures),
    )
    root.done()
    return result


@cache
def load_programmes() -> Programmes:
    return parse_programmes(
        read_data_file(PROGRAMMES_FILE), categories=load_categories(), taxonomy=load_taxonomy()
    )
