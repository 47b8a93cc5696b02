"""The expiry sweep runs before every candidate list, so it must not read every open
need: SQLite answers it from the (status, end_date) index alone."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.usecases import expiry


def test_the_sweep_is_answered_from_the_index(session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN; PostgreSQL's planner chooses by size")
    statement = expiry.due_needs(date(2026, 12, 4)).with_only_columns(
        expiry.Need.id  # the sweep's filter and order, as the planner sees them
    )
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    plan = " ".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "USING COVERING INDEX ix_need_status_end_date" in plan, plan
    assert "SCAN need" not in plan, plan


def test_the_sweep_finds_only_open_needs_past_their_end(session: Session) -> None:
    due = list(session.scalars(expiry.due_needs(date(2100, 1, 1))))
    assert due and all(n.status == "open" for n in due)
    assert [n.id for n in due] == sorted(n.id for n in due)
    assert list(session.scalars(expiry.due_needs(date(1990, 1, 1)))) == []
