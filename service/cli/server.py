"""`rencai serve`."""

from __future__ import annotations

import typer

from service.cli.common import load_settings


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes; each holds its own matching engine."
    ),
) -> None:
    """Serve the web pages and the JSON API."""
    import uvicorn

    from service.app import create_app

    settings = load_settings()
    typer.echo(f"Rencai Match 人才对接 → http://{host}:{port}/  (API docs: /docs)")
    if workers > 1:
        # Each worker process holds its own matching engine: more memory, no shared GIL.
        uvicorn.run(
            "service.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=settings.log_level.lower(),
            server_header=False,
        )
        return
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        server_header=False,  # no "Server: uvicorn" naming the software to a prober
    )
