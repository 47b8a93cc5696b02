"""Writing valid rows: an upsert keyed by ``external_id`` in chunks, setting only the
attributes of the columns present in the file, counting what was created, updated or
left unchanged. The caller commits (or rolls back a dry run)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import AvailabilityWindow, Need, Site, Talent
from service.usecases.columns import Kind
from service.usecases.imports.progress import bar as progress_bar
from service.usecases.imports.report import ImportResult
from service.usecases.imports.rows import PreparedRow

T = TypeVar("T")

_MODELS: dict[str, Any] = {
    "sites": Site,
    "needs": Need,
    "talents": Talent,
}
_CHUNK = 500


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
            for row in chunk:
                _write(model, existing.get(row.external_id), row, touched, session, result)
            session.flush()
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()


def _write(
    model: Any,
    obj: Site | Need | Talent | None,
    row: PreparedRow,
    touched: set[str],
    session: Session,
    result: ImportResult,
) -> None:
    if obj is None:
        obj = model(external_id=row.external_id, **row.values)
        if isinstance(obj, Talent) and row.windows:
            obj.windows = [AvailabilityWindow(start_date=s, end_date=e) for s, e in row.windows]
        session.add(obj)
        result.created += 1
    elif _update(obj, row, touched):
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
