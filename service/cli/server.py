"""`rencai serve`."""

from __future__ import annotations

import os
from typing import Any

import typer

from service.cli.common import load_settings
from service.settings import Settings


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Proxy-header handling follows ``RENCAI_TRUSTED_PROXIES``. Uvicorn by default
    believes ``X-Forwarded-For`` from 127.0.0.1, so anyone on the host could pose as any
    client (and reset the login throttle); with no trusted proxy it is switched off."""
    proxies = [str(network) for network in settings.trusted_proxy_networks]
    return {
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": ",".join(proxies) if proxies else "",
        "log_level": settings.log_level.lower(),
        "server_header": False,  # no "Server: uvicorn" naming the software to a prober
    }


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
    from service.collector import tune_collector
    from service.native_threads import limit_native_threads

    settings = load_settings()
    # Before the workers start: they inherit the environment (and set it again).
    limit_native_threads(settings.native_threads)
    tune_collector(settings.gc_young_threshold)
    typer.echo(f"Rencai Match 人才对接 → http://{host}:{port}/  (API docs: /docs)")
    if workers > 1:
        _serve_workers(settings, host, port, workers)
        return
    uvicorn.run(create_app(settings), host=host, port=port, **uvicorn_options(settings))


def _serve_workers(settings: Settings, host: str, port: int, workers: int) -> None:
    """Several worker processes over one socket; each holds its own matching engine
    (more memory, no shared GIL) and builds its app from the environment, which carries
    the table through which they even out kept connections (service/balance.py)."""
    import uvicorn

    from service.balance import WorkerLoads

    # Twice the workers: a restart (SIGHUP) starts each replacement before it retires
    # the worker it replaces, and both hold a slot for that moment.
    loads = WorkerLoads.create(2 * workers) if settings.even_out_connections else None
    if loads is not None:
        os.environ["RENCAI_WORKER_LOADS_FILE"] = str(loads.path)
    try:
        uvicorn.run(
            "service.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            **uvicorn_options(settings),
        )
    finally:
        if loads is not None:
            loads.remove()
