"""Batch runs as background jobs against a live server on its own database: the
request only queues a run and the server's job runner carries it out, with progress
from 0 to 100 read over HTTP; a cancel stops a running job with nothing written; the
CLI follows a run with a bar; and a `rencai serve` killed with SIGKILL mid-run leaves a
run the next start-up marks failed with its reason."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from models import Match, MatchRun
from models.db import make_engine
from models.enums import Role, RunStatus
from service.settings import Settings
from service.usecases import accounts
from tests.conftest import DEMO_SEED, DEMO_SITES, DEMO_TALENTS, DEMO_TODAY
from tests.security.live import bearer, free_port, fresh_database, live_server, populate

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "jobs-live-password-2026"
LEASE_SECONDS = 2


def _demo(session: Session) -> None:
    from seed.demo import generate_population, reference_from_seed
    from seed.load_demo import load_population

    # The suite's own demo population: its texts are already in the shared engine's
    # embedding cache, so nothing is encoded again.
    population = generate_population(
        n_sites=DEMO_SITES, n_talents=DEMO_TALENTS, seed=DEMO_SEED, reference=reference_from_seed()
    )
    load_population(population, session=session)
    accounts.create(
        session=session,
        username="jobs-coord",
        password=PASSWORD,
        role=Role.COORDINATOR,
        display_name="州协调员",
    )


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, matching_engine: Any, app_settings: Settings
) -> Iterator[tuple[str, Path, Path]]:
    """A populated database of its own, and the shared engine's embedding cache."""
    folder = tmp_path_factory.mktemp("jobs-live")
    with fresh_database("rencai_jobs_live", folder) as url:
        populate(url, _demo)
        yield url, folder, app_settings.data_dir / "embeddings"


def _runs(url: str) -> list[MatchRun]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(MatchRun).order_by(MatchRun.id)))
    finally:
        engine.dispose()


def _written(url: str, run_id: int) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(
                session.scalar(select(func.count(Match.id)).where(Match.run_id == run_id)) or 0
            )
    finally:
        engine.dispose()


