"""Reference vocabularies the service validates against: counties and programmes from the
database, skills, categories and site types from the plan's reference data."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import County, Programme


@lru_cache(maxsize=1)
def _static_vocab() -> dict[str, frozenset[str]]:
    import reference

    taxonomy = reference.load_taxonomy()
    categories = reference.load_categories()
    return {
        "skill_codes": frozenset(leaf.code for g in taxonomy.groups for leaf in g.leaves),
        "talent_categories": frozenset(t.code for t in categories.talent_categories),
        "site_types": frozenset(t.code for t in categories.site_types),
    }


def validation_context(session: Session) -> dict[str, Any]:
    """The context the Pydantic schemas check known values against."""
    return {
        **_static_vocab(),
        "county_codes": frozenset(session.scalars(select(County.code))),
        "programme_codes": frozenset(session.scalars(select(Programme.code))),
    }


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, tuple[str, str]]]:
    """Display names (zh, en) by vocabulary and code, for pages and exports: the gettext
    catalogues' ``label.<kind>.<code>`` (tools/i18n_reference_labels.py writes them from the
    reference data, translators may edit them), else the reference data's own names.
    Counties and townships are proper names: the reference data's Chinese name and pinyin."""
    import reference

    taxonomy = reference.load_taxonomy()
    categories = reference.load_categories()
    divisions = reference.load_divisions()
    raw: dict[str, dict[str, tuple[str, str]]] = {
        "skill": {leaf.code: (leaf.zh, leaf.en) for g in taxonomy.groups for leaf in g.leaves},
        "skill_group": {g.code: (g.zh, g.en) for g in taxonomy.groups},
        "category": {t.code: (t.zh, t.en) for t in categories.talent_categories},
        "site_type": {t.code: (t.zh, t.en) for t in categories.site_types},
        "institution_type": {t.code: (t.zh, t.en) for t in categories.institution_types},
        "mode": {m.code: (m.zh, m.en) for m in categories.modes},
        "title": {str(lv.level): (lv.zh, lv.en) for lv in categories.title_levels},
        "degree": {str(lv.level): (lv.zh, lv.en) for lv in categories.degree_levels},
        "licence": {t.code: (t.zh, t.en) for t in categories.licences},
        "language": {t.code: (t.zh, t.en) for t in categories.languages},
    }
    out = {kind: _catalogued(kind, names) for kind, names in raw.items()}
    out["county"] = {c.code: (c.name, c.en) for c in divisions.counties}
    for county in divisions.counties:
        if county.former_code:
            out["county"][county.former_code] = (county.former_name or county.name, county.en)
    out["township"] = {t.code: (t.name, t.en) for t in divisions.townships()}
    return out


def _catalogued(kind: str, names: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    from service.i18n import has_message, translate

    def word(code: str, index: int, locale: str) -> str:
        key = f"label.{kind}.{code}"
        return translate(key, locale) if has_message(key, locale) else names[code][index]

    return {code: (word(code, 0, "zh-CN"), word(code, 1, "en")) for code in names}
