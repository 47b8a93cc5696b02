"""`rencai init` and `rencai seed reference|demo`: everything a fresh machine needs."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from service.cli.common import load_settings, open_database
from service.settings import Settings

seed_app = typer.Typer(
    help="Load reference data from the plan, or a demo population.", no_args_is_help=True
)


@seed_app.command("reference")
def seed_reference() -> None:
    """Load the plan's programmes and targets, counties and townships (idempotent)."""
    from seed.load import load_reference

    settings = load_settings()
    with open_database(settings) as database, database.session() as session:
        result = load_reference(session=session, years=settings.plan_years)
        session.commit()
    typer.echo(
        f"reference data: {result.counties} counties, {result.townships} townships, "
        f"{result.programmes} programmes, {result.targets} target rows"
    )


@seed_app.command("demo")
def seed_demo(
    sites: int = typer.Option(120, "--sites", min=1, help="Number of sites."),
    talents: int = typer.Option(2000, "--talents", min=0, help="Number of talents."),
    seed: int = typer.Option(2020, "--seed", help="Random seed; same seed, same population."),
) -> None:
    """Write a realistic, deterministic demo population (idempotent per seed)."""
    settings = load_settings()
    with open_database(settings) as database:
        _seed_demo(
            database, sites=sites, talents=talents, seed=seed, shift_years=demo_shift(settings)
        )


def demo_shift(settings: Settings) -> int:
    """Years to move the demo's dates (drawn from 2025 on) so that they start in the
    current year: a demo loaded later still has open needs and coming windows."""
    from seed.demo.profiles import DEMO_START
    from service.usecases.expiry import today

    return max(0, today(settings.today).year - DEMO_START.year)


def _seed_demo(
    database: object, *, sites: int, talents: int, seed: int, shift_years: int = 0
) -> None:
    from tqdm import tqdm

    from seed.demo import generate_population, reference_from_seed
    from seed.load_demo import load_population
    from service.db import Database

    assert isinstance(database, Database)
    started = time.perf_counter()
    population = generate_population(
        n_sites=sites, n_talents=talents, seed=seed, reference=reference_from_seed()
    )
    generated = time.perf_counter() - started
    total = (
        len(population.institutions)
        + len(population.sites)
        + len(population.needs)
        + len(population.talents)
        + len(population.pairings)
        + sum(len(t.windows) for t in population.talents)
    )
    with (
        tqdm(total=total, desc="loading demo data", unit="row") as bar,
        database.session() as session,
    ):
        result = load_population(
            population,
            session=session,
            progress=lambda _label, n: bar.update(n),
            shift_years=shift_years,
        )
        session.commit()
    elapsed = time.perf_counter() - started
    typer.echo(
        f"demo data: +{result.sites} sites, +{result.needs} needs, +{result.talents} talents, "
        f"+{result.windows} windows, +{result.institutions} institutions, "
        f"+{result.pairings} pairings in {elapsed:.1f} s (generation {generated:.1f} s)"
    )


def _seed_ledger_demo(database: object) -> None:
    """A few registers and trainings, after the population and the demo accounts."""
    from seed.load_ledger_demo import load_ledger_demo
    from service.db import Database

    assert isinstance(database, Database)
    with database.session() as session:
        added = load_ledger_demo(session=session)
        session.commit()
    typer.echo(f"demo registers and trainings: +{added}")


def _seed_people_demo(database: object) -> None:
    """Recruitments, 编制 pools, rotations and service history (issue 14)."""
    from seed.load_people_demo import load_people_demo
    from service.db import Database

    assert isinstance(database, Database)
    with database.session() as session:
        added = load_people_demo(session=session)
        session.commit()
    typer.echo(f"demo recruitments, staffing pools and rotations: +{added}")


def _seed_demo_decisions(database: object, settings: Settings, *, lists: int = 1200) -> None:
    """A year of simulated decisions on past copies of the demo's needs (issue 15), so
    `rencai ranker train|eval` can run on the demo population."""
    from seed.load_decisions_demo import load_demo_decisions
    from service.db import Database
    from service.usecases.expiry import today

    assert isinstance(database, Database)
    with database.session() as session:
        done = load_demo_decisions(
            session=session,
            hand_weights=settings.matching_config().weights,
            lists=lists,
            today=today(settings.today),
        )
        session.commit()
    typer.echo(
        f"demo decisions: +{done.lists} lists over the past year on {done.needs} past needs, "
        f"+{done.impressions} impressions, +{done.matches} decided ({done.approved} approved)"
    )


