"""Benchmark of one whole batch run: retrieve + constraints + solve + write proposals.

A demo population (about 2.25 needs per site; 2,222 sites give 5,000 needs) over
100,000 talents is generated into a SQLite data folder under ``var/bench/`` once, then
each measurement runs in a fresh process: fit the engine, then ``run_batch`` over every
county (optimal mode, proposals written). Printed: the run's end-to-end seconds and
its phases, the peak RSS of the process, and the retrieval per need against one engine
call per need on a sample (the path before batched retrieval).

The vectors are synthetic: each text's hashed character uni- and bigrams (512 buckets,
L2-normalised) stand in for the sentence encoder, because encoding 100,000 profiles
with the real one takes many minutes on 2 cores. Retrieval, scoring, constraints, the
solver and the writes are the real ones. The real encoder's cost is measured on a
sample of the run's need texts in a process of its own and reported separately.

Run: ``.venv/bin/python -m benchmarks.bench_batch [--talents T --sites S]``; writes
``benchmarks/results/bench_batch.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import queue as queue_module
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.population import ROOT, settings_for

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_SECONDS = 60.0
TARGET_PEAK_GIB = 4.0
SYNTHETIC_DIMENSION = 512
# Needs timed one engine call at a time (the path before batched retrieval).
PER_NEED_SAMPLE = 200
ENCODE_SAMPLE = 200


def synthetic_vectors(texts: list[str]) -> np.ndarray:
    """Unit vectors of hashed character uni- and bigrams: texts sharing words get close
    vectors, as with an encoder, at a tiny fraction of the cost."""
    from sklearn.feature_extraction.text import HashingVectorizer

    hashed = HashingVectorizer(
        analyzer="char", ngram_range=(1, 2), n_features=SYNTHETIC_DIMENSION, norm="l2"
    ).transform(texts)
    vectors = np.asarray(hashed.toarray(), dtype=np.float32)
    empty = ~vectors.any(axis=1)
    vectors[empty, 0] = 1.0
    return vectors


def use_synthetic_encoder() -> None:
    """Every encoder of this process returns :func:`synthetic_vectors` (nothing loads)."""
    from matching.encoders import TextEncoder

    def encode(self: Any, texts: list[str], *, show_progress: bool) -> np.ndarray:
        return synthetic_vectors(texts)

    TextEncoder._encode_uncached = encode  # type: ignore[method-assign]


def prepared(talents: int, sites: int, seed: int = 2020) -> tuple[Path, float]:
    """A data folder with the population loaded (built on first use) and the seconds
    its build took."""
    folder = ROOT / f"batch-t{talents}-s{sites}-seed{seed}-synthetic"
    marker = folder / "ready.json"
    if marker.exists():
        return folder, float(json.loads(marker.read_text())["build_s"])
    from sqlalchemy.orm import Session

    from models.migrate import upgrade
    from seed.demo import generate_population, reference_from_seed
    from seed.load import load_reference
    from seed.load_demo import load_population
    from service.db import Database

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rencai.db").unlink(missing_ok=True)
    settings = settings_for(folder)
    print(f"building {talents} talents and {sites} sites in {folder} …", flush=True)
    started = time.perf_counter()
    upgrade(settings.resolved_database_url)
    database = Database.from_settings(settings)
    with Session(database.engine) as session:
        load_reference(session=session)
        population = generate_population(
            n_sites=sites, n_talents=talents, seed=seed, reference=reference_from_seed()
        )
        load_population(population, session=session)
        session.commit()
    database.dispose()
    build = round(time.perf_counter() - started, 1)
    marker.write_text(json.dumps({"build_s": build}))
    return folder, build


def measure_run(folder: Path) -> dict[str, Any]:
    """Fit, time the per-need path on a sample, then one whole run (this process), on a
    scratch copy of the database so that every measurement starts from the same needs."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from models import Match
    from service.db import Database
    from service.engine import MatchingEngine
    from service.usecases import batch
    from service.usecases.batch.candidates import scope_needs

    use_synthetic_encoder()
    scratch = folder / "scratch"
    scratch.mkdir(exist_ok=True)
    # A journal left by an earlier copy must not be replayed onto the fresh one.
    for leftover in scratch.glob("rencai.db*"):
        leftover.unlink()
    shutil.copyfile(folder / "rencai.db", scratch / "rencai.db")
    settings = settings_for(scratch)
    database = Database.from_settings(settings)
    engine = MatchingEngine(settings)
    started = time.perf_counter()
    with Session(database.engine) as session:
        engine.fit(session)
    fit_seconds = time.perf_counter() - started
    with Session(database.engine) as session:
        needs = scope_needs(session, None)
        per_need = []
        for need in needs[:PER_NEED_SAMPLE]:
            started = time.perf_counter()
            engine.recommend_talents(session, need, k=30)
            per_need.append(time.perf_counter() - started)
    with Session(database.engine) as session:
        started = time.perf_counter()
        done = batch.run_batch(session=session, engine=engine, actor=None, county=None)
        end_to_end = time.perf_counter() - started
        proposals = session.scalar(select(func.count(Match.id)).where(Match.run_id == done.run.id))
    database.dispose()
    timings = done.report.timings
    return {
        "talents": len(engine._talent_ids),
        "needs": len(needs),
        "proposals": int(proposals or 0),
        "fit_seconds": round(fit_seconds, 2),
        "end_to_end_seconds": round(end_to_end, 2),
        "candidate_seconds": round(timings.candidate_seconds, 2),
        "solver_seconds": round(timings.solver_seconds, 2),
        "diagnosis_seconds": round(timings.diagnosis_seconds, 2),
        "report_total_seconds": round(timings.total_seconds, 2),
        "retrieval_ms_per_need_batched": round(
            1000 * timings.candidate_seconds / max(len(needs), 1), 2
        ),
        "retrieval_ms_per_need_one_by_one": round(1000 * statistics.median(per_need), 2)
        if per_need
        else None,
        "peak_rss_gib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 3),
    }


