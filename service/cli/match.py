"""`rencai match run`: batch matching over a county or the whole prefecture.

Exit codes: 0 the run succeeded (or a clean dry run), 1 the run failed (nothing of it
was written; its run row is marked failed), 2 bad usage (unknown county, both or
neither of --county/--all)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from service.cli.common import fail, load_settings, open_database

if TYPE_CHECKING:
    from service.engine import MatchingEngine
    from service.settings import Settings

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

    from service.errors import AppError
    from service.usecases.batch import run_batch

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
    except SQLAlchemyError as exc:
        raise fail(f"数据库错误 / database error: {exc}", 1) from exc
    finally:
        for bar in bars.values():
            bar.close()
    report = done.report
    if as_json:
        typer.echo(json.dumps({"run_id": done.run.id, **report}, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(report))


_PHASES = {"candidates": "candidates", "solve": "solving", "write": "writing"}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def format_report(report: dict[str, Any]) -> str:
    """The run report as a coordinator reads it in a terminal."""
    scope = report.get("county_name") or report.get("county") or "全州 / all counties"
    lines = [
        f"run #{report['run_id']} · {scope} · {report['mode']}"
        + (" · dry run (nothing written)" if report.get("dry_run") else ""),
        f"  open needs {report['needs_open']} (already covered {report['needs_already_covered']}),"
        f" slots {report['headcount']}, placements {report['placements']}, "
        f"written {report['proposed']}",
        f"  fill rate 填充率 {_pct(report['fill_rate'])}",
        f"  priority areas 倾斜: {_pct(report['priority_placement_share'])} of placements vs "
        f"{_pct(report['priority_need_share'])} of slots "
        f"({_pct(report['priority_need_count_share'])} of needs); fill rate there "
        f"{_pct(report.get('priority_fill_rate'))} vs {_pct(report.get('other_fill_rate'))}"
        " elsewhere",
    ]
    by_reason = report.get("unfilled_by_reason") or {}
    lines.append(
        f"  unfilled needs {report['unfilled_needs']}"
        + ("" if not by_reason else ": " + ", ".join(f"{k} {v}" for k, v in by_reason.items()))
    )
    by_constraint = report.get("no_feasible_by_constraint") or {}
    if by_constraint:
        lines.append(
            "    no feasible candidate, commonest failed constraint: "
            + ", ".join(f"{k} {v}" for k, v in by_constraint.items())
        )
    for entry in (report.get("unfilled") or [])[:SHOWN_UNFILLED]:
        why = entry["reason_zh"]
        if entry.get("constraint_zh"):
            why += f"（最常见：{entry['constraint_zh']} / {entry['constraint']}）"
        lines.append(
            f"    need {entry['need_id']} {entry.get('title', '')} ({entry['county']}) "
            f"short {entry['missing']}: {why}"
        )
    if report["unfilled_needs"] > SHOWN_UNFILLED:
        lines.append(f"    … {report['unfilled_needs'] - SHOWN_UNFILLED} more (see --json)")
    gap = report.get("gap")
    lines.append(
        f"  objective {report.get('objective')}, bound {report.get('bound')}, gap "
        f"{'—' if gap is None else f'{gap:.2e}'}, status {report.get('status')} "
        f"({report.get('method')})"
    )
    lines.append(
        f"  time: candidates {report.get('candidate_seconds', 0):.1f} s, solve "
        f"{report.get('solve_seconds', 0):.2f} s, total {report.get('total_seconds', 0):.1f} s"
    )
    if report.get("talent_preferences"):
        lines.append(f"  note: talents' preferences {report['talent_preferences']}")
    return "\n".join(lines)
