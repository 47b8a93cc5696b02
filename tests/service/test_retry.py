"""The write-retry middleware over a real SQLite file: a retried try takes the write lock
until its first commit and not after it, a change that committed is never run again, and
a read still is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from models.db import make_engine
from service.retry import WriteRetry

LOCKED = OperationalError("UPDATE", {}, sqlite3.OperationalError("database is locked"))


@pytest.fixture
def engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'retry.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE change (id INTEGER PRIMARY KEY, what TEXT)"))
    yield engine
    engine.dispose()


def _client(engine, fail_after_commit: bool, fail_first: bool) -> TestClient:  # type: ignore[no-untyped-def]
    tries = {"n": 0}

    def write(request: Request) -> PlainTextResponse:
        """Runs in the thread pool, as the service's sync routes do."""
        tries["n"] += 1
        with engine.connect() as conn:
            conn.execute(text("INSERT INTO change (what) VALUES ('x')"))
            if fail_first and tries["n"] == 1:
                raise LOCKED
            conn.commit()
            conn.execute(text("SELECT count(*) FROM change")).scalar()
            conn.rollback()
        if fail_after_commit and tries["n"] == 1:
            raise LOCKED
        return PlainTextResponse(f"try {tries['n']}")

    app = Starlette(
        routes=[Route("/change", write, methods=["GET", "POST"])],
        middleware=[Middleware(WriteRetry, attempts=3, base_delay_ms=1, max_body_bytes=1000)],
    )
    return TestClient(app)


def _rows(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM change")).scalar_one())


class _Spy:
    """A connection that notes the BEGIN statement the service's hook sends."""

    def __init__(self, conn, seen: list[str]) -> None:  # type: ignore[no-untyped-def]
        self.conn, self.seen = conn, seen

    def exec_driver_sql(self, sql: str):  # type: ignore[no-untyped-def]
        self.seen.append(sql)
        return self.conn.exec_driver_sql(sql)


def _begins(engine) -> list[str]:  # type: ignore[no-untyped-def]
    """How each SQLite transaction began, as the service's begin hook emits it."""
    import models.db as db

    seen: list[str] = []
    original = db._sqlite_begin

    def spying(conn) -> None:  # type: ignore[no-untyped-def]
        original(_Spy(conn, seen))

    event.remove(engine, "begin", original)
    event.listen(engine, "begin", spying)
    return seen


def test_a_retried_try_holds_the_lock_until_its_commit_only(engine) -> None:  # type: ignore[no-untyped-def]
    begins = _begins(engine)
    client = _client(engine, fail_after_commit=False, fail_first=True)
    answer = client.post("/change", content=b"x", headers={"content-type": "text/plain"})
    assert answer.status_code == 200 and answer.text == "try 2"
    # try 1: deferred, failed before its commit; try 2: immediate write, deferred read
    assert begins == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN"]
    assert _rows(engine) == 1


def test_a_change_that_committed_is_not_run_again(engine) -> None:  # type: ignore[no-untyped-def]
    client = _client(engine, fail_after_commit=True, fail_first=False)
    answer = client.post("/change", content=b"x", headers={"content-type": "text/plain"})
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "database_busy"
    assert _rows(engine) == 1  # once, not twice


def test_a_read_that_wrote_on_the_way_is_still_run_again(engine) -> None:  # type: ignore[no-untyped-def]
    client = _client(engine, fail_after_commit=True, fail_first=False)
    answer = client.get("/change")
    assert answer.status_code == 200 and answer.text == "try 2"
