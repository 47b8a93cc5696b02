"""Two ways to drive the pages. The HTTP page tests (test_http_*.py) use the shared HTTP
fixtures: the app on the test database, one transaction per test, no browser. The browser
tests use a real server: uvicorn in a thread on a free loopback port, over its own fresh
SQLite file with the reference data, a small demo population and the demo logins, driven by
headless Debian Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import DEMO_TODAY
from tests.http_fixtures import *  # noqa: F403
from tests.pages.web import Api, Web

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pages-test-password"
SECRET = "pages-test-secret-key-long-enough-0123456789"


WebFactory = Callable[[str | None], Web]


@pytest.fixture
def web(client: TestClient) -> WebFactory:
    """``web("site1")``: a browser signed in as site1; ``web(None)``: anonymous."""

    def _web(username: str | None) -> Web:
        return Web(client.app, username)  # type: ignore[arg-type]

    return _web


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client.app)  # type: ignore[arg-type]


def _browser_or_skip() -> None:
    if Path(CHROMIUM).exists() and shutil.which(CHROMIUM):
        return
    message = (
        f"{CHROMIUM} is missing: install Debian's chromium and fonts-noto-cjk "
        "(apt-get install -y chromium fonts-noto-cjk) to run the browser tests"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    database_url: str

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session beside the running server, opened as the server's own background
        workers open theirs: each transaction begins IMMEDIATE, so it queues for
        SQLite's one write lock instead of failing on a snapshot that the server's
        writes (outbox, engine sync) made stale in between."""
        from models.db import make_engine, sqlite_immediate_transactions

        engine = make_engine(self.database_url)
        try:
            with sqlite_immediate_transactions(), Session(engine) as session:
                yield session
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    _browser_or_skip()
    import uvicorn

    from models.db import make_engine
    from models.migrate import upgrade
    from seed.demo import generate_population, reference_from_seed
    from seed.load import load_reference
    from seed.load_demo import load_population
    from service.app import create_app
    from service.settings import Settings
    from service.usecases.accounts import ensure_demo_accounts

    data_dir = tmp_path_factory.mktemp("pages")
    url = f"sqlite:///{data_dir / 'pages.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        session.commit()
    population = generate_population(
        n_sites=40, n_talents=300, seed=11, reference=reference_from_seed()
    )
    with Session(engine) as session:
        load_population(population, session=session)
        ensure_demo_accounts(session=session, password=PASSWORD)
        session.commit()
    engine.dispose()

    settings = Settings(
        environment="test",
        database_url=url,
        data_dir=data_dir,
        secret_key=SECRET,
        warm_engine_on_start=True,
        login_attempts_per_minute=1000,
        today=DEMO_TODAY,
    )
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="pages-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    # The engine warms in the background at start-up; the first candidates page would
    # otherwise wait for the encoder and index inside a browser timeout.
    while not app.state.engine.fitted:
        if time.monotonic() > deadline + 240:
            raise RuntimeError("the matching engine did not warm up")
        time.sleep(0.2)
    yield LiveServer(url=f"http://127.0.0.1:{port}", database_url=url)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser(live_server: LiveServer) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
