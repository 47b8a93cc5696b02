"""Several `rencai serve` nodes over one PostgreSQL database act as one service (issue 16,
item 8). Three real server processes on loopback ports, each with its own data folder and
its own matching engine, share only the database:

* a need posted on node A appears in node C's suggestions for a talent within 2 s
  (the nodes check the database every ``engine_sync_seconds``, set to 1 s here);
* 30 approvals sent at once, spread over the three nodes, on a need with a headcount of 2
  approve exactly two: the headcount holds in the database, not in one process;
* a login on one node is honoured by the others (one secret, no session in memory);
* a node killed with SIGKILL while requests are in flight loses nothing: every write it
  acknowledged is in the database whole (its audit row beside it), every write it did
  not acknowledge is either whole or absent, and the other nodes go on serving.

Skipped, with the reason, when PostgreSQL does not answer."""

from __future__ import annotations

import os
import signal
import subprocess  # nosec B404: the test starts real server processes
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, AvailabilityWindow, Match, Need, Site, Talent, TextEmbedding
from models.db import make_engine
from models.enums import MatchStatus, Role
from models.migrate import upgrade
from seed.load import load_reference
from service import pg_probe
from service.usecases import accounts
from tests.security.live import at_once, free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not pg_probe.answers(), reason="needs PostgreSQL at 127.0.0.1:5432 (several nodes)"
    ),
]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "nodes-live-password-2026"
SECRET = "nodes-live-secret-key-0123456789abcdef012345"
APPROVALS = 30
HEADCOUNT = 2
SYNC_SECONDS = 1.0
START_SECONDS = 240


@dataclass(frozen=True)
class World:
    url: str
    folder: Path
    nodes: dict[str, str]  # name → base URL
    processes: dict[str, subprocess.Popen[bytes]]
    site_id: int
    headcount_need: int
    watcher_id: int  # the talent whose suggestions node C is asked for


def _talent(i: int, start: date) -> Talent:
    talent = Talent(
        external_id=f"NODE-T{i}",
        name=f"节点医生{i}",
        category="general_practitioner",
        skills=["general_practice"],
        bio=f"全科医生，擅长慢病管理，愿到乡镇卫生院坐诊带教（{i}号）。",
        home_county_code="532322",
        base_lat=24.68,
        base_lon=101.64,
        travel_radius_km=300,
        modes=["onsite_short"],
        capacity_concurrent=50,
        capacity_days_per_year=366,
    )
    talent.windows = [AvailabilityWindow(start_date=start, end_date=start + timedelta(days=365))]
    return talent


def _fill(session: Session) -> tuple[int, int, int]:
    start = date.today()
    site = Site(
        external_id="NODE-S1",
        name="双柏县妥甸镇卫生院",
        site_type="township_health_center",
        county_code="532322",
        lat=24.68,
        lon=101.64,
    )
    talents = [_talent(i, start) for i in range(APPROVALS + 1)]
    session.add(site)
    session.add_all(talents)
    session.flush()
    begins = start + timedelta(days=10)
    need = Need(
        external_id="NODE-N-HEADCOUNT",
        site_id=site.id,
        title="慢病管理指导",
        description="高血压糖尿病随访指导，只需两人",
        mode="onsite_short",
        start_date=begins,
        end_date=begins + timedelta(days=30),
        days_needed=2,
        headcount=HEADCOUNT,
    )
    session.add(need)
    session.flush()
    session.add_all(
        Match(need_id=need.id, talent_id=t.id, status=MatchStatus.ACCEPTED.value, origin="site")
        for t in talents[:APPROVALS]
    )
    accounts.create(
        session=session,
        username="node-coord",
        password=PASSWORD,
        role=Role.COORDINATOR,
        display_name="州协调员",
    )
    return site.id, need.id, talents[APPROVALS].id


def _database(url: str) -> tuple[int, int, int]:
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            load_reference(session=session)
            made = _fill(session)
            session.commit()
        return made
    finally:
        engine.dispose()


