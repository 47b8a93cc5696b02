"""What every command shares: settings, the database, friendly failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from service.db import Database
from service.settings import Settings


def load_settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic's ValidationError, shown without a traceback
        typer.secho(f"设置有误 / invalid settings: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc


@contextmanager
def open_database(settings: Settings) -> Iterator[Database]:
    database = Database.from_settings(settings)
    try:
        yield database
    finally:
        database.dispose()


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code)
