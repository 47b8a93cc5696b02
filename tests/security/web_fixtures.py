"""What the web-edge security tests share: an app built with changed settings (a small
upload limit, production), a browser-style login through the pages (session cookie and
CSRF cookie in the client's jar), and a watch on the temporary directory that sees
spooled upload files even after they are unlinked (through the process's open files).
A test module imports the fixtures it uses."""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.app import create_app
from service.db import Database
from service.engine import MatchingEngine
from service.settings import Settings
from tests.conftest import DEMO_PASSWORD

__all__ = ["make_client"]  # the fixture the package conftest takes

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')

MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(
    app_settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    matching_engine: MatchingEngine,
) -> Iterator[MakeClient]:
    """``make_client(**setting_overrides)``: a client on the test database for an app
    built with those settings changed."""
    opened: list[TestClient] = []

    def _make(**overrides: Any) -> TestClient:
        settings = app_settings.model_copy(update=overrides)
        database = Database(engine=engine, sessions=session_factory)
        app = create_app(settings, database=database, engine=matching_engine)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        return client

    yield _make
    for client in opened:
        client.__exit__(None, None, None)


def page_login(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """Log in through the login form as a browser does; returns the CSRF token. The
    client then holds the session cookie and the CSRF cookie."""
    page = client.get("/login")
    token = CSRF_INPUT.search(page.text)
    assert token, "the login form carries a CSRF token"
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert client.cookies.get("rencai_session")
    return token.group(1)


@dataclass
class TempUsage:
    directory: Path
    peak_bytes: int = 0
    samples: int = 0
    open_at_end: int = 0
    files_at_end: list[str] = field(default_factory=list)


def _bytes_open_under(directory: str) -> tuple[int, int]:
    """Bytes and count of this process's open files under ``directory`` (deleted ones
    included: a spooled upload is unlinked as soon as it is created)."""
    total = count = 0
    fd_dir = "/proc/self/fd"
    for name in os.listdir(fd_dir):
        try:
            target = os.readlink(f"{fd_dir}/{name}")
            if target.startswith(directory):
                total += os.stat(f"{fd_dir}/{name}").st_size
                count += 1
        except OSError:
            continue
    return total, count


@contextmanager
def watch_temp_dir(directory: Path) -> Iterator[TempUsage]:
    """Point the process's temporary directory at ``directory`` and sample how many
    bytes are written there while the block runs."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to see unlinked temporary files")
    usage = TempUsage(directory)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            size, _count = _bytes_open_under(str(directory))
            size += sum(p.stat().st_size for p in directory.iterdir() if p.is_file())
            usage.peak_bytes = max(usage.peak_bytes, size)
            usage.samples += 1
            time.sleep(0.002)

    previous = tempfile.tempdir
    tempfile.tempdir = str(directory)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield usage
    finally:
        stop.set()
        sampler.join()
        tempfile.tempdir = previous
        usage.open_at_end = _bytes_open_under(str(directory))[1]
        usage.files_at_end = [p.name for p in directory.iterdir()]
