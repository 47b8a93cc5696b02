"""Writing valid rows: an upsert keyed by ``external_id`` in chunks, setting only the
attributes of the columns present in the file, counting what was created, updated or
left unchanged. The caller commits (or rolls back a dry run).

New rows go in as one multi-row INSERT per chunk (with their availability windows in a
second), not as ORM objects: building and flushing tens of thousands of objects cost
about twice the time of validating them. Rows that already exist are compared and
updated through the ORM, so only what changed is written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session, selectinload

from models import AvailabilityWindow, Need, Site, Talent
from service.usecases.columns import Kind
from service.usecases.imports.copy_rows import insert_rows
from service.usecases.imports.progress import bar as progress_bar
from service.usecases.imports.report import ImportResult
from service.usecases.imports.rows import PreparedRow

T = TypeVar("T")

_MODELS: dict[str, Any] = {
    "sites": Site,
    "needs": Need,
    "talents": Talent,
}
# Rows per statement batch: large enough that per-statement costs vanish, small
# enough for PostgreSQL's and SQLite's parameter limits on the IN lists.
_CHUNK = 2000
# The table, not the mapped class: nothing needs the new windows' ids back.
_WINDOW_TABLE = cast(Table, AvailabilityWindow.__table__)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert(
    kind: Kind,
    rows: list[PreparedRow],
    touched: set[str],
    session: Session,
    result: ImportResult,
    *,
    progress: bool,
) -> None:
    """Create or update ``rows``; ``touched`` are the attributes the file speaks for."""
    model = _MODELS[kind]
    bar = progress_bar(len(rows), progress, f"writing {kind}")
    try:
        for chunk in _chunks(rows, _CHUNK):
            stmt = select(model).where(model.external_id.in_([r.external_id for r in chunk]))
            if model is Talent:
                stmt = stmt.options(selectinload(Talent.windows))
            existing = {obj.external_id: obj for obj in session.scalars(stmt)}
            fresh = [row for row in chunk if row.external_id not in existing]
            _insert(model, fresh, session)
            result.created += len(fresh)
            for row in chunk:
                obj = existing.get(row.external_id)
                if obj is not None:
                    _write(obj, row, touched, result)
            session.flush()
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()


def _insert(model: Any, rows: Sequence[PreparedRow], session: Session) -> None:
    """One multi-row INSERT for ``rows`` (and one for their windows). The matching
    engine watches flushed objects for changes; rows written this way are announced to it
    through the session's ``rencai_touched`` mark instead (service/engine.py)."""
    if not rows:
        return
    # A plain executemany on the table, then the new ids read back by external_id: asking
    # the INSERT to return them makes SQLAlchemy split it into many small statements.
    params = [{"external_id": row.external_id, **row.values} for row in rows]
    insert_rows(session, model.__table__, params)
    _touched(session)
    if model is not Talent:
        return
    chosen = select(model.external_id, model.id).where(
        model.external_id.in_([row.external_id for row in rows])
    )
    ids: dict[str, int] = {external_id: id_ for external_id, id_ in session.execute(chosen)}
    windows = [
        {"talent_id": ids[row.external_id], "start_date": start, "end_date": end}
        for row in rows
        for start, end in row.windows or ()
    ]
    insert_rows(session, _WINDOW_TABLE, windows)


def _touched(session: Session) -> None:
    session.info["rencai_touched"] = True


def _write(
    obj: Site | Need | Talent, row: PreparedRow, touched: set[str], result: ImportResult
) -> None:
    if _update(obj, row, touched):
        result.updated += 1
    else:
        result.unchanged += 1


def _update(obj: Site | Need | Talent, row: PreparedRow, touched: set[str]) -> bool:
    """Set the attributes the file speaks for; True when anything changed."""
    changed = False
    for attr, value in row.values.items():
        if attr in touched and getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    if isinstance(obj, Talent) and "windows" in touched and row.windows is not None:
        current = sorted((w.start_date, w.end_date) for w in obj.windows)
        if current != row.windows:
            obj.windows = [AvailabilityWindow(start_date=s, end_date=e) for s, e in row.windows]
            changed = True
    return changed
