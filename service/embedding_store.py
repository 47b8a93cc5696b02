"""The embedding cache in the service's database (table ``text_embedding``,
``models.TextEmbedding``): every process and server node over that database shares it,
so a text is encoded once by whichever node meets it first and a new node fits its
engine without encoding (``RENCAI_EMBEDDINGS_IN_DATABASE``; docs/deployment.md).

``matching`` knows only the store's shape (:class:`matching.cache.EmbeddingStore`); this
module is the store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from models import TextEmbedding
from models.db import make_engine
from service.settings import Settings

Row = tuple[str, int, bytes]


class DatabaseEmbeddingStore:
    """Rows are only added: a text's vector never changes."""

    def __init__(self, url: str) -> None:
        self._engine: Engine = make_engine(url)

    def get(self, keys: list[str]) -> list[Row]:
        query = select(TextEmbedding.key, TextEmbedding.dim, TextEmbedding.vector).where(
            TextEmbedding.key.in_(keys)
        )
        with self._engine.connect() as conn:
            return [(key, dim, bytes(vector)) for key, dim, vector in conn.execute(query)]

    def put(self, rows: list[Row]) -> None:
        from sqlalchemy.dialects import postgresql, sqlite

        inserts = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
        insert: Any = inserts[self._engine.dialect.name]
        # Two nodes may encode the same new text at once: the first row stands.
        statement = insert(TextEmbedding).on_conflict_do_nothing(index_elements=["key"])
        with self._engine.begin() as conn:
            conn.execute(statement, [{"key": k, "dim": d, "vector": v} for k, d, v in rows])

    def close(self) -> None:
        self._engine.dispose()


def shared_encoder(settings: Settings, config: Any) -> Any:
    """The engine's text encoder over the database's embedding cache, or None when the
    cache stays a file in the data folder (the matcher then builds its own)."""
    if not settings.shares_embeddings:
        return None
    from matching.cache import EmbeddingCache
    from matching.encoders import TextEncoder

    cache = EmbeddingCache(
        store=DatabaseEmbeddingStore(settings.resolved_database_url),
        max_memory_items=config.embedding_cache_memory_items,
    )
    return TextEncoder(
        config.encoder,
        threads=config.encoder_threads,
        runtime=config.encoder_runtime,
        model_dir=config.encoder_model_dir,
        batch_size=config.encode_batch_size,
        show_progress=config.show_progress,
        cache=cache,
    )
