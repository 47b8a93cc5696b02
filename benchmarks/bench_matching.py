"""Benchmark of the matching engine with the default encoder (USE multilingual).

For each talent-pool size (10,000 and 100,000 by default), in a fresh process so that
peak RSS belongs to that scale alone:

- build: ``Matcher.fit`` over the synthetic talents and needs (encode, centre, lexical
  fit, FAISS), in profiles per second;
- need→top-10 talents: encode the need, retrieve, filter, score; p50/p95 warm latency;
- talent→top-10 needs over the need pool (20,000 needs by default), likewise;
- need→top-10 again with a learned ranker (``matching.ranker``) re-ranking the hand
  weights' best ``rerank_depth``, and its ratio to the hand-weighted path;
- recall@10 against exact search over the engine's own vectors: of the configured index
  alone (``--factory``), and of the whole need→top-10 path (the engine's lists against
  the same engine's with exact dense search and every lexical n-gram read);
- peak RSS.

Synthetic profiles are varied Chinese built from a small vocabulary, so the benchmark
depends on nothing but the library.

Run: ``.venv/bin/python -m benchmarks.bench_matching [--talents 100000] [--needs 20000]``.
At 1,000,000 talents (a compressed index, stand-in vectors clustered like encoded ones,
the encoder's cost per profile measured beside)::

    python -m benchmarks.bench_matching --talents 1000000 --needs 20000 --queries 100 \
        --factory IVF1024,SQ8 --nprobe 128 --stand-in-vectors use-phrases \
        --lexical-pool-postings 2000000 --no-saved-state

Prints the figures and writes ``benchmarks/results/bench_matching.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import resource
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGETS = {"p95_ms": 50.0, "build_per_s": 300.0, "recall_at_10": 0.98, "peak_gib": 2.0}

ROLES = ["专家", "技术员", "医生", "教师", "兽医", "农艺师", "工程师", "志愿者", "土专家", "博士"]
DOMAINS = [
    "野生菌采摘保鲜",
    "生猪养殖",
    "肉牛育肥",
    "核桃提质增效",
    "烤烟栽培",
    "绿色蔬菜种植",
    "生态水果",
    "茶叶加工",
    "中药材种植",
    "农产品检测",
    "电子商务",
    "乡村旅游",
    "小学数学",
    "初中英语",
    "全科诊疗",
    "中医针灸",
    "妇幼保健",
    "养老护理",
    "水利工程",
    "农村电网",
    "畜禽疫病防治",
    "作物病虫害防治",
    "土壤改良",
    "蜂蜜加工",
    "彝绣非遗",
    "民宿经营",
]
ACTIONS = [
    "技术指导",
    "培训农户",
    "帮带团队",
    "远程会诊",
    "质量检测",
    "品种选育",
    "市场对接",
    "课程建设",
]
PLACES = [
    "楚雄市",
    "双柏县",
    "牟定县",
    "南华县",
    "姚安县",
    "大姚县",
    "永仁县",
    "元谋县",
    "武定县",
    "禄丰市",
]
ORGS = ["卫生院", "繁育基地", "交易市场", "蔬菜基地", "检测中心", "乡村学校", "养老院", "乡镇政府"]


def synthetic_talents(n: int, seed: int = 0) -> list[Any]:
    from matching.types import Mode, TalentProfile, Window

    rng = np.random.default_rng(seed)
    modes = list(Mode)
    out = []
    for i in range(n):
        d1, d2 = rng.choice(len(DOMAINS), 2, replace=False)
        text = (
            f"{DOMAINS[d1]}{ROLES[rng.integers(len(ROLES))]}，擅长{DOMAINS[d2]}与"
            f"{ACTIONS[rng.integers(len(ACTIONS))]}，曾在{PLACES[rng.integers(len(PLACES))]}"
            f"{ORGS[rng.integers(len(ORGS))]}服务{rng.integers(1, 20)}年，编号{i}"
        )
        start = date(2025, 1, 1) + timedelta(days=int(rng.integers(0, 200)))
        out.append(
            TalentProfile(
                id=i + 1,
                text=text,
                modes=tuple(rng.choice(modes, size=int(rng.integers(1, 4)), replace=False)),
                windows=(Window(start, start + timedelta(days=int(rng.integers(30, 300)))),),
                home_county=PLACES[rng.integers(len(PLACES))],
                lat=float(rng.uniform(24.6, 26.4)),
                lon=float(rng.uniform(100.7, 102.4)),
                travel_radius_km=float(rng.choice([50.0, 100.0, 200.0, 400.0])),
                title_level=int(rng.integers(0, 6)),
                degree_level=int(rng.integers(0, 6)),
                licences=("执业医师",) if rng.random() < 0.1 else (),
                capacity_concurrent=int(rng.integers(1, 4)),
                active_matches=int(rng.integers(0, 2)),
            )
        )
    return out


def synthetic_needs(n: int, seed: int = 1, id_offset: int = 1_000_000) -> list[Any]:
    from matching.types import Mode, NeedProfile, Window

    rng = np.random.default_rng(seed)
    modes = list(Mode)
    out = []
    for i in range(n):
        place = PLACES[rng.integers(len(PLACES))]
        text = (
            f"{place}{ORGS[rng.integers(len(ORGS))]}需要{DOMAINS[rng.integers(len(DOMAINS))]}方面的"
            f"{ACTIONS[rng.integers(len(ACTIONS))]}，第{i}号需求"
        )
        start = date(2025, 1, 1) + timedelta(days=int(rng.integers(0, 300)))
        out.append(
            NeedProfile(
                id=id_offset + i,
                text=text,
                mode=modes[rng.integers(len(modes))],
                window=Window(start, start + timedelta(days=int(rng.integers(7, 90)))),
                county=place,
                lat=float(rng.uniform(24.6, 26.4)),
                lon=float(rng.uniform(100.7, 102.4)),
                min_title_level=int(rng.integers(0, 3)),
                poverty_township=bool(rng.random() < 0.3),
                site_id=int(rng.integers(1, 500)),
            )
        )
    return out


def _percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.array(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
    }


class StandInEncoder:
    """Character bigrams hashed into 512 signed dimensions, unit length: vectors with
    the topical clustering of real ones (texts sharing words lie close) at ~1 µs a text,
    so the 100,000-talent figures take minutes on a busy machine instead of hours. The
    real encoder's cost per query is measured beside it (``use_encode_per_query``)."""

    encoder_id = "bench-stand-in-bigrams"
    dimension = 512

    def __init__(self) -> None:
        from matching.cache import EmbeddingCache

        self.cache = EmbeddingCache()

    def encode(self, texts: list[str], *, show_progress: bool | None = None) -> np.ndarray:
        import itertools
        import zlib

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for first, second in itertools.pairwise(text):
                h = zlib.crc32((first + second).encode())
                out[row, h % self.dimension] += 1.0 if h & 1024 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def warm(self) -> None:
        return None


