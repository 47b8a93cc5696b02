"""Run every benchmark under ``benchmarks/`` at a modest size: ``python -m benchmarks``.

Each ``bench_*.py`` module runs in its own process (``python -m benchmarks.<name>``) with
the arguments in ``MODEST`` below and writes ``benchmarks/results/<name>.json``. The
full-size figures in the README come from running a module alone with its own defaults.
A new benchmark must be given a modest size here; the runner refuses to guess one.

    python -m benchmarks                  # all of them
    python -m benchmarks bench_pages      # only the ones named
    python -m benchmarks --list           # names and arguments
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE / "results"

# Minutes on a laptop, not hours: a few thousand talents instead of 100,000.
MODEST: dict[str, list[str]] = {
    "bench_matching": ["--talents", "2000", "--needs", "2000", "--queries", "50"],
    "bench_assignment": ["--needs", "500", "--talents", "5000", "--candidates", "20"],
    "bench_batch": ["--talents", "3000", "--sites", "120"],
    "bench_pages": ["--talents", "2000", "--sites", "100", "--repeats", "5"],
    "bench_api": [
        "--talents",
        "2000",
        "--sites",
        "100",
        "--needs",
        "20",
        "--requests",
        "200",
        "--workers",
        "4",
        "--server-workers",
        "1",
        "--factory",
        "Flat",
    ],
    "bench_start": ["--talents", "2000", "--sites", "100", "--starts", "2", "--factory", "Flat"],
    "bench_writers": ["--writers", "8", "--seconds", "10"],
    "bench_notify": ["--steps", "40"],
    "bench_impressions": ["--lists", "2000"],
    "bench_import": ["--talents", "20000", "--repeats", "3"],
    "bench_encoder": ["--bios", "1000", "--repeats", "3"],
}


def discovered() -> list[str]:
    """Every benchmark module: ``bench_*.py`` beside this file."""
    return sorted(path.stem for path in HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="print names and arguments")
    args = parser.parse_args(argv)
    found = discovered()
    missing = [name for name in found if name not in MODEST]
    if missing:
        print(f"no modest size for {', '.join(missing)}: add it to MODEST in {__file__}")
        return 2
    unknown = [name for name in args.names if name not in found]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; expected one of {', '.join(found)}")
        return 2
    chosen = args.names or found
    if args.list:
        for name in chosen:
            print(name, " ".join(MODEST[name]))
        return 0
    RESULTS_DIR.mkdir(exist_ok=True)
    failed = []
    for name in chosen:
        command = [sys.executable, "-m", f"benchmarks.{name}", *MODEST[name]]
        print(f"== {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        code = subprocess.call(command, cwd=HERE.parent)
        print(f"== {name}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True)
        if code != 0:
            failed.append(name)
    print(f"results in {RESULTS_DIR}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
