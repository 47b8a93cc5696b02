"""``rencai eval``: evaluate the matcher on labelled sets (see eval/README.md)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Evaluate the matching engine on labelled data.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Evaluate the matching engine on labelled data."""


class OutputFormat(StrEnum):
    json = "json"
    text = "text"


@app.command("retrieval")
def retrieval(
    needs: Annotated[
        Path, typer.Option("--needs", help="needs.jsonl", exists=True, dir_okay=False)
    ],
    talents: Annotated[
        Path, typer.Option("--talents", help="talents.jsonl", exists=True, dir_okay=False)
    ],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="json: one JSON object on the last line")
    ] = OutputFormat.text,
    encoder: Annotated[
        str, typer.Option(help="encoder config string: use-multilingual or st:/path")
    ] = "use-multilingual",
    runtime: Annotated[
        str, typer.Option(help="how use-multilingual runs: onnx-int8 or numpy")
    ] = "onnx-int8",
    ranker: Annotated[
        Path | None,
        typer.Option(
            help="a saved learned ranker's folder (…/<scope>/vNNN): it re-ranks the hand "
            "weights' first stage, as in the engine",
            exists=True,
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Rank all talents for each need with the production Matcher and report P@1, P@5,
    MRR and nDCG@10 (binary relevance: labels equal)."""
    from matching.config import MatchingConfig
    from matching.errors import MatchingError
    from matching.evaluation import evaluate_retrieval, read_jsonl
    from matching.matcher import Matcher

    try:
        need_records = read_jsonl(needs)
        talent_records = read_jsonl(talents)
        config = MatchingConfig(encoder=encoder, encoder_runtime=runtime, show_progress=False)
        scorer = None
        if ranker is not None:
            from matching.ranker_store import load

            scorer = load(ranker).scorer
        metrics, _ = evaluate_retrieval(
            need_records, talent_records, Matcher(config), scorer=scorer
        )
    except MatchingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    if output_format is OutputFormat.json:
        typer.echo(json.dumps(metrics.as_dict()))
    else:
        typer.echo(
            f"needs {metrics.needs}  talents {metrics.talents}\n"
            f"P@1     {metrics.p1:.4f}\nP@5     {metrics.p5:.4f}\n"
            f"MRR     {metrics.mrr:.4f}\nnDCG@10 {metrics.ndcg10:.4f}"
        )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@app.command("floor")
def floor(
    dev: Annotated[
        Path,
        typer.Option(
            "--dev", help="folder of evaluation sets (each with needs.jsonl, talents.jsonl)"
        ),
    ] = Path("../shared/eval/dev"),
    top: Annotated[int, typer.Option(help="the page a floor cuts: each need's first N")] = 10,
    cache: Annotated[
        Path | None, typer.Option(help="embedding cache folder (faster reruns)")
    ] = None,
) -> None:
    """Choose RENCAI_RELEVANCE_FLOOR: for each floor, of each need's first page the share
    of kept items that are relevant (P), the share of relevant items kept (R) and the
    needs left empty, per set; the floor printed last maximises the sets' mean F1."""
    import numpy as np

    from matching.config import MatchingConfig
    from matching.evaluation import floor_table, read_jsonl, relevance_pages
    from matching.matcher import Matcher

    sets = sorted(p for p in dev.iterdir() if (p / "needs.jsonl").is_file()) if dev.is_dir() else []
    if not sets:
        typer.echo(f"error: no evaluation sets under {dev}", err=True)
        raise typer.Exit(code=2)
    config = MatchingConfig(show_progress=False, embedding_cache_dir=str(cache) if cache else None)
    floors = [round(float(f), 2) for f in np.arange(0.0, 0.41, 0.01)]
    tables = {}
    for folder in sets:
        pages = relevance_pages(
            read_jsonl(folder / "needs.jsonl"),
            read_jsonl(folder / "talents.jsonl"),
            Matcher(config),
            config.weights,
            page=top,
        )
        tables[folder.name] = floor_table(pages, floors)
    typer.echo("floor  " + "  ".join(f"{n:>28}" for n in tables) + "   mean F1")
    typer.echo("       " + "  ".join(f"{'P     R     empty':>28}" for _ in tables))
    best = (-1.0, 0.0)
    for i, f in enumerate(floors):
        rows = [t[i] for t in tables.values()]
        mean_f1 = float(np.mean([_f1(r.precision, r.recall) for r in rows]))
        best = max(best, (mean_f1, f))
        cells = "  ".join(
            f"{f'{r.precision:.3f} {r.recall:.3f} {r.empty_needs:.3f}':>28}" for r in rows
        )
        typer.echo(f"{f:5.2f}  {cells}   {mean_f1:.3f}")
    typer.echo(f"chosen floor (highest mean F1 over {len(tables)} sets): {best[1]:.2f}")
