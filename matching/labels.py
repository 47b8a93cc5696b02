"""Names of codes for the sentences of :mod:`matching.constraints` and :mod:`matching.features`.

The library imports nothing of the project: the application registers the names it
knows (from its catalogues and reference data) with :func:`register_names` (kinds
``category``, ``mode``, ``title``, ``degree``, ``licence``, ``language``, ``county``); a code
without a registered name is shown as it is."""

from __future__ import annotations

from collections.abc import Mapping

_NAMES: dict[str, dict[str, tuple[str, str]]] = {}


def register_names(kind: str, names: Mapping[str, tuple[str, str]]) -> None:
    """``names`` maps a code of ``kind`` to its (zh, en) names."""
    _NAMES.setdefault(kind, {}).update({str(k): v for k, v in names.items()})


def register_category_names(names: Mapping[str, tuple[str, str]]) -> None:
    """``names`` maps a category code to its (zh, en) names."""
    register_names("category", names)


def name_zh(kind: str, code: object) -> str:
    return _NAMES.get(kind, {}).get(str(code), (str(code), str(code)))[0]


def name_en(kind: str, code: object) -> str:
    return _NAMES.get(kind, {}).get(str(code), (str(code), str(code)))[1]


def category_zh(code: str) -> str:
    return name_zh("category", code)


def category_en(code: str) -> str:
    return name_en("category", code)
