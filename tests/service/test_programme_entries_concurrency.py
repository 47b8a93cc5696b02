"""Simultaneous approvals of one entry: exactly one wins, the others get 409, and the
entry counts once. Run on its own database (SQLite file, or PostgreSQL when
RENCAI_TEST_DATABASE_URL is set) with one session per thread, since the point is real
concurrency between transactions."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, ProgrammeEntry
from models.db import make_engine, sqlite_immediate_transactions
from models.enums import Role
from models.migrate import upgrade
from seed.load import load_reference
from service import pg_probe
from service.actor import Actor
from service.errors import AppError
from service.usecases import accounts
from service.usecases import programme_entries as entries

DECIDERS = 12


@pytest.fixture(scope="module")
def fresh_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("RENCAI_TEST_DATABASE_URL"):
        url = pg_probe.create_database("rencai_entries_race")
    else:
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('entries-race')) / 'r.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        session.commit()
    engine.dispose()
    yield url
    if url.startswith("postgresql"):
        pg_probe.drop_database(url)


def _user(session: Session, name: str, role: Role, county: str | None = None) -> Actor:
    user = accounts.create(
        session=session,
        username=name,
        password="race-test-password-2020",
        role=role,
        display_name=name,
        jurisdiction=county,
    )
    session.commit()
    return Actor.of(user)


def test_simultaneous_approvals_approve_once(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    with Session(engine) as session:
        clerk = _user(session, "clerk", Role.COORDINATOR, "532322")
        deciders = [_user(session, f"admin{i}", Role.ADMIN) for i in range(DECIDERS)]
        entry = entries.submit(
            session=session,
            actor=clerk,
            programme_code="measure_10",
            target="measure_10.seminar",
            county_code="532322",
            year=2021,
            value=60,
            note="州情研修班",
            plan_years=(2020, 2021),
        )
        entry_id = entry.id
    barrier = threading.Barrier(DECIDERS)
    outcomes: list[int] = []
    lock = threading.Lock()

    def decide(actor: Actor) -> None:
        # As the app's write retry runs a request that met a locked SQLite file: the
        # transaction takes the write lock first (no effect on PostgreSQL).
        with sqlite_immediate_transactions(), Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                entries.approve(session=session, actor=actor, entry_id=entry_id)
                code = 200
            except AppError as exc:
                code = exc.status
        with lock:
            outcomes.append(code)

    threads = [threading.Thread(target=decide, args=(a,)) for a in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == [200] + [409] * (DECIDERS - 1)
    with Session(engine) as session:
        assert session.get(ProgrammeEntry, entry_id).status == "approved"  # type: ignore[union-attr]
        approvals = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "entry.approved", AuditEvent.entity_id == entry_id)
        )
        assert approvals == 1
        totals = entries.approved_entry_totals(session, year=2021, county="532322")
        assert totals["measure_10.seminar"].value == 60
    engine.dispose()
