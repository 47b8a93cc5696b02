"""The service's commands (database, serve, import/export, evaluation, batch matching).
Each command group lives in its own module and is registered here; heavy imports happen
inside the commands, so ``rencai --help`` is fast. The full ``rencai`` command, with
``init`` and ``seed``, is composed in :mod:`rencai.cli`, the one place that knows both
service and seed."""

from __future__ import annotations

import typer

from service.cli import data, db, evaluate, match, notify, ranker, server

app = typer.Typer(
    name="rencai",
    help="人才对接 Rencai Match: pair experts and talents with grassroots needs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.command("serve")(server.serve)
app.command("import")(data.import_)
app.command("export")(data.export)
app.add_typer(evaluate.app, name="eval")
app.add_typer(match.app, name="match")
app.add_typer(notify.app, name="notify")
app.add_typer(ranker.app, name="ranker")


def main() -> None:
    app()
