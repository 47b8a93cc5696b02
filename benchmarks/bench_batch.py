"""Benchmark of one whole batch run: retrieve + constraints + solve + write proposals.

The population is the benchmarks' shared one (``benchmarks.population``: about 2.25
needs per site, so 2,222 sites give 5,000 needs; 100,000 talents by default), its
SQLite file and embedding cache built once under ``var/bench/``. Each measurement runs in
a fresh process on a scratch copy of the database: fit the engine (from the embedding
cache), time one engine call per need on a sample (the path before batched retrieval),
then ``run_batch`` over every county (optimal mode, proposals written).

Printed and written to ``benchmarks/results/bench_batch.json``: the run's end-to-end
seconds and its phases (retrieve: the candidates of every need; constraints: the
assignment problem with capacities, days and what earlier matches hold; solve; write:
explaining the proposals and writing them with their events, impressions and the
report), the number of needs, the peak RSS of the process (fit included), and whether
the run meets <= 60 s and <= 4 GiB.

When the population's marker says its vectors are stand-ins (``RENCAI_BENCH_STAND_IN_
VECTORS``), the encoder is the same stand-in here, so no text is encoded by USE; the
real encoder's cost on a sample of the need texts is measured in a process of its own.

Run: ``.venv/bin/python -m benchmarks.bench_batch [--talents T --sites S]``.
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
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.population import prepared, settings_for

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_SECONDS = 60.0
TARGET_PEAK_GIB = 4.0
# Needs timed one engine call at a time (the path before batched retrieval).
PER_NEED_SAMPLE = 50
ENCODE_SAMPLE = 200


def use_stand_in_encoder() -> None:
    """Every encoder of this process encodes with the population's stand-in model, so a
    text missing from the cache is not sent to USE either."""
    from benchmarks.population import BigramVectors
    from matching.encoders import TextEncoder

    model = BigramVectors()

    def encode(self: Any, texts: list[str], *, show_progress: bool) -> Any:
        return model.encode(texts)

    TextEncoder._encode_uncached = encode  # type: ignore[method-assign]


# Each phase and the steps of ``service.usecases.batch.job`` it is made of.
PHASES: dict[str, tuple[str, ...]] = {
    "retrieve": ("gather",),
    "constraints": ("build_instance", "states_of"),
    "solve": ("solve",),
    "diagnosis": ("diagnose",),
    "write": ("explain", "proposals_from", "write_proposals", "write_impressions"),
}


@contextmanager
def timed_steps() -> Iterator[dict[str, float]]:
    """Seconds spent in each step of a run (names of :data:`PHASES`; ``<name>_cpu``
    the process's CPU seconds in it, which other loads on a shared machine inflate
    less), by wrapping the functions the job calls; the job's own code is unchanged."""
    from service.usecases.batch import candidates, job, solve

    seconds: dict[str, float] = defaultdict(float)
    targets = {
        "gather": (candidates, "gather"),
        "explain": (candidates, "explain"),
        "solve": (solve, "solve"),
        "build_instance": (job, "build_instance"),
        "states_of": (job, "states_of"),
        "diagnose": (job, "diagnose"),
        "proposals_from": (job, "proposals_from"),
        "write_proposals": (job, "write_proposals"),
        "write_impressions": (job, "write_impressions"),
    }
    originals = {name: getattr(module, attr) for name, (module, attr) in targets.items()}

    def timing(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - started
                seconds[f"{name}_cpu"] += time.process_time() - cpu

        return run

    for name, (module, attr) in targets.items():
        setattr(module, attr, timing(name, originals[name]))
    try:
        yield seconds
    finally:
        for name, (module, attr) in targets.items():
            setattr(module, attr, originals[name])


def _peak_gib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 3)


