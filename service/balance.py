"""Kept connections evened out over the worker processes of one `rencai serve`.

``rencai serve --workers N`` starts N processes that accept from one listening socket.
A client that keeps its connection open (a browser, a proxy, an API script) stays with
the process that happened to accept it, and when connections arrive together one
process often takes most of them: with four clients over two workers, one held three
and the other one, so the three waited on one process (and one GIL) while the other
core idled, and a list took three service times instead of two.

Each worker writes the number of requests it is answering to a small table in shared
memory (a file mapped by every worker, made by ``serve``). When a worker starts a
response while it is answering more than one request above the least busy worker, it
answers with ``Connection: close``; the client reconnects, and the listening socket
hands the new connection to whichever worker calls ``accept`` first, which is usually
the one waiting for work. An even spread (two and two) sheds nothing, so the steady
state costs no reconnections.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
import tempfile
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.processes import process_alive

log = logging.getLogger(__name__)

#: Per worker: its process id and the requests it is answering, two int64.
_SLOT_INTS = 2
_INT_BYTES = 8


class WorkerLoads:
    """A table of ``slots`` (process id, requests in flight) in a mapped file, one slot
    per worker process. Each worker writes only its own slot; readers may see a count
    one step old, which only delays a move by one response."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with self.path.open("r+b") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size == 0 or size % (_SLOT_INTS * _INT_BYTES):
                raise ValueError(
                    f"worker loads file {self.path}: {size} bytes, expected a positive "
                    f"multiple of {_SLOT_INTS * _INT_BYTES}"
                )
            self._map = mmap.mmap(fh.fileno(), size)
        self._table: Any = memoryview(self._map).cast("q")
        self.slots = size // (_SLOT_INTS * _INT_BYTES)

    @classmethod
    def create(cls, slots: int, folder: Path | None = None) -> WorkerLoads:
        """A new, empty table for ``slots`` workers, in memory-backed ``/dev/shm`` where
        there is one. The creator removes it with :meth:`remove`."""
        if slots < 1:
            raise ValueError(f"slots={slots}: expected at least one worker")
        if folder is None:
            # mkstemp below makes a new file only this user can open (no predictable name).
            shm = Path("/dev/shm")  # nosec B108
            folder = shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        handle, name = tempfile.mkstemp(prefix="rencai-worker-loads-", dir=folder)
        with os.fdopen(handle, "wb") as fh:
            fh.write(bytes(slots * _SLOT_INTS * _INT_BYTES))
        return cls(Path(name))

    def claim(self, pid: int | None = None) -> int:
        """The slot of process ``pid`` (this one by default): its own if it has one,
        else a free one or one whose process has died (a worker restarted by the
        supervisor). Claims are made under a lock on the file, so two starting workers
        never take one slot."""
        pid = os.getpid() if pid is None else pid
        with self.path.open("rb") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                slot = self._free_slot(pid)
                self._table[slot * _SLOT_INTS] = pid
                self._table[slot * _SLOT_INTS + 1] = 0
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return slot

    def _free_slot(self, pid: int) -> int:
        owners = [self._table[s * _SLOT_INTS] for s in range(self.slots)]
        if pid in owners:
            return owners.index(pid)
        for slot, owner in enumerate(owners):
            if owner == 0 or not process_alive(owner):
                return slot
        raise RuntimeError(
            f"worker loads file {self.path}: all {self.slots} slots are held by live "
            "worker processes (rencai serve makes two per worker); this one serves "
            "without evening out kept connections"
        )

    def set_in_flight(self, slot: int, count: int) -> None:
        self._table[slot * _SLOT_INTS + 1] = count

    def in_flight(self, slot: int) -> int:
        return int(self._table[slot * _SLOT_INTS + 1])

    def least_other(self, slot: int) -> int | None:
        """The fewest requests in flight at another live worker, or None when there is
        none. A slot whose process has gone (retired by a restart, or crashed) is left
        out: its last count says nothing about where a client would land."""
        others = [
            int(self._table[s * _SLOT_INTS + 1])
            for s in range(self.slots)
            if s != slot
            and self._table[s * _SLOT_INTS] != 0
            and process_alive(int(self._table[s * _SLOT_INTS]))
        ]
        return min(others) if others else None

    def close(self) -> None:
        self._table.release()
        self._map.close()

    def remove(self) -> None:
        """Close the table and delete its file (the creator, when the server stops)."""
        self.close()
        self.path.unlink(missing_ok=True)


class EvenOutConnections:
    """ASGI middleware: counts this worker's requests in flight into its slot of the
    shared :class:`WorkerLoads`, and closes a kept connection after its response when
    this worker is busier than the least busy other worker by more than one request.
    Counts change on the event loop's thread only, so they need no lock."""

    def __init__(self, app: ASGIApp, loads_file: Path) -> None:
        self.app = app
        self.loads = WorkerLoads(loads_file)
        self._slot: int | None = None
        self._pid = 0
        self._in_flight = 0

    def _own_slot(self) -> int | None:
        """This worker's slot, claimed in the worker process itself (after a fork,
        again); None when the table is full, and then this worker serves without
        evening out rather than not at all."""
        if self._pid != os.getpid():
            self._pid = os.getpid()
            self._in_flight = 0
            try:
                self._slot = self.loads.claim()
            except RuntimeError as exc:
                log.warning("kept connections are not evened out by this worker: %s", exc)
                self._slot = None
        return self._slot

    def should_shed(self, slot: int) -> bool:
        least = self.loads.least_other(slot)
        return least is not None and self._in_flight > least + 1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The lifespan's call claims the slot at start, so an idle worker counts as one.
        slot = self._own_slot()
        if scope["type"] != "http" or slot is None:
            await self.app(scope, receive, send)
            return
        self._in_flight += 1
        self.loads.set_in_flight(slot, self._in_flight)

        async def send_shedding(message: Message) -> None:
            if message["type"] == "http.response.start" and self.should_shed(slot):
                headers = [*message.get("headers", ()), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_shedding)
        finally:
            self._in_flight -= 1
            self.loads.set_in_flight(slot, self._in_flight)
