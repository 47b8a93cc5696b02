"""The expiry sweep runs before every candidate list, so it must not read every open
need: the (status, end_date) index answers it, in SQLite and in PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.usecases import expiry


def _plan(session: Session) -> str:
    """The database's plan of the sweep's filter and order."""
    bind = session.get_bind()
    statement = expiry.due_needs(date(2026, 12, 4)).with_only_columns(expiry.Need.id)
    compiled = statement.compile(bind, compile_kwargs={"literal_binds": True})
    if bind.dialect.name == "sqlite":
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        return " ".join(str(row[-1]) for row in rows)
    # PostgreSQL picks a sequential scan for the test's few hundred needs whatever the
    # indexes; with scans discouraged it shows which index can answer the filter.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    return " ".join(str(row[0]) for row in session.execute(text(f"EXPLAIN {compiled}")))


def test_the_sweep_is_answered_from_the_index(session: Session) -> None:
    plan = _plan(session)
    assert "ix_need_status_end_date" in plan, plan
    assert "SCAN need" not in plan and "Seq Scan" not in plan, plan


def test_the_sweep_finds_only_open_needs_past_their_end(session: Session) -> None:
    due = list(session.scalars(expiry.due_needs(date(2100, 1, 1))))
    assert due and all(n.status == "open" for n in due)
    assert [n.id for n in due] == sorted(n.id for n in due)
    assert list(session.scalars(expiry.due_needs(date(1990, 1, 1)))) == []