def measure_run(folder: Path, per_need_sample: int = PER_NEED_SAMPLE) -> dict[str, Any]:
    """Fit, time the per-need path on a sample, then one whole run (this process), on a
    scratch copy of the database so that every measurement starts from the same needs."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from models import Match
    from service.db import Database
    from service.engine import MatchingEngine
    from service.usecases import batch
    from service.usecases.batch.candidates import scope_needs

    if _stand_in(folder):
        use_stand_in_encoder()
    scratch = folder / "scratch"
    scratch.mkdir(exist_ok=True)
    # A journal left by an earlier copy must not be replayed onto the fresh one.
    for leftover in scratch.glob("rencai.db*"):
        leftover.unlink()
    shutil.copyfile(folder / "rencai.db", scratch / "rencai.db")
    # The scratch folder reads the population's embedding cache.
    cache = scratch / "embeddings"
    if not cache.exists():
        cache.symlink_to(folder / "embeddings", target_is_directory=True)
    settings = settings_for(scratch)
    database = Database.from_settings(settings)
    engine = MatchingEngine(settings)
    started = time.perf_counter()
    with Session(database.engine) as session:
        engine.fit(session)
    fit_seconds = time.perf_counter() - started
    peak_after_fit = _peak_gib()
    with Session(database.engine) as session:
        needs = scope_needs(session, None)
        per_need = []
        for need in needs[:per_need_sample]:
            started = time.perf_counter()
            engine.recommend_talents(session, need, k=30)
            per_need.append(time.perf_counter() - started)
    with Session(database.engine) as session, timed_steps() as steps:
        started, cpu = time.perf_counter(), time.process_time()
        done = batch.run_batch(session=session, engine=engine, actor=None, county=None)
        end_to_end = time.perf_counter() - started
        end_to_end_cpu = time.process_time() - cpu
        proposals = session.scalar(select(func.count(Match.id)).where(Match.run_id == done.run.id))
    database.dispose()
    phases = {phase: sum(steps[s] for s in names) for phase, names in PHASES.items()}
    phases["other"] = end_to_end - sum(phases.values())
    cpu_phases = {p: sum(steps[f"{s}_cpu"] for s in names) for p, names in PHASES.items()}
    cpu_phases["other"] = end_to_end_cpu - sum(cpu_phases.values())
    return {
        "talents": len(engine._talent_ids),
        "needs": len(needs),
        "proposals": int(proposals or 0),
        "fit_seconds": round(fit_seconds, 2),
        "end_to_end_seconds": round(end_to_end, 2),
        "end_to_end_cpu_seconds": round(end_to_end_cpu, 2),
        "phase_seconds": {k: round(v, 2) for k, v in phases.items()},
        "phase_cpu_seconds": {k: round(v, 2) for k, v in cpu_phases.items()},
        "step_seconds": {k: round(v, 3) for k, v in sorted(steps.items())},
        "retrieval_ms_per_need_batched": round(1000 * phases["retrieve"] / max(len(needs), 1), 2),
        "retrieval_ms_per_need_one_by_one": round(1000 * statistics.median(per_need), 2)
        if per_need
        else None,
        "peak_rss_gib_after_fit": peak_after_fit,
        "peak_rss_gib": _peak_gib(),
    }


def _stand_in(folder: Path) -> bool:
    marker = json.loads((folder / "ready.json").read_text())
    return "stand-in" in str(marker.get("vectors", ""))


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


def _child(target: Any, args: tuple[Any, ...], queue: Any) -> None:
    queue.put(target(*args))


def _in_fresh_process(target: Any, *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(target, args, queue))
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
    parser.add_argument(
        "--per-need-sample",
        type=int,
        default=PER_NEED_SAMPLE,
        help="needs timed one engine call each (the path before batching)",
    )
    args = parser.parse_args(argv)
    folder, build_seconds = prepared(args.talents, args.sites)
    runs = [
        _in_fresh_process(measure_run, folder, args.per_need_sample) for _ in range(args.repeats)
    ]
    row = sorted(runs, key=lambda r: r["end_to_end_seconds"])[len(runs) // 2]
    row["population_build_seconds"] = build_seconds
    row["within_target"] = (
        row["end_to_end_seconds"] <= TARGET_SECONDS and row["peak_rss_gib"] <= TARGET_PEAK_GIB
    )
    row["vectors"] = "stand-in (bigram hash)" if _stand_in(folder) else "use"
    phases = row["phase_seconds"]
    print(
        f"batch run, {row['needs']} needs x {row['talents']} talents ({row['vectors']} vectors): "
        f"end to end {row['end_to_end_seconds']:.1f} s = retrieve {phases['retrieve']:.1f} + "
        f"constraints {phases['constraints']:.1f} + solve {phases['solve']:.1f} + diagnosis "
        f"{phases['diagnosis']:.1f} + write {phases['write']:.1f} + other {phases['other']:.1f}; "
        f"{row['proposals']} proposals; peak RSS {row['peak_rss_gib']:.2f} GiB (after fit "
        f"{row['peak_rss_gib_after_fit']:.2f}), engine fit {row['fit_seconds']:.1f} s; "
        f"retrieval {row['retrieval_ms_per_need_batched']:.2f} ms/need batched vs "
        f"{row['retrieval_ms_per_need_one_by_one']} ms/need one call each; target "
        f"(<= {TARGET_SECONDS:.0f} s, <= {TARGET_PEAK_GIB:.0f} GiB) "
        f"{'met' if row['within_target'] else 'MISSED'}",
        flush=True,
    )
    cpu = row["phase_cpu_seconds"]
    print(
        f"  CPU seconds of this process: {row['end_to_end_cpu_seconds']:.1f} = "
        + " + ".join(f"{name} {value:.1f}" for name, value in cpu.items()),
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
        "vectors": row["vectors"] + "; the real encoder's cost is reported separately",
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "runs": runs,
        "result": row,
    }
    out.write_text(json.dumps(payload, indent=2))
    print(f"wrote {out}")
    return 0 if row["within_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
