"""A live server on a loopback port over its own database, for tests whose point is
real concurrency between requests (separate connections, separate transactions)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy.orm import Session

from models.db import make_engine
from models.migrate import upgrade
from seed.load import load_reference
from service import pg_probe
from service.app import create_app
from service.settings import Settings

SECRET = "security-live-secret-key-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def fresh_database(name: str, folder: Path) -> Iterator[str]:
    """A migrated database with the reference data: a new PostgreSQL database when
    ``RENCAI_TEST_DATABASE_URL`` is set, else a SQLite file in ``folder``."""
    if os.environ.get("RENCAI_TEST_DATABASE_URL"):
        url = pg_probe.create_database(name)
    else:
        url = f"sqlite:///{folder / f'{name}.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        session.commit()
    engine.dispose()
    try:
        yield url
    finally:
        if url.startswith("postgresql"):
            pg_probe.drop_database(url)


def populate(url: str, fill: Callable[[Session], Any]) -> Any:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            out = fill(session)
            session.commit()
            return out
    finally:
        engine.dispose()


@contextmanager
def live_server(url: str, data_dir: Path, **overrides: Any) -> Iterator[str]:
    settings = Settings(
        environment="test",
        database_url=url,
        data_dir=data_dir,
        secret_key=SECRET,
        warm_engine_on_start=False,
        login_attempts_per_minute=1000,
        **overrides,
    )
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def bearer(base_url: str, username: str, password: str) -> dict[str, str]:
    with httpx.Client(base_url=base_url) as http:
        response = http.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


def at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run every call in its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    out: list[httpx.Response | None] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]
