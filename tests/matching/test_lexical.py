from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.errors import NotFittedError
from matching.lexical import LexicalModel, cosine_rows, top_rows


def test_shared_domain_terms_score_higher() -> None:
    texts = ["野生菌交易市场", "全科医生坐诊", "野生菌保鲜技术", "乡村小学教师"]
    model = LexicalModel((1, 3)).fit(texts)
    rows = model.transform(texts)
    sims = cosine_rows(rows[0], rows)
    assert sims[0] == pytest.approx(1.0, abs=1e-5)
    assert np.argsort(-sims)[1] == 2  # the other 野生菌 text


def test_unfitted_and_bad_params_raise() -> None:
    with pytest.raises(NotFittedError):
        LexicalModel().transform(["x"])
    with pytest.raises(ValueError, match="ngram_range"):
        LexicalModel((2, 1)).fit(["x"])
    with pytest.raises(ValueError, match="texts is empty"):
        LexicalModel().fit([])


def test_fit_returns_self_and_sets_trailing_underscore_state() -> None:
    model = LexicalModel()
    assert model.fit(["兽医"]) is model
    assert model.vocabulary_size_ == 3  # 兽, 医, 兽医


def test_rarest_terms_keep_the_rare_ngrams_within_the_budget() -> None:
    import scipy.sparse as sp

    from matching.lexical import cosine_of_rows, rarest_terms

    texts = ["野生菌采摘", "野生菌保鲜", "生猪养殖", "肉牛育肥", "野生动物"]
    model = LexicalModel((1, 2)).fit(texts)
    rows = model.transform(texts)
    frequency = np.diff(rows.tocsc().indptr)
    query = model.row("野生菌采摘")
    everything = rarest_terms(query, frequency, budget=10**9)
    assert (everything != query).nnz == 0
    kept = rarest_terms(query, frequency, budget=4)
    lengths = frequency[kept.indices]
    assert lengths.sum() <= 4 and 0 < kept.nnz < query.nnz
    dropped = np.setdiff1d(query.indices, kept.indices)
    assert frequency[dropped].min() >= lengths.max()  # the common ones go first
    assert sp.isspmatrix_csr(kept)
    chosen = np.array([3, 0])
    np.testing.assert_allclose(
        cosine_of_rows(query, rows, chosen), cosine_rows(query, rows.tocsc())[chosen], rtol=1e-6
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0]), min_size=0, max_size=40),
    st.integers(1, 12),
)
def test_top_rows_rank_by_score_then_row(values: list[float], pool: int) -> None:
    scores = np.array(values, dtype=np.float32)
    every = np.arange(len(scores))
    expected = sorted(every, key=lambda row: (-scores[row], row))[:pool]
    np.testing.assert_array_equal(top_rows(scores, pool), expected)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([0.0] * 12 + [-0.5, 0.1, 0.25, 0.5, 1.0]), min_size=20, max_size=400),
    st.integers(1, 30),
)
def test_top_rows_of_mostly_zero_scores_rank_as_over_every_row(
    values: list[float], pool: int
) -> None:
    """A rare-term query scores a few rows of many (the shortcut through the positive
    rows), and zeros or negatives may still fill the pool: the same rows either way."""
    scores = np.array(values, dtype=np.float32)
    every = np.arange(len(scores))
    expected = sorted(every, key=lambda row: (-scores[row], row))[:pool]
    np.testing.assert_array_equal(top_rows(scores, pool), expected)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(1, 40),
    st.sampled_from([2, 50, 100_000]),
    st.floats(0.0, 0.9),
)
def test_top_rows_of_many_scores_rank_as_over_every_row(
    seed: int, pool: int, levels: int, zero_share: float
) -> None:
    """Thousands of scores, with few or many distinct values and some zeros: the rows
    above a bar guessed from a sample are the same pool as a ranking of every row."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(64 * pool, 200 * pool))
    scores = (rng.integers(0, levels, n) / levels).astype(np.float32)
    scores[rng.random(n) < zero_share] = 0.0
    every = np.arange(n)
    expected = every[np.lexsort((every, -scores))][:pool]
    np.testing.assert_array_equal(top_rows(scores, pool), expected)


def test_first_rows_asked_on_many_threads_at_once_all_succeed() -> None:
    """A freshly loaded model is asked for rows by several request threads at once: none
    may see half of what ``row`` prepares on first use (a 500 in the API after a
    refit). The threads start together and switch every microsecond, to open the
    window."""
    import pickle
    import sys
    import threading

    texts = [f"{town}镇卫生院需要全科医生{i}" for i, town in enumerate("碧城龙川鹿城东瓜")]
    fitted = pickle.dumps(LexicalModel().fit(texts * 5))
    failures: list[BaseException] = []

    def ask(model: LexicalModel, start: threading.Barrier, text: str) -> None:
        start.wait()
        try:
            assert model.row(text).nnz > 0
        except BaseException as exc:  # reported by the assert below
            failures.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for _ in range(100):
            model = pickle.loads(fitted)
            start = threading.Barrier(len(texts))
            threads = [threading.Thread(target=ask, args=(model, start, t)) for t in texts]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not failures, failures[:3]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.integers(1, 40),
    columns=st.integers(1, 30),
    density=st.floats(0.0, 1.0),
    picked=st.lists(st.integers(0, 29), min_size=1, max_size=12, unique=True),
    seed=st.integers(0, 2**16),
)
def test_posting_lists_read_in_place_equal_the_gathered_product(
    rows: int, columns: int, density: float, picked: list[int], seed: int
) -> None:
    """The in-place read of the query's posting lists (empty columns, neighbouring
    columns) gives the product over the gathered columns, to the last bit: the same
    products added in the same order."""
    import scipy.sparse as sp

    from matching import lexical

    assert lexical._csc_matvec is not None  # the SciPy this project allows has it
    rng = np.random.default_rng(seed)
    # Drawn with NumPy alone: SciPy's sparse.random takes ``rng`` only from 1.15 on.
    dense = rng.random((rows, columns)).astype(np.float32)
    matrix = sp.csc_matrix(np.where(rng.random((rows, columns)) < density, dense, 0))
    chosen = np.array(sorted(c for c in picked if c < columns), dtype=np.int32)
    weights = rng.random(len(chosen)).astype(np.float32)
    query = sp.csr_matrix(
        (weights, chosen, np.array([0, len(chosen)])), shape=(1, columns), dtype=np.float32
    )
    gathered = np.asarray(matrix[:, chosen] @ weights, dtype=np.float32).ravel()
    in_place = cosine_rows(query, matrix)
    assert in_place.dtype == np.float32 and in_place.shape == (rows,)
    np.testing.assert_array_equal(in_place, gathered)
