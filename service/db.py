"""The database as the app holds it: one engine, one session per request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_session_factory
from service import placements
from service.settings import Settings


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        engine = make_engine(
            settings.resolved_database_url,
            busy_timeout_seconds=settings.sqlite_busy_timeout_seconds,
        )
        sessions = make_session_factory(engine)
        placements.configure(sessions, settings.long_placement_min_days)
        return cls(engine=engine, sessions=sessions)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose uncommitted work is rolled back on exit; use cases commit."""
        with self.sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
