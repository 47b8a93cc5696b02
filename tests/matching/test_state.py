"""A fitted matcher saved and loaded back (memory-mapped) answers as the original, can be
edited afterwards, and a damaged or mismatched state is refused."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from matching.config import MatchingConfig
from matching.encoders import TextEncoder
from matching.matcher import Matcher
from matching.state import StateError, load, save

from .conftest import CORPUS_NEEDS, CORPUS_TALENTS, talent


def _answers(matcher: Matcher) -> list[list[tuple[int, float]]]:
    return [
        [(r.talent_id, round(r.score, 6)) for r in matcher.recommend_talents(n, k=4)]
        for n in CORPUS_NEEDS
    ]


@pytest.fixture
def saved(
    tmp_path: Path, use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> tuple[Matcher, Path]:
    matcher = Matcher(quiet_config, encoder=use_encoder).fit(CORPUS_NEEDS, CORPUS_TALENTS)
    folder = tmp_path / "state"
    save(matcher, folder, watermark={"talents": len(CORPUS_TALENTS)})
    return matcher, folder


def test_loaded_state_answers_like_the_fitted_one(
    saved: tuple[Matcher, Path], use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    matcher, folder = saved
    loaded, manifest = load(folder, quiet_config, use_encoder)
    assert manifest["watermark"] == {"talents": len(CORPUS_TALENTS)}
    assert manifest["counts"]["talents"] == len(CORPUS_TALENTS)
    assert isinstance(loaded.talents_.dense_matrix, np.memmap)
    assert _answers(loaded) == _answers(matcher)
    # Edits after a load work on copies of the mapped files.
    loaded.add_talents([talent(999, "野生菌保鲜技术员，冷链运输与分级")])
    assert loaded.talent_count == len(CORPUS_TALENTS) + 1
    side = loaded._talent_side()
    _, nearest = side.index.search(side.dense_matrix[side.row_of[999]][None, :], 1)
    assert nearest[0, 0] == 999


def test_a_damaged_file_is_refused(
    saved: tuple[Matcher, Path], use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    _, folder = saved
    target = folder / "talents.profiles.rows"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(StateError, match="checksum"):
        load(folder, quiet_config, use_encoder)


def test_a_truncated_array_is_refused(
    saved: tuple[Matcher, Path], use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    _, folder = saved
    target = folder / "talents.dense.npy"
    target.write_bytes(target.read_bytes()[:-64])
    with pytest.raises(StateError, match="truncated"):
        load(folder, quiet_config, use_encoder)


def test_another_config_is_refused(
    saved: tuple[Matcher, Path], use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    _, folder = saved
    other = dataclasses.replace(quiet_config, lexical_ngram_range=(1, 2))
    with pytest.raises(StateError, match="config_hash"):
        load(folder, other, use_encoder)
    # A query-only knob does not make the state stale.
    tuned = dataclasses.replace(quiet_config, candidate_pool=50)
    load(folder, tuned, use_encoder)


def test_a_loaded_state_reads_only_the_profiles_it_is_asked_for(
    saved: tuple[Matcher, Path], use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    """Starting costs no profile; a query unpickles only the rows it explains, and
    they equal the fitted ones."""
    matcher, folder = saved
    loaded, _ = load(folder, quiet_config, use_encoder)
    rows = loaded.talents_.row_profiles
    view = loaded.snapshot()
    assert rows.made == 0  # type: ignore[attr-defined]
    assert set(view.talents_.profiles) == {t.id for t in CORPUS_TALENTS}
    assert rows.made == 0  # type: ignore[attr-defined]
    top = view.recommend_talents(CORPUS_NEEDS[0], k=2)
    assert 0 < rows.made < len(CORPUS_TALENTS)  # type: ignore[attr-defined]
    for answer in top:
        assert (
            view.talents_.profiles[answer.talent_id] == matcher.talents_.profiles[answer.talent_id]
        )


def test_a_stored_rows_file_that_does_not_add_up_is_refused(
    saved: tuple[Matcher, Path], use_encoder: TextEncoder, quiet_config: MatchingConfig
) -> None:
    _, folder = saved
    offsets = folder / "talents.profiles.offsets.npy"
    values = np.load(offsets)
    values[-1] += 1
    np.save(offsets, values)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"][offsets.name] = {"bytes": offsets.stat().st_size, "sha256": _sha(offsets)}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(StateError, match="offsets do not add up"):
        load(folder, quiet_config, use_encoder)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
