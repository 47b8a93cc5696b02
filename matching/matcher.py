"""The Matcher: fitted encoder, centring, lexical model and FAISS indexes for both sides,
answering "who should help this site?" and "where could this person help?".

Ranking path (the same for the service, the evaluation CLI and the benchmarks):

1. encode the query profile (cached) and take its lexical row;
2. retrieve ``candidate_pool`` candidates from the FAISS index and as many by lexical
   cosine, union them, and keep those that pass every hard constraint and filter
   (falling back to all feasible rows when too few remain);
3. score each candidate: fused semantic + lexical channels plus the weighted structured
   features, each with a zh/en sentence; sort by score, then by id.

A talent's dense vector is the mean of the vectors of their whole text and of each of its
segments (speciality, each past case, each history entry), after centring: every past
case then pulls the profile towards its topic instead of being blurred into one long
text.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
import scipy.sparse as sp

from matching.bounds import TalentColumns, structured_bounds
from matching.cache import EmbeddingCache
from matching.config import FEATURE_NAMES, MatchingConfig
from matching.constraints import (
    NeedArrays,
    TalentArrays,
    Violation,
    _mode_bits,
    feasible_needs,
    feasible_talents,
    why_not,
)
from matching.dense_rows import rows_dot
from matching.encoders import TextEncoder
from matching.errors import NotFittedError, UnknownIdError
from matching.features import (
    FeatureValue,
    lexical_value,
    semantic_value,
    structured_features,
)
from matching.fusion import fuse_channel
from matching.index import VectorIndex
from matching.lexical import LexicalModel, cosine_of_rows, cosine_rows, rarest_terms, top_rows
from matching.pair_scores import (
    PairColumns,
    RankedTalents,
    continuity_values,
    feasible_all,
    learned,
    ranked_order,
    row_sums,
    skills_values,
    structured_values,
)
from matching.ranker import LearnedScorer
from matching.results import FeatureContribution, PairExplanation, Recommendation
from matching.stored_rows import copy_profiles
from matching.text import need_text, segments, talent_text
from matching.types import Mode, NeedProfile, TalentProfile
from matching.validation import validate_need, validate_talent

P = TypeVar("P", NeedProfile, TalentProfile)
T = TypeVar("T")


def _rows_of_one_matrix(vectors: list[np.ndarray]) -> np.ndarray | None:
    """The float32 matrix whose rows 0..n-1 ``vectors`` are, in order (as after a fit),
    else None: then it needs no copy."""
    if not vectors:
        return None
    base = vectors[0].base
    if (
        not isinstance(base, np.ndarray)
        or base.base is not None
        or base.ndim != 2
        or base.dtype != np.float32
        or len(base) != len(vectors)
        or not base.flags.c_contiguous
    ):
        return None
    start = base.__array_interface__["data"][0]
    step = base.strides[0]
    for row, vector in enumerate(vectors):
        if vector.base is not base or vector.__array_interface__["data"][0] != start + row * step:
            return None
    return base


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


@dataclass
class _Side(Generic[P]):
    """Profiles of one side with their dense and lexical rows. Rows are materialised
    lazily after edits, so a batch of edits costs one rebuild."""

    # A plain dict, or after a load a view that reads each profile on first use.
    profiles: MutableMapping[int, P] = field(default_factory=dict)
    dense: dict[int, np.ndarray] = field(default_factory=dict)
    # A profile's lexical row as (column indices, values): numpy views, not one scipy
    # matrix per profile, which costs ~1 KiB of overhead each at 100,000 profiles.
    lexical: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    index: VectorIndex | None = None
    dirty: bool = True
    row_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    row_of: dict[int, int] = field(default_factory=dict)
    row_profiles: Sequence[P] = field(default_factory=list)
    dense_matrix: np.ndarray | None = None
    lexical_matrix: sp.csr_matrix | None = None
    # The same rows by column: a query gathers only the columns of its own n-grams.
    lexical_columns: sp.csc_matrix | None = None
    arrays: Any = None
    # Talent sides only: the columns of the score bounds and the list filters.
    columns: TalentColumns | None = None
    # Talent sides only: the inverted lists of ``pair_scores``, which make the skills
    # and continuity bounds of a single query exact and score a batch run's pairs.
    pairs: PairColumns | None = None
    # A snapshot reads ``index``: the next edit works on a copy.
    index_shared: bool = False
    # Loaded from a saved state: ``dense`` and ``lexical`` are still to be unpacked from
    # the row matrices (on the first edit).
    packed: bool = False

    def unpack(self) -> None:
        """Per-profile views of the row matrices, which edits rebuild the rows from."""
        if not self.packed:
            return
        assert self.dense_matrix is not None and self.lexical_matrix is not None
        ids = self.row_ids.tolist()
        self.dense = {pid: self.dense_matrix[row] for row, pid in enumerate(ids)}
        lexical = self.lexical_matrix
        indptr = lexical.indptr
        self.lexical = {
            pid: (
                lexical.indices[indptr[row] : indptr[row + 1]],
                lexical.data[indptr[row] : indptr[row + 1]],
            )
            for row, pid in enumerate(ids)
        }
        self.packed = False

    def writable_index(self) -> VectorIndex:
        assert self.index is not None
        if self.index_shared:
            self.index = self.index.copy()
            self.index_shared = False
        return self.index

    def frozen(self) -> _Side[P]:
        """A copy for readers that later edits of this side never change: the row
        arrays are rebuilt, never written in place, so they are shared."""
        assert not self.dirty
        self.index_shared = True
        return _Side(
            profiles=copy_profiles(self.profiles),
            index=self.index,
            dirty=False,
            row_ids=self.row_ids,
            row_of=self.row_of,
            row_profiles=self.row_profiles,
            dense_matrix=self.dense_matrix,
            lexical_matrix=self.lexical_matrix,
            lexical_columns=self.lexical_columns,
            arrays=self.arrays,
            columns=self.columns,
            pairs=self.pairs,
        )

    def materialise(self, dimension: int, vocabulary: int) -> None:
        if not self.dirty:
            return
        ids = sorted(self.profiles)
        self.row_ids = np.array(ids, dtype=np.int64)
        self.row_of = {pid: row for row, pid in enumerate(ids)}
        self.row_profiles = [self.profiles[i] for i in ids]
        vectors = [self.dense[i] for i in ids]
        self.dense_matrix = _rows_of_one_matrix(vectors)
        if self.dense_matrix is None:
            self.dense_matrix = (
                np.stack(vectors) if ids else np.zeros((0, dimension), dtype=np.float32)
            )
        del vectors
        # Keep each profile's vector as a view of the matrix, so the batch arrays they
        # came from can be freed: one copy of the vectors, not two.
        self.dense = {pid: self.dense_matrix[row] for row, pid in enumerate(ids)}
        rows = [self.lexical[i] for i in ids]
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(indices) for indices, _ in rows])
        self.lexical_matrix = sp.csr_matrix(
            (
                np.concatenate([data for _, data in rows]) if rows else np.zeros(0, np.float32),
                np.concatenate([indices for indices, _ in rows]) if rows else np.zeros(0, np.int32),
                indptr,
            ),
            shape=(len(ids), vocabulary),
            dtype=np.float32,
        )
        del rows
        # Likewise each lexical row: views of the matrix, so the transform's output
        # they were cut from is freed (at 1,000,000 talents ~1 GB).
        lexical = self.lexical_matrix
        self.lexical = {
            pid: (
                lexical.indices[indptr[row] : indptr[row + 1]],
                lexical.data[indptr[row] : indptr[row + 1]],
            )
            for row, pid in enumerate(ids)
        }
        self.lexical_columns = self.lexical_matrix.tocsc()
        self.pairs = None
        self.dirty = False


class Matcher:
    """Recommend talents for needs and needs for talents.

    ``config``: a :class:`MatchingConfig`; ``encoder``: a ready :class:`TextEncoder`
    (built from the config when omitted; pass one to share its model and cache).
    ``fit(needs, talents)`` learns the centring vector and the lexical vocabulary from
    both sides and indexes them; ``add_*`` / ``update_*`` / ``remove_*`` edit the state
    in place afterwards.
    """

    def __init__(self, config: MatchingConfig | None = None, *, encoder: Any = None) -> None:
        self.config = config if config is not None else MatchingConfig()
        self.encoder = encoder

    # ------------------------------------------------------------------ fitting
    def fit(self, needs: Sequence[NeedProfile], talents: Sequence[TalentProfile]) -> Matcher:
        """Validate and index both sides; returns self."""
        config = self.config
        # Looked up for every explained row: a plain dict, read once from the config.
        self.weights_ = {name: config.weight(name) for name in FEATURE_NAMES}
        _validate_all(needs, talents)
        self.encoder_ = self._ready_encoder()
        self.dimension_ = int(self.encoder_.dimension)

        need_texts = [need_text(n, config) for n in needs]
        talent_texts = [talent_text(t, config) for t in talents]
        need_raw, talent_raw_groups = self._encode_both(need_texts, talent_texts)
        self.center_ = self._center(need_raw, talent_raw_groups)
        need_vectors = _unit_rows(need_raw - self.center_)
        talent_vectors = self._talent_vectors(talent_raw_groups)
        # The raw piece vectors are no longer needed: free them before the lexical fit
        # and the indexing, which hold copies of their own (at 1,000,000 talents each
        # copy of the vectors is 2 GB).
        del need_raw, talent_raw_groups
        corpus = need_texts + talent_texts
        self.lexical_ = LexicalModel(
            config.lexical_ngram_range,
            sublinear_tf=config.lexical_sublinear_tf,
            min_df=config.lexical_min_df,
            max_features=config.lexical_max_features,
        ).fit(corpus or ["人才对接"])  # an empty start still needs a vocabulary
        del corpus

        self.needs_: _Side[NeedProfile] = _Side(index=self._new_index())
        self.talents_: _Side[TalentProfile] = _Side(index=self._new_index())
        self._store(self.needs_, list(needs), need_vectors, need_texts)
        self._store(self.talents_, list(talents), talent_vectors, talent_texts)
        return self

    def _ready_encoder(self) -> Any:
        """The encoder given to the constructor, else one built from the config."""
        if self.encoder is None:
            config = self.config
            cache = EmbeddingCache(
                config.embedding_cache_dir, max_memory_items=config.embedding_cache_memory_items
            )
            self.encoder = TextEncoder(
                config.encoder,
                threads=config.encoder_threads,
                runtime=config.encoder_runtime,
                model_dir=config.encoder_model_dir,
                batch_size=config.encode_batch_size,
                show_progress=config.show_progress,
                cache=cache,
            )
        return self.encoder

    def _encode_both(
        self, need_texts: list[str], talent_texts: list[str]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Raw vectors of the needs (n, D) and of each talent's pieces (whole text first).
        One batch for every text of both sides keeps the progress bar honest."""
        talent_pieces = [self._talent_pieces(text) for text in talent_texts]
        flat = need_texts + [p for pieces in talent_pieces for p in pieces]
        raw = self.encoder_.encode(flat) if flat else np.zeros((0, self.dimension_), np.float32)
        need_raw = raw[: len(need_texts)]
        talent_raw_groups: list[np.ndarray] = []
        cursor = len(need_texts)
        for pieces in talent_pieces:
            talent_raw_groups.append(raw[cursor : cursor + len(pieces)])
            cursor += len(pieces)
        return need_raw, talent_raw_groups

    def _center(self, need_raw: np.ndarray, talent_raw_groups: list[np.ndarray]) -> np.ndarray:
        """The mean of every whole text's raw vector (zeros when off or too few texts)."""
        whole = [need_raw] + [g[:1] for g in talent_raw_groups]
        stacked = np.concatenate(whole)
        if self.config.center_embeddings and len(stacked) >= 2:
            return stacked.mean(axis=0).astype(np.float32)
        return np.zeros(self.dimension_, dtype=np.float32)

    def _new_index(self) -> VectorIndex:
        return VectorIndex(
            self.dimension_,
            encoder_id=self.encoder_.encoder_id,
            factory=self.config.index_factory,
            hnsw_ef_search=self.config.hnsw_ef_search,
            ivf_nprobe=self.config.ivf_nprobe,
        )

    def _talent_pieces(self, text: str) -> list[str]:
        parts = segments(text, self.config)
        return [text, *parts] if len(parts) > 1 else [text]

    def _talent_vectors(self, raw_groups: list[np.ndarray]) -> np.ndarray:
        """(talents, D) unit vectors, one row per group of raw piece vectors, written
        into one matrix: a list of a million small arrays stacked would hold the
        vectors twice."""
        out = np.empty((len(raw_groups), self.dimension_), dtype=np.float32)
        for row, group in enumerate(raw_groups):
            out[row] = self._talent_vector(group)
        return out

    def _talent_vector(self, raw_pieces: np.ndarray) -> np.ndarray:
        """(pieces, D) raw vectors -> (D,) unit vector: mean of the centred pieces."""
        assert raw_pieces.ndim == 2 and raw_pieces.shape[1] == self.dimension_, raw_pieces.shape
        pieces = _unit_rows(raw_pieces - self.center_)
        return _unit_rows(pieces.mean(axis=0, keepdims=True))[0]

    def _store(
        self, side: _Side[Any], profiles: list[Any], vectors: np.ndarray, texts: list[str]
    ) -> None:
        assert vectors.shape == (len(profiles), self.dimension_), vectors.shape
        side.unpack()
        ids = np.array([p.id for p in profiles], dtype=np.int64)
        lexical_rows = self.lexical_.transform(texts) if texts else None
        if len(ids):
            side.writable_index().update(ids, vectors)
        for row, profile in enumerate(profiles):
            side.profiles[profile.id] = profile
            side.dense[profile.id] = vectors[row]
            assert lexical_rows is not None
            start, end = lexical_rows.indptr[row], lexical_rows.indptr[row + 1]
            side.lexical[profile.id] = (
                lexical_rows.indices[start:end],
                lexical_rows.data[start:end],
            )
        side.dirty = True

    def _check_fitted(self) -> None:
        if not hasattr(self, "lexical_"):
            raise NotFittedError("Matcher is not fitted; call fit(needs, talents) first")

    # ------------------------------------------------------------------ editing
    def encode_needs(self, needs: Sequence[NeedProfile]) -> tuple[np.ndarray, list[str]]:
        """Dense unit vectors (n, D) and texts of needs, with the fitted centring."""
        self._check_fitted()
        texts = [need_text(n, self.config) for n in needs]
        raw = self.encoder_.encode(texts)
        return _unit_rows(raw - self.center_), texts

    def encode_talents(self, talents: Sequence[TalentProfile]) -> tuple[np.ndarray, list[str]]:
        """Dense unit vectors (n, D) and texts of talents, with the fitted centring."""
        self._check_fitted()
        texts = [talent_text(t, self.config) for t in talents]
        pieces = [self._talent_pieces(text) for text in texts]
        raw = self.encoder_.encode([p for group in pieces for p in group])
        vectors, cursor = [], 0
        for group in pieces:
            vectors.append(self._talent_vector(raw[cursor : cursor + len(group)]))
            cursor += len(group)
        matrix = np.stack(vectors) if vectors else np.zeros((0, self.dimension_), np.float32)
        return matrix, texts

    def add_talents(self, talents: Sequence[TalentProfile]) -> None:
        """Add new talents (ids not yet present)."""
        self._check_fitted()
        _reject_present([t.id for t in talents], self.talents_.profiles, "talent")
        self._upsert_talents(talents)

    def update_talents(self, talents: Sequence[TalentProfile]) -> None:
        """Replace existing talents (unchanged texts are not re-encoded: cache)."""
        self._check_fitted()
        _reject_absent([t.id for t in talents], self.talents_.profiles, "talent")
        self._upsert_talents(talents)

    def remove_talents(self, ids: Iterable[int]) -> None:
        self._check_fitted()
        self._remove(self.talents_, ids, "talent")

    def add_needs(self, needs: Sequence[NeedProfile]) -> None:
        self._check_fitted()
        _reject_present([n.id for n in needs], self.needs_.profiles, "need")
        self._upsert_needs(needs)

    def update_needs(self, needs: Sequence[NeedProfile]) -> None:
        self._check_fitted()
        _reject_absent([n.id for n in needs], self.needs_.profiles, "need")
        self._upsert_needs(needs)

    def remove_needs(self, ids: Iterable[int]) -> None:
        self._check_fitted()
        self._remove(self.needs_, ids, "need")

    def _upsert_talents(self, talents: Sequence[TalentProfile]) -> None:
        for talent in talents:
            validate_talent(talent)
        _reject_duplicates([t.id for t in talents], "talent")
        vectors, texts = self.encode_talents(talents)
        self._store(self.talents_, list(talents), vectors, texts)

    def _upsert_needs(self, needs: Sequence[NeedProfile]) -> None:
        for need in needs:
            validate_need(need)
        _reject_duplicates([n.id for n in needs], "need")
        vectors, texts = self.encode_needs(needs)
        self._store(self.needs_, list(needs), vectors, texts)

    def _remove(self, side: _Side[Any], ids: Iterable[int], kind: str) -> None:
        ids = [int(i) for i in ids]
        _reject_absent(ids, side.profiles, kind)
        side.unpack()
        side.writable_index().remove(np.array(ids, dtype=np.int64))
        for pid in ids:
            del side.profiles[pid], side.dense[pid], side.lexical[pid]
        side.dirty = True

    def snapshot(self) -> Matcher:
        """A read-only copy of the fitted state: queries on it see neither later edits
        of this matcher nor half of one. Costs the row arrays' rebuild after edits (done
        here, not by the first query); the FAISS index is copied by the next edit."""
        self._check_fitted()
        view = copy.copy(self)
        view.needs_ = self._need_side().frozen()
        view.talents_ = self._talent_side().frozen()
        return view

    def talent_arrays(self) -> TalentArrays:
        """The hard-constraint columns of every fitted talent (read-only)."""
        self._check_fitted()
        return self._talent_side().arrays

    @property
    def talent_count(self) -> int:
        self._check_fitted()
        return len(self.talents_.profiles)

    @property
    def need_count(self) -> int:
        self._check_fitted()
        return len(self.needs_.profiles)

    def _talent_side(self) -> _Side[TalentProfile]:
        side = self.talents_
        if side.dirty:
            side.materialise(self.dimension_, self.lexical_.vocabulary_size_)
            side.arrays = TalentArrays.build(side.row_profiles)
            side.columns = TalentColumns.build(side.row_profiles)
            side.pairs = PairColumns.build(side.row_profiles)
        return side

    def _need_side(self) -> _Side[NeedProfile]:
        side = self.needs_
        if side.dirty:
            side.materialise(self.dimension_, self.lexical_.vocabulary_size_)
            side.arrays = NeedArrays.build(side.row_profiles)
        return side

    # ------------------------------------------------------------------ ranking
    def recommend_talents(
        self,
        need: NeedProfile,
        k: int = 10,
        *,
        offset: int = 0,
        counties: Collection[str] | None = None,
        modes: Collection[Mode] | None = None,
        categories: Collection[str] | None = None,
        scorer: LearnedScorer | None = None,
        boost: Mapping[str, float] | None = None,
    ) -> list[Recommendation]:
        """Top talents for ``need`` (which need not be indexed), best first.

        Filters keep talents whose ``home_county`` is in ``counties``, who offer one of
        ``modes``, whose ``category`` is in ``categories``. ``offset`` pages.
        ``scorer`` (a learned ranker) re-ranks the hand weights' best ``rerank_depth``
        and its contributions become the breakdown; ``boost`` adds weight to structured
        features (fast feedback from decline and rejection reasons), on either scorer.
        """
        self._check_fitted()
        _check_page(k, offset)
        validate_need(need)
        side = self._talent_side()
        columns = side.columns
        assert columns is not None
        query_dense, texts = self.encode_needs([need])
        query_lexical = self.lexical_.row(texts[0])
        allowed = _talent_filter(need, side.arrays, columns, counties, modes, categories)
        ranked = self._rank(
            side,
            query_dense[0],
            query_lexical,
            allowed,
            k + offset,
            lambda row: (need, side.row_profiles[row]),
            scorer,
            boost,
            lambda rows, weights: structured_bounds(
                need,
                side.arrays,
                columns,
                rows,
                weights,
                self.config,
                _set_features(need, side, rows),
            ),
        )
        return _talent_recommendations(need, side, ranked, scorer, offset)

    def recommend_talents_many(
        self,
        needs: Sequence[NeedProfile],
        ks: Sequence[int],
        *,
        scorers: Sequence[LearnedScorer | None] | None = None,
        boosts: Sequence[Mapping[str, float] | None] | None = None,
    ) -> list[list[Recommendation]]:
        """``recommend_talents(needs[i], ks[i], scorer=scorers[i], boost=boosts[i])`` for
        every i: the same lists (scores to float rounding), from
        :meth:`rank_talents_many`, each explained."""
        ranked = self.rank_talents_many(needs, ks, scorers=scorers, boosts=boosts)
        return [r.recommendations() for r in ranked]

    def rank_talents_many(
        self,
        needs: Sequence[NeedProfile],
        ks: Sequence[int],
        *,
        scorers: Sequence[LearnedScorer | None] | None = None,
        boosts: Sequence[Mapping[str, float] | None] | None = None,
    ) -> list[RankedTalents]:
        """The rankings of :meth:`recommend_talents_many` as arrays, no sentence
        written yet (a batch run explains only the pairs it proposes). The queries go
        as matrices: one encoder call and one vector-index search for all needs; each
        candidate list is scored with column arithmetic (``matching.pair_scores``)."""
        self._check_fitted()
        if len(ks) != len(needs):
            raise ValueError(f"{len(needs)} needs but {len(ks)} values of k")
        for need, k in zip(needs, ks, strict=True):
            _check_page(k, 0)
            validate_need(need)
        if not needs:
            return []
        side = self._talent_side()
        if side.pairs is None:
            side.pairs = PairColumns.build(side.row_profiles)
        query_dense, texts = self.encode_needs(needs)
        dense_pools = self._dense_pools(side, query_dense)
        self.lexical_.row(texts[0])  # its analyser is made once, before the threads

        def rank(i: int) -> RankedTalents:
            return self._rank_arrays(
                side,
                needs[i],
                query_dense[i],
                # Each need's row as a single query computes it (``LexicalModel.row``),
                # so the scores are the single query's to the last bit.
                self.lexical_.row(texts[i]),
                ks[i],
                scorers[i] if scorers is not None else None,
                boosts[i] if boosts is not None else None,
                None if dense_pools is None else dense_pools[i],
            )

        return _mapped(rank, range(len(needs)), self.config.rank_threads)

    def _feasible_candidates(
        self,
        side: _Side[TalentProfile],
        need: NeedProfile,
        lexical_all: np.ndarray,
        want: int,
        dense_pool: np.ndarray | None,
    ) -> np.ndarray:
        """:meth:`_candidates` with the hard constraints tested on the pools' rows
        only, not on every talent (unless the pools leave fewer than ``want``)."""
        n = len(side.row_ids)
        pool = self.config.candidate_pool
        if n <= 2 * pool or dense_pool is None:
            return np.flatnonzero(feasible_all(need, side.arrays))
        chosen = np.zeros(n, dtype=bool)
        chosen[dense_pool[dense_pool >= 0]] = True
        chosen[top_rows(lexical_all, pool)] = True
        union = np.flatnonzero(chosen)
        rows = union[feasible_talents(need, side.arrays, union)]
        if len(rows) < want:
            rows = np.flatnonzero(feasible_all(need, side.arrays))
        return rows

    def _rank_arrays(
        self,
        side: _Side[TalentProfile],
        need: NeedProfile,
        query_dense: np.ndarray,
        query_lexical: sp.csr_matrix,
        want: int,
        scorer: LearnedScorer | None,
        boost: Mapping[str, float] | None,
        dense_pool: np.ndarray | None,
    ) -> RankedTalents:
        """:meth:`_rank` over arrays: every candidate scored in full by column
        arithmetic, so none needs bounding; best ``want`` first, ties to the smaller id."""
        config = self.config
        assert side.dense_matrix is not None and side.lexical_columns is not None
        assert side.columns is not None and side.pairs is not None
        weights = _boosted(self.weights_, boost)
        first_stage = max(want, config.rerank_depth) if scorer is not None else want
        lexical_all = cosine_rows(query_lexical, side.lexical_columns)
        rows = self._feasible_candidates(side, need, lexical_all, first_stage, dense_pool)
        semantic = rows_dot(side.dense_matrix, rows, query_dense)
        lexical = lexical_all[rows]
        structured = structured_values(need, side.arrays, side.columns, side.pairs, rows, config)
        values = np.column_stack(
            [semantic.astype(np.float64), lexical.astype(np.float64), structured]
        )
        text = [
            fuse_channel(channel, method=config.fusion, weight=weights[name], rrf_k=config.rrf_k)
            for channel, name in ((semantic, "semantic"), (lexical, "lexical"))
        ]
        hand = np.array([weights[name] for name in FEATURE_NAMES[2:]])
        contributions = np.column_stack([*text, structured * hand]).reshape(values.shape)
        scores = row_sums(contributions)
        ids = side.row_ids[rows]
        order = ranked_order(scores, ids)[:first_stage]
        label = "hand"
        if scorer is not None:
            contributions, scores = learned(values[order], scorer, boost)
            values, ids, rows = values[order], ids[order], rows[order]
            order, label = ranked_order(scores, ids), scorer.label
        keep = order[:want]
        return RankedTalents(
            need=need,
            talents=[side.row_profiles[int(r)] for r in rows[keep]],
            scores=scores[keep],
            values=values[keep],
            contributions=contributions[keep],
            scorer=label,
            config=config,
        )

    def _dense_pools(self, side: _Side[Any], queries: np.ndarray) -> np.ndarray | None:
        """(q, pool) rows of each query's dense pool from one index search (-1 where the
        index has fewer), or None when the side is small enough to score whole."""
        pool = self.config.candidate_pool
        if len(side.row_ids) <= 2 * pool:
            return None
        assert side.index is not None
        _, ids = side.index.search(queries, pool)
        rows = np.full(ids.shape, -1, np.int64)
        found = ids >= 0
        rows[found] = [side.row_of[int(i)] for i in ids[found]]
        return rows

    def recommend_needs(
        self,
        talent: TalentProfile,
        k: int = 10,
        *,
        offset: int = 0,
        counties: Collection[str] | None = None,
        modes: Collection[Mode] | None = None,
        programmes: Collection[str] | None = None,
        scorer: LearnedScorer | None = None,
        boost: Mapping[str, float] | None = None,
    ) -> list[Recommendation]:
        """Top needs for ``talent`` (who need not be indexed), best first.

        Filters keep needs whose ``county`` is in ``counties``, whose ``mode`` is in
        ``modes``, whose ``programme`` is in ``programmes``. ``offset`` pages.
        """
        self._check_fitted()
        _check_page(k, offset)
        validate_talent(talent)
        side = self._need_side()
        query_dense, texts = self.encode_talents([talent])
        query_lexical = self.lexical_.row(texts[0])
        mask = feasible_needs(talent, side.arrays)
        if counties is not None:
            mask &= np.array([n.county in counties for n in side.row_profiles], bool)
        if modes is not None:
            wanted_modes = {Mode(m) for m in modes}
            mask &= np.array([n.mode in wanted_modes for n in side.row_profiles], bool)
        if programmes is not None:
            mask &= np.array([n.programme in programmes for n in side.row_profiles], bool)
        ranked = self._rank(
            side,
            query_dense[0],
            query_lexical,
            lambda rows: mask if rows is None else mask[rows],
            k + offset,
            lambda row: (side.row_profiles[row], talent),
            scorer,
            boost,
        )
        label = scorer.label if scorer is not None else "hand"
        return [
            Recommendation(side.row_profiles[row].id, talent.id, score, rank + 1, breakdown, label)
            for rank, (score, row, breakdown) in enumerate(ranked)
            if rank >= offset
        ]

    def _candidates(
        self,
        side: _Side[Any],
        query_dense: np.ndarray,
        lexical_all: np.ndarray,
        allowed: Allowed,
        want: int,
        dense_pool: np.ndarray | None = None,
    ) -> np.ndarray:
        """Rows worth scoring fully, ascending: the dense and lexical pools, feasible
        only; all feasible rows when the pools leave fewer than ``want``. ``dense_pool``:
        the dense pool's rows when already searched (-1 for none)."""
        n = len(side.row_ids)
        pool = self.config.candidate_pool
        if n <= 2 * pool:
            return np.flatnonzero(allowed(None))
        if dense_pool is None:
            assert side.index is not None
            _, ids = side.index.search(query_dense[None, :], pool)
            # row_ids is sorted: ids to rows by binary search, not a dict lookup each.
            found = ids[0][ids[0] >= 0]
            at = np.minimum(np.searchsorted(side.row_ids, found), n - 1)
            dense_rows = at[side.row_ids[at] == found]
        else:
            dense_rows = dense_pool[dense_pool >= 0]
        pooled = np.union1d(dense_rows, top_rows(lexical_all, pool))
        # Only the pools' rows are tested against the constraints (a few hundred, not
        # every talent), unless the fallback needs every row.
        rows = pooled[allowed(pooled)]
        if len(rows) < want:
            rows = np.flatnonzero(allowed(None))
        return rows

    def _rank(
        self,
        side: _Side[Any],
        query_dense: np.ndarray,
        query_lexical: sp.csr_matrix,
        allowed: Allowed,
        want: int,
        pair_of: Callable[[int], tuple[NeedProfile, TalentProfile]],
        scorer: LearnedScorer | None = None,
        boost: Mapping[str, float] | None = None,
        bounds: Bounds | None = None,
        dense_pool: np.ndarray | None = None,
    ) -> list[tuple[float, int, tuple[FeatureContribution, ...]]]:
        """(score, row, breakdown) of the best ``want`` feasible rows, best first; ties
        go to the smaller id so rankings are reproducible. ``bounds(rows, weights)``:
        (low, high) of each row's structured sum, so fewer rows are explained.
        ``dense_pool``: see :meth:`_candidates`."""
        config = self.config
        assert side.dense_matrix is not None and side.lexical_columns is not None
        assert query_dense.shape == (self.dimension_,), query_dense.shape
        weights = _boosted(self.weights_, boost)
        # A learned scorer re-ranks the first stage's best rerank_depth rows.
        first_stage = max(want, config.rerank_depth) if scorer is not None else want
        lexical_all, exact = self._lexical_pool_scores(side, query_lexical)
        rows = self._candidates(side, query_dense, lexical_all, allowed, first_stage, dense_pool)
        if len(rows) == 0:
            return []
        semantic = rows_dot(side.dense_matrix, rows, query_dense)
        lexical = (
            lexical_all[rows] if exact else cosine_of_rows(query_lexical, side.lexical_matrix, rows)
        )
        semantic_part = fuse_channel(
            semantic, method=config.fusion, weight=weights["semantic"], rrf_k=config.rrf_k
        )
        lexical_part = fuse_channel(
            lexical, method=config.fusion, weight=weights["lexical"], rrf_k=config.rrf_k
        )
        base = semantic_part + lexical_part
        keep = _worth_explaining(base, rows, first_stage, weights, bounds)
        scored = []
        for position in keep:
            row = int(rows[position])
            need, talent = pair_of(row)
            breakdown = self._breakdown(
                need,
                talent,
                float(semantic[position]),
                float(lexical[position]),
                {
                    "semantic": float(semantic_part[position]),
                    "lexical": float(lexical_part[position]),
                },
                weights,
            )
            score = float(sum(line.contribution for line in breakdown))
            scored.append((score, row, breakdown))
        scored.sort(key=lambda item: (-item[0], int(side.row_ids[item[1]])))
        if scorer is not None:
            scored = _rescore(scored[:first_stage], scorer, boost)
            scored.sort(key=lambda item: (-item[0], int(side.row_ids[item[1]])))
        return scored[:want]

    def _lexical_pool_scores(
        self, side: _Side[Any], query_lexical: sp.csr_matrix
    ) -> tuple[np.ndarray, bool]:
        """(N,) lexical cosines that choose the lexical pool, and whether they are the
        exact cosines (else only the query's rarest n-grams were read, within
        ``lexical_pool_postings``, and the candidates are scored again in full)."""
        assert side.lexical_columns is not None
        budget = self.config.lexical_pool_postings
        if budget is None or len(side.row_ids) <= 2 * self.config.candidate_pool:
            return cosine_rows(query_lexical, side.lexical_columns), True
        frequency = np.diff(side.lexical_columns.indptr)
        rare = rarest_terms(query_lexical, frequency, budget)
        return cosine_rows(rare, side.lexical_columns), False

    def _breakdown(
        self,
        need: NeedProfile,
        talent: TalentProfile,
        semantic: float,
        lexical: float,
        text_contributions: dict[str, float],
        weights: Mapping[str, float] | None = None,
    ) -> tuple[FeatureContribution, ...]:
        weights = self.weights_ if weights is None else weights
        values: dict[str, FeatureValue] = {
            "semantic": semantic_value(semantic),
            "lexical": lexical_value(lexical),
            **structured_features(need, talent, self.config),
        }
        lines = []
        for name in FEATURE_NAMES:
            fv = values[name]
            contribution = text_contributions.get(name)
            if contribution is None:
                contribution = weights[name] * fv.value
            lines.append(
                FeatureContribution(name, float(fv.value), float(contribution), fv.zh, fv.en)
            )
        return tuple(lines)

    # ------------------------------------------------------------------ explaining
    def why_not(self, need: NeedProfile, talent: TalentProfile) -> list[Violation]:
        """Every hard constraint the pair fails (empty when it may be recommended)."""
        return why_not(need, talent)

    def explain(
        self,
        need: NeedProfile,
        talent: TalentProfile,
        *,
        scorer: LearnedScorer | None = None,
        boost: Mapping[str, float] | None = None,
    ) -> PairExplanation:
        """Score breakdown and failed constraints of any pair (fusion ``sum`` semantics:
        a single pair has no candidate list to standardise against), by ``scorer``
        when given, as the pair's list would be ranked."""
        self._check_fitted()
        need_vec, need_texts = self.encode_needs([need])
        talent_vec, talent_texts = self.encode_talents([talent])
        semantic = float(need_vec[0] @ talent_vec[0])
        rows = self.lexical_.transform(need_texts + talent_texts)
        lexical = float((rows[0] @ rows[1].T).toarray()[0, 0])
        text = {
            "semantic": self.config.weight("semantic") * semantic,
            "lexical": self.config.weight("lexical") * lexical,
        }
        weights = _boosted(self.weights_, boost)
        breakdown = self._breakdown(need, talent, semantic, lexical, text, weights)
        score = float(sum(line.contribution for line in breakdown))
        if scorer is not None:
            score, _, breakdown = _rescore([(score, 0, breakdown)], scorer, boost)[0]
        return PairExplanation(
            need_id=need.id,
            talent_id=talent.id,
            score=score,
            breakdown=breakdown,
            violations=tuple(why_not(need, talent)),
        )


