"""Instructions one uncached candidates list costs, counted by valgrind's callgrind.

Timings on a shared 2-core machine swing by tens of per cent from run to run, more than
most changes to the request path save. An instruction count does not: it is the same
for the same code and inputs whatever else the machine is doing. This runs the use case
``candidates.for_need`` in one process over the same ``--lists`` needs of the benchmark
population (``benchmarks/population.py``), and the same process with no list, both under
``valgrind --tool=callgrind``; the difference divided by the lists is the count per list.
The engine starts from its saved state with the server's settings (HNSW32, one native
thread); each process first answers one list outside the count's difference, so the
statements' first compilation is paid by both runs.

Needs Debian's ``valgrind``; takes ~10 minutes at 60 lists (two runs side by side).
Not part of ``make bench``. To compare two versions of the code, run it in each checkout:

    RENCAI_BENCH_STAND_IN_VECTORS=1 python -m benchmarks.count_request --lists 60
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def _answer_lists(lists: int, talents: int, sites: int) -> None:
    """The process that valgrind counts: start the engine, answer ``lists`` lists."""
    from sqlalchemy import select

    from benchmarks.population import prepared, running_need_ids, settings_for
    from models import User
    from models.db import make_engine, make_session_factory
    from service.actor import Actor
    from service.engine import MatchingEngine
    from service.native_threads import limit_native_threads
    from service.usecases import candidates

    limit_native_threads(1)
    folder, _ = prepared(talents, sites)
    settings = settings_for(folder, faiss_factory="HNSW32", native_threads=1)
    engine = MatchingEngine(settings)
    sessions = make_session_factory(make_engine(settings.resolved_database_url))
    need_ids = running_need_ids(folder)
    random.Random(5).shuffle(need_ids)
    with sessions() as session:
        engine.start(session)
        user = session.scalars(select(User).where(User.username == "zhou")).one()
        actor = Actor.of(user)
        candidates.for_need(session=session, engine=engine, actor=actor, need_id=need_ids[-1])
    for need_id in need_ids[:lists]:
        with sessions() as session:
            candidates.for_need(session=session, engine=engine, actor=actor, need_id=need_id)


def _counted(lists: int, talents: int, sites: int, out: Path) -> subprocess.Popen[bytes]:
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out / f'callgrind.{lists}'}",
        sys.executable,
        "-m",
        "benchmarks.count_request",
        "--inside",
        "--lists",
        str(lists),
        "--talents",
        str(talents),
        "--sites",
        str(sites),
    ]
    # The same hash seed in both runs: set and dict orders, and so the work, are equal.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    log = (out / f"valgrind.{lists}.log").open("wb")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def _instructions(log: Path) -> int:
    found = COLLECTED.findall(log.read_text(errors="replace"))
    if not found:
        raise RuntimeError(f"valgrind printed no instruction count: see {log}")
    return int(found[-1])


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=60, help="uncached lists counted")
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=2_222)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inside:
        _answer_lists(args.lists, args.talents, args.sites)
        return {}
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian package valgrind)")
    from benchmarks.population import prepared

    prepared(args.talents, args.sites)  # built once, before either count starts
    with tempfile.TemporaryDirectory(prefix="count_request-") as folder:
        out = Path(folder)
        runs = {n: _counted(n, args.talents, args.sites, out) for n in (0, args.lists)}
        for n, run in runs.items():
            if run.wait() != 0:
                tail = (out / f"valgrind.{n}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"the counted run of {n} lists failed: {tail}")
        base = _instructions(out / "valgrind.0.log")
        total = _instructions(out / f"valgrind.{args.lists}.log")
    per_list = (total - base) / args.lists
    print(
        f"{args.lists} uncached lists at {args.talents:,} talents: "
        f"{per_list / 1e6:.1f} M instructions per list "
        f"(start and first list {base / 1e9:.2f} G, with the lists {total / 1e9:.2f} G)"
    )
    return {"instructions_per_list": per_list, "base": base, "total": total}


if __name__ == "__main__":
    main()
