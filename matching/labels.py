"""Names of talent categories for the sentences of :mod:`matching.constraints`.

The library imports nothing of the project: the application registers the names it
knows (from its reference data) with :func:`register_category_names`; a category
without a registered name is shown by its code."""

from __future__ import annotations

from collections.abc import Mapping

_NAMES: dict[str, tuple[str, str]] = {}


def register_category_names(names: Mapping[str, tuple[str, str]]) -> None:
    """``names`` maps a category code to its (zh, en) names."""
    _NAMES.update(names)


def category_zh(code: str) -> str:
    return _NAMES.get(code, (code, code))[0]


def category_en(code: str) -> str:
    return _NAMES.get(code, (code, code))[1]
