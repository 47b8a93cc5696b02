"""Migrations go up and down cleanly on SQLite and, where it answers, PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

import models
from models.db import make_engine
from models.migrate import current_heads, downgrade, upgrade
from service import pg_probe


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: object) -> object:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/migrate.db"
        return
    if not pg_probe.answers():
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432 on this machine")
    url = pg_probe.create_database("rencai_migrate")
    yield url
    pg_probe.drop_database(url)


def test_upgrade_creates_every_table_and_downgrade_removes_them(fresh_url: str) -> None:
    upgrade(fresh_url)
    engine = make_engine(fresh_url)
    tables = set(inspect(engine).get_table_names())
    assert set(models.Base.metadata.tables) <= tables
    downgrade(fresh_url, "base")
    left = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert left == set()
    upgrade(fresh_url)
    assert set(models.Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_and_migrations_agree(fresh_url: str) -> None:
    """Autogenerate against a migrated database finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    upgrade(fresh_url)
    engine = make_engine(fresh_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    engine.dispose()
    assert diff == []


def test_single_head() -> None:
    assert len(current_heads()) == 1
