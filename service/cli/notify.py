"""`rencai notify`: the notification worker, for deployments that run it apart from
`rencai serve` (then set RENCAI_NOTIFY_WORKER=false for the servers)."""

from __future__ import annotations

import signal
from types import FrameType

import typer

from service.cli.common import load_settings, open_database

app = typer.Typer(help="Notifications: the delivery worker.", no_args_is_help=True)


@app.command("worker")
def worker(
    once: bool = typer.Option(False, help="One round (scan and send what is due), then exit."),
) -> None:
    """Send due notifications until stopped (Ctrl-C / SIGTERM). Several may run: one
    holds the database lease and sends, the others wait to take over."""
    from service.notify.worker import Worker

    settings = load_settings()
    with open_database(settings) as database:
        runner = Worker.from_settings(database.sessions, settings)
        if once:
            typer.echo(f"sent {runner.run_once()}")
            return

        def _stop(signum: int, frame: FrameType | None) -> None:
            runner.stop()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        typer.echo("notification worker running; Ctrl-C stops it")
        runner.run()
