"""Writes the reference data (plan programmes and targets, counties and townships) into
the database. Idempotent: a second load changes nothing and duplicates nothing."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import reference
from models import County, Programme, Target, Township
from models.enums import ProgrammeKind

DEFAULT_YEARS: tuple[int, ...] = (2020, 2021, 2022, 2023, 2024, 2025, 2026)


@dataclass(frozen=True)
class ReferenceLoadResult:
    counties: int
    townships: int
    programmes: int
    targets: int


def _title(text: str, limit: int = 60) -> str:
    """The first clause of a plan sentence, short enough for a heading."""
    for stop in ("。", "；"):
        if stop in text:
            text = text.split(stop, 1)[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _target_rows(targets: Sequence[reference.Target], years: Sequence[int]) -> list[dict[str, Any]]:
    rows = []
    for seq, target in enumerate(targets, start=1):
        base = {
            "seq": seq,
            "key": target.key,
            "same_as": target.same_as,
            "rolls_up": list(target.rolls_up),
            "text": target.text,
            "value": float(target.value) if target.value is not None else None,
            "unit": target.unit,
            "period": target.period,
            "approx": target.approx,
            "at_least": target.at_least,
            # Through JSON, so tuples compare equal to the lists the database hands back.
            "counting": json.loads(json.dumps(dataclasses.asdict(target.counting)))
            if target.counting
            else None,
        }
        for year in years if target.period == "yearly" else (None,):
            rows.append({**base, "year": year})
    return rows


def _programme_rows(programmes: reference.Programmes) -> list[tuple[dict[str, Any], list[Any]]]:
    out: list[tuple[dict[str, Any], list[Any]]] = []
    for goal in programmes.goals:
        out.append(
            (
                {
                    "code": goal.code,
                    "kind": ProgrammeKind.GOAL.value,
                    "number": None,
                    "group_title": "行动目标",
                    "title": goal.targets[0].text if goal.targets else _title(goal.text),
                    "content": goal.text,
                    "lead_units": list(goal.lead_units),
                    "responsible_units": list(goal.partner_units),
                    "fields": list(goal.fields),
                    "sort_order": goal.order,
                },
                list(goal.targets),
            )
        )
    for measure in programmes.measures:
        out.append(
            (
                {
                    "code": measure.code,
                    "kind": ProgrammeKind.MEASURE.value,
                    "number": measure.number,
                    "group_title": f"{measure.group.label}{measure.group.title}",
                    "title": _title(measure.main_content),
                    "content": measure.main_content,
                    "lead_units": list(measure.lead_units),
                    "responsible_units": list(measure.responsible_units),
                    "fields": [],
                    "sort_order": 100 + measure.number,
                },
                list(measure.targets),
            )
        )
    return out


def _target_key(row: dict[str, Any]) -> tuple[int, int]:
    return (row["seq"], row["year"] or 0)


def load_reference(
    *, session: Session, years: Sequence[int] = DEFAULT_YEARS
) -> ReferenceLoadResult:
    """Upsert counties, townships, programmes and targets. The caller commits."""
    divisions = reference.load_divisions()
    counties = {c.code: c for c in session.scalars(select(County))}
    for county in divisions.counties:
        values = {
            "name": county.name,
            "name_en": county.en,
            "former_name": county.former_name,
            "lat": county.lat,
            "lon": county.lon,
            "altitude_m": float(county.altitude_m),
            "poverty_county": county.poverty_county,
        }
        row = counties.get(county.code)
        if row is None:
            session.add(County(code=county.code, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
    session.flush()

    townships = {(t.county_code, t.name): t for t in session.scalars(select(Township))}
    n_townships = 0
    for county in divisions.counties:
        for town in county.townships:
            n_townships += 1
            values = {
                "lat": town.lat,
                "lon": town.lon,
                "altitude_m": float(town.altitude_m),
                "poverty_township": town.poverty_township,
            }
            existing = townships.get((county.code, town.name))
            if existing is None:
                session.add(Township(county_code=county.code, name=town.name, **values))
            else:
                for key, value in values.items():
                    setattr(existing, key, value)

    existing_programmes = {
        p.code: p
        for p in session.scalars(select(Programme).options(selectinload(Programme.targets)))
    }
    n_targets = 0
    rows = _programme_rows(reference.load_programmes())
    for values, targets in rows:
        target_rows = _target_rows(targets, years)
        n_targets += len(target_rows)
        programme = existing_programmes.get(str(values["code"]))
        if programme is None:
            programme = Programme(**values)
            session.add(programme)
        else:
            for key, value in values.items():
                setattr(programme, key, value)
        columns = tuple(target_rows[0]) if target_rows else ()
        current = [{c: getattr(t, c) for c in columns} for t in programme.targets]
        if sorted(current, key=_target_key) != sorted(target_rows, key=_target_key):
            programme.targets.clear()
            session.flush()
            programme.targets.extend(Target(**row) for row in target_rows)
    session.flush()
    return ReferenceLoadResult(
        counties=len(divisions.counties),
        townships=n_townships,
        programmes=len(rows),
        targets=n_targets,
    )
