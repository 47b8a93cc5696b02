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
