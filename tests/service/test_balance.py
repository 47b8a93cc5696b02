"""Kept connections evened out over `rencai serve`'s workers (service/balance.py): the
shared table of requests in flight, and the middleware that closes a connection of a
worker busier than the least busy other worker by more than one request."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from service.app import create_app
from service.balance import EvenOutConnections, WorkerLoads
from service.db import Database
from service.engine import MatchingEngine
from service.settings import Settings

_T = TypeVar("_T")


@pytest.fixture
def loads(tmp_path: Path) -> Iterator[WorkerLoads]:
    table = WorkerLoads.create(2, folder=tmp_path)
    yield table
    table.remove()


def _claim_in_child(path: str, claimed: multiprocessing.Queue[int]) -> None:  # type: ignore[type-arg]
    claimed.put(WorkerLoads(Path(path)).claim())


def test_workers_starting_together_claim_one_slot_each(loads: WorkerLoads) -> None:
    context = multiprocessing.get_context("spawn")  # as uvicorn starts its workers
    claimed: multiprocessing.Queue[int] = context.Queue()  # type: ignore[type-arg]
    children = [
        context.Process(target=_claim_in_child, args=(str(loads.path), claimed)) for _ in range(2)
    ]
    for child in children:
        child.start()
    slots = sorted(claimed.get(timeout=60) for _ in children)
    for child in children:
        child.join(timeout=60)

    assert slots == [0, 1]


def test_a_dead_workers_slot_goes_to_its_replacement(loads: WorkerLoads) -> None:
    child = multiprocessing.get_context("spawn").Process(target=os.getpid)
    child.start()
    child.join(timeout=60)
    assert child.pid is not None
    loads.claim(pid=os.getppid())
    dead = loads.claim(pid=child.pid)

    assert loads.claim() == dead  # this process replaces the dead one
    assert loads.claim() == dead  # and asking again finds its own slot
    third = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(60,))
    third.start()
    try:
        with pytest.raises(RuntimeError, match="all 2 slots are held by live worker processes"):
            loads.claim(pid=third.pid)  # a third live process finds no slot
    finally:
        third.kill()
        third.join(timeout=60)


def test_a_gone_workers_last_count_is_not_the_least_busy(loads: WorkerLoads) -> None:
    child = multiprocessing.get_context("spawn").Process(target=os.getpid)
    child.start()
    child.join(timeout=60)
    assert child.pid is not None
    gone = loads.claim(pid=child.pid)
    loads.set_in_flight(gone, 0)  # retired idle, or killed before it counted out
    mine = loads.claim()

    assert loads.least_other(mine) is None  # no live worker to send a client to


def test_a_worker_that_finds_the_table_full_serves_without_evening_out(
    tmp_path: Path,
) -> None:
    full = WorkerLoads.create(1, folder=tmp_path)
    try:
        full.claim(pid=os.getppid())  # the only slot, held by a live process
        app, release = _held_app(full)
        release.set()

        async def ask() -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://w") as client:
                return await client.get("/slow")

        response = _in_own_loop(ask())
    finally:
        full.remove()

    assert response.status_code == 200 and "connection" not in response.headers
    assert app._own_slot() is None


def test_a_table_file_of_the_wrong_size_is_refused_by_name(tmp_path: Path) -> None:
    odd = tmp_path / "loads"
    odd.write_bytes(b"\0" * 17)

    with pytest.raises(ValueError, match="17 bytes, expected a positive multiple of 16"):
        WorkerLoads(odd)


def _in_own_loop(coroutine: Coroutine[Any, Any, _T]) -> _T:
    """Run ``coroutine`` on a new event loop in a thread of its own: earlier tests in
    the session (a browser driven from this thread) may leave a loop running here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


async def _three_at_once(app: EvenOutConnections, release: asyncio.Event) -> list[str]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://worker") as client:
        sent = [asyncio.create_task(client.get("/slow")) for _ in range(3)]
        slot = app._own_slot()
        assert slot is not None
        while app.loads.in_flight(slot) < 3:
            await asyncio.sleep(0.001)
        release.set()
        responses = await asyncio.gather(*sent)
    return sorted(r.headers.get("connection", "keep-alive") for r in responses)


def _held_app(loads: WorkerLoads) -> tuple[EvenOutConnections, asyncio.Event]:
    release = asyncio.Event()

    async def slow(request: Request) -> PlainTextResponse:
        await release.wait()
        return PlainTextResponse("done")

    inner = Starlette(routes=[Route("/slow", slow)])
    return EvenOutConnections(inner, loads_file=loads.path), release


def test_a_worker_busier_than_an_idle_one_sends_clients_away_until_even(
    loads: WorkerLoads,
) -> None:
    other = loads.claim(pid=os.getppid())  # another live worker, answering nothing
    loads.set_in_flight(other, 0)
    app, release = _held_app(loads)

    closes = _in_own_loop(_three_at_once(app, release))

    # Three in flight against none: the first two responses move their clients (3 > 1,
    # 2 > 1); the last keeps its connection (1 is not more than one above 0).
    assert closes == ["close", "close", "keep-alive"]
    assert loads.in_flight(loads.claim()) == 0


def test_workers_within_one_request_of_each_other_keep_every_connection(
    loads: WorkerLoads,
) -> None:
    other = loads.claim(pid=os.getppid())
    loads.set_in_flight(other, 2)
    app, release = _held_app(loads)

    assert _in_own_loop(_three_at_once(app, release)) == ["keep-alive"] * 3


def test_the_app_counts_its_requests_into_the_table_serve_made(
    app_settings: Settings,
    engine: Engine,
    session_factory: sessionmaker[Session],
    matching_engine: MatchingEngine,
    loads: WorkerLoads,
) -> None:
    settings = app_settings.model_copy(update={"worker_loads_file": loads.path})
    database = Database(engine=engine, sessions=session_factory)
    app = create_app(settings, database=database, engine=matching_engine)

    with TestClient(app) as client:
        assert client.get("/api/v1/health").status_code == 200

    assert loads.claim() == 0  # the app claimed this process's slot at start
    assert loads.in_flight(0) == 0  # and counted the request out again
    assert loads.least_other(0) is None  # no other worker has started
