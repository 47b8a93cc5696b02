"""A large demo population on disk, built once and reused by the benchmarks.

``prepared(talents, sites, seed)`` returns a data folder (SQLite file + embedding cache)
under ``var/bench/``; the first call generates and loads the population and fits the
matching engine once so every embedding is cached, later calls reuse it.

With ``RENCAI_BENCH_STAND_IN_VECTORS=1`` the population's embedding cache is filled with
stand-in vectors (character bigrams hashed into 512 dimensions, see
:class:`BigramVectors`) instead of USE encodings. Encoding 130,000 profiles with USE takes
tens of minutes on an idle 2-core machine and hours on a busy one, while page, API and
batch timings depend on how many rows the engine holds, not on what the vectors say. Such
a folder is named ``…-standin`` and its ``ready.json`` says so; the benchmarks print it,
and the real encoder's cost is measured on its own (``bench_encoder``, ``bench_matching``).
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1] / "var" / "bench"
# The day the benchmarks see the population on (``RENCAI_TODAY``): the demo's first day,
# so none of its needs (2025-01-01 to 2027-12-31) has expired. On the real date, later
# than some needs' ends, a run would first expire them and time fewer needs than it says
# (on 2026-12-04: 2,650 of 4,991).
AS_OF = date(2025, 1, 1)
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
        "today": AS_OF,
    }
    values.update(overrides)
    return Settings(**values)


STAND_IN_ENV = "RENCAI_BENCH_STAND_IN_VECTORS"


def stand_in_wanted() -> bool:
    """Whether this run asks for stand-in vectors (``RENCAI_BENCH_STAND_IN_VECTORS=1``)."""
    return os.environ.get(STAND_IN_ENV, "").strip().lower() in {"1", "true", "yes"}


class BigramVectors:
    """Unit vectors of hashed character uni- and bigrams (512 dimensions): texts sharing
    words lie close, as with real vectors, at microseconds a text. It answers the two
    calls :class:`matching.encoders.TextEncoder` makes of a model."""

    dimension = 512

    def get_embedding_dimension(self) -> int:
        return self.dimension

    def encode(self, texts: list[str], **_options: Any) -> Any:
        import numpy as np
        from sklearn.feature_extraction.text import HashingVectorizer

        hashed = HashingVectorizer(
            analyzer="char", ngram_range=(1, 2), n_features=self.dimension, norm="l2"
        ).transform(texts)
        vectors = np.asarray(hashed.toarray(), dtype=np.float32)
        vectors[~vectors.any(axis=1), 0] = 1.0  # a text of no characters still has a unit vector
        return vectors


def prepared(talents: int, sites: int, seed: int = 2020) -> tuple[Path, dict[str, Any]]:
    """The folder of a ready population and the seconds each build step took (read from
    its marker when it was built by an earlier run). The marker's ``vectors`` says
    whether the embeddings are USE's or stand-ins (see the module's docstring)."""
    stand_in = stand_in_wanted()
    folder = ROOT / f"t{talents}-s{sites}-seed{seed}{'-standin' if stand_in else ''}"
    marker = folder / "ready.json"
    if marker.exists():
        # A population built before a later migration (a new index, say) gets it now, so
        # the benchmark times the schema the code expects.
        from models.migrate import upgrade

        upgrade(settings_for(folder).resolved_database_url)
        return folder, json.loads(marker.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rencai.db").unlink(missing_ok=True)
    timings = _build(folder, talents, sites, seed, stand_in=stand_in)
    marker.write_text(json.dumps(timings))
    return folder, timings


def _stand_in_encoder(settings: Any) -> Any:
    """USE's encoder over the population's own embedding cache, whose model is
    :class:`BigramVectors`: the cache then holds stand-ins under USE's id, so every later
    fit over this folder finds them (the folder is marked ``-standin``)."""
    from matching.cache import EmbeddingCache
    from matching.encoders import TextEncoder

    config = settings.matching_config()
    encoder = TextEncoder(
        config.encoder,
        show_progress=False,
        cache=EmbeddingCache(config.embedding_cache_dir),
    )
    encoder._model = BigramVectors()  # the one model call the encoder makes
    return encoder


def _build(
    folder: Path, talents: int, sites: int, seed: int, *, stand_in: bool = False
) -> dict[str, Any]:
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
    timings: dict[str, Any] = {"vectors": "stand-in (bigram hash)" if stand_in else "use"}
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
    if stand_in:
        engine._encoder = _stand_in_encoder(settings)
    with Session(database.engine) as session:
        engine.fit(session)
    timings["first_fit_s"] = round(time.perf_counter() - started, 1)
    timings["profiles_per_s_first_fit"] = round(talents / timings["first_fit_s"], 1)
    database.dispose()
    print(f"population ready: {timings}", flush=True)
    return timings


def running_need_ids(folder: Path) -> list[int]:
    """Ids of the population's open needs still running on :data:`AS_OF`, ascending: a
    need past its end date answers 409 (it takes no proposals), so a timing must not ask
    for it."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{folder / 'rencai.db'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT id FROM need WHERE status = 'open' AND end_date >= :today ORDER BY id"
                ),
                {"today": AS_OF.isoformat()},
            )
            return [int(row[0]) for row in rows]
    finally:
        engine.dispose()
