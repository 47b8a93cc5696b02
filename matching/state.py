"""A fitted :class:`~matching.matcher.Matcher` saved to a folder and loaded back with
memory mapping, so a process starts answering in seconds instead of refitting, and
several processes on one machine share the pages of one copy.

Layout of a state folder::

    manifest.json        versions, counts, config hash, the caller's watermark, and the
                         size (and for small files the sha256) of every file below
    center.npy           the centring vector
    lexical.pkl          the fitted lexical model (vocabulary and IDF)
    <side>.arrays.pkl    the side's columns for filters, score bounds and pair scores
    <side>.profiles.rows the profiles of a side (needs, talents), in row order, each
                         a pickle of its own, read on first use -- memory-mapped
    <side>.profiles.offsets.npy  where each profile starts in that file (N + 1,)
    <side>.ids.npy       their ids
    <side>.dense.npy     (N, D) unit vectors                  -- memory-mapped
    <side>.lex_data.npy, <side>.lex_indices.npy, <side>.lex_indptr.npy
                         the lexical rows as CSR components   -- memory-mapped
    <side>.faiss         the FAISS index (IndexIDMap2)        -- memory-mapped where
                                                                  the index type allows

Pickled files (``# nosec`` below and in ``matching.stored_rows``) are checked against
their sha256, whatever their size, before they are read, so a damaged or foreign file is
refused, never unpickled. Large arrays are checked by size and shape. Anything wrong
raises :class:`StateError`; the caller then refits.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle  # nosec B403
import platform
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

from matching.config import FEATURE_NAMES, MatchingConfig
from matching.stored_rows import ProfilesById, StoredRows, dump_rows

FORMAT_VERSION = 4
SIDES = ("needs", "talents")
# Fields of the config that shape what is stored; the others (weights, pool sizes,
# threads …) only steer queries and may change between save and load.
_STATE_FIELDS = (
    "encoder",
    "center_embeddings",
    "max_text_chars",
    "text_overflow",
    "lexical_ngram_range",
    "lexical_sublinear_tf",
    "lexical_min_df",
    "lexical_max_features",
    "index_factory",
    "segment_separators",
    "segment_markers",
    "max_segments",
    "long_placement_min_days",
)
_CHECKSUMMED_SUFFIXES = (".pkl", ".npy")
_CHECKSUM_MAX_BYTES = 64 << 20  # larger arrays are checked by size and shape
_PICKLED_SUFFIXES = (".pkl", ".rows")  # checked by sha256 at any size


class StateError(Exception):
    """A saved state that cannot be used: missing, damaged, or made for another config."""


def config_hash(config: MatchingConfig) -> str:
    names = {f.name for f in fields(config)}
    shaping = {name: repr(getattr(config, name)) for name in _STATE_FIELDS if name in names}
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()


def versions() -> dict[str, str]:
    import faiss
    import scipy
    import sklearn

    return {
        "format": str(FORMAT_VERSION),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "faiss": faiss.__version__,
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


class _Pickler(pickle.Pickler):
    """Frozen slotted dataclasses (profiles, windows, arrays) pickled as a call of the
    class with its field values: dataclasses' own unpickling looks up ``fields()`` for
    every object, which made loading 100,000 profiles take seconds."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if hasattr(cls, "__dataclass_fields__") and hasattr(cls, "__slots__"):
            return cls, tuple(getattr(obj, n) for n in _field_names(cls))
        return NotImplemented


def _row_pickler(fh: Any) -> pickle.Pickler:
    return _Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)


def _dump(value: Any, path: Path) -> None:
    with path.open("wb") as fh:
        _Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL).dump(value)


