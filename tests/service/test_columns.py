"""The column schema shared by the importer and the exports agrees with the tables it
writes, and every header the templates and the exports write reads back as its own
column."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON

from models import Need, Site, Talent
from service.usecases.columns import COLUMNS, KINDS, Column, export_columns
from service.usecases.imports import match_header

TEMPLATES = Path(__file__).resolve().parents[2] / "seed" / "templates"
MODELS: dict[str, Any] = {"sites": Site, "needs": Need, "talents": Talent}
PYTHON_TYPES: dict[str, type] = {
    "text": str,
    "code": str,
    "number": float,
    "integer": int,
    "level": int,
    "boolean": bool,
    "date": date,
}


def _cases() -> list[tuple[str, Column]]:
    return [(kind, column) for kind in KINDS for column in COLUMNS[kind]]


@pytest.mark.parametrize(("kind", "column"), _cases(), ids=lambda v: getattr(v, "key", v))
def test_a_column_writes_attributes_its_table_has(kind: str, column: Column) -> None:
    missing = [attr for attr in column.attrs if not hasattr(MODELS[kind], attr)]
    assert not missing, f"{kind}.{column.key} writes {missing}, which {kind} does not have"


@pytest.mark.parametrize(("kind", "column"), _cases(), ids=lambda v: getattr(v, "key", v))
def test_a_column_type_agrees_with_the_table_column_it_names(kind: str, column: Column) -> None:
    table_column = MODELS[kind].__table__.columns.get(column.key)
    if table_column is None:
        assert column.key not in {c.name for c in MODELS[kind].__table__.columns}
        return
    if column.type == "codes":
        assert isinstance(table_column.type, JSON), f"{kind}.{column.key} is not a list"
    else:
        assert table_column.type.python_type is PYTHON_TYPES[column.type], (
            f"{kind}.{column.key} is declared {column.type} but stored as "
            f"{table_column.type.python_type.__name__}"
        )


@pytest.mark.parametrize("kind", KINDS)
def test_every_exported_header_reads_back_as_its_own_column(kind: str) -> None:
    columns = COLUMNS[kind]
    for column in export_columns(kind, include_contacts=True):
        for spelling in (column.header, column.key, column.zh):
            assert match_header(spelling, columns) is column, (kind, spelling)


@pytest.mark.parametrize("kind", KINDS)
def test_contacts_are_exported_only_on_request(kind: str) -> None:
    plain = export_columns(kind, include_contacts=False)
    full = export_columns(kind, include_contacts=True)
    assert not any(c.contact for c in plain)
    assert [c for c in full if not c.contact] == plain
    assert all(c.exported for c in full)


@pytest.mark.parametrize("kind", KINDS)
def test_templates_use_the_schema_headers_in_schema_order(kind: str) -> None:
    with (TEMPLATES / f"{kind}.csv").open(encoding="utf-8-sig", newline="") as handle:
        headers = next(csv.reader(handle))
    schema = [c.header for c in COLUMNS[kind]]
    assert set(headers) <= set(schema), set(headers) - set(schema)
    assert headers == [h for h in schema if h in headers]
