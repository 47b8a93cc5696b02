"""Profiles encoded per second by USE multilingual on each runtime, the demo's bios.

The bios of a generated demo population (``seed.demo``, ~96 characters each) are
encoded, uncached, by the numpy backend and by the ONNX int8 runtime in turn (order
alternating, so both see the same machine load), ``--repeats`` times each, on
``--threads`` threads. Prints profiles/s (median of the repeats) per runtime, the ratio
onnx-int8 / numpy from this same run, the cosine between the two runtimes' vectors and
the load average; writes ``benchmarks/results/bench_encoder.json``.

The target is 1,000 profiles/s on 2 cores (issue 16).

Run: ``.venv/bin/python -m benchmarks.bench_encoder --bios 3000 --repeats 5``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_PROFILES_PER_SECOND = 1000
RUNTIMES = ("numpy", "onnx-int8")


def demo_bios(count: int, seed: int = 2020) -> list[str]:
    from seed.demo import generate_population, reference_from_seed

    population = generate_population(
        n_sites=max(20, count // 25), n_talents=count, seed=seed, reference=reference_from_seed()
    )
    return [t.bio for t in population.talents]


def _runtime(name: str, threads: int) -> Any:
    """The object whose ``encode(texts)`` runs USE, warmed (model built and loaded)."""
    from matching.encoders import use_runtime

    runtime = use_runtime(name, threads, None)
    runtime.encode(["预热：人才对接"])
    return runtime


def measure(bios: list[str], repeats: int, threads: int) -> dict[str, Any]:
    """Seconds of each repeat per runtime, alternating which goes first."""
    started = time.perf_counter()
    runtimes = {name: _runtime(name, threads) for name in RUNTIMES}
    setup_s = time.perf_counter() - started
    seconds: dict[str, list[float]] = {name: [] for name in RUNTIMES}
    vectors: dict[str, np.ndarray] = {}
    for repeat in range(repeats):
        order = RUNTIMES if repeat % 2 == 0 else RUNTIMES[::-1]
        for name in order:
            started = time.perf_counter()
            vectors[name] = runtimes[name].encode(bios)
            seconds[name].append(time.perf_counter() - started)
    cosines = np.einsum("ij,ij->i", vectors["numpy"], vectors["onnx-int8"])
    per_second = {
        name: round(len(bios) / statistics.median(values), 1) for name, values in seconds.items()
    }
    return {
        "profiles_per_s": per_second,
        "seconds": {name: [round(s, 3) for s in values] for name, values in seconds.items()},
        "ratio_onnx_int8_over_numpy": round(per_second["onnx-int8"] / per_second["numpy"], 2),
        "cosine_min": round(float(cosines.min()), 5),
        "cosine_mean": round(float(cosines.mean()), 5),
        "setup_s_both": round(setup_s, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bios", type=int, default=3000, help="demo talents' bios to encode")
    parser.add_argument("--repeats", type=int, default=5, help="timed encodes per runtime")
    parser.add_argument("--threads", type=int, default=2, help="threads of either runtime")
    args = parser.parse_args(argv)
    bios = demo_bios(args.bios)
    report: dict[str, Any] = {
        "bios": len(bios),
        "mean_chars": round(sum(map(len, bios)) / len(bios), 1),
        "repeats": args.repeats,
        "threads": args.threads,
        "cpu_count": os.cpu_count(),
        "machine": platform.processor() or platform.machine(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    report.update(measure(bios, args.repeats, args.threads))
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    report["target_profiles_per_s"] = TARGET_PROFILES_PER_SECOND
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "bench_encoder.json").write_text(json.dumps(report, indent=2))
    rates = report["profiles_per_s"]
    print(
        f"{report['bios']} demo bios (~{report['mean_chars']} chars), {args.threads} threads, "
        f"median of {args.repeats}: numpy {rates['numpy']} profiles/s, onnx-int8 "
        f"{rates['onnx-int8']} profiles/s (x{report['ratio_onnx_int8_over_numpy']}); cosine "
        f"min {report['cosine_min']} mean {report['cosine_mean']}; load average "
        f"{report['load_average_before']} -> {report['load_average_after']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