def save(matcher: Any, folder: Path, *, watermark: Any = None) -> Path:
    """Write ``matcher``'s fitted state into the new folder ``folder``; returns the
    manifest's path. ``watermark``: any JSON value telling which data it was fitted on."""
    import faiss

    folder.mkdir(parents=True, exist_ok=False)
    np.save(folder / "center.npy", matcher.center_)
    with (folder / "lexical.pkl").open("wb") as fh:
        pickle.dump(matcher.lexical_, fh, protocol=pickle.HIGHEST_PROTOCOL)
    counts = {}
    for name in SIDES:
        side = matcher._need_side() if name == "needs" else matcher._talent_side()
        counts[name] = len(side.row_ids)
        _dump((side.arrays, side.columns, side.pairs), folder / f"{name}.arrays.pkl")
        with (folder / f"{name}.profiles.rows").open("wb") as blob:
            offsets = dump_rows(side.row_profiles, _row_pickler, blob)
        np.save(folder / f"{name}.profiles.offsets.npy", offsets)
        np.save(folder / f"{name}.ids.npy", side.row_ids)
        np.save(folder / f"{name}.dense.npy", np.ascontiguousarray(side.dense_matrix))
        lexical = side.lexical_matrix
        np.save(folder / f"{name}.lex_data.npy", lexical.data)
        np.save(folder / f"{name}.lex_indices.npy", lexical.indices)
        np.save(folder / f"{name}.lex_indptr.npy", lexical.indptr)
        columns = side.lexical_columns
        np.save(folder / f"{name}.lexc_data.npy", columns.data)
        np.save(folder / f"{name}.lexc_indices.npy", columns.indices)
        np.save(folder / f"{name}.lexc_indptr.npy", columns.indptr)
        index = side.index
        index.compact()  # live vectors only
        faiss.write_index(index._index, str(folder / f"{name}.faiss"))
    files = {}
    for path in sorted(folder.iterdir()):
        size = path.stat().st_size
        entry: dict[str, Any] = {"bytes": size}
        if path.suffix in _PICKLED_SUFFIXES or (
            path.suffix in _CHECKSUMMED_SUFFIXES and size <= _CHECKSUM_MAX_BYTES
        ):
            entry["sha256"] = _sha256(path)
        files[path.name] = entry
    manifest = {
        "versions": versions(),
        "encoder_id": matcher.encoder_.encoder_id,
        "dimension": matcher.dimension_,
        "vocabulary": matcher.lexical_.vocabulary_size_,
        "config_hash": config_hash(matcher.config),
        "counts": counts,
        "watermark": watermark,
        "files": files,
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str))
    return path


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise StateError(f"saved engine state {folder}: no readable manifest ({exc})") from exc
    if not isinstance(manifest, dict) or "files" not in manifest:
        raise StateError(f"saved engine state {folder}: the manifest lacks its file list")
    return manifest


def _check_files(folder: Path, manifest: dict[str, Any]) -> None:
    for name, entry in manifest["files"].items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != entry.get("bytes"):
            raise StateError(f"saved engine state {folder}: {name} is missing or truncated")
        if "sha256" in entry and _sha256(path) != entry["sha256"]:
            raise StateError(f"saved engine state {folder}: {name} differs from its checksum")


def _expect(manifest: dict[str, Any], key: str, wanted: Any, folder: Path) -> None:
    if manifest.get(key) != wanted:
        raise StateError(
            f"saved engine state {folder} was made with {key}={manifest.get(key)!r}, "
            f"this process has {wanted!r}"
        )


