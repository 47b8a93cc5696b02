"""``python -m seed.demo [--sites N] [--talents M] [--seed S]``: generate a population
from the project's reference data and print how long it took (no database)."""

from __future__ import annotations

import argparse
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m seed.demo")
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--talents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    from seed.demo import generate_population, reference_from_seed

    t0 = time.perf_counter()
    reference = reference_from_seed()
    t1 = time.perf_counter()
    pop = generate_population(
        n_sites=args.sites, n_talents=args.talents, seed=args.seed, reference=reference
    )
    t2 = time.perf_counter()
    print(
        f"reference {t1 - t0:.2f} s; generated {len(pop.sites)} sites, {len(pop.needs)} needs, "
        f"{len(pop.talents)} talents, {len(pop.institutions)} institutions, "
        f"{len(pop.pairings)} pairings in {t2 - t1:.2f} s "
        f"({len(pop.talents) / max(t2 - t1, 1e-9):,.0f} talents/s)"
    )


if __name__ == "__main__":
    main()