def _env(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENCAI_")}
    env.update(
        PYTHONPATH=str(REPO),
        RENCAI_DATABASE_URL=url,
        RENCAI_DATA_DIR=str(data_dir),
        RENCAI_ENVIRONMENT="test",
        RENCAI_SECRET_KEY=SECRET,
        RENCAI_ENGINE_SYNC_SECONDS=str(SYNC_SECONDS),
        RENCAI_LOGIN_ATTEMPTS_PER_MINUTE="1000",
        # On PostgreSQL the embedding cache is the database's (RENCAI_EMBEDDINGS_IN_DATABASE).
    )
    return env


def _start(env: dict[str, str], port: int, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # nosec B603: a fixed argument list, no shell
        [sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read() if process.stderr else b""
            raise AssertionError(f"node {base} exited: {err.decode(errors='replace')[-2000:]}")
        try:
            health = httpx.get(f"{base}/api/v1/health", timeout=2)
            # Ready means its engine is fitted (and every profile's vector stored).
            if health.status_code == 200 and health.json()["engine"] == "ready":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"node {base} did not answer within {START_SECONDS} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("nodes-live")
    url = pg_probe.create_database("rencai_nodes_live")
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        site_id, need_id, watcher_id = _database(url)
        nodes = {name: f"http://127.0.0.1:{free_port()}" for name in "ABC"}
        for name, base in nodes.items():
            env = _env(url, folder / f"node-{name}")
            processes[name] = _start(env, int(base.rsplit(":", 1)[1]), folder)
        for name, base in nodes.items():
            _wait_ready(base, processes[name])
        yield World(url, folder, nodes, processes, site_id, need_id, watcher_id)
    finally:
        for process in processes.values():
            _stop(process)
        pg_probe.drop_database(url)


def _login(base: str) -> dict[str, str]:
    response = httpx.post(
        f"{base}/api/v1/auth/login",
        json={"username": "node-coord", "password": PASSWORD},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


def _need_body(site_id: int, title: str) -> dict[str, object]:
    start = date.today() + timedelta(days=20)
    return {
        "site_id": site_id,
        "title": title,
        "description": "乡镇卫生院全科门诊坐诊，慢病管理与随访带教",
        "mode": "onsite_short",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=20)).isoformat(),
        "days_needed": 2,
        "headcount": 1,
    }


def test_the_nodes_share_one_embedding_cache_in_the_database(world: World) -> None:
    engine = make_engine(world.url)
    try:
        with Session(engine) as session:
            stored = session.scalar(select(func.count()).select_from(TextEmbedding)) or 0
            talents = session.scalar(select(func.count()).select_from(Talent)) or 0
    finally:
        engine.dispose()
    # Every profile was encoded once, by whichever node came first, for all of them.
    assert stored >= talents > 0
    for name in world.nodes:
        assert not (world.folder / f"node-{name}" / "embeddings" / "embeddings.sqlite3").exists()


def test_a_login_on_one_node_is_honoured_by_the_others(world: World) -> None:
    headers = _login(world.nodes["A"])
    for base in world.nodes.values():
        response = httpx.get(f"{base}/api/v1/needs/{world.headcount_need}", headers=headers)
        assert response.status_code == 200, (base, response.text)


def test_a_need_posted_on_one_node_reaches_another_nodes_suggestions_within_2_s(
    world: World,
) -> None:
    headers = _login(world.nodes["A"])
    suggestions = f"{world.nodes['C']}/api/v1/talents/{world.watcher_id}/suggestions"
    # Node C has answered for this talent before the need exists, so its engine is fitted
    # (the first answer of a node may wait for that).
    before = httpx.get(suggestions, headers=headers, timeout=START_SECONDS)
    assert before.status_code == 200, before.text

    posted = httpx.post(
        f"{world.nodes['A']}/api/v1/needs",
        json=_need_body(world.site_id, "全科门诊坐诊（节点A发布）"),
        headers=headers,
        timeout=60,
    )
    assert posted.status_code == 201, posted.text
    need_id = posted.json()["id"]
    acknowledged = time.monotonic()

    seen_after = None
    while time.monotonic() - acknowledged < 10:
        shown = httpx.get(suggestions, headers=headers, timeout=60)
        assert shown.status_code == 200, shown.text
        if need_id in {row["need"]["id"] for row in shown.json()}:
            seen_after = time.monotonic() - acknowledged
            break
        time.sleep(0.1)
    assert seen_after is not None, "node C never suggested the need posted on node A"
    assert seen_after <= 2.0, f"node C suggested it after {seen_after:.2f} s"


def test_thirty_approvals_spread_over_three_nodes_never_overbook(world: World) -> None:
    tokens = {name: _login(base) for name, base in world.nodes.items()}
    engine = make_engine(world.url)
    try:
        with Session(engine) as session:
            match_ids = list(
                session.scalars(select(Match.id).where(Match.need_id == world.headcount_need))
            )
        assert len(match_ids) == APPROVALS
        names = sorted(world.nodes)

        def approve(i: int, match_id: int) -> httpx.Response:
            name = names[i % len(names)]
            with httpx.Client(base_url=world.nodes[name], timeout=120) as http:
                return http.post(f"/api/v1/matches/{match_id}/approve", headers=tokens[name])

        responses = at_once(
            [lambda i=i, m=m: approve(i, m) for i, m in enumerate(sorted(match_ids))]
        )
        codes = Counter(r.status_code for r in responses)
        assert codes == {200: HEADCOUNT, 409: APPROVALS - HEADCOUNT}, codes
        assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
            "headcount_filled"
        }
        with Session(engine) as session:
            approved = session.scalar(
                select(func.count())
                .select_from(Match)
                .where(
                    Match.need_id == world.headcount_need,
                    Match.status == MatchStatus.APPROVED.value,
                )
            )
        assert approved == HEADCOUNT
    finally:
        engine.dispose()


def test_a_node_killed_mid_request_loses_nothing(world: World) -> None:
    headers = _login(world.nodes["B"])
    victim = world.processes["B"]
    titles = [f"巡回义诊（节点B第{i}次）" for i in range(24)]
    acknowledged: dict[str, int] = {}
    failed: list[str] = []
    lock = threading.Lock()

    def post(title: str) -> None:
        try:
            response = httpx.post(
                f"{world.nodes['B']}/api/v1/needs",
                json=_need_body(world.site_id, title),
                headers=headers,
                timeout=60,
            )
        except httpx.HTTPError:
            with lock:
                failed.append(title)
            return
        with lock:
            if response.status_code == 201:
                acknowledged[title] = response.json()["id"]
            else:
                failed.append(title)

    threads = [threading.Thread(target=post, args=(t,)) for t in titles]
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    # Kill the node once some writes are acknowledged and others still in flight.
    deadline = time.monotonic() + 60
    while not acknowledged and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    for thread in threads:
        thread.join(timeout=90)
    assert acknowledged, "node B acknowledged nothing before it was killed"

    engine = make_engine(world.url)
    try:
        with Session(engine) as session:
            stored = dict(
                session.execute(select(Need.title, Need.id).where(Need.title.in_(titles))).all()
            )
            audited = set(
                session.scalars(
                    select(AuditEvent.entity_id).where(
                        AuditEvent.entity == "need",
                        AuditEvent.action == "create",
                        AuditEvent.entity_id.in_(list(stored.values()) or [-1]),
                    )
                )
            )
    finally:
        engine.dispose()
    # Every acknowledged write is there, with the id the node gave.
    assert all(stored.get(title) == need_id for title, need_id in acknowledged.items())
    # Nothing half-written: every stored need has its audit row.
    assert audited == set(stored.values())
    # What was not acknowledged can be sent again to a surviving node.
    headers_a = _login(world.nodes["A"])
    for title in (t for t in failed if t not in stored):
        again = httpx.post(
            f"{world.nodes['A']}/api/v1/needs",
            json=_need_body(world.site_id, title),
            headers=headers_a,
            timeout=60,
        )
        assert again.status_code == 201, again.text
    # The survivors go on serving.
    for name in ("A", "C"):
        assert httpx.get(f"{world.nodes[name]}/api/v1/health", timeout=10).status_code == 200
