"""Embedding cache keyed by sha256 of (encoder id, text).

An unchanged profile is never re-encoded: the in-memory map answers within a process,
and an optional SQLite file under a directory the caller chooses answers across runs.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np


def text_key(encoder_id: str, text: str) -> str:
    """Hex sha256 of the encoder id and the text (a NUL separates them)."""
    return hashlib.sha256(f"{encoder_id}\0{text}".encode()).hexdigest()


class EmbeddingCache:
    """Vectors by key, in memory and optionally on disk.

    ``directory``: where ``embeddings.sqlite3`` lives; ``None`` keeps vectors in memory
    only. ``max_memory_items`` bounds the in-memory map (oldest entries go first).
    """

    def __init__(self, directory: str | Path | None = None, *, max_memory_items: int = 500_000):
        self.directory = Path(directory) if directory is not None else None
        self.max_memory_items = max_memory_items
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.directory / "embeddings.sqlite3", check_same_thread=False
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS embedding "
                "(key TEXT PRIMARY KEY, dim INTEGER NOT NULL, vector BLOB NOT NULL)"
            )
            self._db.commit()

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
            if missing and self._db is not None:
                for start in range(0, len(missing), 500):
                    chunk = missing[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    # Only "?" marks are joined into the text; the keys are bound.
                    query = f"SELECT key, dim, vector FROM embedding WHERE key IN ({marks})"  # nosec B608
                    rows = self._db.execute(query, chunk).fetchall()
                    for key, dim, blob in rows:
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
            if self._db is not None and rows:
                self._db.executemany(
                    "INSERT OR REPLACE INTO embedding (key, dim, vector) VALUES (?, ?, ?)", rows
                )
                self._db.commit()

    def _remember(self, key: str, vector: np.ndarray) -> None:
        if len(self._memory) >= self.max_memory_items:
            self._memory.pop(next(iter(self._memory)))
        self._memory[key] = vector

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
