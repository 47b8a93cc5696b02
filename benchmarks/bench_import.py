"""Bulk import of talents from the spreadsheets people hold, on SQLite and PostgreSQL.

A generated population (``seed.demo``) is loaded into a source database and its talents
exported as the CSV and XLSX files the service writes (``service.usecases.exports``).
Each file is then imported (``service.usecases.imports``: every row validated, all or
nothing, one transaction) into a fresh database that holds the same institutions and
sites but no talents, ``--repeats`` times; then imported a second time over itself (every
row read, compared and left unchanged), which is the update path.

Prints rows per second (median of the repeats) per backend and format, and writes
``benchmarks/results/import.json``. PostgreSQL is measured when it answers
(``service.pg_probe``); otherwise that row says it was skipped.

The target is 5,000 rows/s for new talents (issue 16).

Run: ``.venv/bin/python -m benchmarks.bench_import --talents 50000 --repeats 3``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_ROWS_PER_SECOND = 5000


def _prepared_database(url: str, population: Any) -> None:
    """Migrated, reference data, and ``population`` loaded (the caller decides which
    parts of it)."""
    from sqlalchemy.orm import Session

    from models.db import make_engine
    from models.migrate import upgrade
    from seed.load import load_reference
    from seed.load_demo import load_population

    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference(session=session)
        load_population(population, session=session)
        session.commit()
    engine.dispose()


def _export_files(url: str, folder: Path) -> dict[str, Path]:
    from sqlalchemy.orm import Session

    from models.db import make_engine
    from service.usecases.exports import export

    engine = make_engine(url)
    files = {"csv": folder / "talents.csv", "xlsx": folder / "talents.xlsx"}
    with Session(engine) as session:
        for fmt, path in files.items():
            export("talents", path, session=session, fmt=fmt)  # type: ignore[arg-type]
    engine.dispose()
    return files


def _timed_import(url: str, path: Path) -> tuple[float, float, Any]:
    from sqlalchemy.orm import Session

    from models.db import make_engine
    from service.usecases.imports import import_file

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = import_file("talents", path, session=session)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
    finally:
        engine.dispose()
    if not result.ok:
        raise SystemExit(f"import of {path.name} failed: {[e.line() for e in result.errors[:5]]}")
    return seconds, cpu, result


@contextmanager
def _sqlite_database(folder: Path) -> Iterator[str]:
    path = Path(tempfile.mkstemp(suffix=".db", dir=folder)[1])
    try:
        yield f"sqlite:///{path}"
    finally:
        path.unlink(missing_ok=True)


@contextmanager
def _postgres_database(_folder: Path) -> Iterator[str]:
    from service import pg_probe

    url = pg_probe.create_database("rencai_bench_import")
    try:
        yield url
    finally:
        pg_probe.drop_database(url)


def _measure(
    open_database: Callable[[Path], Any],
    files: dict[str, Path],
    without_talents: Any,
    rows: int,
    repeats: int,
    folder: Path,
) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for fmt, path in files.items():
        fresh: list[float] = []
        fresh_cpu: list[float] = []
        again: list[float] = []
        for _ in range(repeats):
            with open_database(folder) as url:
                _prepared_database(url, without_talents)
                seconds, cpu, result = _timed_import(url, path)
                assert result.created == rows, (result.created, rows)
                fresh.append(seconds)
                fresh_cpu.append(cpu)
                seconds, _cpu, result = _timed_import(url, path)
                assert result.unchanged == rows, (result.unchanged, rows)
                again.append(seconds)
        figures[fmt] = {
            "rows": rows,
            "new_rows_seconds_median": round(statistics.median(fresh), 3),
            "new_rows_per_second": round(rows / statistics.median(fresh)),
            # This process's CPU time only (PostgreSQL's server work is not in it): the
            # figure that holds when other work shares the machine.
            "new_rows_per_cpu_second": round(rows / statistics.median(fresh_cpu)),
            "unchanged_rows_seconds_median": round(statistics.median(again), 3),
            "unchanged_rows_per_second": round(rows / statistics.median(again)),
        }
    return figures


def run(talents: int, sites: int, repeats: int) -> dict[str, Any]:
    from seed.demo import generate_population, reference_from_seed
    from service import pg_probe

    population = generate_population(
        n_sites=sites, n_talents=talents, seed=2020, reference=reference_from_seed()
    )
    without_talents = dataclasses.replace(population, talents=[], pairings=[])
    backends: dict[str, Any] = {"sqlite": _sqlite_database}
    if pg_probe.answers():
        backends["postgresql"] = _postgres_database
    report: dict[str, Any] = {
        "talents": talents,
        "repeats": repeats,
        "target_new_rows_per_second": TARGET_ROWS_PER_SECOND,
        "machine": {"python": platform.python_version(), "cpu": platform.processor()},
        "backends": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with _sqlite_database(folder) as source:
            _prepared_database(source, population)
            files = _export_files(source, folder)
        for name, opener in backends.items():
            report["backends"][name] = _measure(
                opener, files, without_talents, len(population.talents), repeats, folder
            )
    if "postgresql" not in backends:
        report["backends"]["postgresql"] = "skipped: PostgreSQL does not answer"
    return report


def _print(report: dict[str, Any]) -> None:
    print(f"talents imported: {report['talents']}, median of {report['repeats']} runs")
    print(
        f"{'backend':<11} {'format':<6} {'new rows/s':>11} {'new rows/CPU-s':>15} "
        f"{'unchanged rows/s':>17}"
    )
    for backend, figures in report["backends"].items():
        if isinstance(figures, str):
            print(f"{backend:<11} {figures}")
            continue
        for fmt, row in figures.items():
            print(
                f"{backend:<11} {fmt:<6} {row['new_rows_per_second']:>11,} "
                f"{row['new_rows_per_cpu_second']:>15,} {row['unchanged_rows_per_second']:>17,}"
            )
    print(f"target: {TARGET_ROWS_PER_SECOND:,} new rows/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talents", type=int, default=50_000)
    parser.add_argument("--sites", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    report = run(args.talents, args.sites, args.repeats)
    _print(report)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "import.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
