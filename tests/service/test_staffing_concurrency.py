"""The 编制 ledger under real concurrency (issue 14): 50 simultaneous "use" movements
against a pool of 10 — exactly 10 succeed, the balance never goes negative, every
movement is audited, and a 人走编收 return restores the balance. Run on a fresh SQLite
file and, when a PostgreSQL server answers, on a fresh PostgreSQL database, one session
per thread. The database itself refuses a negative balance (CHECK), shown last."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import AuditEvent, StaffingMovement, StaffingPool
from models.db import make_engine, sqlite_immediate_transactions
from models.enums import Role
from models.migrate import upgrade
from models.people import MovementKind, PoolSector
from models.schemas.people import MovementCreate, PoolCreate
from seed.load import load_reference
from service import pg_probe
from service.actor import Actor
from service.errors import AppError
from service.usecases import accounts, staffing

USERS = 50
POSTS = 10
COUNTY = "532322"


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if pg_probe.answers() else ["sqlite"]


@pytest.fixture(scope="module", params=_backends())
def fresh_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "postgresql":
        url = pg_probe.create_database("rencai_staffing_race")
    else:
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('staffing-race')) / 'r.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        session.commit()
    engine.dispose()
    yield url
    if url.startswith("postgresql"):
        pg_probe.drop_database(url)


def _officer(session: Session, name: str) -> Actor:
    user = accounts.create(
        session=session,
        username=name,
        password="race-test-password-2020",
        role=Role.COORDINATOR,
        display_name=name,
        jurisdiction=COUNTY,
    )
    session.commit()
    return Actor.of(user)


def test_fifty_uses_of_ten_posts_exactly_ten_succeed(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    with Session(engine, expire_on_commit=False) as session:
        officer = _officer(session, f"bianban-{len(fresh_url)}")
        pool = staffing.create_pool(
            session=session,
            actor=officer,
            body=PoolCreate(
                county_code=COUNTY, sector=PoolSector.TALENT, name="双柏县人才专用编制"
            ),
        )
        staffing.move(
            session=session,
            actor=officer,
            pool_id=pool.id,
            body=MovementCreate(
                kind=MovementKind.APPROVE,
                quantity=POSTS,
                on_date=date(2021, 1, 4),
                reason="州编办核准",
            ),
        )
        pool_id = pool.id
    barrier = threading.Barrier(USERS)
    outcomes: list[int] = []
    lock = threading.Lock()

    def use(i: int) -> None:
        body = MovementCreate(
            kind=MovementKind.USE, quantity=1, on_date=date(2021, 3, 1), reason=f"引进第{i}人"
        )
        with sqlite_immediate_transactions(), Session(engine, expire_on_commit=False) as s:
            barrier.wait()
            try:
                staffing.move(session=s, actor=officer, pool_id=pool_id, body=body)
                code = 201
            except AppError as exc:
                code = exc.status
        with lock:
            outcomes.append(code)

    threads = [threading.Thread(target=use, args=(i,)) for i in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert sorted(outcomes) == [201] * POSTS + [409] * (USERS - POSTS)
    with Session(engine) as session:
        found = session.get(StaffingPool, pool_id)
        assert found is not None and found.available == 0 and found.approved_total == POSTS
        moves = list(
            session.scalars(
                select(StaffingMovement)
                .where(StaffingMovement.pool_id == pool_id)
                .order_by(StaffingMovement.id)
            )
        )
        uses = [m for m in moves if m.kind == "use"]
        assert len(uses) == POSTS
        # The running balance after each use, in the order they committed: 9, 8, … 0.
        assert [m.available_after for m in uses] == list(range(POSTS - 1, -1, -1))
        assert staffing.running_balance_ok(moves)
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "staffing_movement")
        )
        assert audited == len(moves) == POSTS + 1
        # 人走编收: the post comes back, once.
        officer_session_actor = officer
        back = staffing.move(
            session=session,
            actor=officer_session_actor,
            pool_id=pool_id,
            body=MovementCreate(
                kind=MovementKind.RETURN,
                on_date=date(2022, 6, 30),
                returns_movement_id=uses[0].id,
                reason="调离",
            ),
        )
        assert back.available_after == 1
        with pytest.raises(AppError) as twice:
            staffing.move(
                session=session,
                actor=officer_session_actor,
                pool_id=pool_id,
                body=MovementCreate(
                    kind=MovementKind.RETURN,
                    on_date=date(2022, 7, 1),
                    returns_movement_id=uses[0].id,
                ),
            )
        assert twice.value.status == 409
        assert session.get(StaffingPool, pool_id).available == 1  # type: ignore[union-attr]
    # The database refuses a negative balance even from code that skips the check.
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.execute(
            text("UPDATE staffing_pool SET available = available - 5 WHERE id = :id"),
            {"id": pool_id},
        )
        session.commit()
    engine.dispose()
