"""Shared fixtures. The suite runs on an embedded SQLite file by default and on
PostgreSQL when ``RENCAI_TEST_DATABASE_URL`` names a fresh database (``.ci/run`` does
that when one answers). Each test runs inside a transaction that is rolled back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

# On CI every property test draws the same examples each run, so a red build is
# reproducible; locally they explore afresh.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# The plan's original text (楚才组〔2020〕4号) lives outside the repository, in ../shared
# beside the clone (CI has it). Tests that compare the project's reference data with it
# carry this marker and skip on a plain clone; the figures themselves are the project's.
PLAN_TEXT = SHARED / "docs" / "000_b07a523622f54856.txt"
needs_plan_text = pytest.mark.skipif(
    not PLAN_TEXT.is_file(),
    reason=f"compares with the plan's original text, absent here: {PLAN_TEXT} "
    "(put ../shared beside the clone, as CI does, to run it)",
)
DEMO_SITES = 40
DEMO_TALENTS = 400
DEMO_SEED = 7
DEMO_PASSWORD = "test-password-2020"
# The demo population's needs run 2025–2027: apps under test see it as of its first day,
# so no need has expired (RENCAI_TODAY; tests of expiry pick their own dates).
DEMO_TODAY = date(2025, 1, 1)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("RENCAI_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'rencai-test.db'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    from models.db import make_engine
    from models.migrate import upgrade
    from seed.load import load_reference

    upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine) as session:
        load_reference(session=session)
        session.commit()
    # A small demo population and the demo logins, shared read-only by every test.
    from seed.demo import generate_population, reference_from_seed
    from seed.load_demo import load_population
    from service.usecases.accounts import ensure_demo_accounts

    population = generate_population(
        n_sites=DEMO_SITES,
        n_talents=DEMO_TALENTS,
        seed=DEMO_SEED,
        reference=reference_from_seed(),
    )
    with Session(engine) as session:
        load_population(population, session=session)
        ensure_demo_accounts(session=session, password=DEMO_PASSWORD)
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[object]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session_factory(connection: object) -> sessionmaker[Session]:
    # Commits inside use cases become savepoint releases; the outer transaction is
    # rolled back after the test, so tests never see each other's rows.
    return sessionmaker(
        bind=connection,  # type: ignore[arg-type]
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session
