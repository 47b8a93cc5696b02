"""Names of talent categories for the sentences of :mod:`matching.constraints`.

The library stays usable on its own: the names come from the project's reference data
(``reference/data/categories.json``) when it is importable, and a category without a
name there is shown by its code.
"""

from __future__ import annotations

from functools import cache


@cache
def _names() -> dict[str, tuple[str, str]]:
    try:
        from reference.categories import load_categories
    except ImportError:  # pragma: no cover - the library used without the project
        return {}
    return {t.code: (t.zh, t.en) for t in load_categories().talent_categories}


def category_zh(code: str) -> str:
    return _names().get(code, (code, code))[0]


def category_en(code: str) -> str:
    return _names().get(code, (code, code))[1]
