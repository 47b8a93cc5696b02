"""The plan's reference data (楚才组〔2020〕4号): programmes and targets, counties and
townships, the skills taxonomy and the category lists.

The data lives in versioned JSON files under ``reference/data/``; this package only reads
and validates them into frozen dataclasses. It imports nothing of the project (no
database, no web framework), so every layer may use it.

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

from reference._parse import ReferenceDataError, read_data_file
from reference.categories import (
    Categories,
    Level,
    ModeInfo,
    Term,
    load_categories,
    parse_categories,
)
from reference.divisions import (
    AttributeSource,
    BBox,
    County,
    Divisions,
    Prefecture,
    Township,
    is_poverty_county,
    load_divisions,
    parse_divisions,
)
from reference.programmes import (
    Counting,
    Duration,
    Goal,
    Measure,
    MeasureGroup,
    Plan,
    Programmes,
    Target,
    load_programmes,
    parse_programmes,
)
from reference.taxonomy import SkillGroup, SkillLeaf, Taxonomy, load_taxonomy, parse_taxonomy

__all__ = [
    "AttributeSource",
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
    "is_poverty_county",
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
