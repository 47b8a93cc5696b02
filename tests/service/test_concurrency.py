"""Twenty simultaneous approvals that together would overfill one talent's capacity:
exactly the capacity is approved, the rest get 409, and nothing else changes. Run over
real HTTP against a live server and its own database, since the point is real
concurrency between transactions."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Match, MatchEvent, Need, Site, Talent, User
from models.db import make_engine
from models.enums import MatchStatus, Role
from models.migrate import upgrade
from seed.load import load_reference
from service import pg_probe
from service.app import create_app
from service.settings import Settings
from service.usecases import accounts

CAPACITY = 3
APPROVALS = 20
PASSWORD = "concurrency-test-pw"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("RENCAI_TEST_DATABASE_URL"):
        url = pg_probe.create_database("rencai_concurrency")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('concurrency') / 'c.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        _populate(session)
        session.commit()
    engine.dispose()
    yield url
    if url.startswith("postgresql"):
        pg_probe.drop_database(url)


def _populate(session: Session) -> None:
    start = date.today() + timedelta(days=10)
    site = Site(
        external_id="C-S1",
        name="双柏县大庄镇卫生院",
        site_type="township_health_center",
        county_code="532322",
        lat=24.6,
        lon=101.6,
    )
    talent = Talent(
        external_id="C-T1",
        name="罗医生",
        category="general_practitioner",
        bio="全科医生",
        base_lat=24.7,
        base_lon=101.6,
        travel_radius_km=200,
        modes=["onsite_short"],
        capacity_concurrent=CAPACITY,
        capacity_days_per_year=366,
        phone="13800000000",
    )
    session.add_all([site, talent])
    session.flush()
    for i in range(APPROVALS):
        need = Need(
            external_id=f"C-N{i}",
            site_id=site.id,
            title=f"慢病管理指导{i}",
            description="高血压糖尿病随访指导",
            mode="onsite_short",
            start_date=start,
            end_date=start + timedelta(days=30),
            days_needed=2,
        )
        session.add(need)
        session.flush()
        session.add(
            Match(
                need_id=need.id,
                talent_id=talent.id,
                status=MatchStatus.ACCEPTED.value,
                origin="site",
            )
        )
    accounts.create(
        session=session,
        username="coord",
        password=PASSWORD,
        role=Role.COORDINATOR,
        display_name="州协调员",
    )


@pytest.fixture(scope="module")
def server(live_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        environment="test",
        database_url=live_url,
        data_dir=Path(tmp_path_factory.mktemp("var")),
        secret_key="concurrency-secret-key-0123456789abcdef",
        warm_engine_on_start=False,
    )
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


def test_simultaneous_approvals_never_overfill_capacity(server: str, live_url: str) -> None:
    with httpx.Client(base_url=server) as http:
        token = http.post(
            "/api/v1/auth/login", json={"username": "coord", "password": PASSWORD}
        ).json()["access_token"]
    engine = make_engine(live_url)
    with Session(engine) as session:
        match_ids = list(session.scalars(select(Match.id).order_by(Match.id)))
    barrier = threading.Barrier(len(match_ids))
    codes: list[int] = []
    lock = threading.Lock()

    def approve(match_id: int) -> None:
        with httpx.Client(base_url=server, timeout=60) as http:
            barrier.wait()
            response = http.post(
                f"/api/v1/matches/{match_id}/approve", headers={"authorization": f"Bearer {token}"}
            )
        with lock:
            codes.append(response.status_code)

    threads = [threading.Thread(target=approve, args=(m,)) for m in match_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(codes) == [200] * CAPACITY + [409] * (APPROVALS - CAPACITY)
    with Session(engine) as session:
        statuses = dict(
            session.execute(select(Match.status, func.count()).group_by(Match.status)).all()
        )
        approved_events = session.scalar(
            select(func.count())
            .select_from(MatchEvent)
            .where(MatchEvent.to_status == MatchStatus.APPROVED.value)
        )
        users = session.scalar(select(func.count()).select_from(User))
    engine.dispose()
    assert statuses == {"approved": CAPACITY, "accepted": APPROVALS - CAPACITY}
    assert approved_events == CAPACITY
    assert users == 1
