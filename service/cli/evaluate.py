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
        config = MatchingConfig(encoder=encoder, show_progress=False)
        metrics, _ = evaluate_retrieval(need_records, talent_records, Matcher(config))
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
