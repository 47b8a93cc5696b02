"""`rencai db upgrade|downgrade|current`."""

from __future__ import annotations

import typer

from service.cli.common import load_settings

app = typer.Typer(help="Database migrations (Alembic).", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    from models.migrate import upgrade as run_upgrade

    settings = load_settings()
    run_upgrade(settings.resolved_database_url, revision)
    typer.echo(f"database at {revision}: {settings.resolved_database_url}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, or `base`.")) -> None:
    """Migrate the database down to REVISION."""
    from models.migrate import downgrade as run_downgrade

    settings = load_settings()
    run_downgrade(settings.resolved_database_url, revision)
    typer.echo(f"database at {revision}")
