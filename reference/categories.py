"""``categories.json``: talent categories, site and institution types, title and degree
levels, licences, languages and service modes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, cast

from reference._parse import (
    CATEGORIES_FILE,
    _header,
    _Node,
    _unique,
    read_data_file,
)


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
