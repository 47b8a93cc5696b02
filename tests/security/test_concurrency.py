"""Concurrency attacks as the audit made them, over real HTTP against a live server and
its own database (SQLite, or PostgreSQL with ``RENCAI_TEST_DATABASE_URL``):

* 20 simultaneous approvals on a headcount-1 need: exactly one succeeds, the others
  get 409 naming the headcount, and the database holds one approved match.
* Concurrent writers never get a 5xx: on SQLite they wait for the write lock (busy
  timeout, then a retried transaction) instead of failing with "database is locked".
* A form or API call sent twice at once: one succeeds, the other gets 409, never 500.
* A batch run killed with SIGKILL is marked failed with its reason at the next start,
  and a new run proceeds (``test_stale_runs.py``).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess  # nosec B404: the test starts the CLI as a real process
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from models import Match, MatchEvent, MatchRun, Need, Site, Talent
from models.db import make_engine
from models.enums import MatchStatus, Role, RunStatus
from service import jobs
from service.auth import COOKIE_NAME
from service.engine import MatchingEngine
from service.settings import Settings
from service.usecases import accounts
from tests.conftest import DEMO_SEED, DEMO_SITES, DEMO_TALENTS
from tests.http_fixtures import Login
from tests.security.live import at_once, bearer, fresh_database, live_server, populate

APPROVALS = 20
WRITERS = 8
ROUNDS = 6
PASSWORD = "concurrency-attack-pw-2020"


@dataclass(frozen=True)
class World:
    url: str
    base: str
    site_id: int
    headcount_need: int
    talent_ids: list[int]


def _talent(i: int) -> Talent:
    return Talent(
        external_id=f"SEC-T{i}",
        name=f"测试医生{i}",
        category="general_practitioner",
        bio="全科医生",
        base_lat=24.7,
        base_lon=101.6,
        travel_radius_km=300,
        modes=["onsite_short"],
        capacity_concurrent=50,
        capacity_days_per_year=366,
        phone=f"1380000{i:04d}",
    )


def _fill(session: Session) -> tuple[int, int, list[int]]:
    start = date.today() + timedelta(days=10)
    site = Site(
        external_id="SEC-S1",
        name="双柏县大庄镇卫生院",
        site_type="township_health_center",
        county_code="532322",
        lat=24.6,
        lon=101.6,
    )
    talents = [_talent(i) for i in range(APPROVALS)]
    session.add(site)
    session.add_all(talents)
    session.flush()
    need = Need(
        external_id="SEC-N-HEADCOUNT",
        site_id=site.id,
        title="慢病管理指导",
        description="高血压糖尿病随访指导，只需一人",
        mode="onsite_short",
        start_date=start,
        end_date=start + timedelta(days=30),
        days_needed=2,
        headcount=1,
    )
    session.add(need)
    session.flush()
    for talent in talents:
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
        username="sec-coord",
        password=PASSWORD,
        role=Role.COORDINATOR,
        display_name="州协调员",
    )
    return site.id, need.id, [t.id for t in talents]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("security-concurrency")
    with fresh_database("rencai_sec_concurrency", folder) as url:
        site_id, need_id, talent_ids = populate(url, _fill)
        with live_server(url, folder / "var") as base:
            yield World(url, base, site_id, need_id, talent_ids)


def _need_body(site_id: int, i: int) -> dict[str, object]:
    start = date.today() + timedelta(days=20)
    return {
        "site_id": site_id,
        "title": f"巡回义诊{i}",
        "description": "乡镇卫生院巡回义诊与带教",
        "mode": "onsite_short",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=20)).isoformat(),
        "days_needed": 1,
        "headcount": 2,
    }


def test_twenty_approvals_on_a_headcount_one_need_approve_exactly_one(world: World) -> None:
    headers = bearer(world.base, "sec-coord", PASSWORD)
    engine = make_engine(world.url)
    with Session(engine) as session:
        match_ids = list(
            session.scalars(
                select(Match.id).where(Match.need_id == world.headcount_need).order_by(Match.id)
            )
        )
    assert len(match_ids) == APPROVALS

    def approve(match_id: int) -> httpx.Response:
        with httpx.Client(base_url=world.base, timeout=120) as http:
            return http.post(f"/api/v1/matches/{match_id}/approve", headers=headers)

    responses = at_once([lambda m=m: approve(m) for m in match_ids])

    codes = Counter(r.status_code for r in responses)
    assert codes == {200: 1, 409: APPROVALS - 1}, codes
    for refused in (r for r in responses if r.status_code == 409):
        error = refused.json()["error"]
        assert set(error) == {"code", "message", "fields"}
        # Refused by the headcount (the talents all have room), and it says so.
        assert error["code"] == "headcount_filled"
        assert re.search(r"headcount of 1\b", error["message"]), error["message"]
    with Session(engine) as session:
        statuses = dict(
            session.execute(
                select(Match.status, func.count())
                .where(Match.need_id == world.headcount_need)
                .group_by(Match.status)
            ).all()
        )
        approved_events = session.scalar(
            select(func.count())
            .select_from(MatchEvent)
            .join(Match, MatchEvent.match_id == Match.id)
            .where(
                Match.need_id == world.headcount_need,
                MatchEvent.to_status == MatchStatus.APPROVED.value,
            )
        )
    assert statuses == {"approved": 1, "accepted": APPROVALS - 1}
    assert approved_events == 1

    # The need's status follows: filled now, open again once the approval is cancelled,
    # and then one more approval fits.
    with httpx.Client(base_url=world.base, timeout=60, headers=headers) as http:
        need = f"/api/v1/needs/{world.headcount_need}"
        assert http.get(need).json()["status"] == "filled"
        [approved] = [r.json()["id"] for r in responses if r.status_code == 200]
        cancelled = http.post(f"/api/v1/matches/{approved}/cancel", json={"reason": "调岗"})
        assert cancelled.status_code == 200, cancelled.text
        assert http.get(need).json()["status"] == "open"
        other = next(m for m in match_ids if m != approved)
        assert http.post(f"/api/v1/matches/{other}/approve").status_code == 200
        assert http.get(need).json()["status"] == "filled"
    engine.dispose()


def test_concurrent_writers_wait_instead_of_failing(world: World) -> None:
    """Eight clients create, edit and propose at once, round after round; every request
    is answered 2xx (409 only where a rule says no), none 5xx."""
    headers = bearer(world.base, "sec-coord", PASSWORD)
    codes: Counter[int] = Counter()
    bodies: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(WRITERS)

    def writer(w: int) -> None:
        with httpx.Client(base_url=world.base, timeout=120, headers=headers) as http:
            barrier.wait()
            for r in range(ROUNDS):
                created = http.post("/api/v1/needs", json=_need_body(world.site_id, w * 100 + r))
                got = [created]
                if created.status_code == 201:
                    need_id = created.json()["id"]
                    got.append(http.patch(f"/api/v1/needs/{need_id}", json={"title": f"改{w}-{r}"}))
                    got.append(
                        http.post(
                            "/api/v1/matches",
                            json={"need_id": need_id, "talent_id": world.talent_ids[w]},
                        )
                    )
                with lock:
                    for response in got:
                        codes[response.status_code] += 1
                        if response.status_code >= 500:
                            bodies.append(response.text)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not bodies, bodies[:3]
    assert codes == {201: 2 * WRITERS * ROUNDS, 200: WRITERS * ROUNDS}, codes


def test_the_same_proposal_sent_ten_times_at_once_is_saved_once(world: World) -> None:
    headers = bearer(world.base, "sec-coord", PASSWORD)
    with httpx.Client(base_url=world.base, timeout=60, headers=headers) as http:
        need_id = http.post("/api/v1/needs", json=_need_body(world.site_id, 999)).json()["id"]
    body = {"need_id": need_id, "talent_id": world.talent_ids[-1]}

    def send() -> httpx.Response:
        with httpx.Client(base_url=world.base, timeout=120, headers=headers) as http:
            return http.post("/api/v1/matches", json=body)

    responses = at_once([send] * 10)
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: 9}, [r.text for r in responses if r.status_code >= 500]
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.json()["error"]["message"]
    engine = make_engine(world.url)
    with Session(engine) as session:
        saved = session.scalar(
            select(func.count()).select_from(Match).where(Match.need_id == need_id)
        )
    engine.dispose()
    assert saved == 1


def _page_login(http: httpx.Client, username: str, password: str) -> str:
    """Log in through the login form; return the CSRF token the pages expect."""
    page = http.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the login form carries a CSRF token"
    response = http.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
    )
    assert response.status_code in (302, 303), response.text[:500]
    return token.group(1)


def test_a_double_submitted_propose_form_never_answers_500(world: World) -> None:
    headers = bearer(world.base, "sec-coord", PASSWORD)
    with httpx.Client(base_url=world.base, timeout=60, headers=headers) as http:
        need_id = http.post("/api/v1/needs", json=_need_body(world.site_id, 998)).json()["id"]
    with httpx.Client(base_url=world.base, timeout=120) as browser:
        csrf = _page_login(browser, "sec-coord", PASSWORD)
        cookies = dict(browser.cookies)

    def submit() -> httpx.Response:
        with httpx.Client(base_url=world.base, timeout=120, cookies=cookies) as tab:
            return tab.post(
                f"/needs/{need_id}/propose",
                data={"talent_id": str(world.talent_ids[-2]), "csrf_token": csrf},
                headers={"accept": "text/html"},
            )

    responses = at_once([submit] * 6)
    codes = Counter(r.status_code for r in responses)
    # Every submit lands on the one match (issue 12: acting twice shows the current state).
    assert codes == {303: 6}, codes
    assert len({r.headers["location"].split("?")[0] for r in responses}) == 1
    engine = make_engine(world.url)
    with Session(engine) as session:
        saved = session.scalar(
            select(func.count()).select_from(Match).where(Match.need_id == need_id)
        )
    engine.dispose()
    assert saved == 1


# ------------------------------------------------------------------ stale runs
REPO = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2


def _demo(session: Session) -> None:
    from seed.demo import generate_population, reference_from_seed
    from seed.load_demo import load_population

    # The suite's own demo population: its texts are already in the shared engine's
    # embedding cache, so the command does not encode them again.
    population = generate_population(
        n_sites=DEMO_SITES, n_talents=DEMO_TALENTS, seed=DEMO_SEED, reference=reference_from_seed()
    )
    load_population(population, session=session)
    accounts.create(
        session=session,
        username="sec-coord",
        password=PASSWORD,
        role=Role.COORDINATOR,
        display_name="州协调员",
    )


def _cli_env(url: str, data_dir: Path, embeddings: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENCAI_")}
    env.update(
        PYTHONPATH=str(REPO),
        RENCAI_DATABASE_URL=url,
        RENCAI_DATA_DIR=str(data_dir),
        RENCAI_JOB_LEASE_SECONDS=str(LEASE_SECONDS),
        RENCAI_ENVIRONMENT="test",
        RENCAI_SECRET_KEY="stale-run-secret-key-0123456789abcdef",
        RENCAI_MATCHING=json.dumps({"embedding_cache_dir": str(embeddings)}),
    )
    return env


def _runs(url: str) -> list[MatchRun]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(MatchRun).order_by(MatchRun.id)))
    finally:
        engine.dispose()


def _match_run(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # nosec B603: a fixed argument list, no shell
        [sys.executable, "-m", "service", "match", "run", "--all", "--candidates", "200"],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.slow
def test_a_run_killed_mid_way_is_failed_at_the_next_start_and_a_new_run_proceeds(
    tmp_path: Path, matching_engine: MatchingEngine, app_settings: Settings
) -> None:
    with fresh_database("rencai_sec_stale", tmp_path) as url:
        populate(url, _demo)
        env = _cli_env(url, tmp_path / "var", app_settings.data_dir / "embeddings")
        victim = _match_run(env, tmp_path)
        # Wait until the run is under way and its heartbeat has beaten at least once.
        deadline = time.monotonic() + 300
        while True:
            assert victim.poll() is None, (victim.stdout.read() if victim.stdout else b"")[-2000:]
            assert time.monotonic() < deadline, "the run never started"
            runs = _runs(url)
            if runs and runs[-1].heartbeat_at and runs[-1].heartbeat_at > runs[-1].started_at:
                break
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        [killed] = _runs(url)
        assert killed.status == RunStatus.RUNNING.value  # nobody could say otherwise

        # The next start of the app marks it failed, with the reason, in plain words.
        with live_server(url, tmp_path / "var", job_lease_seconds=LEASE_SECONDS) as base:
            headers = bearer(base, "sec-coord", PASSWORD)
            with httpx.Client(base_url=base, headers=headers) as http:
                shown = http.get(f"/api/v1/runs/{killed.id}").json()
        assert shown["status"] == RunStatus.FAILED.value
        assert shown["report"]["reason"] == "abandoned"
        assert "no heartbeat since" in shown["report"]["error"]
        assert "没有心跳" in shown["report"]["error_zh"]
        assert shown["finished_at"]

        # A new run proceeds to the end.
        again = _match_run(env, tmp_path)
        output, _ = again.communicate(timeout=600)
        assert again.returncode == 0, output[-2000:]
        old, new = _runs(url)
        assert old.status == RunStatus.FAILED.value
        assert new.status == RunStatus.SUCCEEDED.value
        assert new.report and new.report["proposed"] > 0


def test_a_run_of_another_machine_is_failed_once_its_lease_expires(tmp_path: Path) -> None:
    """A process elsewhere cannot be asked whether it lives: its lease decides."""
    with fresh_database("rencai_sec_lease", tmp_path) as url:
        now = datetime.now(UTC)

        def two_runs(session: Session) -> None:
            for beat in (now - timedelta(seconds=LEASE_SECONDS * 5), now):
                session.add(MatchRun(mode="optimal", owner="elsewhere:4242", heartbeat_at=beat))

        populate(url, two_runs)
        engine = make_engine(url)
        with Session(engine) as session:
            reaped = jobs.reap_stale_runs(session, LEASE_SECONDS)
        engine.dispose()
        expired, alive = _runs(url)
        assert reaped == [expired.id]
        assert expired.status == RunStatus.FAILED.value
        assert "elsewhere:4242" in (expired.report or {})["error"]
        assert alive.status == RunStatus.RUNNING.value


# ------------------------------------------------------------------ failed run reports
def test_a_failed_runs_report_shows_no_database_error_or_sql(
    client: TestClient, session: Session, login: Login
) -> None:
    """The database's own words (and the statement it refused) go to the log; the
    coordinator reads a plain sentence in their language."""
    try:
        session.execute(text("SELECT secret_column FROM match_run WHERE id = 1"))
    except DBAPIError as exc:
        refusal: DBAPIError = exc
    session.rollback()
    run = MatchRun(mode="optimal", status=RunStatus.FAILED.value)
    session.add(run)
    session.flush()
    run.report = jobs.failure_report(run.id, refusal, 1.5)
    session.commit()
    headers = login("zhou")

    api = client.get(f"/api/v1/runs/{run.id}", headers=headers).json()
    client.cookies.set(COOKIE_NAME, headers["authorization"].removeprefix("Bearer "))
    page_zh = client.get(f"/runs/{run.id}")
    page_en = client.get(f"/runs/{run.id}?lang=en")
    assert page_zh.status_code == page_en.status_code == 200
    for shown in (str(api), page_zh.text, page_en.text):
        assert "secret_column" not in shown and "SELECT" not in shown
        assert "Error" not in shown.replace("internal error", "")
    assert api["report"]["reason"] == "internal_error"
    assert "系统内部错误" in page_zh.text
    assert "internal error" in page_en.text


# ------------------------------------------------------------------ lock held too long
def test_a_write_that_cannot_get_the_lock_answers_503_in_the_error_shape(
    tmp_path: Path,
) -> None:
    """Another process holds SQLite's write lock for longer than the busy timeout and
    every retry: the write answers 503 with a message and Retry-After, nothing is
    saved, and once the lock is released the same request succeeds."""
    if os.environ.get("RENCAI_TEST_DATABASE_URL"):
        pytest.skip("SQLite's database-wide write lock; PostgreSQL locks rows and waits")
    with fresh_database("rencai_sec_busy", tmp_path) as url:
        site_id, _, _ = populate(url, _fill)
        overrides = {"sqlite_busy_timeout_seconds": 0.2, "write_retry_attempts": 2}
        with live_server(url, tmp_path / "var", **overrides) as base:
            headers = bearer(base, "sec-coord", PASSWORD)
            holder = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                    busy = http.post("/api/v1/needs", json=_need_body(site_id, 1))
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                after = http.post("/api/v1/needs", json=_need_body(site_id, 2))
        assert busy.status_code == 503, busy.text
        assert busy.headers["retry-after"]
        error = busy.json()["error"]
        assert error["code"] == "database_busy" and "busy" in error["message"]
        assert set(error) == {"code", "message", "fields"}
        assert after.status_code == 201, after.text
        engine = make_engine(url)
        with Session(engine) as session:
            titles = list(session.scalars(select(Need.title).where(Need.site_id == site_id)))
        engine.dispose()
        assert "巡回义诊1" not in titles and "巡回义诊2" in titles
