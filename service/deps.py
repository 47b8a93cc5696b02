"""FastAPI dependencies, annotated once and reused everywhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from service.db import Database
from service.settings import Settings


async def get_settings(request: Request) -> Settings:
    # async: a plain read, so FastAPI need not hand it to a worker thread.
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; routes never commit, use cases do."""
    database: Database = request.app.state.database
    with database.session() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
