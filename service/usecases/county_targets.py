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


_FIELD_ZH = {"target": "目标", "county_code": "县市", "year": "年度", "value": "数值"}


def _zh(f: FieldError) -> str:
    """One refused cell in Chinese words: 第 1 项的数值填写有误（-3）."""
    found = re.match(r"items\[(\d+)\]\.(\w+)$", f.field)
    if found is None:
        return f"{_FIELD_ZH.get(f.field, '一项内容')}填写有误（{f.value}）"
    number, name = int(found[1]) + 1, found[2]
    return f"第 {number} 项的{_FIELD_ZH.get(name, '内容')}填写有误（{f.value}）"


def _invalid(fields: list[FieldError]) -> AppError:
    listed = "; ".join(f"{f.field}: {f.message} (found {f.value!r})" for f in fields)
    return AppError(
        422,
        "validation_error",
        f"county targets not saved: {listed}",
        "县市目标未保存：" + "；".join(_zh(f) for f in fields),
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
        raise _invalid(errors)
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