def measure_encoder(folder: Path) -> dict[str, Any]:
    """The real encoder on a sample of the run's need texts (model load excluded)."""
    from sqlalchemy.orm import Session

    from matching.encoders import TextEncoder
    from matching.text import need_text
    from service.db import Database
    from service.usecases.batch.candidates import scope_needs

    settings = settings_for(folder)
    database = Database.from_settings(settings)
    with Session(database.engine) as session:
        needs = scope_needs(session, None)[:ENCODE_SAMPLE]
    database.dispose()
    config = settings.matching_config()
    texts = [need_text(n, config) for n in needs]
    encoder = TextEncoder(settings.encoder, show_progress=False)
    encoder.encode(["预热 warm-up"])
    started = time.perf_counter()
    encoder.encode(texts)
    seconds = time.perf_counter() - started
    return {"encoder": settings.encoder, "texts": len(texts), "per_second": len(texts) / seconds}


def _child(target: Any, folder: Path, queue: Any) -> None:
    queue.put(target(folder))


def _in_fresh_process(target: Any, folder: Path) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(target, folder, queue))
    process.start()
    while True:
        try:
            row: dict[str, Any] = queue.get(timeout=10)
            break
        except queue_module.Empty:
            if not process.is_alive():  # it failed: its traceback is on stderr
                raise RuntimeError(f"{target.__name__} failed in its process") from None
    process.join()
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=2_222)
    parser.add_argument("--repeats", type=int, default=1, help="runs; the median is kept")
    parser.add_argument("--no-encoder", action="store_true", help="skip the encoder sample")
    args = parser.parse_args(argv)
    folder, build_seconds = prepared(args.talents, args.sites)
    runs = [_in_fresh_process(measure_run, folder) for _ in range(args.repeats)]
    row = sorted(runs, key=lambda r: r["end_to_end_seconds"])[len(runs) // 2]
    row["population_build_seconds"] = build_seconds
    row["within_target"] = (
        row["end_to_end_seconds"] <= TARGET_SECONDS and row["peak_rss_gib"] <= TARGET_PEAK_GIB
    )
    print(
        f"batch run, {row['needs']} needs x {row['talents']} talents (synthetic vectors): "
        f"end to end {row['end_to_end_seconds']:.1f} s (candidates {row['candidate_seconds']:.1f}, "
        f"solver {row['solver_seconds']:.1f}, diagnosis {row['diagnosis_seconds']:.1f}), "
        f"peak RSS {row['peak_rss_gib']:.2f} GiB, engine fit {row['fit_seconds']:.1f} s; "
        f"retrieval {row['retrieval_ms_per_need_batched']:.2f} ms/need batched vs "
        f"{row['retrieval_ms_per_need_one_by_one']} ms/need one call each; target "
        f"(<= {TARGET_SECONDS:.0f} s, <= {TARGET_PEAK_GIB:.0f} GiB) "
        f"{'met' if row['within_target'] else 'MISSED'}",
        flush=True,
    )
    if not args.no_encoder:
        encode = _in_fresh_process(measure_encoder, folder)
        row["encoder"] = encode
        print(
            f"  encode cost (real encoder {encode['encoder']}, {encode['texts']} need texts): "
            f"{encode['per_second']:.0f} texts/s, so {row['needs'] / encode['per_second']:.1f} s "
            f"more for this run's needs were they not cached",
            flush=True,
        )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "bench_batch.json"
    payload = {
        "benchmark": "batch",
        "targets": {"seconds": TARGET_SECONDS, "peak_rss_gib": TARGET_PEAK_GIB},
        "vectors": "synthetic (hashed character n-grams); encoder cost reported separately",
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "runs": runs,
        "result": row,
    }
    out.write_text(json.dumps(payload, indent=2))
    print(f"wrote {out}")
    return 0 if row["within_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
