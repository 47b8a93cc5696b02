"""HTTP fixtures shared by the packages that drive the app: the real app on the test
database, one transaction per test, and one matching engine (real encoder, real FAISS)
shared by the whole session. A package's conftest star-imports them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.app import create_app
from service.db import Database
from service.engine import MatchingEngine
from service.settings import Settings
from tests.conftest import DEMO_PASSWORD, DEMO_TODAY

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


@pytest.fixture(scope="session")
def app_settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir: Path = tmp_path_factory.mktemp("var")
    return Settings(
        environment="test",
        database_url=database_url,
        data_dir=data_dir,
        secret_key=TEST_SECRET,
        warm_engine_on_start=False,
        # Tests roll back their transactions, which a commit hook cannot see.
        engine_sync_seconds=0,
        demo_password=DEMO_PASSWORD,
        login_attempts_per_minute=1000,
        login_failures_per_client=1000,
        # Tests drive the notification worker themselves (tests/service/test_notify*.py).
        notify_worker=False,
        # Batch runs are carried out by the request that queues them (one connection per
        # test); tests/service/test_batch_jobs.py drives the background runner itself.
        job_worker=False,
        today=DEMO_TODAY,
    )


@pytest.fixture(scope="session")
def matching_engine(app_settings: Settings, engine: Engine) -> MatchingEngine:
    matching = MatchingEngine(app_settings)
    with Session(engine) as session:
        matching.fit(session)
    return matching


@pytest.fixture
def client(
    app_settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    matching_engine: MatchingEngine,
) -> Iterator[TestClient]:
    database = Database(engine=engine, sessions=session_factory)
    app = create_app(app_settings, database=database, engine=matching_engine)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


Login = Callable[[str], dict[str, str]]


@pytest.fixture
def login(client: TestClient) -> Login:
    def _login(username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        response = client.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        return {"authorization": f"Bearer {response.json()['access_token']}"}

    return _login
