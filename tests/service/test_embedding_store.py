"""The database's embedding store (``service.embedding_store``) behind the matching
engine's cache: shared by every cache over the database, and two nodes storing the same
text at once keep one row without an error."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from matching.cache import EmbeddingCache, text_key
from service.embedding_store import DatabaseEmbeddingStore
from tests.security.live import fresh_database


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database("rencai_embedding_store", tmp_path_factory.mktemp("store")) as made:
        yield made


def test_every_cache_over_the_database_shares_it(url: str) -> None:
    first = EmbeddingCache(store=DatabaseEmbeddingStore(url))
    keys = [text_key("use-multilingual", t) for t in ("共享缓存一", "共享缓存二")]
    vectors = np.random.default_rng(7).standard_normal((2, 512)).astype(np.float32)
    first.put_many(zip(keys, vectors, strict=True))
    # Another node: its own cache over the same database, nothing in memory.
    other = EmbeddingCache(store=DatabaseEmbeddingStore(url))
    found = other.get_many([*keys, "never-stored"])
    np.testing.assert_array_equal(found[keys[0]], vectors[0])
    np.testing.assert_array_equal(found[keys[1]], vectors[1])
    assert (other.hits, other.misses) == (2, 1)
    first.close()
    other.close()


def test_two_nodes_storing_the_same_text_at_once_keep_one_row(url: str) -> None:
    a = EmbeddingCache(store=DatabaseEmbeddingStore(url))
    b = EmbeddingCache(store=DatabaseEmbeddingStore(url))
    vector = np.arange(4, dtype=np.float32)
    a.put_many([("same-text", vector)])
    b.put_many([("same-text", vector + 1)])  # the first row stands; no error
    fresh = EmbeddingCache(store=DatabaseEmbeddingStore(url))
    np.testing.assert_array_equal(fresh.get_many(["same-text"])["same-text"], vector)
    for cache in (a, b, fresh):
        cache.close()
