"""`rencai match run|confirm|cancel|watch|worker`: batch matching over a county or the
whole prefecture, as a job with a progress bar.

* ``run`` carries a run out in this process with a progress bar (``--dry-run``: a
  preview, nothing written; ``confirm`` writes exactly its placements);
* ``watch`` follows a run carried out elsewhere (by ``rencai serve``) with a bar;
* ``cancel`` stops a queued or running run, wherever it runs;
* ``worker`` is a job runner on its own, for deployments that run jobs apart.

Exit codes: 0 the run succeeded (or a clean dry run), 1 the run failed or was cancelled
(nothing of it was written; its run row says why), 2 bad usage (unknown county, both or
neither of --county/--all, an unknown run)."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from service.cli.common import fail, load_settings, open_database
from service.errors import AppError

if TYPE_CHECKING:
    from service.engine import MatchingEngine
    from service.settings import Settings
    from service.usecases.batch import RunReport, UnfilledNeed

app = typer.Typer(
    help="Batch matching: propose placements for a whole jurisdiction.", no_args_is_help=True
)

# Unfilled needs printed one by one; the report (--json) always has all of them.
SHOWN_UNFILLED = 20


class RunModeChoice(StrEnum):
    optimal = "optimal"
    stable = "stable"


def make_engine(settings: Settings) -> MatchingEngine:
    """The matching engine the command uses (a seam for tests)."""
    from service.engine import MatchingEngine

    return MatchingEngine(settings)


@app.command("run")
def run(
    county: str | None = typer.Option(
        None, "--county", help="County code or name, e.g. 532322 or 双柏县."
    ),
    all_counties: bool = typer.Option(False, "--all", help="Every county of the prefecture."),
    mode: RunModeChoice = typer.Option(
        RunModeChoice.optimal,
        "--mode",
        help="optimal: best total score (exact); stable: deferred acceptance.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Compute and report; write nothing."),
    candidates: int = typer.Option(
        30, "--candidates", min=1, max=500, help="Candidate talents taken per need."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
) -> None:
    """Propose `proposed` matches for every open need, all in one transaction.

    Re-running is safe: pairs that already have a match (in any status) are never
    touched, and open proposals count against headcounts and capacities."""
    from sqlalchemy.exc import SQLAlchemyError
    from tqdm import tqdm

    from service.usecases.batch import RunCancelled, run_batch

    if bool(county) == all_counties:
        raise fail("give either --county X or --all", 2)
    settings = load_settings()
    bars: dict[str, Any] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase)
        if bar is None:
            for other in bars.values():
                other.close()
            bar = bars[phase] = tqdm(
                total=total, desc=_PHASES.get(phase, phase), unit="", leave=False
            )
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        with open_database(settings) as database, database.session() as session:
            engine = make_engine(settings)
            typer.echo("preparing the matching engine…", err=True)
            engine.sync(session)
            done = run_batch(
                session=session,
                engine=engine,
                actor=None,
                county=county if not all_counties else None,
                mode=mode.value,
                dry_run=dry_run,  # type: ignore[arg-type]
                candidates_per_need=candidates,
                progress=progress,
            )
    except AppError as exc:
        code = 2 if exc.status == 422 and any(f.field == "county" for f in exc.fields) else 1
        raise fail(f"{exc.message_zh or exc.message} / {exc.message}", code) from exc
    except RunCancelled as exc:
        raise fail(f"已取消 / cancelled: run {exc}", 1) from exc
    except SQLAlchemyError as exc:
        raise fail(f"数据库错误 / database error: {exc}", 1) from exc
    finally:
        for bar in bars.values():
            bar.close()
    _print(done.run.id, done.report, as_json)
    if dry_run:
        typer.echo(
            f"  preview: nothing written. Confirm these placements with "
            f"`rencai match confirm {done.run.id}`"
        )


def _print(run_id: int, report: RunReport, as_json: bool) -> None:
    if as_json:
        body = {"run_id": run_id, **report.to_json()}
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(report))


def _bar() -> tuple[Any, Callable[[], None]]:
    """One progress bar from 0 to 100 % and its closer."""
    from tqdm import tqdm

    bar = tqdm(total=100, unit="%", leave=False)

    def tick(phase: str, done: int, total: int) -> None:
        from service.usecases.batch.job import percent_of

        bar.set_description(_PHASES.get(phase, phase))
        bar.n = percent_of(phase, done, total)
        bar.refresh()

    return tick, bar.close


@app.command("confirm")
def confirm(
    preview: int = typer.Argument(..., help="The preview's run number (a dry run)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
) -> None:
    """Write exactly the placements of a preview, in this process with a progress bar.
    If any of them changed since the preview, nothing is written and each change is
    named."""
    from service.usecases.batch import WorldChanged, run_inline
    from service.usecases.batch import confirm as queue_confirm

    settings = load_settings()
    tick, close = _bar()
    try:
        with open_database(settings) as database, database.session() as session:
            run = queue_confirm(session=session, actor=None, preview_id=preview)
            done = run_inline(session=session, engine=make_engine(settings), run=run, progress=tick)
    except WorldChanged as exc:
        close()
        lines = [f"  {c.need} · {c.talent}: {c.zh} / {c.en}" for c in exc.changes]
        raise fail(
            "预览后情况已变化，未写入 / changed since the preview, nothing written:\n"
            + "\n".join(lines),
            1,
        ) from exc
    except AppError as exc:
        close()
        code = 2 if exc.status == 404 else 1
        raise fail(f"{exc.message_zh or exc.message} / {exc.message}", code) from exc
    close()
    _print(done.run.id, done.report, as_json)


@app.command("cancel")
def cancel(run_id: int = typer.Argument(..., help="The run's number.")) -> None:
    """Stop a queued run at once, or a running one (in this or another process) at its
    next step; nothing of it is written."""
    from service.usecases.batch import cancel as cancel_run

    settings = load_settings()
    try:
        with open_database(settings) as database, database.session() as session:
            run = cancel_run(session=session, actor=None, run_id=run_id)
            status = run.status
    except AppError as exc:
        code = 2 if exc.status == 404 else 1
        raise fail(f"{exc.message_zh or exc.message} / {exc.message}", code) from exc
    asked = "已请求取消，将在下一步停止 / cancellation asked; it stops at its next step"
    typer.echo(f"run {run_id}: " + ("已取消 / cancelled" if status == "cancelled" else asked))


@app.command("watch")
def watch(
    run_id: int = typer.Argument(..., help="The run's number."),
    interval: float = typer.Option(0.5, "--interval", min=0.05, help="Seconds between looks."),
) -> None:
    """Follow a run carried out elsewhere (by `rencai serve`) with a progress bar until
    it ends; the exit code says how it ended."""
    import time

    from models import MatchRun
    from service.usecases.batch import RunReport, read_report

    settings = load_settings()
    tick, close = _bar()
    with open_database(settings) as database:
        while True:
            with database.session() as session:
                run = session.get(MatchRun, run_id)
                if run is None:
                    close()
                    raise fail(f"未找到批次 / no run {run_id}", 2)
                status, phase, report = run.status, run.progress_phase, run.report
                tick(phase or "candidates", run.progress_done, run.progress_total)
            if status not in ("queued", "running"):
                break
            time.sleep(interval)
    close()
    stored = read_report(report)
    if status == "succeeded" and isinstance(stored, RunReport):
        _print(run_id, stored, False)
        return
    message = (report or {}).get("error_zh", "") + " / " + (report or {}).get("error", status)
    raise fail(f"run {run_id}: {message}", 1)


@app.command("worker")
def worker() -> None:
    """A job runner on its own: carries out queued runs until interrupted (Ctrl-C).
    Several may run on several machines; each run is taken by exactly one."""
    from service.job_runner import JobRunner

    settings = load_settings()
    with open_database(settings) as database:
        runner = JobRunner(database.sessions, make_engine(settings))
        typer.echo("job runner started; Ctrl-C stops it", err=True)
        try:
            runner.run()
        except KeyboardInterrupt:
            runner.stop()


_PHASES = {
    "candidates": "candidates",
    "solve": "solving",
    "report": "explaining",
    "check": "checking",
    "write": "writing",
    "done": "done",
}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def format_report(report: RunReport) -> str:
    """The run report as a coordinator reads it in a terminal."""
    scope = report.county_name or report.county or "全州 / all counties"
    fill, share, unfilled, solver = report.fill, report.priority, report.unfilled, report.solver
    lines = [
        f"run #{report.run_id} · {scope} · {report.mode}"
        + (" · dry run (nothing written)" if report.dry_run else ""),
        f"  open needs {report.needs_open} (already covered {report.needs_already_covered}),"
        f" slots {report.headcount}, placements {report.placements}, "
        f"written {report.proposed}",
        f"  fill rate 填充率 {_pct(fill.overall)}",
        f"  priority areas 倾斜: {_pct(share.of_placements)} of placements vs "
        f"{_pct(share.of_slots)} of slots "
        f"({_pct(share.of_needs)} of needs); fill rate there "
        f"{_pct(fill.priority)} vs {_pct(fill.other)} elsewhere",
        f"  unfilled needs {unfilled.count}" + _counts(": ", unfilled.by_reason),
    ]
    if unfilled.no_feasible_by_constraint:
        lines.append(
            "    no feasible candidate, commonest failed constraint"
            + _counts(": ", unfilled.no_feasible_by_constraint)
        )
    lines.extend(_unfilled_line(entry) for entry in unfilled.listed[:SHOWN_UNFILLED])
    if unfilled.count > SHOWN_UNFILLED:
        lines.append(f"    … {unfilled.count - SHOWN_UNFILLED} more (see --json)")
    gap = solver.gap
    lines.append(
        f"  objective {solver.objective}, bound {solver.bound}, gap "
        f"{'—' if gap is None else f'{gap:.2e}'}, status {solver.status} "
        f"({solver.method})"
    )
    lines.append(
        f"  time: candidates {report.timings.candidate_seconds:.1f} s, solve "
        f"{solver.solve_seconds:.2f} s, total {report.timings.total_seconds:.1f} s"
    )
    if solver.stable is not None and solver.stable.talent_preferences:
        lines.append(f"  note: talents' preferences {solver.stable.talent_preferences}")
    return "\n".join(lines)


def _counts(prefix: str, counts: dict[str, int]) -> str:
    return "" if not counts else prefix + ", ".join(f"{k} {v}" for k, v in counts.items())


def _unfilled_line(entry: UnfilledNeed) -> str:
    why = entry.reason_zh
    if entry.constraint is not None:
        why += f"（最常见：{entry.constraint.zh} / {entry.constraint.name}）"
    return (
        f"    need {entry.need_id} {entry.title or ''} ({entry.county}) "
        f"short {entry.missing}: {why}"
    )
