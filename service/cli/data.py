"""`rencai import` and `rencai export`: the spreadsheets people hold, in and out.

Exit codes of ``import``: 0 imported (or a clean dry run), 1 validation errors (nothing
written; the report names each bad cell), 2 the file could not be read at all."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, cast

import typer
from sqlalchemy.exc import SQLAlchemyError

from service.cli.common import fail, load_settings, open_database

if TYPE_CHECKING:
    from service.usecases.exports import ExportKind, Format
    from service.usecases.imports import Kind

# How many problems the terminal shows; the --report file always has all of them.
SHOWN_ISSUES = 200


class ImportKind(StrEnum):
    talents = "talents"
    needs = "needs"
    sites = "sites"


class ExportKindChoice(StrEnum):
    matches = "matches"
    needs = "needs"
    talents = "talents"
    sites = "sites"


class FormatChoice(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def import_(
    kind: ImportKind = typer.Argument(..., help="What the file holds: talents, needs or sites."),
    file: Path = typer.Argument(..., help="A .csv (UTF-8 or GBK) or .xlsx file."),
    report: Path | None = typer.Option(
        None, "--report", help="Also write every problem found to this CSV file."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count, but save nothing."),
    allow_unknown_columns: bool = typer.Option(
        False,
        "--allow-unknown-columns",
        help="Ignore columns the importer does not know (a warning, not an error).",
    ),
) -> None:
    """Import sites, needs or talents from CSV/XLSX: all rows or none.

    Every row is checked first; on any error nothing is written and each bad cell is
    listed (row, column, value, why). Rows are keyed by 编号 (external_id), so a second
    import of the same file updates in place. Templates: seed/templates/."""
    from service.usecases.imports import import_file, write_report

    settings = load_settings()
    try:
        with open_database(settings) as database, database.session() as session:
            result = import_file(
                cast("Kind", kind.value),
                file,
                session=session,
                max_bytes=settings.max_upload_bytes,
                dry_run=dry_run,
                allow_unknown_columns=allow_unknown_columns,
                progress=sys.stderr.isatty(),
            )
    except SQLAlchemyError as exc:
        raise _database_failure(exc) from exc
    issues = [*result.errors, *result.warnings]
    for issue in issues[:SHOWN_ISSUES]:
        colour = typer.colors.RED if issue.severity == "error" else typer.colors.YELLOW
        typer.secho(f"{issue.severity}: {issue.line()}", fg=colour, err=True)
    if len(issues) > SHOWN_ISSUES:
        more = len(issues) - SHOWN_ISSUES
        typer.secho(
            f"… and {more} more (--report FILE lists them all) / 另有 {more} 处未显示", err=True
        )
    if report is not None:
        try:
            report.parent.mkdir(parents=True, exist_ok=True)
            with report.open("w", encoding="utf-8-sig", newline="") as handle:
                write_report(result, handle)
        except OSError as exc:
            raise fail(f"cannot write the report {report}: {exc.strerror or exc}", 2) from exc
        typer.echo(f"report: {report} ({len(issues)} line(s))", err=True)
    if result.encoding and result.encoding not in ("utf-8", "utf-8-sig"):
        typer.echo(f"read as {result.encoding} / 文件编码识别为 {result.encoding}", err=True)
    if result.ok:
        typer.secho(result.summary(), fg=typer.colors.GREEN)
        return
    raise fail(result.summary(), result.exit_code)


def export(
    kind: ExportKindChoice = typer.Argument(..., help="matches, needs, talents or sites."),
    fmt: FormatChoice = typer.Option(FormatChoice.csv, "--format", help="csv or xlsx."),
    out: Path | None = typer.Option(
        None, "--out", help="Output file; CSV goes to standard output when omitted."
    ),
    include_contacts: bool = typer.Option(
        False,
        "--include-contacts",
        help="Also write phone, e-mail and ID numbers (personal information: 个人信息保护法).",
    ),
) -> None:
    """Export data as CSV or XLSX. Needs, talents and sites use the importer's headers,
    so an export imports back unchanged."""
    from service.usecases.exports import export as run_export

    if fmt is FormatChoice.xlsx and out is None:
        raise fail("--format xlsx needs --out FILE.xlsx / 导出 xlsx 需要用 --out 指定文件", 2)
    settings = load_settings()
    export_kind = cast("ExportKind", kind.value)
    try:
        with open_database(settings) as database, database.session() as session:
            if out is None:
                count = run_export(
                    export_kind,
                    sys.stdout,
                    session=session,
                    fmt="csv",
                    include_contacts=include_contacts,
                )
            else:
                count = run_export(
                    export_kind,
                    out,
                    session=session,
                    fmt=cast("Format", fmt.value),
                    include_contacts=include_contacts,
                )
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}", 2) from exc
    except SQLAlchemyError as exc:
        raise _database_failure(exc) from exc
    if out is not None:
        extra = " (with contact details / 含联系方式)" if include_contacts else ""
        typer.echo(f"{count} {kind.value} row(s) written to {out}{extra}", err=True)


def _database_failure(exc: SQLAlchemyError) -> typer.Exit:
    first = str(exc).splitlines()[0][:200]
    return fail(
        f"the database is not ready ({first}); run `rencai db upgrade` and "
        "`rencai seed reference` first / 数据库未就绪，请先运行 rencai db upgrade 和 "
        "rencai seed reference",
        2,
    )