class PhraseMixtureEncoder:
    """Stand-in vectors with the structure of real ones at any scale: each text's vector
    is the sum of the real encoder's (USE) vectors of the vocabulary phrases it
    contains (its domains, role, action, place, organisation), plus Gaussian noise of
    half the sum's length, unique to the text (three rows of seeded noise banks picked
    by hashes of the text). Texts sharing phrases form clusters around real encoder
    directions, as encoded profiles do, so an IVF index's recall means something; a
    vector costs ~10 µs instead of the encoder's ~4 ms. ``phrase_vectors``: (P, D) USE
    vectors of :data:`PHRASES`, encoded in another process (``_use_phrase_vectors``)."""

    encoder_id = "bench-stand-in-use-phrases"
    dimension = 512
    BANK = 4096

    def __init__(self, phrase_vectors: np.ndarray) -> None:
        from matching.cache import EmbeddingCache

        assert phrase_vectors.shape == (len(PHRASES), self.dimension), phrase_vectors.shape
        self.phrases = np.asarray(phrase_vectors, dtype=np.float32)
        rng = np.random.default_rng(11)
        self.banks = rng.standard_normal((3, self.BANK, self.dimension)).astype(np.float32)
        self.cache = EmbeddingCache()

    def encode(self, texts: list[str], *, show_progress: bool | None = None) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        step = 20_000
        for start in range(0, len(texts), step):
            out[start : start + step] = self._chunk(texts[start : start + step])
        return out

    def _chunk(self, texts: list[str]) -> np.ndarray:
        import zlib

        member = np.array([[phrase in text for phrase in PHRASES] for text in texts], np.float32)
        signal = member @ self.phrases
        hashes = np.array([zlib.crc32(text.encode()) for text in texts], dtype=np.int64)
        noise = (
            self.banks[0][hashes % self.BANK]
            + self.banks[1][(hashes // self.BANK) % self.BANK]
            + self.banks[2][(hashes // self.BANK**2) % self.BANK]
        )
        scale = 0.5 * np.linalg.norm(signal, axis=1, keepdims=True)
        noise *= scale / np.maximum(np.linalg.norm(noise, axis=1, keepdims=True), 1e-12)
        vectors = signal + noise
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def warm(self) -> None:
        return None


PHRASES = [*ROLES, *DOMAINS, *ACTIONS, *PLACES, *ORGS]


def _use_phrases_and_encode_cost(profiles: int, queue: Any) -> None:
    """In a process of its own (the encoder's ~0.5 GiB stays out of the measured one):
    USE vectors of :data:`PHRASES`, and the encoder's cost per synthetic talent profile
    encoded in batches as a fit encodes them."""
    from matching.config import MatchingConfig
    from matching.encoders import TextEncoder
    from matching.text import talent_text

    encoder = TextEncoder(show_progress=False)
    encoder.warm()
    phrases = encoder.encode(PHRASES)
    config = MatchingConfig()
    texts = [talent_text(t, config) for t in synthetic_talents(profiles, seed=5)]
    encoder.encode(texts[:64])  # warm-up of the batch path
    t0 = time.perf_counter()
    encoder.encode(texts[64:])
    seconds = time.perf_counter() - t0
    per_profile_ms = 1000 * seconds / (len(texts) - 64)
    queue.put(
        (
            np.asarray(phrases, dtype=np.float32),
            {
                "profiles_timed": len(texts) - 64,
                "per_profile_ms": round(per_profile_ms, 2),
                "profiles_per_s": round(1000 / per_profile_ms, 1),
            },
        )
    )


def _use_phrase_vectors(profiles: int = 564) -> tuple[np.ndarray, dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_use_phrases_and_encode_cost, args=(profiles, queue))
    child.start()
    result: tuple[np.ndarray, dict[str, Any]] = queue.get()
    child.join()
    return result


class ExactSearch:
    """Exact inner-product search over the engine's own row matrix (the very vectors its
    index was given), in chunks: the reference a compressed index is measured against,
    without a second index of 2 GiB at 1,000,000 rows. Searches like ``VectorIndex``."""

    def __init__(self, matrix: np.ndarray, ids: np.ndarray) -> None:
        self.matrix = matrix
        self.ids = ids

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        scores = np.empty((len(queries), len(self.matrix)), dtype=np.float32)
        step = 100_000
        for start in range(0, len(self.matrix), step):
            scores[:, start : start + step] = queries @ self.matrix[start : start + step].T
        k = min(k, scores.shape[1])
        if k == scores.shape[1]:
            top = np.argsort(-scores, axis=1, kind="stable")
            return np.take_along_axis(scores, top, 1), self.ids[top]
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, top, 1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, 1)
        return np.take_along_axis(scores, top, 1), self.ids[top]


def _use_encode_latency(texts: list[str]) -> dict[str, float]:
    """The real encoder (USE multilingual) on one query text at a time, uncached."""
    from matching.encoders import TextEncoder

    encoder = TextEncoder(show_progress=False)
    encoder.warm()
    samples = []
    for text in texts:
        t0 = time.perf_counter()
        encoder.encode([text])
        samples.append(time.perf_counter() - t0)
    return _percentiles(samples)


def _raw_faiss_latency(matcher: Any, needs: list[Any], k: int) -> dict[str, float]:
    """The reference floor: FAISS alone on the talents' index, query vectors ready."""
    import faiss

    vectors, _ = matcher.encode_needs(needs)
    index = matcher.talents_.index._index
    samples = []
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # as the engine searches one query (matching/index.py)
    try:
        for row in range(len(vectors)):
            t0 = time.perf_counter()
            index.search(vectors[row : row + 1], k)
            samples.append(time.perf_counter() - t0)
    finally:
        faiss.omp_set_num_threads(threads)
    return _percentiles(samples)


def _start_from_state(matcher: Any, config: Any, need: Any) -> dict[str, float]:
    """Save the fitted state, load it back memory-mapped, answer one need: what a
    worker's start costs when a saved state exists (page cache warm, same process)."""
    import shutil
    import tempfile

    from matching import state

    folder = Path(tempfile.mkdtemp(prefix="rencai-state-")) / "state"
    try:
        t0 = time.perf_counter()
        state.save(matcher, folder)
        saved = time.perf_counter() - t0
        t0 = time.perf_counter()
        loaded, _ = state.load(folder, config, matcher.encoder_)
        loaded_s = time.perf_counter() - t0
        loaded.recommend_talents(need, k=10)
        first = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in folder.iterdir())
        made = loaded.talents_.row_profiles.made
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    return {
        "save_s": round(saved, 2),
        "load_s": round(loaded_s, 2),
        "load_and_first_answer_s": round(first, 2),
        "state_mib": round(size / 2**20, 1),
        "talent_profiles_read_by_first_answer": made,
        "reference_unpickle_all_profiles_s": round(_unpickle_all_profiles_s(matcher), 2),
    }


def _unpickle_all_profiles_s(matcher: Any) -> float:
    """The reference: what reading every profile of both sides at once costs (the
    saved state's format before profiles were read on first use), same run."""
    import io

    from matching import state

    buffer = io.BytesIO()
    sides = (list(matcher.needs_.row_profiles), list(matcher.talents_.row_profiles))
    state._row_pickler(buffer).dump(sides)
    t0 = time.perf_counter()
    state.pickle.loads(buffer.getvalue())  # nosec B301 (written just above)
    return time.perf_counter() - t0


@dataclass(frozen=True)
class ScaleOptions:
    """How one scale is run: the engine's index and lexical settings, the vectors."""

    factory: str = "Flat"
    embedding_cache: str | None = None
    # None: the real encoder; "bigrams" (StandInEncoder) or "use-phrases"
    # (PhraseMixtureEncoder, given ``phrase_vectors``).
    stand_in: str | None = None
    phrase_vectors: np.ndarray | None = None
    nprobe: int = 32
    ef_search: int = 128
    lexical_pool_postings: int | None = None
    saved_state: bool = True


def _stand_in_encoder(options: ScaleOptions) -> Any:
    if options.stand_in is None:
        return None
    if options.stand_in == "bigrams":
        return StandInEncoder()
    assert options.phrase_vectors is not None
    return PhraseMixtureEncoder(options.phrase_vectors)


def run_scale(
    talent_count: int, need_count: int, queries: int, options: ScaleOptions | None = None
) -> dict[str, Any]:
    from matching.cache import EmbeddingCache
    from matching.config import MatchingConfig
    from matching.matcher import Matcher

    options = options or ScaleOptions()
    talents = synthetic_talents(talent_count)
    needs = synthetic_needs(need_count)
    config = MatchingConfig(
        show_progress=True,
        index_factory=options.factory,
        embedding_cache_dir=options.embedding_cache,
        ivf_nprobe=options.nprobe,
        hnsw_ef_search=options.ef_search,
        lexical_pool_postings=options.lexical_pool_postings,
    )
    start = time.perf_counter()
    matcher = Matcher(config, encoder=_stand_in_encoder(options)).fit(needs, talents)
    del talents, needs  # the engine holds its own references to the profiles
    # The queries below are encoded for real: a disk cache only spares the build.
    matcher.encoder_.cache = EmbeddingCache(max_memory_items=config.embedding_cache_memory_items)
    first_talent = matcher.talents_.profiles[min(matcher.talents_.profiles)]
    first_need = matcher.needs_.profiles[min(matcher.needs_.profiles)]
    matcher.recommend_talents(first_need, k=10)  # materialise the row arrays
    matcher.recommend_needs(first_talent, k=10)
    build_seconds = time.perf_counter() - start
    profiles = talent_count + need_count
    rss_after_build = _rss_gib()

    fresh_needs = synthetic_needs(queries, seed=7, id_offset=5_000_000)
    for need in fresh_needs[:5]:  # warm-up
        matcher.recommend_talents(need, k=10)
    need_latency = []
    engine_top10 = []
    for need in fresh_needs:
        t0 = time.perf_counter()
        top = matcher.recommend_talents(need, k=10)
        need_latency.append(time.perf_counter() - t0)
        assert len(top) <= 10
        engine_top10.append([r.talent_id for r in top])
    hand_latency, learned_latency = _paired_latency(matcher, fresh_needs, _learned_scorer())
    fresh_talents = synthetic_talents(queries, seed=9)
    talent_latency = []
    for talent in fresh_talents:
        t0 = time.perf_counter()
        matcher.recommend_needs(talent, k=10)
        talent_latency.append(time.perf_counter() - t0)

    # Peak memory of serving: measured before the recall check's exact searches.
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    raw_top10 = _raw_faiss_latency(matcher, fresh_needs, 10)
    raw_pool = _raw_faiss_latency(matcher, fresh_needs, config.candidate_pool)
    started_from_state = (
        _start_from_state(matcher, config, fresh_needs[0]) if options.saved_state else None
    )
    recall = _recall(matcher, fresh_needs, engine_top10)
    use_encode = _use_encode_latency([n.text for n in fresh_needs]) if options.stand_in else None

    return {
        "talents": talent_count,
        "needs": need_count,
        "index_factory": options.factory,
        "ivf_nprobe": options.nprobe,
        "hnsw_ef_search": options.ef_search,
        "lexical_pool_postings": options.lexical_pool_postings,
        "build_seconds": round(build_seconds, 1),
        "build_profiles_per_s": round(profiles / build_seconds, 1),
        "vectors": _VECTORS[options.stand_in],
        "need_to_top10_talents": _percentiles(need_latency),
        # References measured in the same run: FAISS alone at k=10 and at the pool size
        # the engine asks for; with stand-in vectors, the real encoder per query.
        "raw_faiss_search_top10": raw_top10,
        "raw_faiss_search_pool": {**raw_pool, "k": config.candidate_pool},
        "use_encode_per_query": use_encode,
        "start_from_saved_state": started_from_state,
        "talent_to_top10_needs": _percentiles(talent_latency),
        # Paired: the same needs, their text already encoded, hand and learned in turn.
        "need_to_top10_talents_hand_paired": _percentiles(hand_latency),
        "need_to_top10_talents_learned_paired": _percentiles(learned_latency),
        "learned_over_hand_p50": round(
            float(np.median(learned_latency) / np.median(hand_latency)), 3
        ),
        "ann": {"factory": options.factory, **recall},
        "rss_after_build_gib": rss_after_build,
        "peak_rss_gib": round(peak_kib / 1024**2, 3),
        "peak_rss_gib_whole_run": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 3
        ),
    }


_VECTORS = {
    None: "use-multilingual",
    "bigrams": "stand-in (bigram hash)",
    "use-phrases": "stand-in (USE phrase vectors mixed per text + noise)",
}


def _rss_gib() -> float:
    """Resident memory now (not the peak), from /proc; 0 where there is none."""
    try:
        fields = Path("/proc/self/statm").read_text().split()
    except OSError:
        return 0.0
    return round(int(fields[1]) * resource.getpagesize() / 1024**3, 3)


def _recall(matcher: Any, needs: list[Any], engine_top10: list[list[int]]) -> dict[str, Any]:
    """Recall@10 against exact search over the same vectors (the engine's row matrix):
    of the engine's index alone (top-10, and the exact top-10 found in the pool the
    engine asks it for), and of the whole need→top-10 path: the engine's lists against
    those of the same engine with exact dense search and every lexical n-gram read."""
    import copy
    from dataclasses import replace

    from matching.index import recall_at_k

    side = matcher.talents_
    assert side.dense_matrix is not None and side.index is not None
    exact = ExactSearch(side.dense_matrix, side.row_ids)
    vectors, _ = matcher.encode_needs(needs)
    pool = matcher.config.candidate_pool
    exact_ids = np.concatenate(
        [exact.search(vectors[i : i + 10], 10)[1] for i in range(0, len(vectors), 10)]
    )
    _, approx_ids = side.index.search(vectors, 10)
    _, pool_ids = side.index.search(vectors, pool)
    in_pool = np.mean(
        [
            len(set(e) & set(p)) / len(e)
            for e, p in zip(exact_ids.tolist(), pool_ids.tolist(), strict=True)
        ]
    )
    reference = copy.copy(matcher)
    reference.config = replace(matcher.config, lexical_pool_postings=None)
    reference.talents_ = copy.copy(side)
    reference.talents_.index = exact
    agree = []
    for need, ours in zip(needs, engine_top10, strict=True):
        theirs = [r.talent_id for r in reference.recommend_talents(need, k=10)]
        if theirs:
            agree.append(len(set(theirs) & set(ours)) / len(theirs))
    return {
        "recall_at_10": round(recall_at_k(approx_ids, exact_ids), 4),
        "exact_top10_in_pool": round(float(in_pool), 4),
        "pool": pool,
        "engine_top10_recall_vs_exact_path": round(float(np.mean(agree)), 4) if agree else None,
    }


def _paired_latency(matcher: Any, needs: list[Any], scorer: Any) -> tuple[list[float], list[float]]:
    """need→top-10 by the hand weights and by a learned ranker, timed in turn on each
    need (order alternating) after its text is encoded, so both pay the same cache and
    the same neighbours' load on a shared machine."""
    hand: list[float] = []
    learned: list[float] = []
    for i, need in enumerate(needs):
        matcher.encode_needs([need])
        runs = [(hand, None), (learned, scorer)]
        for out, which in runs if i % 2 == 0 else runs[::-1]:
            t0 = time.perf_counter()
            matcher.recommend_talents(need, k=10, scorer=which)
            out.append(time.perf_counter() - t0)
    return hand, learned


def _learned_scorer() -> Any:
    """A learned ranker fitted on a synthetic rule: its coefficients do not matter for
    timing, only that it scores every re-ranked candidate."""
    from matching.config import FEATURE_NAMES
    from matching.decisions import TrainOptions
    from matching.ranker import LearnedScorer, LogisticRanker

    rng = np.random.default_rng(3)
    X = rng.random((2000, len(FEATURE_NAMES)))
    y = (X[:, 2] + X[:, 3] + 0.3 * rng.standard_normal(2000) > 1.0).astype(int)
    model = LogisticRanker(tie=TrainOptions().tie).fit(X, y)  # tied text channels, as trained
    return LearnedScorer.from_estimator(model, scope="bench", version=1)


def _child(args: tuple[int, int, int, ScaleOptions], queue: Any) -> None:
    queue.put(run_scale(*args))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--talents", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--needs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--factory",
        default="Flat",
        help="FAISS factory string of the dense index, e.g. Flat or HNSW32",
    )
    parser.add_argument(
        "--embedding-cache",
        default=None,
        help="folder of an on-disk embedding cache for the build (the queries are always "
        "encoded afresh); the build figure then counts cached encodes",
    )
    parser.add_argument(
        "--stand-in-vectors",
        nargs="?",
        const="bigrams",
        choices=["bigrams", "use-phrases"],
        default=None,
        help="stand-in vectors instead of the encoder for the profiles and queries "
        "(minutes instead of hours at 100,000 talents): 'bigrams' (the default) hashes "
        "character bigrams; 'use-phrases' mixes the real encoder's vectors of the "
        "vocabulary phrases each text contains, plus noise (clustered like encoded "
        "profiles, for compressed indexes). The encoder's per-query cost is measured "
        "separately and reported beside, with 'use-phrases' also its cost per profile",
    )
    parser.add_argument("--nprobe", type=int, default=32, help="nprobe of an IVF index")
    parser.add_argument("--ef-search", type=int, default=128, help="efSearch of an HNSW index")
    parser.add_argument(
        "--lexical-pool-postings",
        type=int,
        default=None,
        help="MatchingConfig.lexical_pool_postings: retrieve the lexical pool from the "
        "query's rarest n-grams within this many postings (default: read all)",
    )
    parser.add_argument(
        "--no-saved-state",
        action="store_true",
        help="skip saving and reloading the fitted state (minutes and disk at 1,000,000)",
    )
    args = parser.parse_args(argv)
    phrase_vectors, encode_cost = (
        _use_phrase_vectors() if args.stand_in_vectors == "use-phrases" else (None, None)
    )
    options = ScaleOptions(
        factory=args.factory,
        embedding_cache=args.embedding_cache,
        stand_in=args.stand_in_vectors,
        phrase_vectors=phrase_vectors,
        nprobe=args.nprobe,
        ef_search=args.ef_search,
        lexical_pool_postings=args.lexical_pool_postings,
        saved_state=not args.no_saved_state,
    )
    results = []
    context = multiprocessing.get_context("spawn")
    for count in args.talents:
        queue = context.Queue()
        child = context.Process(
            target=_child, args=((count, args.needs, args.queries, options), queue)
        )
        child.start()
        result = queue.get()
        child.join()
        if encode_cost is not None:
            # The real encoder on the benchmark's talent texts, in batches as a fit
            # encodes them: what these stand-in vectors would have cost.
            result["use_encode_per_profile"] = {
                **encode_cost,
                "projected_build_encode_s": round(
                    encode_cost["per_profile_ms"] * (count + args.needs) / 1000, 1
                ),
            }
        results.append(result)
        print(json.dumps(result, ensure_ascii=False, indent=2), flush=True)
    report = {
        "benchmark": "matching",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": multiprocessing.cpu_count(),
        },
        "targets": TARGETS,
        "scales": results,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / "bench_matching.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    for r in results:
        print(
            f"talents {r['talents']:>7,}  {r['index_factory']:>6}  "
            f"build {r['build_profiles_per_s']:>7.1f} profiles/s  "
            f"need→10 p50 {r['need_to_top10_talents']['p50_ms']} ms "
            f"p95 {r['need_to_top10_talents']['p95_ms']} ms  "
            f"paired hand/learned p50 {r['need_to_top10_talents_hand_paired']['p50_ms']}/"
            f"{r['need_to_top10_talents_learned_paired']['p50_ms']} ms "
            f"({r['learned_over_hand_p50']}×)  "
            f"talent→10 p95 {r['talent_to_top10_needs']['p95_ms']} ms  "
            f"{r['ann']['factory']} recall@10 {r['ann']['recall_at_10']} "
            f"(exact top-10 in pool {r['ann']['exact_top10_in_pool']}, engine top-10 vs exact "
            f"path {r['ann']['engine_top10_recall_vs_exact_path']})  peak {r['peak_rss_gib']} GiB"
        )
        encode = r["use_encode_per_query"]
        print(
            f"  vectors {r['vectors']}; raw FAISS top-10 p50/p95 "
            f"{r['raw_faiss_search_top10']['p50_ms']}/{r['raw_faiss_search_top10']['p95_ms']} ms,"
            f" at k={r['raw_faiss_search_pool']['k']} {r['raw_faiss_search_pool']['p50_ms']}/"
            f"{r['raw_faiss_search_pool']['p95_ms']} ms"
            + (f"; USE encode p50/p95 {encode['p50_ms']}/{encode['p95_ms']} ms" if encode else "")
            + (
                f"; saved state: load+first answer "
                f"{r['start_from_saved_state']['load_and_first_answer_s']} s, "
                f"{r['start_from_saved_state']['talent_profiles_read_by_first_answer']} "
                "talent profiles read (reading all at once: "
                f"{r['start_from_saved_state']['reference_unpickle_all_profiles_s']} s)"
                if r["start_from_saved_state"]
                else ""
            )
            + f"; build {r['build_seconds']} s"
        )
        per_profile = r.get("use_encode_per_profile")
        if per_profile:
            print(
                f"  USE encode per profile {per_profile['per_profile_ms']} ms "
                f"({per_profile['profiles_per_s']}/s): "
                f"{per_profile['projected_build_encode_s']} s for this build's profiles"
            )
    print(f"wrote {out}")
    return report


if __name__ == "__main__":
    main()
