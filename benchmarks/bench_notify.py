"""Notification outbox: delivery latency and the cost it adds to a lifecycle step.

Builds a small SQLite database in a temporary folder (reference data, one site, talents
with logins and e-mail addresses), starts a real SMTP server (aiosmtpd) and a real HTTP
group robot, and runs the in-process worker thread as `rencai serve` does. Then it moves
``--steps`` proposed matches to ``interested`` (the talent's step, which notifies the
site's staff by in-app, e-mail and webhook). The first half, with the worker not yet
started, alternates steps with the outbox writes and steps without them (the outbox call
replaced by nothing): the cost of the writes alone. The second half runs with the worker
and times each delivery.

Prints and writes ``benchmarks/results/notify.json``: p50/p95 of delivery latency
(commit → channel accepted, from the delivery's ``created_at`` and ``sent_at``) and the
mean/p95 time of a lifecycle step with and without the outbox writes.

Run: ``.venv/bin/python -m benchmarks.bench_notify --steps 200``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
PASSWORD = "bench-notify-password-2020"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def build(folder: Path, steps: int) -> tuple[str, list[int]]:
    """Database with ``steps`` proposed matches, each with a talent login. Returns the
    URL and the match ids."""
    from sqlalchemy.orm import Session

    from models import Match, Need, NotificationPreference, Site, Talent
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
            external_id="BN-S1",
            name="双柏县大庄镇卫生院",
            site_type="township_health_center",
            county_code="532322",
            lat=24.6,
            lon=101.6,
            email="site@example.cn",
        )
        session.add(site)
        session.flush()
        staff = accounts.create(
            session=session,
            username="bench-site",
            password=PASSWORD,
            role=Role.SITE_STAFF,
            display_name="卫生院",
            site_id=site.id,
        )
        session.add(NotificationPreference(user_id=staff.id, email="site@example.cn"))
        start = date.today() + timedelta(days=30)
        need = Need(
            external_id="BN-N1",
            site_id=site.id,
            title="慢病管理培训",
            description="请全科医生来院指导慢病管理",
            skills=[],
            mode="onsite_short",
            start_date=start,
            end_date=start + timedelta(days=90),
            headcount=steps,
            days_needed=1,
        )
        session.add(need)
        talents = [
            Talent(
                external_id=f"BN-T{i}",
                name=f"医生{i}",
                category="general_practitioner",
                bio="全科医生",
                base_lat=24.7,
                base_lon=101.6,
                travel_radius_km=300,
                modes=["onsite_short"],
                email=f"t{i}@example.cn",
            )
            for i in range(steps)
        ]
        session.add_all(talents)
        session.flush()
        for talent in talents:
            accounts.create(
                session=session,
                username=f"bench-t{talent.id}",
                password=PASSWORD,
                role=Role.TALENT,
                display_name=talent.name,
                talent_id=talent.id,
            )
        matches = [
            Match(need_id=need.id, talent_id=t.id, status="proposed", origin="site")
            for t in talents
        ]
        session.add_all(matches)
        session.commit()
        ids = [m.id for m in matches]
    engine.dispose()
    return url, ids


def robot() -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            answer = b'{"errcode":0}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/send"


def step(database: Any, actor: Any, match_id: int) -> int:
    """One lifecycle step, run again when SQLite's write lock was lost to the worker (as
    the app's WriteRetry middleware does for a request); how many retries it took."""
    from sqlalchemy.exc import OperationalError

    from service.errors import AppError
    from service.usecases import matches

    for attempt in range(10):
        try:
            with database.session() as session:
                matches.transition(
                    session=session, actor=actor, match_id=match_id, action="interest"
                )
            return attempt
        except (OperationalError, AppError) as exc:
            if isinstance(exc, AppError) and exc.status != 409:
                raise
            time.sleep(0.01 * 2**attempt)
    raise RuntimeError(f"match {match_id}: the step failed 10 times")


def run(steps: int, folder: Path) -> dict[str, Any]:
    import socket

    from aiosmtpd.controller import Controller
    from sqlalchemy import select

    from models import Delivery, Match, User
    from service import notify
    from service.actor import Actor
    from service.db import Database
    from service.notify import worker as worker_mod
    from service.settings import Settings

    url, match_ids = build(folder, steps)

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        smtp_port = int(sock.getsockname()[1])
    smtp = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    http, hook = robot()
    settings = Settings(
        database_url=url,
        data_dir=folder,
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        webhook_url=hook,
        notify_poll_seconds=1.0,
    )
    database = Database.from_settings(settings)
    runner = worker_mod.Worker.from_settings(database.sessions, settings)
    thread: threading.Thread | None = None
    half = len(match_ids) // 2
    worker_started = datetime.now(UTC)
    real_match_event = notify.match_event
    timings: dict[str, list[float]] = {"with": [], "without": []}
    retries = 0
    try:
        with database.session() as session:
            talent_user = {
                u.talent_id: Actor.of(u)
                for u in session.scalars(select(User).where(User.talent_id.is_not(None)))
            }
            talent_of = {m: t for m, t in session.execute(select(Match.id, Match.talent_id))}
        for i, match_id in enumerate(match_ids):
            if i == half:  # the first half times the step alone; the second, delivery
                worker_started = datetime.now(UTC)
                thread = worker_mod.start_thread(runner)
            outbox_on = i % 2 == 0 or i >= half
            notify.match_event = real_match_event if outbox_on else (lambda *a, **k: [])  # type: ignore[assignment]
            actor = talent_user[talent_of[match_id]]
            started = time.perf_counter()
            retries += step(database, actor, match_id)
            if i < half:
                timings["with" if outbox_on else "without"].append(
                    (time.perf_counter() - started) * 1000
                )
            time.sleep(0.02)
        notify.match_event = real_match_event
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with database.session() as session:
                pending = session.scalars(
                    select(Delivery.id).where(Delivery.status == "pending").limit(1)
                ).first()
            if pending is None:
                break
            time.sleep(0.1)
        with database.session() as session:
            rows = session.execute(
                select(Delivery.created_at, Delivery.sent_at, Delivery.status)
            ).all()
    finally:
        notify.match_event = real_match_event
        runner.stop()
        if thread is not None:
            thread.join(10)
        smtp.stop()
        http.shutdown()
        database.dispose()
    latencies = [
        (sent - created).total_seconds() * 1000
        for created, sent, _ in rows
        if sent and created >= worker_started
    ]
    with_ms, without_ms = timings["with"], timings["without"]
    return {
        "benchmark": "notify",
        "steps": steps,
        "deliveries": len(rows),
        "sent": sum(1 for _, sent, _ in rows if sent),
        "timed_deliveries": len(latencies),
        "delivery_latency_ms": {
            "p50": round(percentile(latencies, 0.5), 1),
            "p95": round(percentile(latencies, 0.95), 1),
        },
        "step_ms_with_outbox": {
            "median": round(statistics.median(with_ms), 2),
            "p95": round(percentile(with_ms, 0.95), 2),
        },
        "step_ms_without_outbox": {
            "median": round(statistics.median(without_ms), 2),
            "p95": round(percentile(without_ms, 0.95), 2),
        },
        "retried_steps": retries,
        "added_ms_median": round(statistics.median(with_ms) - statistics.median(without_ms), 2),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=200, help="lifecycle steps (even)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "notify.json", help="result file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-notify-") as tmp:
        result = run(max(2, args.steps), Path(tmp))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0 if result["sent"] == result["deliveries"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
