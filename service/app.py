"""The application factory. Everything the app needs arrives through ``settings``."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service import jobs, notify, placements
from service.api.contract import install_contract, operation_id
from service.balance import EvenOutConnections
from service.collector import tune_collector
from service.csrf import ApiCsrfGuard
from service.db import Database
from service.engine import MatchingEngine, track_changes
from service.headers import SecurityHeaders
from service.http_errors import install_error_handlers
from service.job_runner import JobRunner
from service.limits import BodySizeLimit, RefuseNulCharacters
from service.native_threads import limit_native_threads
from service.notify.worker import Worker, start_thread
from service.pages.render import make_templates
from service.retry import WriteRetry
from service.settings import Settings
from service.throttle import install_throttle_handler, make_login_throttle
from service.uploads import UploadGate, is_upload_route
from service.usecases import expiry

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    engine: MatchingEngine | None = None,
) -> FastAPI:
    logging.basicConfig(level=settings.log_level)
    owns_database = database is None
    owns_engine = engine is None
    db = database or Database.from_settings(settings)
    # One threshold for the engine (settings.matching_config) and every check in SQL.
    placements.configure(db.sessions, settings.long_placement_min_days)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Batch runs left `running` by a process that died are marked failed.
        jobs.reap_at_startup(db.sessions, settings.job_lease_seconds)
        # Needs whose end date passed while the service was down expire now.
        expiry.expire_at_startup(db.sessions, settings.today)
        if settings.warm_engine_on_start:
            # Fit in the background so the port opens at once; the first recommendation
            # waits on the engine's lock if it comes before the fit is done.
            threading.Thread(target=_warm, args=(app,), name="engine-warmup", daemon=True).start()
        worker = _start_notify_worker(db, settings)
        runner = _start_job_runner(db, settings, app.state.engine)
        yield
        if runner is not None:
            runner.stop()
        if worker is not None:
            worker.stop()
        if owns_engine:
            # Its sync thread would otherwise outlive the app, polling a database that
            # may be gone (a test's dropped database logged tracebacks from it).
            app.state.engine.close()
        if owns_database:
            db.dispose()

    app = FastAPI(
        title="Rencai Match API",
        version="0.1.0",
        description="人才对接 (Rencai Match) pairs experts and talents with the needs of "
        "grassroots sites (楚雄州鼓励引导人才向艰苦贫困地区和基层一线流动行动方案, 2020). "
        "Conventions (pagination, errors, ETag/If-Match, authentication, versioning): "
        "docs/api.md.",
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
        # The interactive docs are off in production unless RENCAI_API_DOCS turns them on.
        docs_url="/docs" if settings.api_docs_enabled else None,
        redoc_url="/redoc" if settings.api_docs_enabled else None,
        openapi_url="/openapi.json" if settings.api_docs_enabled else None,
    )
    app.state.settings = settings
    notify.configure(settings)
    app.state.database = db
    app.state.templates = make_templates()
    app.state.engine = engine or MatchingEngine(settings)
    track_changes(db.sessions, app.state.engine)
    app.state.login_throttle = make_login_throttle(settings)
    install_error_handlers(app)
    install_throttle_handler(app)
    install_contract(app)

    from service.api import router as api_router
    from service.pages.routes import router as pages_router

    app.include_router(api_router)
    app.include_router(pages_router)
    # Innermost: a write that met a locked database runs again (service/retry.py).
    app.add_middleware(
        WriteRetry,
        attempts=settings.write_retry_attempts,
        base_delay_ms=settings.write_retry_delay_ms,
        max_body_bytes=settings.max_body_bytes,
    )
    app.add_middleware(RefuseNulCharacters)
    # Spreadsheet uploads have their own, larger limit, checked by the upload gate with
    # the login and the CSRF token before any of the body is read.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, exempt=is_upload_route)
    app.add_middleware(UploadGate, max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(ApiCsrfGuard)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    if settings.worker_loads_file is not None:
        # Outermost: a request counts as in flight for all of its time in this worker.
        app.add_middleware(EvenOutConnections, loads_file=settings.worker_loads_file)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _start_notify_worker(db: Database, settings: Settings) -> Worker | None:
    """The notification worker as a background thread (RENCAI_NOTIFY_WORKER); it sends
    only while it holds the deployment's lease."""
    if not settings.notify_worker:
        return None
    worker = Worker.from_settings(db.sessions, settings)
    start_thread(worker)
    return worker


def _start_job_runner(db: Database, settings: Settings, engine: MatchingEngine) -> JobRunner | None:
    """The batch-run job runner as a background thread (RENCAI_JOB_WORKER)."""
    if not settings.job_worker:
        return None
    runner = JobRunner(db.sessions, engine)
    runner.start()
    return runner


def _warm(app: FastAPI) -> None:
    database: Database = app.state.database
    try:
        with database.session() as session:
            app.state.engine.sync(session)
    except Exception:  # the next request retries and reports the error properly
        logging.getLogger(__name__).exception("warming the matching engine failed")


def app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` with several worker processes: each builds its app
    (and its matching engine) from the environment's settings."""
    settings = Settings()
    limit_native_threads(settings.native_threads)
    tune_collector(settings.gc_young_threshold)
    return create_app(settings)
