"""Reference data drawn from the Chuxiong action plan (楚才组〔2020〕4号): the plan's
programmes and targets, the prefecture's counties and townships, the skills taxonomy and
the category lists. See :mod:`seed.reference` for the loaders."""

from seed.reference import (
    Categories,
    Divisions,
    Programmes,
    ReferenceDataError,
    Taxonomy,
    load_categories,
    load_divisions,
    load_programmes,
    load_taxonomy,
)

__all__ = [
    "Categories",
    "Divisions",
    "Programmes",
    "ReferenceDataError",
    "Taxonomy",
    "load_categories",
    "load_divisions",
    "load_programmes",
    "load_taxonomy",
]
