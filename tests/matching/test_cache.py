from __future__ import annotations

from pathlib import Path

import numpy as np

from matching.cache import EmbeddingCache, text_key
from matching.encoders import TextEncoder


def test_keys_depend_on_encoder_and_text() -> None:
    assert text_key("a", "x") != text_key("b", "x")
    assert text_key("a", "x") != text_key("a", "y")
    assert len(text_key("a", "x")) == 64


def test_unchanged_texts_are_never_re_encoded(use_encoder: TextEncoder) -> None:
    encoder = TextEncoder(cache=EmbeddingCache(), show_progress=False)
    encoder._model = use_encoder.model  # share the loaded model, not the cache
    first = encoder.encode(["缓存测试一", "缓存测试二", "缓存测试一"])
    assert encoder.cache.misses == 2 and len(encoder.cache) == 2
    again = encoder.encode(["缓存测试二", "缓存测试一"])
    assert encoder.cache.misses == 2  # nothing new was encoded
    np.testing.assert_array_equal(again[0], first[1])
    np.testing.assert_array_equal(first[0], first[2])


def test_disk_store_survives_a_new_process_cache(tmp_path: Path, use_encoder: TextEncoder) -> None:
    first = TextEncoder(cache=EmbeddingCache(tmp_path), show_progress=False)
    first._model = use_encoder.model
    vectors = first.encode(["磁盘缓存"])
    first.cache.close()
    fresh = EmbeddingCache(tmp_path)
    key = text_key(first.encoder_id, "磁盘缓存")
    stored = fresh.get_many([key])
    np.testing.assert_array_equal(stored[key], vectors[0])
    assert fresh.hits == 1


def test_memory_bound_evicts_oldest() -> None:
    cache = EmbeddingCache(max_memory_items=2)
    cache.put_many([(k, np.ones(3, np.float32)) for k in ("a", "b", "c")])
    assert set(cache.get_many(["a", "b", "c"])) == {"b", "c"}


def _database_store(tmp_path: Path) -> str:
    """A database holding the shared table, as the service's migrations leave it."""
    from sqlalchemy import MetaData, create_engine

    from matching.cache import embedding_table

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = create_engine(url)
    embedding_table(MetaData()).create(engine)
    engine.dispose()
    return url


def test_a_database_store_is_shared_by_every_cache_over_it(
    tmp_path: Path, use_encoder: TextEncoder
) -> None:
    url = _database_store(tmp_path)
    first = TextEncoder(cache=EmbeddingCache(url=url), show_progress=False)
    first._model = use_encoder.model
    vectors = first.encode(["共享缓存一", "共享缓存二"])
    # Another node: its own cache object over the same database, nothing in memory.
    other = EmbeddingCache(url=url)
    keys = [text_key(first.encoder_id, t) for t in ("共享缓存一", "共享缓存二")]
    found = other.get_many(keys)
    np.testing.assert_array_equal(found[keys[0]], vectors[0])
    np.testing.assert_array_equal(found[keys[1]], vectors[1])
    assert (other.hits, other.misses) == (2, 0)
    first.cache.close()
    other.close()


def test_two_nodes_storing_the_same_text_at_once_keep_one_row(tmp_path: Path) -> None:
    url = _database_store(tmp_path)
    a, b = EmbeddingCache(url=url), EmbeddingCache(url=url)
    vector = np.arange(4, dtype=np.float32)
    a.put_many([("k", vector)])
    b.put_many([("k", vector + 1)])  # the first row stands; no error
    fresh = EmbeddingCache(url=url)
    np.testing.assert_array_equal(fresh.get_many(["k"])["k"], vector)
    for cache in (a, b, fresh):
        cache.close()
