"""Finding needs: keyword search over Chinese (and English) text and the filters the needs
list, the talents' browse page and ``GET /api/v1/needs`` share.

Keyword search is a LIKE over normalised text, no index: the query is NFKC-normalised
(full-width letters and digits become half-width), lower-cased and split on spaces and
Chinese or Western punctuation into at most ``MAX_TERMS`` terms. A need matches when
every term occurs in its title, its description, its site's name, or the Chinese or
English name of one of its skills (so “儿科” finds a need asking for the paediatrics
skill even when its text never says the word). Chinese needs no word splitting for this:
a term is a substring. The scan is linear in the needs the actor may see, which is a few
thousand per county; the benchmark (``benchmarks/bench_pages.py``) times it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, false, func, or_, select
from sqlalchemy.orm import Session

from models import County, Need, Programme, Site, Township
from models.schemas.page import Page
from service import policy
from service.actor import Actor
from service.usecases.reference import labels

MAX_TERMS = 8
_SPLIT = re.compile(r"[\s,，、;；。.·:：/|()（）\[\]【】\"'“”‘’!！?？]+")


@dataclass(frozen=True)
class NeedQuery:
    """What a person (or an API client) asks of the needs list; every field optional."""

    q: str | None = None
    county: str | None = None
    township: int | None = None
    status: str | None = None
    programme: str | None = None
    mode: str | None = None
    site_id: int | None = None
    starts_after: date | None = None
    ends_before: date | None = None
    # Only these needs (a talent's "fits me" filter); None for no restriction.
    only_ids: frozenset[int] | None = None


@dataclass(frozen=True)
class NeedCard:
    """One line of the needs list: the need with the site, county and township names."""

    id: int
    title: str
    status: str
    mode: str
    start_date: date
    end_date: date
    headcount: int
    skills: list[str]
    programme_code: str | None
    site_name: str
    county_name: str
    county_name_en: str
    township_name: str | None
    fits: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def search_terms(q: str | None) -> list[str]:
    """The normalised terms of a keyword query, at most ``MAX_TERMS``."""
    if not q:
        return []
    text = unicodedata.normalize("NFKC", q).lower()
    return [t for t in _SPLIT.split(text) if t][:MAX_TERMS]


def _skills_named(term: str) -> list[str]:
    return [
        code
        for code, (zh, en) in labels()["skill"].items()
        if term in zh.lower() or term in en.lower() or term == code
    ]


def _term_clause(term: str) -> ColumnElement[bool]:
    options: list[ColumnElement[bool]] = [
        func.lower(Need.title).contains(term, autoescape=True),
        func.lower(Need.description).contains(term, autoescape=True),
        func.lower(Site.name).contains(term, autoescape=True),
    ]
    skills_text = cast(Need.skills, String)
    options += [skills_text.contains(f'"{code}"') for code in _skills_named(term)]
    return or_(*options)


_COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("county", Site.county_code, "eq"),
    ("township", Site.township_id, "eq"),
    ("status", Need.status, "eq"),
    ("programme", Need.programme_code, "eq"),
    ("mode", Need.mode, "eq"),
    ("site_id", Need.site_id, "eq"),
    ("starts_after", Need.start_date, "ge"),
    ("ends_before", Need.end_date, "le"),
)


def _field_clauses(query: NeedQuery) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    for name, column, op in _COLUMNS:
        value = getattr(query, name)
        if value is None or value == "":
            continue
        out.append(
            column == value if op == "eq" else column >= value if op == "ge" else column <= value
        )
    return out


def apply(stmt: Select[Any], query: NeedQuery) -> Select[Any]:
    """``stmt`` (over Need joined to Site) narrowed to what ``query`` asks for."""
    clauses = _field_clauses(query) + [_term_clause(t) for t in search_terms(query.q)]
    if query.only_ids is not None:
        clauses.append(Need.id.in_(sorted(query.only_ids)) if query.only_ids else false())
    return stmt.where(and_(*clauses)) if clauses else stmt


def browse(
    *, session: Session, actor: Actor, query: NeedQuery, offset: int = 0, limit: int = 20
) -> Page[NeedCard]:
    """A page of needs the actor may see, newest first, with their site and place names."""
    base = policy.visible_needs(actor, select(Need).join(Site, Need.site_id == Site.id))
    stmt = apply(base, query)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(
        stmt.with_only_columns(Need, Site.name, County.name, County.name_en, Township.name)
        .join(County, County.code == Site.county_code)
        .outerjoin(Township, Township.id == Site.township_id)
        .order_by(Need.id.desc())
        .offset(offset)
        .limit(limit)
    )
    items = [
        NeedCard(
            id=need.id,
            title=need.title,
            status=need.status,
            mode=need.mode,
            start_date=need.start_date,
            end_date=need.end_date,
            headcount=need.headcount,
            skills=list(need.skills),
            programme_code=need.programme_code,
            site_name=site_name,
            county_name=county_name,
            county_name_en=county_en,
            township_name=township_name,
            fits=None if query.only_ids is None else need.id in query.only_ids,
        )
        for need, site_name, county_name, county_en, township_name in rows
    ]
    return Page(items=items, total=total, offset=offset, limit=limit)


def page_numbers(total: int, offset: int, limit: int, around: int = 2) -> list[int | None]:
    """Page numbers (1-based) to show: the first, the last and ``around`` either side of
    the current one; None marks a gap of two pages or more (shown as “…”)."""
    pages = max(1, -(-total // limit))
    current = offset // limit + 1
    wanted = {1, pages, *range(current - around, current + around + 1)}
    shown = sorted(p for p in wanted if 1 <= p <= pages)
    out: list[int | None] = []
    last = 0
    for p in shown:
        if p - last == 2:
            out.append(p - 1)  # a gap of one page shows the page, not "…"
        elif p - last > 2:
            out.append(None)
        out.append(p)
        last = p
    return out


@dataclass(frozen=True)
class Places:
    counties: list[County]
    townships: list[Township]


def places(*, session: Session, actor: Actor) -> Places:
    """The counties and townships the needs list offers as filters: a county
    coordinator's own county, a site's own county, anyone else's whole prefecture."""
    stmt = select(County).order_by(County.code)
    if policy.has_fixed_county(actor):
        stmt = stmt.where(County.code == actor.jurisdiction)
    counties = list(session.scalars(stmt))
    codes = [c.code for c in counties]
    townships = list(
        session.scalars(
            select(Township)
            .where(Township.county_code.in_(codes))
            .order_by(Township.county_code, Township.name)
        )
    )
    return Places(counties=counties, townships=townships)


def programme_choices(*, session: Session) -> list[Any]:
    """The programme lines offered as a filter: code and title only (rows with ``.code``
    and ``.title``), in the plan's order."""
    return list(
        session.execute(
            select(Programme.code, Programme.title).order_by(Programme.sort_order, Programme.id)
        )
    )
