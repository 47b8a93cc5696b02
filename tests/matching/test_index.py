from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matching.errors import IndexCorruptError, IndexMismatchError, ShapeError
from matching.index import VectorIndex, manifest_path_for, recall_at_k


def unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    x = rng.normal(size=(n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.fixture
def filled() -> tuple[VectorIndex, np.ndarray]:
    vectors = unit(np.random.default_rng(0), 50, 16)
    index = VectorIndex(16, encoder_id="enc-a")
    index.add(np.arange(1000, 1050), vectors)
    return index, vectors


def test_ids_are_database_ids(filled: tuple[VectorIndex, np.ndarray]) -> None:
    index, vectors = filled
    scores, ids = index.search(vectors[7], 3)
    assert ids[0, 0] == 1007 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_update_and_remove_in_place(filled: tuple[VectorIndex, np.ndarray]) -> None:
    index, vectors = filled
    index.update(np.array([1007]), vectors[8:9])
    _, ids = index.search(vectors[8], 2)
    assert set(ids[0]) == {1007, 1008}
    assert index.remove(np.array([1008, 999999])) == 1
    assert len(index) == 49 and 1008 not in index and 1007 in index
    _, ids = index.search(vectors[8], 1)
    assert ids[0, 0] == 1007
    with pytest.raises(ValueError, match=r"already in the index"):
        index.add(np.array([1007]), vectors[:1])


def test_wrong_dimension_and_nan_are_refused(filled: tuple[VectorIndex, np.ndarray]) -> None:
    index, _ = filled
    with pytest.raises(ShapeError, match=r"expected \(n, 16\)"):
        index.add(np.array([1]), np.ones((1, 8), np.float32))
    with pytest.raises(ShapeError, match="NaN"):
        index.add(np.array([1]), np.full((1, 16), np.nan, np.float32))
    with pytest.raises(ShapeError, match=r"expected \(q, 16\)"):
        index.search(np.ones((1, 3), np.float32), 1)


def test_save_load_roundtrip(tmp_path: Path, filled: tuple[VectorIndex, np.ndarray]) -> None:
    index, vectors = filled
    manifest = index.save(tmp_path / "talents.faiss")
    data = json.loads(manifest.read_text())
    assert data["encoder_id"] == "enc-a" and data["count"] == 50 and data["dimension"] == 16
    loaded = VectorIndex.load(tmp_path / "talents.faiss", encoder_id="enc-a", dimension=16)
    assert len(loaded) == 50 and 1049 in loaded
    np.testing.assert_array_equal(loaded.search(vectors, 5)[1], index.search(vectors, 5)[1])
    loaded.remove(np.array([1000]))  # still editable after loading
    assert len(loaded) == 49


def test_index_from_another_encoder_is_refused(tmp_path: Path, filled) -> None:  # type: ignore[no-untyped-def]
    index, _ = filled
    index.save(tmp_path / "i.faiss")
    with pytest.raises(IndexMismatchError, match=r"built by encoder 'enc-a'.*'enc-b'"):
        VectorIndex.load(tmp_path / "i.faiss", encoder_id="enc-b", dimension=16)
    with pytest.raises(IndexMismatchError, match="dimension 16, expected 512"):
        VectorIndex.load(tmp_path / "i.faiss", encoder_id="enc-a", dimension=512)
    with pytest.raises(IndexMismatchError, match="factory 'Flat'"):
        VectorIndex.load(tmp_path / "i.faiss", encoder_id="enc-a", dimension=16, factory="HNSW32")


def test_corrupt_or_missing_files_are_detected(tmp_path: Path, filled) -> None:  # type: ignore[no-untyped-def]
    index, _ = filled
    path = tmp_path / "i.faiss"
    index.save(path)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(IndexCorruptError, match="sha256"):
        VectorIndex.load(path, encoder_id="enc-a", dimension=16)
    manifest_path_for(path).write_text("{not json")
    with pytest.raises(IndexCorruptError, match="unreadable"):
        VectorIndex.load(path, encoder_id="enc-a", dimension=16)
    with pytest.raises(IndexCorruptError, match="missing"):
        VectorIndex.load(tmp_path / "absent.faiss", encoder_id="enc-a", dimension=16)


def test_hnsw_recall_against_exact() -> None:
    rng = np.random.default_rng(1)
    base, queries = unit(rng, 3000, 32), unit(rng, 50, 32)
    ids = np.arange(3000) + 10
    exact = VectorIndex(32, encoder_id="e")
    approx = VectorIndex(32, encoder_id="e", factory="HNSW32", hnsw_ef_search=128)
    exact.add(ids, base)
    approx.add(ids, base)
    recall = recall_at_k(approx.search(queries, 10)[1], exact.search(queries, 10)[1])
    assert recall >= 0.95


def test_unknown_factory_is_explained() -> None:
    with pytest.raises(ValueError, match="index_factory='Bogus7'"):
        VectorIndex(8, encoder_id="e", factory="Bogus7")


def test_empty_index_search_returns_no_ids() -> None:
    scores, ids = VectorIndex(4, encoder_id="e").search(np.ones((1, 4), np.float32), 3)
    assert (ids == -1).all() and np.isneginf(scores).all()


def test_graph_index_updates_and_removes_without_a_rebuild() -> None:
    """HNSW cannot delete: replaced and removed vectors become stale entries that never
    appear in results, and compaction drops them."""
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((200, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(16, encoder_id="test", factory="HNSW32")
    assert not index.supports_remove
    index.add(np.arange(1, 201), vectors)
    index.remove(np.array([5, 6]))
    moved = -vectors[7:8]
    index.update(np.array([8]), moved)
    assert len(index) == 198 and index.stale == 3
    _, ids = index.search(vectors[4:5], 10)
    assert 5 not in ids[0] and 6 not in ids[0]
    _, ids = index.search(moved, 1)
    assert ids[0, 0] == 8
    _, ids = index.search(vectors[7:8], 200)
    assert list(ids[0]).count(8) <= 1
    np.testing.assert_allclose(index.reconstruct(np.array([8])), moved, atol=1e-6)
    index.compact()
    assert index.stale == 0 and len(index) == 198
    _, ids = index.search(moved, 1)
    assert ids[0, 0] == 8
