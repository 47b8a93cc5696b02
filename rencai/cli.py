"""``rencai``: the service's command groups plus ``init`` and ``seed`` from
:mod:`rencai.setup`."""

from __future__ import annotations

from rencai import setup
from service.cli import app

app.add_typer(setup.seed_app, name="seed")
app.command("init")(setup.init)


def main() -> None:
    app()