def _mapped(function: Callable[[int], T], items: range, threads: int) -> list[T]:
    """``[function(i) for i in items]`` spread over ``threads`` threads, in order. Each
    BLAS call runs on one thread: a need's arrays are small, and a BLAS team per call
    only adds waiting (its idle threads spin, taking the other core from the work)."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        if threads == 1 or len(items) < 2:
            return [function(i) for i in items]
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rank") as pool:
            return list(pool.map(function, items))


def _talent_recommendations(
    need: NeedProfile,
    side: _Side[TalentProfile],
    ranked: list[tuple[float, int, tuple[FeatureContribution, ...]]],
    scorer: LearnedScorer | None,
    offset: int,
) -> list[Recommendation]:
    label = scorer.label if scorer is not None else "hand"
    return [
        Recommendation(need.id, side.row_profiles[row].id, score, rank + 1, breakdown, label)
        for rank, (score, row, breakdown) in enumerate(ranked)
        if rank >= offset
    ]


Bounds = Callable[[np.ndarray, Mapping[str, float]], tuple[np.ndarray, np.ndarray]]
# Which of the given rows (all rows for None) pass the constraints and filters of a
# query, as a boolean mask over them.
Allowed = Callable[[np.ndarray | None], np.ndarray]


def _talent_filter(
    need: NeedProfile,
    arrays: TalentArrays,
    columns: TalentColumns,
    counties: Collection[str] | None = None,
    modes: Collection[Mode] | None = None,
    categories: Collection[str] | None = None,
) -> Allowed:
    """The hard constraints of ``need`` and the list filters, for any rows of talents."""
    county_list = list(counties) if counties is not None else None
    bits = _mode_bits([Mode(m) for m in modes]) if modes is not None else None
    category_list = list(categories) if categories is not None else None

    def allowed(rows: np.ndarray | None) -> np.ndarray:
        def at(column: np.ndarray) -> np.ndarray:
            return column if rows is None else column[rows]

        # Every row: the cheap columns narrow the rows first (the same answer).
        ok = feasible_all(need, arrays) if rows is None else feasible_talents(need, arrays, rows)
        if county_list is not None:
            ok &= np.isin(at(columns.home_county), county_list)
        if bits is not None:
            ok &= (at(arrays.mode_bits) & bits) != 0
        if category_list is not None:
            ok &= np.isin(at(columns.category), category_list)
        return ok

    return allowed


def _set_features(
    need: NeedProfile, side: _Side[TalentProfile], rows: np.ndarray
) -> dict[str, np.ndarray]:
    """Exact skills and continuity values of ``rows`` (n,) each, from the side's
    inverted lists when it has them: with them the bounds leave ~the top to explain
    instead of most of the pool (skills alone spans 0.3 of a score)."""
    if side.pairs is None:
        return {}
    return {
        "skills": skills_values(need, side.pairs, rows),
        "continuity": continuity_values(need, side.pairs, rows),
    }


def _worth_explaining(
    base: np.ndarray,
    rows: np.ndarray,
    want: int,
    weights: Mapping[str, float],
    bounds: Bounds | None,
) -> np.ndarray:
    """Positions of the rows that may still reach the best ``want``: a row whose best
    possible score (text + upper bound of its structured sum) falls below the want-th
    best of the worst possible scores never does, so it is not explained."""
    if len(rows) <= want:
        return np.arange(len(rows))
    if bounds is None:
        # Structured features lie in [0, 1]: bound each by its weight's sign.
        structured = [weights[f] for f in FEATURE_NAMES[2:]]
        low = np.full(len(rows), sum(w for w in structured if w < 0) - 1e-9)
        high = np.full(len(rows), sum(w for w in structured if w > 0))
    else:
        low, high = bounds(rows, weights)
    floor = base + low
    bar = np.partition(floor, len(floor) - want)[len(floor) - want]
    return np.flatnonzero(base + high >= bar)


def _boosted(weights: Mapping[str, float], boost: Mapping[str, float] | None) -> dict[str, float]:
    """The hand weights plus the feedback boosts (structured features only)."""
    out = dict(weights)
    for name, extra in (boost or {}).items():
        if name not in out or name in ("semantic", "lexical"):
            raise ValueError(
                f"boost names {name!r}; expected a structured feature of {list(FEATURE_NAMES[2:])}"
            )
        out[name] += float(extra)
    return out


def _rescore(
    scored: list[tuple[float, int, tuple[FeatureContribution, ...]]],
    scorer: LearnedScorer,
    boost: Mapping[str, float] | None,
) -> list[tuple[float, int, tuple[FeatureContribution, ...]]]:
    """The same rows scored by ``scorer``: (n, F) breakdown values in, (n, F)
    contributions (log-odds) out, plus each boost times its feature's value. The score
    is the predicted chance of approval, sigmoid(intercept + row sum): positive, so the
    batch assignment may add it across needs, and in the same order as the row sums."""
    if not scored:
        return scored
    values = np.array([[line.value for line in bd] for _, _, bd in scored], dtype=np.float64)
    contributions = scorer.contributions(values)
    extra = np.array([float((boost or {}).get(name, 0.0)) for name in FEATURE_NAMES])
    contributions = contributions + values * extra
    out = []
    for (_, row, breakdown), parts in zip(scored, contributions, strict=True):
        lines = tuple(
            FeatureContribution(line.feature, line.value, float(c), line.zh, line.en)
            for line, c in zip(breakdown, parts, strict=True)
        )
        logit = scorer.intercept + float(parts.sum())
        out.append((float(1.0 / (1.0 + np.exp(-logit))), row, lines))
    return out


def _check_page(k: int, offset: int) -> None:
    if not isinstance(k, int) or k < 1:
        raise ValueError(f"k={k!r}: expected a positive number of results")
    if not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset={offset!r}: expected an integer >= 0")


def _validate_all(needs: Sequence[NeedProfile], talents: Sequence[TalentProfile]) -> None:
    for need in needs:
        validate_need(need)
    for talent in talents:
        validate_talent(talent)
    _reject_duplicates([n.id for n in needs], "need")
    _reject_duplicates([t.id for t in talents], "talent")


def _reject_duplicates(ids: list[int], kind: str) -> None:
    seen: set[int] = set()
    dupes = sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
    if dupes:
        raise ValueError(f"{kind} ids appear more than once: {dupes[:10]}")


def _reject_present(ids: list[int], present: Collection[int], kind: str) -> None:
    clash = [i for i in ids if i in present]
    if clash:
        raise ValueError(f"{kind} ids already indexed: {clash[:10]}; use update_{kind}s()")


def _reject_absent(ids: list[int], present: Collection[int], kind: str) -> None:
    missing = [i for i in ids if i not in present]
    if missing:
        raise UnknownIdError(f"{kind} ids not indexed: {missing[:10]}; use add_{kind}s()")