def _build_index(database: object, settings: object) -> None:
    """Fit the matching engine once, so every embedding lands in the on-disk cache and
    the server's start-up fit re-encodes nothing."""
    from service.db import Database
    from service.engine import MatchingEngine
    from service.settings import Settings

    assert isinstance(database, Database) and isinstance(settings, Settings)
    typer.echo("building the matching index (first time: encodes every profile) …")
    engine = MatchingEngine(settings, show_progress=True)
    with database.session() as session:
        engine.fit(session)
    typer.echo(f"matching index ready in {engine.fit_seconds:.1f} s")


@seed_app.command("decisions")
def seed_decisions(
    out: Path = typer.Option(
        ..., "--out", help="Where to write the decision set (.npz).", dir_okay=False
    ),
    lists: int = typer.Option(1500, "--lists", min=1, help="Candidate lists to simulate."),
    preference: str = typer.Option(
        "planted",
        "--preference",
        help="planted: people follow the documented hidden preference (seed/ranker_sim.py); "
        "hand: they follow the hand weights, so nothing better can be learned.",
    ),
    seed: int = typer.Option(2020, "--seed", help="Random seed; same seed, same decisions."),
) -> None:
    """Write simulated decisions for `rencai ranker train|eval --decisions`: lists shown
    in the hand weights' order, decided by a hidden preference (deterministic)."""
    import numpy as np

    from seed.ranker_sim import simulate_decisions

    if preference not in ("planted", "hand"):
        typer.secho(f"--preference={preference!r}: expected planted or hand", err=True)
        raise typer.Exit(2)
    settings = load_settings()
    arrays = simulate_decisions(
        n_lists=lists,
        hand_weights=settings.matching_config().weights,
        preference=preference,  # type: ignore[arg-type]
        seed=seed,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
    typer.echo(
        f"{lists} simulated lists ({preference} preference), {len(arrays['gain'])} candidates, "
        f"{int(arrays['decided'].sum())} decided, {int((arrays['gain'] >= 2).sum())} approved "
        f"-> {out}"
    )


@seed_app.command("demo-decisions")
def seed_demo_decisions(
    lists: int = typer.Option(1200, "--lists", min=1, help="Candidate lists to simulate."),
) -> None:
    """Store a year of simulated decisions on the demo population (what `rencai init`
    does; idempotent): lists shown in the hand weights' order, decided by the documented
    preference of seed/ranker_sim.py. Proves the machinery, not real-world gains."""
    settings = load_settings()
    with open_database(settings) as database:
        _seed_demo_decisions(database, settings, lists=lists)


@seed_app.command("index")
def seed_index() -> None:
    """Encode every profile into the embedding cache (what `rencai init` does last)."""
    settings = load_settings()
    with open_database(settings) as database:
        _build_index(database, settings)


def init(
    demo_sites: int = typer.Option(120, help="Sites in the demo population (0: none)."),
    demo_talents: int = typer.Option(2000, help="Talents in the demo population."),
    seed: int = typer.Option(2020, help="Random seed of the demo population."),
) -> None:
    """Migrate, load reference and demo data, create demo accounts, build the index."""
    from models.migrate import upgrade
    from seed.load import load_reference
    from service.usecases.accounts import ensure_demo_accounts

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    typer.echo(f"database ready: {settings.resolved_database_url}")
    with open_database(settings) as database:
        with database.session() as session:
            load_reference(session=session, years=settings.plan_years)
            session.commit()
        typer.echo("reference data loaded (plan programmes, counties, townships)")
        if demo_sites > 0:
            _seed_demo(
                database,
                sites=demo_sites,
                talents=demo_talents,
                seed=seed,
                shift_years=demo_shift(settings),
            )
        with database.session() as session:
            accounts = ensure_demo_accounts(session=session, password=settings.demo_password)
            session.commit()
        if demo_sites > 0:
            _seed_ledger_demo(database)
            _seed_people_demo(database)
            _seed_demo_decisions(database, settings)
        _build_index(database, settings)
    typer.echo(f"demo logins (password: {settings.demo_password}):")
    for account in accounts:
        typer.echo(f"  {account.username:<16} {account.role:<12} {account.display_name}")
