"""`rencai serve`."""

from __future__ import annotations

import typer

from service.cli.common import load_settings


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Worker processes."),
) -> None:
    """Serve the web pages and the JSON API."""
    import uvicorn

    from service.app import create_app

    settings = load_settings()
    app = create_app(settings)
    typer.echo(f"Rencai Match 人才对接 → http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(app, host=host, port=port, workers=workers, log_level="info")
