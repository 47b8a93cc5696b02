"""Concurrent writers against a real `rencai serve` on the embedded SQLite database.

Builds a small database in a temporary folder (migrations, reference data, one site,
talents, a coordinator), starts `rencai serve` (``python -m service serve``) on a free
loopback port over it, and runs ``--writers`` client threads for ``--seconds``. Each
writer loops: create a need, rename it, propose a talent for it, and send that same
proposal a second time (a double submission, which must be refused with 409). Every
request is a write transaction competing for SQLite's single write lock.

Prints the counts by HTTP status and writes ``benchmarks/results/writers.json``.
Expected: no response ≥ 500; writers wait for the lock (busy timeout, then a retried
transaction) instead of failing. Exits 1 when any response is ≥ 500.

Run: ``.venv/bin/python -m benchmarks.bench_writers --writers 8 --seconds 30``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess  # nosec B404: starts the server under test, fixed arguments
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]
PASSWORD = "bench-writers-password-2020"
SECRET = "bench-writers-secret-0123456789abcdef0123456789"
MAX_SECONDS = 600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_database(folder: Path, talents: int) -> tuple[str, int, list[int]]:
    """A fresh SQLite database: reference data, one site, ``talents`` talents and a
    prefecture coordinator. Returns (url, site id, talent ids)."""
    from sqlalchemy.orm import Session

    from models import Site, Talent
    from models.db import make_engine
    from models.enums import Role
    from models.migrate import upgrade
    from seed.load import load_reference
    from service.usecases import accounts

    url = f"sqlite:///{folder / 'rencai.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        site = Site(
            external_id="BW-S1",
            name="双柏县大庄镇卫生院",
            site_type="township_health_center",
            county_code="532322",
            lat=24.6,
            lon=101.6,
        )
        people = [
            Talent(
                external_id=f"BW-T{i}",
                name=f"压测医生{i}",
                category="general_practitioner",
                bio="全科医生",
                base_lat=24.7,
                base_lon=101.6,
                travel_radius_km=300,
                modes=["onsite_short"],
                capacity_concurrent=100_000,
                capacity_days_per_year=366,
            )
            for i in range(talents)
        ]
        session.add(site)
        session.add_all(people)
        accounts.create(
            session=session,
            username="bench-coord",
            password=PASSWORD,
            role=Role.COORDINATOR,
            display_name="压测协调员",
        )
        session.commit()
        ids = (site.id, [t.id for t in people])
    engine.dispose()
    return url, ids[0], ids[1]


def serve(folder: Path, url: str, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENCAI_")}
    env.update(
        PYTHONPATH=str(REPO),
        RENCAI_DATA_DIR=str(folder),
        RENCAI_DATABASE_URL=url,
        RENCAI_SECRET_KEY=SECRET,
        RENCAI_ENVIRONMENT="test",
        RENCAI_WARM_ENGINE_ON_START="false",
        RENCAI_LOG_LEVEL="WARNING",
        RENCAI_LOGIN_ATTEMPTS_PER_MINUTE="100000",
    )
    return subprocess.Popen(  # nosec B603: a fixed argument list, no shell
        [sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout_s: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            err = server.stderr.read().decode() if server.stderr else ""
            raise RuntimeError(f"rencai serve exited: {err[-2000:]}")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError("rencai serve did not answer in time")


def _need(site_id: int, n: int) -> dict[str, Any]:
    start = date.today() + timedelta(days=20)
    return {
        "site_id": site_id,
        "title": f"巡回义诊{n}",
        "description": "乡镇卫生院巡回义诊与带教",
        "mode": "onsite_short",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=20)).isoformat(),
        "days_needed": 1,
        "headcount": 2,
    }


def run_writers(
    base: str, token: str, site_id: int, talent_ids: list[int], writers: int, seconds: float
) -> dict[str, Any]:
    import httpx

    codes: Counter[int] = Counter()
    by_kind: dict[str, Counter[int]] = {}
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    barrier = threading.Barrier(writers)

    def record(kind: str, response: httpx.Response, took: float) -> None:
        with lock:
            codes[response.status_code] += 1
            by_kind.setdefault(kind, Counter())[response.status_code] += 1
            latencies.append(took * 1000)
            if response.status_code >= 500 and len(failures) < 20:
                failures.append(f"{kind} {response.status_code}: {response.text[:300]}")

    def writer(w: int) -> None:
        headers = {"authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
            barrier.wait()
            n = 0
            while time.monotonic() < stop_at:
                n += 1

                def call(kind: str, method: str, path: str, body: dict[str, Any]) -> Any:
                    t0 = time.perf_counter()
                    response = http.request(method, path, json=body)
                    record(kind, response, time.perf_counter() - t0)
                    return response

                created = call("create_need", "POST", "/api/v1/needs", _need(site_id, n))
                if created.status_code != 201:
                    continue
                need_id = created.json()["id"]
                call("rename_need", "PATCH", f"/api/v1/needs/{need_id}", {"title": f"改{w}-{n}"})
                proposal = {"need_id": need_id, "talent_id": talent_ids[(w + n) % len(talent_ids)]}
                call("propose", "POST", "/api/v1/matches", proposal)
                call("propose_again", "POST", "/api/v1/matches", proposal)

    started = time.perf_counter()
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    total = sum(codes.values())
    return {
        "writers": writers,
        "seconds": round(wall, 2),
        "requests": total,
        "writes_per_second": round(total / wall, 1) if wall else 0.0,
        "by_status": {str(k): v for k, v in sorted(codes.items())},
        "by_request": {
            kind: {str(k): v for k, v in sorted(c.items())} for kind, c in by_kind.items()
        },
        "responses_5xx": sum(v for k, v in codes.items() if k >= 500),
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1)
        if ordered
        else None,
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long they write")
    parser.add_argument("--talents", type=int, default=50, help="talents to propose")
    parser.add_argument(
        "--out", type=Path, default=RESULTS_DIR / "writers.json", help="result file"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.writers <= 64 or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--writers 1..64 and --seconds up to {MAX_SECONDS}")
    import httpx

    with tempfile.TemporaryDirectory(prefix="bench-writers-") as tmp:
        folder = Path(tmp)
        url, site_id, talent_ids = build_database(folder, args.talents)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = serve(folder, url, port)
        try:
            wait_ready(base, server)
            token = httpx.post(
                f"{base}/api/v1/auth/login",
                json={"username": "bench-coord", "password": PASSWORD},
                timeout=30,
            ).json()["access_token"]
            result = run_writers(base, token, site_id, talent_ids, args.writers, args.seconds)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    result.update(
        database="sqlite",
        python=platform.python_version(),
        machine=platform.machine(),
        cpus=os.cpu_count(),
        finished=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(
        f"{result['requests']} writes in {result['seconds']} s by {result['writers']} writers "
        f"({result['writes_per_second']}/s, p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms)"
    )
    for status, count in result["by_status"].items():
        print(f"  HTTP {status}: {count}")
    print(f"  responses >= 500: {result['responses_5xx']} (expected 0)")
    for line in result["failures"][:5]:
        print(f"    {line}")
    print(f"wrote {args.out}")
    return 1 if result["responses_5xx"] else 0


if __name__ == "__main__":
    sys.exit(main())
