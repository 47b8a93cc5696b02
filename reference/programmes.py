"""``programmes.json``: the plan's meta, its yearly goals (行动目标) and the measures of its
task table (任务分解表) with structured targets.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, cast

from reference._parse import (
    _CODE_RE,
    _DOTTED_CODE_RE,
    _UNIT_SPLIT_RE,
    COUNT_KINDS,
    PERIODS,
    PROGRAMMES_FILE,
    CountKind,
    Period,
    ReferenceDataError,
    _header,
    _Node,
    _unique,
    read_data_file,
)
from reference.categories import Categories, load_categories
from reference.taxonomy import Taxonomy, load_taxonomy


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
    figure is a yearly goal) or ``"none"``. ``code`` is the target's stable ``key``.
    ``same_as`` names the target this row states again (a measure detailing a goal: one
    target, counted once under the key it names); ``rolls_up`` lists the keys an umbrella
    line (万名专家服务基层) sums up besides its own."""

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
    same_as: str | None = None
    rolls_up: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.code

    @property
    def counted_key(self) -> str:
        """The key this row counts under: its own, or the one it states again."""
        return self.same_as or self.code


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

    def target(self, key: str) -> Target:
        for _, t in self.targets():
            if t.code == key:
                return t
        raise KeyError(f"no target with key {key!r}")

    def umbrellas_of(self, key: str) -> tuple[str, ...]:
        """The keys of the umbrella targets that roll up ``key``."""
        return tuple(t.code for _, t in self.targets() if key in t.rolls_up)


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
        same_as=o.get("same_as").opt_string(),
        rolls_up=o.get("rolls_up", []).code_tuple(_DOTTED_CODE_RE),
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


def _plan(node: _Node) -> Plan:
    p = node.obj()
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
    return plan


def _goal(gn: _Node, i: int, known: _Known) -> Goal:
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
    goal = Goal(
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
    g.done()
    return goal


def _measure_groups(node: _Node) -> dict[str, MeasureGroup]:
    groups: dict[str, MeasureGroup] = {}
    for gn in node.items():
        g = gn.obj()
        group = MeasureGroup(g["code"].code(), g["label"].string(), g["title"].string())
        g.done()
        if group.code in groups:
            raise g["code"].fail("a unique group code", group.code)
        groups[group.code] = group
    return groups


def _measure(
    mn: _Node, i: int, groups: dict[str, MeasureGroup], goal_codes: frozenset[str], known: _Known
) -> Measure:
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
    _check_known(m["related_goals"], related, goal_codes, "goal")
    measure = Measure(
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
    m.done()
    return measure


def _check_related_measures(
    goal_nodes: list[_Node], goals: list[Goal], measures: list[Measure], file: str
) -> None:
    numbers = {m.number for m in measures}
    for gn, goal in zip(goal_nodes, goals, strict=True):
        for j, n in enumerate(goal.related_measures):
            if n not in numbers:
                raise _Node(n, file, f"{gn.path}.related_measures[{j}]").fail("a measure number")


def _check_target_codes(
    goals: list[Goal], measures: list[Measure], goal_codes: frozenset[str], file: str
) -> None:
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


def _check_links(goals: list[Goal], measures: list[Measure], file: str) -> None:
    """``same_as`` names another target with the same value and unit that is itself no
    duplicate; ``rolls_up`` names other targets that are neither umbrellas nor duplicates."""
    targets = {t.code: t for g in goals for t in g.targets} | {
        t.code: t for m in measures for t in m.targets
    }
    for t in targets.values():
        if t.same_as is not None:
            other = targets.get(t.same_as)
            path = f"target {t.code}.same_as"
            if other is None or other.code == t.code or other.same_as is not None:
                raise ReferenceDataError(file, path, t.same_as, "the key of another target")
            if (other.value, other.unit) != (t.value, t.unit):
                raise ReferenceDataError(
                    file,
                    path,
                    t.same_as,
                    f"a target stating the same figure {t.value}{t.unit or ''} "
                    f"(it states {other.value}{other.unit or ''})",
                )
            if t.rolls_up:
                raise ReferenceDataError(
                    file, f"target {t.code}.rolls_up", list(t.rolls_up), "[] on a same_as row"
                )
        for key in t.rolls_up:
            other = targets.get(key)
            if other is None or key == t.code or other.same_as is not None or other.rolls_up:
                raise ReferenceDataError(
                    file,
                    f"target {t.code}.rolls_up",
                    key,
                    "the key of another target that is no duplicate and no umbrella",
                )


def _known(categories: Categories | None, taxonomy: Taxonomy | None) -> _Known:
    if categories is None:
        return _Known(None, None, None, None, taxonomy.codes if taxonomy else None)
    return _Known(
        talent_categories=categories.codes("talent_categories"),
        modes=categories.codes("modes"),
        site_types=categories.codes("site_types"),
        institution_types=categories.codes("institution_types"),
        fields=taxonomy.codes if taxonomy else None,
    )


def parse_programmes(
    raw: Any,
    *,
    categories: Categories | None = None,
    taxonomy: Taxonomy | None = None,
    file: str = PROGRAMMES_FILE,
) -> Programmes:
    """Validate decoded ``programmes.json``. With ``categories`` and ``taxonomy`` given,
    every code in a ``counting`` hint, ``field_codes`` and ``site_types`` must exist."""
    known = _known(categories, taxonomy)
    root = _Node(raw, file, "").obj()
    source, as_of, notes = _header(root)
    plan = _plan(root["plan"])

    goal_nodes = root["goals"].items()
    goals = [_goal(gn, i, known) for i, gn in enumerate(goal_nodes)]
    _unique(goal_nodes, [g.code for g in goals], "goal code")

    groups = _measure_groups(root["measure_groups"])
    goal_codes = frozenset(g.code for g in goals)
    measures = [
        _measure(mn, i, groups, goal_codes, known) for i, mn in enumerate(root["measures"].items())
    ]
    _check_related_measures(goal_nodes, goals, measures, file)
    _check_target_codes(goals, measures, goal_codes, file)
    _check_links(goals, measures, file)

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
