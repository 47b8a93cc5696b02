"""VectorIndex: a FAISS index whose ids are database ids, with a manifest on disk.

Vectors are L2-normalised and searched by inner product (cosine). add / update / remove
work in place (``IndexIDMap2``), so a profile edit never rebuilds the index. ``save``
writes the index file and a JSON manifest (encoder id, dimension, count, factory string,
sha256 of the index file); ``load`` refuses an index from another encoder, dimension or
factory (:class:`IndexMismatchError`) and a damaged file (:class:`IndexCorruptError`), so
the caller rebuilds it from source rows instead of serving it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from matching.errors import IndexCorruptError, IndexMismatchError, ShapeError

MANIFEST_VERSION = 1


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class VectorIndex:
    """Dense vectors by int64 id.

    ``dimension``: vector length; ``encoder_id``: who made the vectors (kept in the
    manifest); ``factory``: FAISS factory string ("Flat", "HNSW32", "IVF256,Flat"…).
    """

    def __init__(
        self,
        dimension: int,
        *,
        encoder_id: str,
        factory: str = "Flat",
        hnsw_ef_search: int = 128,
        ivf_nprobe: int = 32,
    ) -> None:
        if dimension < 1:
            raise ShapeError(f"dimension={dimension}: expected a positive vector length")
        self.dimension = int(dimension)
        self.encoder_id = encoder_id
        self.factory = factory
        self.hnsw_ef_search = hnsw_ef_search
        self.ivf_nprobe = ivf_nprobe
        self._index: Any = self._new_index()
        self._ids: set[int] = set()
        # Graph indexes (HNSW) cannot delete: a removed or replaced vector stays in the
        # graph as a stale entry, filtered out of results, until ``compact`` rebuilds.
        self._stale = 0
        # Read from a memory-mapped file (matching.state): edits need an owned copy.
        self.mapped = False

    def _new_index(self) -> Any:
        import faiss

        try:
            inner = faiss.index_factory(self.dimension, self.factory, faiss.METRIC_INNER_PRODUCT)
        except RuntimeError as exc:
            raise ValueError(
                f"index_factory={self.factory!r}: FAISS cannot build it ({exc}); "
                "try 'Flat' or 'HNSW32'"
            ) from exc
        self._tune(inner)
        return faiss.IndexIDMap2(inner)

    def _tune(self, inner: Any) -> None:
        import faiss

        if hasattr(inner, "hnsw"):
            inner.hnsw.efSearch = self.hnsw_ef_search
        ivf = faiss.try_extract_index_ivf(inner)
        if ivf is not None:
            ivf.nprobe = self.ivf_nprobe

    @property
    def is_trained(self) -> bool:
        return bool(self._index.is_trained)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def supports_remove(self) -> bool:
        import faiss

        inner = faiss.downcast_index(self._index.index)
        return not hasattr(inner, "hnsw")

    @property
    def stale(self) -> int:
        """Entries kept in the graph for removed or replaced vectors."""
        return self._stale

    def __contains__(self, item: object) -> bool:
        return isinstance(item, int | np.integer) and int(item) in self._ids

    @property
    def ids(self) -> np.ndarray:
        """All stored ids, sorted, shape (len(self),)."""
        return np.array(sorted(self._ids), dtype=np.int64)

    def _check(self, ids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension:
            raise ShapeError(
                f"vectors have shape {vectors.shape}: expected (n, {self.dimension}) for "
                f"encoder {self.encoder_id!r}"
            )
        if ids.shape != (vectors.shape[0],):
            raise ShapeError(f"ids have shape {ids.shape}: expected ({vectors.shape[0]},)")
        if not np.isfinite(vectors).all():
            raise ShapeError("vectors contain NaN or infinite values")
        if len(np.unique(ids)) != len(ids):
            raise ValueError("ids contain duplicates; each database id may appear once")
        return ids, vectors

    def copy(self) -> VectorIndex:
        """An independent copy: a reader may keep searching this one while the copy is
        edited (FAISS indexes are not safe to search during an add)."""
        import faiss

        twin = VectorIndex.__new__(VectorIndex)
        twin.__dict__.update(self.__dict__)
        if getattr(self, "mapped", False):
            # A memory-mapped index clones to one that still reads the file; a round
            # trip through bytes gives one that owns its vectors and can be edited.
            twin._index = faiss.deserialize_index(faiss.serialize_index(self._index))
            twin.mapped = False
        else:
            twin._index = faiss.clone_index(self._index)
        twin._ids = set(self._ids)
        twin._tune(faiss.downcast_index(twin._index.index))
        return twin

    def train(self, vectors: np.ndarray) -> None:
        """Train an IVF/PQ index on sample vectors (n, dimension); Flat/HNSW need none."""
        if not self.is_trained:
            _, vectors = self._check(np.arange(len(vectors)), vectors)
            self._index.train(vectors)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors (n, dimension) under new ids (n,). Existing ids raise."""
        ids, vectors = self._check(ids, vectors)
        if len(ids) == 0:
            return
        present = [int(i) for i in ids if int(i) in self._ids]
        if present:
            raise ValueError(f"ids already in the index: {present[:10]}; use update()")
        if not self.is_trained:
            self._index.train(vectors)
        self._index.add_with_ids(vectors, ids)
        self._ids.update(int(i) for i in ids)

    def remove(self, ids: np.ndarray) -> int:
        """Remove ids; unknown ids are ignored. Returns how many were removed."""
        import faiss

        ids = np.ascontiguousarray(ids, dtype=np.int64)
        present = [int(i) for i in ids if int(i) in self._ids]
        if not present:
            return 0
        if self.supports_remove:
            removed = int(self._index.remove_ids(faiss.IDSelectorBatch(np.array(present))))
        else:
            removed = len(present)
            self._stale += removed
        self._ids.difference_update(present)
        if self._stale > max(64, len(self._ids) // 10):
            self.compact()
        return removed

    def compact(self) -> None:
        """Rebuild the index from its live vectors, dropping stale graph entries."""
        if self._stale == 0:
            return
        live = np.array(sorted(self._ids), dtype=np.int64)
        vectors = self.reconstruct(live) if len(live) else np.zeros((0, self.dimension))
        self._index = self._new_index()
        self._ids = set()
        self._stale = 0
        self.add(live, vectors)

    def update(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replace (or insert) the vectors of ids."""
        ids, vectors = self._check(ids, vectors)
        self.remove(ids)
        self.add(ids, vectors)

    def reconstruct(self, ids: np.ndarray) -> np.ndarray:
        """Stored vectors of ids, shape (n, dimension)."""
        out = np.empty((len(ids), self.dimension), dtype=np.float32)
        for row, item in enumerate(np.asarray(ids, dtype=np.int64)):
            out[row] = self._index.reconstruct(int(item))
        return out

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k by inner product for queries (q, dimension) -> (scores (q, k), ids (q, k)).

        Fewer than k stored vectors leave id -1 and score -inf in the tail.
        """
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if queries.ndim == 1:
            queries = queries[None, :]
        if queries.shape[1] != self.dimension:
            raise ShapeError(
                f"queries have shape {queries.shape}: expected (q, {self.dimension}) for "
                f"encoder {self.encoder_id!r}"
            )
        if k < 1:
            raise ValueError(f"k={k}: expected a positive number of results")
        if len(self) == 0:
            return (
                np.full((len(queries), k), -np.inf, dtype=np.float32),
                np.full((len(queries), k), -1, dtype=np.int64),
            )
        if self._stale == 0:
            scores, ids = self._search(queries, k)
            scores = np.where(ids < 0, -np.inf, scores).astype(np.float32)
            return scores, ids
        # Ask for more to make up for stale entries, then keep each live id once.
        wide = min(int(self._index.ntotal), k + self._stale)
        raw_scores, raw_ids = self._search(queries, wide)
        out_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        out_ids = np.full((len(queries), k), -1, dtype=np.int64)
        for q in range(len(queries)):
            seen: set[int] = set()
            column = 0
            for score, item in zip(raw_scores[q], raw_ids[q], strict=True):
                item = int(item)
                if item < 0 or item in seen or item not in self._ids:
                    continue
                seen.add(item)
                out_scores[q, column], out_ids[q, column] = score, item
                column += 1
                if column == k:
                    break
        return out_scores, out_ids

    def _search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """One query runs on one OpenMP thread: a single HNSW search does not split
        across threads, and waking a team per query costs 100x the search when other
        busy threads (BLAS, the encoder, other processes) hold the cores."""
        if len(queries) != 1:
            return self._index.search(queries, k)  # type: ignore[no-any-return]
        import faiss

        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            return self._index.search(queries, k)  # type: ignore[no-any-return]
        finally:
            faiss.omp_set_num_threads(threads)

    def manifest(self, index_sha256: str) -> dict[str, Any]:
        return {
            "version": MANIFEST_VERSION,
            "encoder_id": self.encoder_id,
            "dimension": self.dimension,
            "count": len(self),
            "factory": self.factory,
            "index_sha256": index_sha256,
        }

    def save(self, path: str | Path) -> Path:
        """Write ``path`` (the FAISS file) and ``path.manifest.json``; returns the manifest
        path. Both are written to temporary names first so a crash leaves the old pair."""
        import faiss

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.compact()  # the file holds live vectors only
        tmp_index = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp_index))
        manifest = self.manifest(_file_sha256(tmp_index))
        manifest_path = manifest_path_for(path)
        tmp_manifest = manifest_path.with_name(manifest_path.name + ".tmp")
        tmp_manifest.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(tmp_index, path)
        os.replace(tmp_manifest, manifest_path)
        return manifest_path

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        encoder_id: str,
        dimension: int,
        factory: str | None = None,
        hnsw_ef_search: int = 128,
        ivf_nprobe: int = 32,
    ) -> VectorIndex:
        """Load an index saved by :meth:`save`, checking it against the manifest and the
        caller's encoder. Raises :class:`IndexMismatchError` or :class:`IndexCorruptError`
        (the caller then rebuilds from source rows)."""
        import faiss

        path = Path(path)
        manifest_path = manifest_path_for(path)
        if not path.is_file() or not manifest_path.is_file():
            raise IndexCorruptError(
                f"index {path}: the index file or its manifest {manifest_path.name} is missing"
            )
        try:
            manifest = json.loads(manifest_path.read_text())
            expected = {
                k: manifest[k]
                for k in ("encoder_id", "dimension", "count", "factory", "index_sha256")
            }
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(f"index manifest {manifest_path} is unreadable: {exc}") from exc
        if expected["encoder_id"] != encoder_id:
            raise IndexMismatchError(
                f"index {path} was built by encoder {expected['encoder_id']!r}, but the "
                f"configured encoder is {encoder_id!r}; rebuild the index"
            )
        if expected["dimension"] != dimension:
            raise IndexMismatchError(
                f"index {path} has dimension {expected['dimension']}, expected {dimension}; "
                "rebuild the index"
            )
        if factory is not None and expected["factory"] != factory:
            raise IndexMismatchError(
                f"index {path} has factory {expected['factory']!r}, configured {factory!r}; "
                "rebuild the index"
            )
        actual_sha = _file_sha256(path)
        if actual_sha != expected["index_sha256"]:
            raise IndexCorruptError(
                f"index {path}: sha256 {actual_sha[:12]}… differs from the manifest's "
                f"{str(expected['index_sha256'])[:12]}…; the file is damaged, rebuild it"
            )
        try:
            raw = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexCorruptError(f"index {path} cannot be read by FAISS: {exc}") from exc
        if raw.d != dimension or raw.ntotal != expected["count"]:
            raise IndexCorruptError(
                f"index {path} holds {raw.ntotal} vectors of dimension {raw.d}; the manifest "
                f"says {expected['count']} of {expected['dimension']}"
            )
        index = cls(
            dimension,
            encoder_id=encoder_id,
            factory=str(expected["factory"]),
            hnsw_ef_search=hnsw_ef_search,
            ivf_nprobe=ivf_nprobe,
        )
        mapped: Any = raw  # an IndexIDMap2, as save() wrote it
        index._index = mapped
        index._ids = set(int(i) for i in faiss.vector_to_array(mapped.id_map))
        index._tune(faiss.downcast_index(mapped.index))
        return index


def manifest_path_for(index_path: str | Path) -> Path:
    """Where the manifest of an index file lives."""
    index_path = Path(index_path)
    return index_path.with_name(index_path.name + ".manifest.json")


def recall_at_k(approx_ids: np.ndarray, exact_ids: np.ndarray) -> float:
    """Mean fraction of each exact top-k list found in the approximate one.

    Both arrays are (q, k) of ids; -1 marks an empty slot in the exact list.
    """
    if approx_ids.shape != exact_ids.shape:
        raise ShapeError(f"shapes differ: approx {approx_ids.shape}, exact {exact_ids.shape}")
    hits = []
    for approx_row, exact_row in zip(approx_ids, exact_ids, strict=True):
        truth = set(int(i) for i in exact_row if i >= 0)
        if truth:
            hits.append(len(truth & set(int(i) for i in approx_row)) / len(truth))
    return float(np.mean(hits)) if hits else 1.0
