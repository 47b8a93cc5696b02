"""Bulk import of sites, needs and talents from the spreadsheets people hold.

All or nothing: every row is validated first (the Pydantic ``XCreate`` schemas with the
database's vocabularies as context, plus checks across rows); on any error nothing is
written and the result lists each bad cell (row, column, value, why). When every row is
valid the rows are upserted in one transaction keyed by ``external_id``, so importing
the same file again updates in place and an unchanged file changes nothing.

Headers may be the English key (``external_id``), the Chinese label (``编号``) or both as
the templates and exports write them (``编号(external_id)``). Columns the importer does
not know are errors by default, so that a misspelt optional column (``emial``) is not
silently dropped; ``allow_unknown_columns=True`` turns them into warnings.

Only the columns present in a file are written on update: an export without contact
columns, imported back, leaves the stored phone numbers alone.

The package, one module per step: ``reading`` (the file: size, encoding, CSV/XLSX),
``headers`` (the header row against the column schema of ``service.usecases.columns``),
``cells`` and ``vocabulary`` (one cell's text, codes by any name), ``context`` (what
validation needs from the database), ``rows``, ``entities`` and ``validation`` (each row
checked), ``writing`` (the upsert) and ``report`` (the issues, the counts, the CSV)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service import audit
from service.actor import Actor
from service.usecases.columns import COLUMNS, KINDS, Column, Kind, template_headers
from service.usecases.imports.context import Context
from service.usecases.imports.headers import map_headers, match_header
from service.usecases.imports.reading import Table, UnreadableTable, read_table
from service.usecases.imports.report import (
    REPORT_HEADERS,
    ImportIssue,
    ImportResult,
    Status,
    write_report,
)
from service.usecases.imports.validation import validate_rows
from service.usecases.imports.vocabulary import Vocab, Vocabularies, load_vocabularies
from service.usecases.imports.writing import upsert

__all__ = [
    "COLUMNS",
    "KINDS",
    "REPORT_HEADERS",
    "Column",
    "ImportIssue",
    "ImportResult",
    "Kind",
    "Status",
    "Table",
    "Vocab",
    "Vocabularies",
    "import_file",
    "import_table",
    "load_vocabularies",
    "match_header",
    "template_headers",
    "write_report",
]


def import_file(
    kind: Kind,
    source: bytes | str | Path,
    filename: str | None = None,
    *,
    session: Session,
    max_bytes: int | None = None,
    dry_run: bool = False,
    allow_unknown_columns: bool = False,
    progress: bool = False,
    actor: Actor | None = None,
) -> ImportResult:
    """Read ``source`` (a path, or uploaded bytes with their ``filename``) and import it.
    A file that cannot be read comes back with ``status="unreadable"`` and one error."""
    try:
        table = read_table(source, filename, max_bytes=max_bytes)
    except UnreadableTable as exc:
        result = ImportResult(
            kind=kind,
            status="unreadable",
            dry_run=dry_run,
            errors=[ImportIssue(None, "", "", exc.message, exc.message_zh)],
        )
    else:
        result = import_table(
            kind,
            table,
            session=session,
            dry_run=dry_run,
            allow_unknown_columns=allow_unknown_columns,
            progress=progress,
            actor=actor,
        )
    if result.status != "ok" and not dry_run and actor is not None:
        record_failure(session, actor, result, filename)
    return result


def record_failure(
    session: Session, actor: Actor, result: ImportResult, filename: str | None
) -> None:
    """A failed import made by a person leaves one audit row (nothing else was written),
    so the admins' to-do can list it until an import of that kind succeeds."""
    session.rollback()
    audit.record(
        session=session,
        actor=actor,
        action="import.failed",
        entity=result.kind,
        entity_id=None,
        after={
            "file": filename or "",
            "rows": result.rows,
            "errors": len(result.errors),
            "status": result.status,
        },
    )
    session.commit()


def import_table(
    kind: Kind,
    table: Table,
    *,
    session: Session,
    dry_run: bool = False,
    allow_unknown_columns: bool = False,
    progress: bool = False,
    actor: Actor | None = None,
) -> ImportResult:
    """Validate every row of ``table``; when all are valid upsert them and commit once
    (or roll back when ``dry_run``). Nothing is written when any row is invalid."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    result = ImportResult(kind=kind, rows=len(table.rows), dry_run=dry_run, encoding=table.encoding)
    layout = map_headers(kind, table, result, allow_unknown_columns=allow_unknown_columns)
    if layout is None:
        result.status = "invalid"
        return result
    context = Context.load(session, kind)
    prepared = validate_rows(kind, table, layout, context, result, progress=progress)
    if result.errors:
        result.status = "invalid"
        return result
    touched = {attr for column in layout.values() for attr in column.attrs}
    try:
        upsert(kind, prepared, touched, session, result, progress=progress)
        if dry_run:
            session.rollback()
        else:
            # An import made through the pages names who made it (the CLI's has no actor).
            audit.record(
                session=session,
                actor=actor,
                action="import",
                entity=kind,
                entity_id=None,
                after={
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            session.commit()
            result.committed = True
    except SQLAlchemyError as exc:
        session.rollback()
        result.created = result.updated = result.unchanged = 0
        result.status = "invalid"
        result.errors.append(
            ImportIssue(
                None,
                "",
                "",
                f"the database refused the import, nothing was saved: "
                f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}",
                "数据库拒绝了本次导入，未保存任何数据",
            )
        )
    return result
