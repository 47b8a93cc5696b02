"""Impressions: what each ranked list showed, kept to train the learned ranker.

A request that shows candidates must not wait on a write (and a read-only request
must not commit), so rows go into a buffer in this process and are written in one
multi-row insert by a background thread, once ``impression_flush_rows`` wait or the
oldest has waited ``impression_flush_seconds``; ``flush()`` writes at once (tests,
shutdown, ``rencai ranker train``). A crash loses at most the buffer: impressions are
a sample of what was shown, not a record anyone acts on. Batch runs write theirs in
the run's own transaction (:func:`rows_for`, then ``session.add_all``)."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from matching.results import Recommendation
from models import MatchImpression

log = logging.getLogger(__name__)


def new_list_id() -> int:
    """A random id shared by the rows of one shown list (63 bits: no coordination
    between processes or nodes is needed)."""
    return random.getrandbits(62) + 1


def rows_for(
    recs: Sequence[Recommendation],
    *,
    surface: str,
    county_codes: dict[int, str | None] | str | None,
    list_id: int | None = None,
    shown_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """Insertable rows of one list. ``county_codes``: the need's county (one need's
    candidates) or {need id: county} (a talent's suggestions)."""
    list_id = list_id if list_id is not None else new_list_id()
    at = shown_at or datetime.now(UTC)
    out = []
    for r in recs:
        county = county_codes.get(r.need_id) if isinstance(county_codes, dict) else county_codes
        out.append(
            {
                "list_id": list_id,
                "surface": surface,
                "need_id": r.need_id,
                "talent_id": r.talent_id,
                "rank": r.rank,
                "score": float(r.score),
                "scorer": r.scorer[:40],
                "features": [round(float(line.value), 6) for line in r.breakdown],
                "county_code": county,
                "shown_at": at,
            }
        )
    return out


class ImpressionBuffer:
    """Rows waiting to be written to ``match_impression``; thread-safe."""

    def __init__(self, *, max_rows: int, max_seconds: float) -> None:
        self.max_rows = max_rows
        self.max_seconds = max_seconds
        self._rows: list[dict[str, Any]] = []
        self._oldest: float | None = None
        self._lock = threading.Lock()
        self._bind: Engine | Connection | None = None
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.written = 0
        self.dropped = 0

    def add(self, bind: Engine | Connection, rows: list[dict[str, Any]]) -> None:
        """Queue ``rows``. Through an engine, the writer thread flushes them; through one
        connection (a session bound to a single connection, as in the tests' outer
        transaction, which no other thread may use) they wait for ``flush()``."""
        if not rows:
            return
        with self._lock:
            if self._bind is not bind and isinstance(self._bind, Connection):
                self._rows = []  # that connection's transaction is gone with its rows
            self._bind = bind
            self._rows.extend(rows)
            if self._oldest is None:
                self._oldest = time.monotonic()
            full = len(self._rows) >= self.max_rows
        if isinstance(bind, Connection):
            return
        self._ensure_thread()
        if full:
            self._wake.set()

    def pending(self) -> int:
        with self._lock:
            return len(self._rows)

    def flush(self) -> int:
        """Write what waits, now; how many rows were written."""
        with self._lock:
            rows, self._rows, self._oldest = self._rows, [], None
            bind = self._bind
        if not rows or bind is None:
            return 0
        if isinstance(bind, Connection):
            bind.execute(insert(MatchImpression), rows)
            self.written += len(rows)
            return len(rows)
        try:
            with bind.begin() as conn:
                conn.execute(insert(MatchImpression), rows)
        except SQLAlchemyError:
            # A need or talent deleted meanwhile fails the whole insert: write the rest.
            return self._one_by_one(bind, rows)
        self.written += len(rows)
        return len(rows)

    def _one_by_one(self, bind: Engine, rows: list[dict[str, Any]]) -> int:
        done = 0
        for row in rows:
            try:
                with bind.begin() as conn:
                    conn.execute(insert(MatchImpression), [row])
                done += 1
            except SQLAlchemyError:
                self.dropped += 1
        if self.dropped:
            log.warning("impressions: %d rows could not be written", self.dropped)
        self.written += done
        return done

    def _due(self) -> bool:
        with self._lock:
            return bool(self._rows) and (
                len(self._rows) >= self.max_rows
                or (
                    self._oldest is not None and time.monotonic() - self._oldest >= self.max_seconds
                )
            )

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self._loop, name="impression-writer", daemon=True
            )
            self._thread.start()

    def _loop(self) -> None:
        while True:
            self._wake.wait(timeout=min(self.max_seconds, 1.0))
            self._wake.clear()
            if self._due():
                try:
                    self.flush()
                except Exception:  # never let the writer die: log and go on
                    log.exception("impressions: writing failed")