def _follow(http: httpx.Client, run_id: int, timeout: float = 600) -> tuple[dict, list[int]]:
    """Poll the run until it ends; its last state and every percent seen."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while True:
        body = http.get(f"/api/v1/runs/{run_id}").json()
        seen.append(body["progress"]["percent"])
        if body["status"] not in ("queued", "running"):
            return body, seen
        assert time.monotonic() < deadline, f"run {run_id} did not end: {body}"
        time.sleep(0.05)


def _server(url: str, folder: Path, embeddings: Path) -> Any:
    return live_server(
        url,
        folder / "var",
        job_worker=True,
        job_poll_seconds=0.2,
        job_lease_seconds=LEASE_SECONDS,
        today=DEMO_TODAY,
        matching={"embedding_cache_dir": str(embeddings)},
    )


@pytest.mark.slow
def test_runs_are_background_jobs_with_progress_cancel_preview_and_confirm(
    world: tuple[str, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, folder, embeddings = world
    with _server(url, folder, embeddings) as base:
        headers = bearer(base, "jobs-coord", PASSWORD)
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            # A running job is stopped by a cancel, with nothing of it written.
            started = http.post("/api/v1/runs", json={"candidates_per_need": 200})
            assert started.status_code == 201, started.text
            victim = started.json()
            assert victim["status"] == "queued", "the request only queues the run"
            while True:
                body = http.get(f"/api/v1/runs/{victim['id']}").json()
                assert body["status"] in ("queued", "running"), body
                if body["status"] == "running" and body["progress"]["percent"] > 0:
                    break
                time.sleep(0.02)
            assert http.post(f"/api/v1/runs/{victim['id']}/cancel").status_code == 200
            stopped, _ = _follow(http, victim["id"])
            assert stopped["status"] == "cancelled", stopped
            assert stopped["report"]["reason"] == "cancelled"
            assert _written(url, victim["id"]) == 0

            # A preview in the background: progress from 0 to 100, never backwards.
            queued = http.post("/api/v1/runs", json={"dry_run": True}).json()
            assert queued["status"] == "queued" and queued["progress"]["percent"] == 0
            preview, seen = _follow(http, queued["id"])
            assert preview["status"] == "succeeded", preview
            assert seen[0] < 100 and seen[-1] == 100 and seen == sorted(seen), seen
            assert any(0 < p < 100 for p in seen), seen
            listed = http.get(f"/api/v1/runs/{queued['id']}/proposals").json()
            assert listed and _written(url, queued["id"]) == 0

            # The CLI follows a run carried out by the server, to its end.
            monkeypatch.setenv("RENCAI_DATABASE_URL", url)
            monkeypatch.setenv("RENCAI_DATA_DIR", str(folder / "var"))
            confirmed = http.post(f"/api/v1/runs/{queued['id']}/confirm").json()
            from service.cli import app

            watched = CliRunner().invoke(app, ["match", "watch", str(confirmed["id"])])
            assert watched.exit_code == 0, watched.output
            assert "fill rate" in watched.output
            done, _ = _follow(http, confirmed["id"])
            assert done["status"] == "succeeded" and done["preview_of"] == queued["id"]
            assert _written(url, confirmed["id"]) == len(listed) == done["report"]["proposed"]


def _serve(url: str, folder: Path, embeddings: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENCAI_")}
    env.update(
        PYTHONPATH=str(REPO),
        RENCAI_DATABASE_URL=url,
        RENCAI_DATA_DIR=str(folder / "var-serve"),
        RENCAI_JOB_LEASE_SECONDS=str(LEASE_SECONDS),
        RENCAI_JOB_WORKER="true",
        RENCAI_NOTIFY_WORKER="false",
        RENCAI_ENVIRONMENT="test",
        RENCAI_TODAY=DEMO_TODAY.isoformat(),
        RENCAI_SECRET_KEY="jobs-live-secret-key-0123456789abcdef",
        RENCAI_MATCHING=json.dumps({"embedding_cache_dir": str(embeddings)}),
    )
    return subprocess.Popen(  # nosec B603: a fixed argument list, no shell
        [sys.executable, "-m", "service", "serve", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.slow
def test_a_serve_killed_mid_job_leaves_a_run_failed_at_the_next_start_with_its_reason(
    world: tuple[str, Path, Path],
) -> None:
    url, folder, embeddings = world
    port = free_port()
    victim = _serve(url, folder, embeddings, port)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert victim.poll() is None, (victim.stdout.read() if victim.stdout else b"")[-2000:]
            assert time.monotonic() < deadline, "rencai serve did not start"
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        headers = bearer(base, "jobs-coord", PASSWORD)
        started = httpx.post(
            f"{base}/api/v1/runs", json={"candidates_per_need": 200}, headers=headers, timeout=60
        )
        assert started.status_code == 201, started.text
        run_id = started.json()["id"]
        # Kill as soon as the server's runner thread has claimed the job: a run over the
        # demo population takes about a second, and waiting for its first progress
        # left so little of it that the run sometimes finished before the kill.
        while True:
            assert victim.poll() is None
            assert time.monotonic() < deadline + 300, "the job never started"
            [run] = [r for r in _runs(url) if r.id == run_id]
            if run.status == RunStatus.RUNNING.value:
                break
            assert run.status in (RunStatus.QUEUED.value, RunStatus.RUNNING.value), run.report
            time.sleep(0.05)
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait(timeout=30)
    [killed] = [r for r in _runs(url) if r.id == run_id]
    assert killed.status == RunStatus.RUNNING.value  # nobody could say otherwise

    # The next start marks it failed, with its reason in plain words; nothing written.
    restarted = live_server(url, folder / "var", job_lease_seconds=LEASE_SECONDS, job_worker=False)
    with restarted as base2:
        shown = httpx.get(
            f"{base2}/api/v1/runs/{run_id}", headers=bearer(base2, "jobs-coord", PASSWORD)
        ).json()
    assert shown["status"] == RunStatus.FAILED.value
    assert shown["report"]["reason"] == "abandoned"
    assert "no heartbeat since" in shown["report"]["error"]
    assert "没有心跳" in shown["report"]["error_zh"]
    assert _written(url, run_id) == 0
