"""Engine and session factory. SQLite gets the pragmas that make it a real database
(foreign keys enforced, WAL for concurrent readers, a busy timeout instead of instant
lock errors)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

# Set while a write is retried after "database is locked": its SQLite transactions then
# begin IMMEDIATE, taking the write lock (waiting out the busy timeout) before reading,
# so the retry cannot meet a stale snapshot again.
_BEGIN_IMMEDIATE: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)


@contextmanager
def sqlite_immediate_transactions(enabled: bool = True) -> Iterator[None]:
    """SQLite transactions begun inside this block (in this context) are IMMEDIATE."""
    token = _BEGIN_IMMEDIATE.set(enabled)
    try:
        yield
    finally:
        _BEGIN_IMMEDIATE.reset(token)


@dataclass
class WriteAttempt:
    """One try of a request that may be replayed. ``immediate``: its SQLite
    transactions begin IMMEDIATE until its first commit (the reads after it, such as
    the page rendered after a change, need no write lock and must not wait for one);
    ``committed``: it has committed something, so running it again would repeat that
    (the copies of the context a thread pool runs in share this one object)."""

    immediate: bool = False
    committed: bool = False


_ATTEMPT: ContextVar[WriteAttempt | None] = ContextVar("write_attempt", default=None)


@contextmanager
def write_attempt(*, immediate: bool) -> Iterator[WriteAttempt]:
    """Track one try of a request (see :class:`WriteAttempt`) in this context."""
    attempt = WriteAttempt(immediate=immediate)
    token = _ATTEMPT.set(attempt)
    try:
        yield attempt
    finally:
        _ATTEMPT.reset(token)


def _note_commit(_conn: Any) -> None:
    attempt = _ATTEMPT.get()
    if attempt is not None:
        attempt.committed = True


def make_engine(url: str, *, busy_timeout_seconds: float = 30.0, **kwargs: Any) -> Engine:
    """An engine for ``url``. On SQLite, ``busy_timeout_seconds`` is how long a writer
    waits for another writer's lock before "database is locked"."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault(
            "connect_args", {"check_same_thread": False, "timeout": busy_timeout_seconds}
        )
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; emitting it ourselves makes
        # SAVEPOINTs and SELECT … FOR UPDATE-style sequences behave as on PostgreSQL.
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "commit", _note_commit)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "commit", _note_commit)
    return engine


def _sqlite_begin(conn: Any) -> None:
    attempt = _ATTEMPT.get()
    immediate = _BEGIN_IMMEDIATE.get() or (
        attempt is not None and attempt.immediate and not attempt.committed
    )
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level so the "begin" listener above owns transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
