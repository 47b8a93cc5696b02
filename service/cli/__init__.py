"""The ``rencai`` command line. Each sub-command group lives in its own module and is
registered here; heavy imports happen inside the commands, so ``rencai --help`` is fast."""

from __future__ import annotations

import typer

from service.cli import evaluate

app = typer.Typer(
    name="rencai",
    help="人才对接 Rencai Match: pair experts and talents with grassroots needs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(evaluate.app, name="eval")


def main() -> None:
    app()
