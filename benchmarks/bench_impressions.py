"""Benchmark of recording impressions (the candidates shown, kept for the learned
ranker): what a request pays to queue a list of 10, and what the background writer
pays to insert them, on a fresh embedded SQLite database.

Run: ``.venv/bin/python -m benchmarks.bench_impressions [--lists 2000]``. Prints the
figures and writes ``benchmarks/results/bench_impressions.json``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _recommendations(n_lists: int, size: int) -> list[list[Any]]:
    from matching.config import FEATURE_NAMES
    from matching.results import FeatureContribution, Recommendation

    rng = np.random.default_rng(0)
    lists = []
    for i in range(n_lists):
        recs = []
        for r in range(size):
            values = rng.random(len(FEATURE_NAMES))
            breakdown = tuple(
                FeatureContribution(name, float(v), float(v), "", "")
                for name, v in zip(FEATURE_NAMES, values, strict=True)
            )
            recs.append(
                Recommendation(1, 1 + (i * size + r) % 50, float(values.sum()), r + 1, breakdown)
            )
        lists.append(recs)
    return lists


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lists", type=int, default=2000)
    parser.add_argument("--size", type=int, default=10)
    args = parser.parse_args(argv)

    from sqlalchemy import func, select

    from models import MatchImpression
    from models.db import make_engine
    from models.migrate import upgrade
    from service.impressions import ImpressionBuffer, rows_for

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        engine = make_engine(url)
        lists = _recommendations(args.lists, args.size)
        # Flushing is left to the explicit call below, so "queue" measures the request side.
        buffer = ImpressionBuffer(max_rows=10**9, max_seconds=3600)
        queue_times = []
        for recs in lists:
            t0 = time.perf_counter()
            buffer.add(engine, rows_for(recs, surface="candidates", county_codes="532322"))
            queue_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        written = _flush_without_keys(buffer, engine)
        flush_seconds = time.perf_counter() - t0
        with engine.connect() as conn:
            count = conn.execute(select(func.count(MatchImpression.id))).scalar_one()
        engine.dispose()
    ms = np.array(queue_times) * 1000
    report = {
        "benchmark": "impressions",
        "lists": args.lists,
        "rows": written,
        "stored": int(count),
        "queue_per_list_ms": {
            "p50": round(float(np.percentile(ms, 50)), 4),
            "p95": round(float(np.percentile(ms, 95)), 4),
        },
        "flush_rows_per_s": round(written / flush_seconds, 1),
        "flush_ms_per_list": round(1000 * flush_seconds / args.lists, 4),
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "bench_impressions.json"
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"queue a list of {args.size}: p50 {report['queue_per_list_ms']['p50']} ms, "
        f"p95 {report['queue_per_list_ms']['p95']} ms (on the request); background insert "
        f"{report['flush_rows_per_s']} rows/s ({report['flush_ms_per_list']} ms per list)"
    )
    return report


def _flush_without_keys(buffer: Any, engine: Any) -> int:
    """``buffer.flush()`` on connections whose foreign keys are off: the benchmark has
    no needs or talents for the rows to point at."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _keys_off(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    engine.dispose()  # new connections get the listener
    return int(buffer.flush())


if __name__ == "__main__":
    main()
