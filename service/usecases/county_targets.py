"""任务分解: each county's share of each target of the plan, per year.

The prefecture coordinator (a coordinator without a county) and admins set them; a
county coordinator reads only their own county's. Every write is validated whole before
anything is written (unknown key, year outside the plan's years, unknown county,
negative value → 422 naming the field) and audited."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import County, CountyTarget
from service import audit, policy
from service.actor import Actor
from service.errors import AppError, FieldError
from service.usecases.progress import plan_keys


@dataclass(frozen=True)
class CountyTargetItem:
    """One cell of the grid: ``value`` is None where no share is set."""

    target: str
    county_code: str
    year: int
    value: int | None


@dataclass(frozen=True)
class GridRow:
    key: str
    text: str
    unit: str | None
    plan_value: int | None
    values: dict[str, int]


def require_setter(actor: Actor) -> None:
    """Only the prefecture (coordinators without a county) and admins set shares."""
    policy.require_coordinator(actor)
    if policy.has_fixed_county(actor):
        raise AppError(
            403,
            "forbidden",
            "only the prefecture coordinator sets county targets",
            "县市目标由州级协调员分解下达，县市协调员不能修改",
        )


def target_words(key: str, fallback: str) -> tuple[str, str]:
    """A target of the plan by name (zh, en): the plan's own Chinese words and the
    catalogue's ``target.<key>`` in English where it has one; ``fallback`` for an
    unknown key (a person's typing, shown back to them)."""
    from service.i18n import has_message, translate

    target = plan_keys().get(key)
    zh = target.text if target is not None else fallback
    en_key = f"target.{key}"
    return zh, translate(en_key, "en") if has_message(en_key, "en") else zh


_FIELD_WORDS = {
    "target": ("目标", "target"),
    "county_code": ("县市", "county"),
    "year": ("年度", "year"),
    "value": ("数值", "figure"),
}


def _cell(item: CountyTargetItem) -> tuple[str, str]:
    """A cell of the grid in words: 双柏县 · 选派技术人员."""
    from service.places import county_words

    county = county_words(item.county_code)
    target = target_words(item.target, item.target)
    return f"{county[0]} · {target[0]}", f"{county[1]} · {target[1]}"


def _words(f: FieldError, items: Sequence[CountyTargetItem]) -> tuple[str, str]:
    """One refused value in words (zh, en): 双柏县 · 选派技术人员的数值填写有误（-3）."""
    found = re.match(r"items\[(\d+)\]\.(\w+)$", f.field)
    name = _FIELD_WORDS.get(found[2] if found else f.field, ("内容", "value"))
    if found is None or int(found[1]) >= len(items):
        return f"{name[0]}填写有误（{f.value}）", f"the {name[1]} is wrong ({f.value})"
    zh, en = _cell(items[int(found[1])])
    return f"{zh}的{name[0]}填写有误（{f.value}）", f"{en}: the {name[1]} is wrong ({f.value})"


def _invalid(fields: list[FieldError], items: Sequence[CountyTargetItem] = ()) -> AppError:
    said = [_words(f, items) for f in fields]
    return AppError(
        422,
        "validation_error",
        "county targets not saved: " + "; ".join(en for _, en in said),
        "县市目标未保存：" + "；".join(zh for zh, _ in said),
        fields,
    )


def check_year(year: int, years: Sequence[int], field: str = "year") -> None:
    if year not in years:
        raise _invalid([FieldError(field, f"one of the plan's years {list(years)}", year)])


def validate(
    session: Session, items: Sequence[CountyTargetItem], years: Sequence[int]
) -> list[FieldError]:
    keys = plan_keys()
    counties = set(session.scalars(select(County.code)))
    errors: list[FieldError] = []
    for i, item in enumerate(items):
        where = f"items[{i}]"
        if item.target not in keys:
            errors.append(
                FieldError(f"{where}.target", "the key of a target of the plan", item.target)
            )
        if item.county_code not in counties:
            errors.append(FieldError(f"{where}.county_code", "a county code", item.county_code))
        if item.year not in years:
            errors.append(
                FieldError(f"{where}.year", f"one of the plan's years {list(years)}", item.year)
            )
        if item.value is None or item.value < 0:
            errors.append(FieldError(f"{where}.value", "a whole number >= 0", item.value))
    return errors


def set_many(
    *, session: Session, actor: Actor, items: Sequence[CountyTargetItem], years: Sequence[int]
) -> int:
    """Write every item or none; returns how many cells changed."""
    require_setter(actor)
    errors = validate(session, items, years)
    if errors:
        raise _invalid(errors, items)
    existing = {
        (row.target_key, row.county_code, row.year): row
        for row in session.scalars(
            select(CountyTarget).where(CountyTarget.year.in_({i.year for i in items}))
        )
    }
    changed = 0
    for item in items:
        assert item.value is not None
        row = existing.get((item.target, item.county_code, item.year))
        before = None if row is None else {"value": row.value}
        if row is None:
            row = CountyTarget(
                target_key=item.target, county_code=item.county_code, year=item.year, value=0
            )
            session.add(row)
            existing[(item.target, item.county_code, item.year)] = row
        elif row.value == item.value:
            continue
        row.value = item.value
        row.updated_by = actor.id
        session.flush()
        audit.record(
            session=session,
            actor=actor,
            action="set",
            entity="county_target",
            entity_id=row.id,
            before=before,
            after={
                "target": item.target,
                "county_code": item.county_code,
                "year": item.year,
                "value": item.value,
            },
        )
        changed += 1
    try:
        session.commit()
    except IntegrityError as exc:  # a concurrent save created the same cell first
        session.rollback()
        raise AppError(
            409,
            "conflict",
            "someone saved these county targets at the same time; reload and try again",
            "他人同时保存了县市目标，请刷新后重试",
        ) from exc
    return changed


def list_(
    *, session: Session, actor: Actor, year: int, county: str | None, years: Sequence[int]
) -> list[CountyTargetItem]:
    """The shares set for ``year``: a county coordinator's own county only."""
    policy.require_coordinator(actor)
    check_year(year, years)
    county = policy.progress_county(actor, county)
    stmt = select(CountyTarget).where(CountyTarget.year == year)
    if county:
        stmt = stmt.where(CountyTarget.county_code == county)
    return [
        CountyTargetItem(r.target_key, r.county_code, r.year, r.value)
        for r in session.scalars(stmt.order_by(CountyTarget.target_key, CountyTarget.county_code))
    ]


def grid(
    *, session: Session, actor: Actor, year: int, county: str | None, years: Sequence[int]
) -> tuple[list[str], list[GridRow]]:
    """Targets × counties for ``year``: the county codes shown and one row per target."""
    cells = list_(session=session, actor=actor, year=year, county=county, years=years)
    scope = policy.progress_county(actor, county)
    counties = [
        c for c in session.scalars(select(County.code).order_by(County.code)) if scope in (None, c)
    ]
    by_key: dict[str, dict[str, int]] = {}
    for cell in cells:
        assert cell.value is not None
        by_key.setdefault(cell.target, {})[cell.county_code] = cell.value
    rows = [
        GridRow(key, t.text, t.unit, t.value, by_key.get(key, {})) for key, t in plan_keys().items()
    ]
    return counties, rows
