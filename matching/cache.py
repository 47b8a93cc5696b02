"""Embedding cache keyed by sha256 of (encoder id, text).

An unchanged profile is never re-encoded: the in-memory map answers within a process,
and a store answers across runs: a SQLite file under a directory the caller chooses, or
any :class:`EmbeddingStore` the caller passes (the service keeps one in its database,
shared by every server node, so a new node starts without re-encoding).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import numpy as np

# Keys per lookup statement: well inside every database's limit on bound parameters.
_LOOKUP_CHUNK = 500
Row = tuple[str, int, bytes]  # key, dimension, float32 bytes


def text_key(encoder_id: str, text: str) -> str:
    """Hex sha256 of the encoder id and the text (a NUL separates them)."""
    return hashlib.sha256(f"{encoder_id}\0{text}".encode()).hexdigest()


class EmbeddingStore(Protocol):
    """Where vectors outlive the process: ``get`` the rows among ``keys``, ``put`` new
    rows (a key already stored keeps its first row)."""

    def get(self, keys: list[str]) -> list[Row]: ...

    def put(self, rows: list[Row]) -> None: ...

    def close(self) -> None: ...


class _SqliteFile:
    """``embeddings.sqlite3`` in a directory of one machine."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(directory / "embeddings.sqlite3", check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embedding "
            "(key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vector BLOB NOT NULL)"
        )
        self._db.commit()

    def get(self, keys: list[str]) -> list[Row]:
        marks = ",".join("?" * len(keys))
        # Only "?" marks are joined into the text; the keys are bound.
        query = f"SELECT key, dim, vector FROM embedding WHERE key IN ({marks})"  # nosec B608
        return list(self._db.execute(query, keys).fetchall())

    def put(self, rows: list[Row]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO embedding (key, dim, vector) VALUES (?, ?, ?)", rows
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


class EmbeddingCache:
    """Vectors by key, in memory and optionally on disk.

    ``store``: where vectors outlive the process; else ``directory``: where
    ``embeddings.sqlite3`` lives; neither keeps vectors in memory only.
    ``max_memory_items`` bounds the in-memory map (oldest entries go first).
    """

    def __init__(
        self,
        directory: str | Path | None = None,
        *,
        store: EmbeddingStore | None = None,
        max_memory_items: int = 500_000,
    ):
        self.directory = Path(directory) if directory is not None else None
        self.max_memory_items = max_memory_items
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._store: EmbeddingStore | None = store
        self.hits = 0
        self.misses = 0
        if store is None and self.directory is not None:
            self._store = _SqliteFile(self.directory)

    def __len__(self) -> int:
        return len(self._memory)

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``keys`` (missing keys are left out)."""
        found: dict[str, np.ndarray] = {}
        missing: list[str] = []
        with self._lock:
            for key in keys:
                vector = self._memory.get(key)
                if vector is None:
                    missing.append(key)
                else:
                    found[key] = vector
            if missing and self._store is not None:
                for start in range(0, len(missing), _LOOKUP_CHUNK):
                    for key, dim, blob in self._store.get(missing[start : start + _LOOKUP_CHUNK]):
                        vector = np.frombuffer(blob, dtype=np.float32).copy()
                        if vector.shape != (dim,):
                            continue  # a torn row is a miss, not an error: re-encode it
                        found[key] = vector
                        self._remember(key, vector)
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store vectors (1-D float32) under their keys."""
        rows = []
        with self._lock:
            for key, vector in items:
                vector = np.ascontiguousarray(vector, dtype=np.float32)
                assert vector.ndim == 1, f"cache vectors are 1-D, got shape {vector.shape}"
                self._remember(key, vector)
                rows.append((key, int(vector.shape[0]), vector.tobytes()))
            if self._store is not None and rows:
                self._store.put(rows)

    def _remember(self, key: str, vector: np.ndarray) -> None:
        if len(self._memory) >= self.max_memory_items:
            self._memory.pop(next(iter(self._memory)))
        self._memory[key] = vector

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
