"""`rencai seed decisions`, `rencai ranker eval` and `rencai ranker train` as a user runs
them on simulated decisions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rencai.cli import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RENCAI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RENCAI_RANKER_DIR", str(tmp_path / "rankers"))
    monkeypatch.setenv("RENCAI_RANKER_COUNTY_MIN_DECISIONS", "400")
    return tmp_path


def test_eval_prints_learned_and_hand_side_by_side_and_train_saves_versions(env: Path) -> None:
    runner = CliRunner()
    planted = env / "planted.npz"
    made = runner.invoke(app, ["seed", "decisions", "--out", str(planted), "--lists", "600"])
    assert made.exit_code == 0, made.output
    assert "600 simulated lists" in made.output

    shown = runner.invoke(app, ["ranker", "eval", "--decisions", str(planted)])
    assert shown.exit_code == 0, shown.output
    assert "nDCG@10 learned/hand" in shown.output and "AUC" in shown.output
    lines = {line.split()[0]: line for line in shown.output.splitlines()[2:] if line.strip()}
    assert "prefecture" in lines and lines["prefecture"].split("(")[0].rstrip().endswith("learned")
    assert any(code.startswith("5323") for code in lines), "a county with enough decisions"

    trained = runner.invoke(app, ["ranker", "train", "--decisions", str(planted)])
    assert trained.exit_code == 0, trained.output
    manifest = json.loads((env / "rankers" / "prefecture" / "v001" / "manifest.json").read_text())
    assert manifest["source"] == str(planted)
    assert manifest["counts"]["lists"] == 600
    assert "the engine uses the learned ranker" in trained.output


def test_hand_preference_keeps_the_hand_weights(env: Path) -> None:
    runner = CliRunner()
    hand = env / "hand.npz"
    assert (
        runner.invoke(
            app, ["seed", "decisions", "--out", str(hand), "--lists", "300", "--preference", "hand"]
        ).exit_code
        == 0
    )
    shown = runner.invoke(app, ["ranker", "eval", "--decisions", str(hand)])
    assert shown.exit_code == 0, shown.output
    prefecture = next(line for line in shown.output.splitlines() if line.startswith("prefecture"))
    assert prefecture.split("(")[0].rstrip().endswith("hand")


def test_an_unreadable_decision_file_is_refused_naming_it(env: Path) -> None:
    bad = env / "bad.npz"
    bad.write_bytes(b"not an npz")
    result = CliRunner().invoke(app, ["ranker", "eval", "--decisions", str(bad)])
    assert result.exit_code == 2
    assert "bad.npz" in result.output
