"""``rencai ranker train|eval``: learn a ranker from decisions and judge it against the
hand weights on a time-ordered split (train on the earlier lists, test on the later).

Decisions come from the database (impressions joined to the match lifecycle) or, with
``--decisions FILE.npz``, from a saved decision set (``rencai seed decisions`` writes a
simulated one). Exit codes: 0 done, 1 nothing to learn from, 2 bad input."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli.common import fail, load_settings, open_database

if TYPE_CHECKING:
    from matching.decisions import DecisionSet
    from service.settings import Settings

app = typer.Typer(
    help="The learned ranker: train it from decisions, compare it with the hand weights.",
    no_args_is_help=True,
)

DecisionsOption = Annotated[
    Path | None,
    typer.Option(
        "--decisions",
        help="A saved decision set (.npz) instead of the database's impressions.",
        dir_okay=False,
    ),
]


def _load(settings: Settings, path: Path | None) -> tuple[DecisionSet, str]:
    from matching.decisions import DecisionSet

    if path is not None:
        try:
            return DecisionSet.load(path), str(path)
        except (OSError, ValueError, KeyError) as exc:
            raise fail(f"决定数据无法读取 / cannot read decisions {path}: {exc}", 2) from exc
    from service.usecases.ranker_data import decisions

    with open_database(settings) as database, database.session() as session:
        return decisions(session), "database"


def _summary(data: DecisionSet, source: str) -> str:
    lists = len(set(data.group.tolist()))
    return (
        f"decisions from {source}: {len(data)} candidates shown in {lists} lists, "
        f"{data.decisions} decided, {int(data.label.sum())} approved"
    )


@app.command("eval")
def eval_(decisions: DecisionsOption = None) -> None:
    """Print nDCG@10, AUC and the share of approved matches in the top 3 on the later
    decisions, learned ranker and hand weights side by side, per scope."""
    from matching.decisions import format_table
    from service.usecases.rankers import evaluate

    settings = load_settings()
    data, source = _load(settings, decisions)
    typer.echo(_summary(data, source))
    if len(data) == 0:
        raise fail("没有可学习的决定 / no decided lists to learn from yet", 1)
    typer.echo(format_table(evaluate(data, settings)))


@app.command("train")
def train(decisions: DecisionsOption = None) -> None:
    """Train a ranker per scope, save each as the next version with its manifest under
    RENCAI_RANKER_DIR, and print the held-out comparison that decides whether the
    engine uses it."""
    from matching.decisions import format_table
    from service.usecases.rankers import train as train_scopes

    settings = load_settings()
    data, source = _load(settings, decisions)
    typer.echo(_summary(data, source))
    if len(data) == 0:
        raise fail("没有可学习的决定 / no decided lists to learn from yet", 1)
    done = train_scopes(data, settings, source=source)
    typer.echo(format_table([t.comparison for t in done]))
    for t in done:
        if t.folder is None:
            typer.echo(f"{t.comparison.scope}: not saved ({t.comparison.why}); hand weights kept")
        else:
            uses = "learned ranker" if t.comparison.beats_hand else "hand weights"
            typer.echo(f"{t.comparison.scope}: saved {t.folder}; the engine uses the {uses}")
