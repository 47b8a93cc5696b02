"""Embedding cache keyed by sha256 of (encoder id, text).

An unchanged profile is never re-encoded: the in-memory map answers within a process,
and a store answers across runs: a SQLite file under a directory the caller chooses, or
a table ``text_embedding`` in a database given by its SQLAlchemy URL, which every server
node over that database shares (a new node starts without re-encoding).
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

# Keys per lookup statement: well inside every database's limit on bound parameters.
_LOOKUP_CHUNK = 500
Row = tuple[str, int, bytes]  # key, dimension, float32 bytes


def text_key(encoder_id: str, text: str) -> str:
    """Hex sha256 of the encoder id and the text (a NUL separates them)."""
    return hashlib.sha256(f"{encoder_id}\0{text}".encode()).hexdigest()


class _Store(Protocol):
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


def embedding_table(metadata: Any) -> Any:
    """The shared store's table (the service's migrations create it; ``models`` maps it)."""
    from sqlalchemy import Column, Integer, LargeBinary, String, Table

    return Table(
        "text_embedding",
        metadata,
        Column("key", String(64), primary_key=True),
        Column("dim", Integer, nullable=False),
        Column("vector", LargeBinary, nullable=False),
    )


class _Database:
    """Table ``text_embedding`` of the database at ``url``, shared by every process and
    node that uses it. Rows are only added: a text's vector never changes."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import MetaData, create_engine

        self._engine = create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2)
        self._table = embedding_table(MetaData())

    def get(self, keys: list[str]) -> list[Row]:
        from sqlalchemy import select

        table = self._table
        query = select(table.c.key, table.c.dim, table.c.vector).where(table.c.key.in_(keys))
        with self._engine.connect() as conn:
            return [(key, dim, bytes(vector)) for key, dim, vector in conn.execute(query)]

    def put(self, rows: list[Row]) -> None:
        from sqlalchemy.dialects import postgresql, sqlite

        dialect = self._engine.dialect.name
        inserts = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
        if dialect not in inserts:  # pragma: no cover - the service runs on these two
            raise ValueError(f"embedding store: unsupported database {dialect!r}")
        insert: Any = inserts[dialect]
        # Two nodes may encode the same new text at once: the first row stands.
        statement = insert(self._table).on_conflict_do_nothing(index_elements=["key"])
        with self._engine.begin() as conn:
            conn.execute(statement, [{"key": k, "dim": d, "vector": v} for k, d, v in rows])

    def close(self) -> None:
        self._engine.dispose()


class EmbeddingCache:
    """Vectors by key, in memory and optionally on disk.

    ``url``: a SQLAlchemy URL whose table ``text_embedding`` is the store; else
    ``directory``: where ``embeddings.sqlite3`` lives; neither keeps vectors in memory
    only. ``max_memory_items`` bounds the in-memory map (oldest entries go first).
    """

    def __init__(
        self,
        directory: str | Path | None = None,
        *,
        url: str | None = None,
        max_memory_items: int = 500_000,
    ):
        self.directory = Path(directory) if directory is not None else None
        self.url = url
        self.max_memory_items = max_memory_items
        self._memory: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._store: _Store | None = None
        self.hits = 0
        self.misses = 0
        if url is not None:
            self._store = _Database(url)
        elif self.directory is not None:
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
