"""A large demo population on disk, built once and reused by the benchmarks.

``prepared(talents, sites, seed)`` returns a data folder (SQLite file + embedding cache)
under ``var/bench/``; the first call generates and loads the population and fits the
matching engine once so every embedding is cached, later calls reuse it."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1] / "var" / "bench"
PASSWORD = "bench-password-2020"
SECRET = "bench-secret-key-0123456789abcdef0123456789"


def settings_for(data_dir: Path, **overrides: Any) -> Any:
    from service.settings import Settings

    values: dict[str, Any] = {
        "environment": "test",
        "data_dir": data_dir,
        "secret_key": SECRET,
        "warm_engine_on_start": False,
        "login_attempts_per_minute": 100_000,
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(**values)


def prepared(talents: int, sites: int, seed: int = 2020) -> tuple[Path, dict[str, float]]:
    """The folder of a ready population and the seconds each build step took (read from
    its marker when it was built by an earlier run)."""
    folder = ROOT / f"t{talents}-s{sites}-seed{seed}"
    marker = folder / "ready.json"
    if marker.exists():
        return folder, json.loads(marker.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rencai.db").unlink(missing_ok=True)
    timings = _build(folder, talents, sites, seed)
    marker.write_text(json.dumps(timings))
    return folder, timings


def _build(folder: Path, talents: int, sites: int, seed: int) -> dict[str, float]:
    from sqlalchemy.orm import Session

    from models.migrate import upgrade
    from seed.demo import generate_population, reference_from_seed
    from seed.load import load_reference
    from seed.load_demo import load_population
    from service.db import Database
    from service.engine import MatchingEngine
    from service.usecases.accounts import ensure_demo_accounts

    settings = settings_for(folder)
    url = settings.resolved_database_url
    timings: dict[str, float] = {}
    print(f"building a population of {talents} talents and {sites} sites in {folder} …", flush=True)
    started = time.perf_counter()
    upgrade(url)
    database = Database.from_settings(settings)
    with Session(database.engine) as session:
        load_reference(session=session)
        population = generate_population(
            n_sites=sites, n_talents=talents, seed=seed, reference=reference_from_seed()
        )
        load_population(population, session=session)
        ensure_demo_accounts(session=session, password=PASSWORD)
        session.commit()
    timings["generate_and_load_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    engine = MatchingEngine(settings, show_progress=True)
    with Session(database.engine) as session:
        engine.fit(session)
    timings["first_fit_s"] = round(time.perf_counter() - started, 1)
    timings["profiles_per_s_first_fit"] = round(talents / timings["first_fit_s"], 1)
    database.dispose()
    print(f"population ready: {timings}", flush=True)
    return timings
