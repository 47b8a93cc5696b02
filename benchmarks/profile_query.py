"""Where a warm need→top-10 query spends its time: cProfile over 200 queries, grouped.

Uses the synthetic profiles of ``bench_matching`` and its stand-in vectors, so any two
versions of the code can be compared on the same machine in a few minutes:

    PYTHONPATH=<checkout> python -m benchmarks.profile_query --talents 20000
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

import numpy as np

GROUPS = {
    "faiss search": ("IndexIDMap_search",),
    "lexical row of the query": ("transform", "row"),
    "lexical cosine over every row": ("cosine_rows",),
    "lexical pool (best rows)": ("top_rows",),
    "hard-constraint filter": ("feasible_talents",),
    "explaining candidates": ("_breakdown",),
    "structured bounds": ("structured_bounds",),
    "encoding the query": ("encode_needs",),
}


def main(argv: list[str] | None = None) -> None:
    from benchmarks.bench_matching import StandInEncoder, synthetic_needs, synthetic_talents
    from matching.config import MatchingConfig
    from matching.matcher import Matcher

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talents", type=int, default=20_000)
    parser.add_argument("--needs", type=int, default=5_000)
    parser.add_argument("--factory", default="HNSW32")
    args = parser.parse_args(argv)
    config = MatchingConfig(show_progress=False, index_factory=args.factory)
    matcher = Matcher(config, encoder=StandInEncoder()).fit(
        synthetic_needs(args.needs), synthetic_talents(args.talents)
    )
    queries = synthetic_needs(200, seed=7, id_offset=5_000_000)
    for need in queries[:5]:
        matcher.recommend_talents(need, k=10)
    samples = []
    for need in queries:
        t0 = time.perf_counter()
        matcher.recommend_talents(need, k=10)
        samples.append((time.perf_counter() - t0) * 1000)
    p50, p95 = np.percentile(samples, [50, 95])
    print(f"need→top-10 p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    profile = cProfile.Profile()
    profile.enable()
    for need in queries:
        matcher.recommend_talents(need, k=10)
    profile.disable()
    stats = pstats.Stats(profile)
    for name, functions in GROUPS.items():
        cumulative = sum(
            entry[3]
            for key, entry in stats.stats.items()  # type: ignore[attr-defined]
            # C functions are named "<built-in method module.name>".
            if key[2] in functions or key[2].endswith(tuple(f".{f}>" for f in functions))
        )
        print(f"  {name:32s} {cumulative / len(queries) * 1000:7.2f} ms/query")
    print(f"  {'total (profiled)':32s} {stats.total_tt / len(queries) * 1000:7.2f} ms/query")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