def _array(folder: Path, name: str, shape0: int | None = None) -> np.ndarray:
    try:
        array = np.load(folder / name, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise StateError(f"saved engine state {folder}: {name} cannot be read ({exc})") from exc
    if shape0 is not None and array.shape[0] != shape0:
        raise StateError(f"saved engine state {folder}: {name} has {array.shape[0]} rows")
    return array


def _unpickle(folder: Path, name: str) -> Any:
    with (folder / name).open("rb") as fh:
        # Its sha256 was checked against the manifest before this read.
        return pickle.load(fh)  # nosec B301


def _mapped_bytes(path: Path) -> Any:
    """The file's bytes, memory-mapped (an empty file as empty bytes: it cannot be mapped)."""
    import mmap

    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return b""
        # The map outlives the file object: it holds its own reference to the file.
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def _read_index(path: Path) -> Any:
    """The FAISS file mapped into memory where the index type allows, else read."""
    import faiss

    try:
        return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError:
        try:
            return faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
        except RuntimeError:
            try:
                return faiss.read_index(str(path))
            except RuntimeError as exc:
                raise StateError(f"saved engine state: {path.name} unreadable ({exc})") from exc


def load(folder: Path, config: MatchingConfig, encoder: Any) -> tuple[Any, dict[str, Any]]:
    """A fitted Matcher from ``folder`` (made by :func:`save`) for ``config`` and the
    ready ``encoder``, and its manifest. Raises :class:`StateError`."""
    import scipy.sparse as sp

    from matching.matcher import Matcher, _Side

    manifest = read_manifest(folder)
    _expect(manifest, "versions", versions(), folder)
    _expect(manifest, "config_hash", config_hash(config), folder)
    _expect(manifest, "encoder_id", encoder.encoder_id, folder)
    _expect(manifest, "dimension", int(encoder.dimension), folder)
    _check_files(folder, manifest)
    matcher = Matcher(config, encoder=encoder)
    matcher.weights_ = {name: config.weight(name) for name in FEATURE_NAMES}
    matcher.encoder_ = encoder
    matcher.dimension_ = int(encoder.dimension)
    matcher.center_ = np.array(_array(folder, "center.npy"))
    matcher.lexical_ = _unpickle(folder, "lexical.pkl")
    if matcher.lexical_.vocabulary_size_ != manifest["vocabulary"]:
        raise StateError(f"saved engine state {folder}: the lexical model does not match")
    for name in SIDES:
        # A mapped index is read-only: the first edit works on an in-memory copy.
        side = _Side(index=_load_index(folder, name, matcher, config), index_shared=True)
        count = int(manifest["counts"][name])
        side.arrays, side.columns, side.pairs = _unpickle(folder, f"{name}.arrays.pkl")
        side.row_profiles = StoredRows(
            _mapped_bytes(folder / f"{name}.profiles.rows"),
            np.array(_array(folder, f"{name}.profiles.offsets.npy", count + 1)),
        )
        if side.row_profiles.byte_size != (folder / f"{name}.profiles.rows").stat().st_size:
            raise StateError(f"saved engine state {folder}: the {name} offsets do not add up")
        side.row_ids = np.array(_array(folder, f"{name}.ids.npy", count))
        side.dense_matrix = _array(folder, f"{name}.dense.npy", count)
        indptr = _array(folder, f"{name}.lex_indptr.npy", count + 1)
        vocabulary = matcher.lexical_.vocabulary_size_
        side.lexical_matrix = sp.csr_matrix(
            (
                _array(folder, f"{name}.lex_data.npy"),
                _array(folder, f"{name}.lex_indices.npy"),
                indptr,
            ),
            shape=(count, vocabulary),
            copy=False,
        )
        side.lexical_columns = sp.csc_matrix(
            (
                _array(folder, f"{name}.lexc_data.npy"),
                _array(folder, f"{name}.lexc_indices.npy"),
                _array(folder, f"{name}.lexc_indptr.npy", vocabulary + 1),
            ),
            shape=(count, vocabulary),
            copy=False,
        )
        if len(side.row_profiles) != count or side.index is None or len(side.index) != count:
            raise StateError(f"saved engine state {folder}: the {name} do not add up")
        _fill_side(side)
        setattr(matcher, f"{name}_", side)
    return matcher, manifest


def _load_index(folder: Path, name: str, matcher: Any, config: MatchingConfig) -> Any:
    import faiss

    from matching.index import VectorIndex

    raw = _read_index(folder / f"{name}.faiss")
    index = VectorIndex(
        matcher.dimension_,
        encoder_id=matcher.encoder_.encoder_id,
        factory=config.index_factory,
        hnsw_ef_search=config.hnsw_ef_search,
        ivf_nprobe=config.ivf_nprobe,
    )
    index._index = raw
    index.mapped = True
    index._ids = set(faiss.vector_to_array(raw.id_map).tolist())
    index._tune(faiss.downcast_index(raw.index))
    return index


def _fill_side(side: Any) -> None:
    """The lookups a query needs; the rest waits for an edit."""
    ids = side.row_ids.tolist()
    side.row_of = {pid: row for row, pid in enumerate(ids)}
    side.profiles = ProfilesById(side.row_profiles, side.row_of)
    # The per-profile vector and lexical maps are built on the first edit
    # (_Side.unpack): a process that only answers never pays for 100,000 views.
    side.packed = True
    side.dirty = False


def newest(root: Path) -> Path | None:
    """The folder ``root/CURRENT`` names, if any."""
    try:
        name = (root / "CURRENT").read_text().strip()
    except OSError:
        return None
    return root / name if name else None


def publish(root: Path, folder: Path, keep: int = 2) -> None:
    """Make ``folder`` (inside ``root``) the current state and drop older ones (a
    process that mapped an old one keeps its pages: the files outlive their names)."""
    import shutil

    tmp = root / f"CURRENT.{os.getpid()}.tmp"
    tmp.write_text(folder.name)
    os.replace(tmp, root / "CURRENT")
    states = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in states[:-keep]:
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
